//! The web UI: server-rendered pages for analysts (search, entity, lists and diffs, alert
//! review), served by the binary with every asset bundled.
//!
//! Handlers take `State<AppState>` like the API's (see the crate docs for the snapshot and the
//! registry).

use crate::AppState;
use axum::Router;

/// The UI's routes, merged into the application by [`crate::router`].
pub fn router() -> Router<AppState> {
    Router::new()
}
