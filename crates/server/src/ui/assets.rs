//! The UI's static files, compiled into the binary (`include_str!`): the server needs no file
//! beside it and no page loads anything from elsewhere.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

const STYLE: &str = include_str!("../../assets/style.css");
const SCRIPT: &str = include_str!("../../assets/app.js");
const FAVICON: &str = include_str!("../../assets/favicon.svg");

/// An hour: the files change only with the binary.
const CACHE: &str = "public, max-age=3600";

/// `GET /assets/style.css`.
pub(crate) async fn style() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, CACHE),
        ],
        STYLE,
    )
}

/// `GET /assets/app.js`: type-ahead for the search box.
pub(crate) async fn script() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, CACHE),
        ],
        SCRIPT,
    )
}

/// `GET /assets/favicon.svg` (and `/favicon.ico`, which browsers ask for unprompted).
pub(crate) async fn favicon() -> impl IntoResponse {
    (
        [(CONTENT_TYPE, "image/svg+xml"), (CACHE_CONTROL, CACHE)],
        FAVICON,
    )
}
