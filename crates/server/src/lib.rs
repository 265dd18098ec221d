//! The interdict HTTP server: screening as a service for developers (a JSON API under `/v1`, a
//! yente-compatible `/match/{dataset}`) and analysts (the web UI in [`ui`]), from one binary, on
//! the same registry file the command line writes.
//!
//! # How handlers reach the data
//!
//! Every handler takes `State(state): State<AppState>` ([`AppState`], cheap to clone):
//!
//! - **screening** goes through [`AppState::snapshot`], an `Arc<`[`Snapshot`]`>`: the
//!   [`MatchIndex`](interdict_screening::MatchIndex) of the lists, the publications it was
//!   built from and the [`NoticeSet`](interdict_screening::NoticeSet) that annotates notice
//!   matches. Take it once per request and use that one throughout: a swap during the request
//!   does not change what the request sees. Searching is CPU-bound: run it with
//!   [`AppState::blocking`] (or `tokio::task::spawn_blocking`), not on the async runtime.
//! - **the registry** (entities, history, diffs, notices, alerts) is read and written through
//!   [`AppState::read`] and [`AppState::write`], which run the closure on a blocking thread
//!   with a pooled [`Registry`](interdict_registry::Registry) connection.
//! - **errors** are [`ApiError`]s: a handler returns `Result<_, ApiError>` and the client gets
//!   `{"error": {"code": "...", "message": "..."}}` with the right status, never a backtrace.
//!
//! The UI's routes live in [`ui::router`]; [`router`] merges them beside the API.
//!
//! # Invariants
//!
//! - **One snapshot per request.** The screening index is replaced whole, atomically
//!   ([`arc_swap`]); a request in flight keeps the snapshot it took and finishes on it, so an
//!   ingest never fails or mixes a request.
//! - **Indexes are built off the runtime and before the swap.** A rebuild (after an ingest or a
//!   notice through the API, or a change made by the command line and noticed by polling) runs
//!   on a blocking thread; until it is done the old snapshot serves.
//! - **The async runtime never does CPU-bound work**: screening, index builds and registry
//!   queries run on blocking threads.
//! - **Every error is a JSON error with a 4xx or 5xx status**: bad UTF-8, oversized and
//!   malformed bodies, unknown routes and timeouts included. Nothing a client sends can panic a
//!   handler.
//! - **No keys, no network.** A server with no API key in the registry authenticates no one,
//!   so it only binds a loopback address; with keys, every route but the health checks, the
//!   OpenAPI document and its viewer needs one.
//!
//! Layering: this crate depends on `model`, `registry`, `matching` and `screening`; only the
//! command line depends on it.
#![deny(missing_docs)]

mod errors;
mod state;
pub mod ui;

pub use errors::{ApiError, ServerError};
pub use state::{AppState, Snapshot};

use axum::routing::get;
use axum::{Json, Router};
use std::net::SocketAddr;
use std::path::PathBuf;

/// How to run a server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The registry file (it must hold at least one list publication).
    pub registry: PathBuf,
    /// Where to listen.
    pub listen: SocketAddr,
}

/// The whole application: API, UI, health checks, with the state they share.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        // ---- The web UI: its routes are defined in `ui/` and merged here. ----
        .merge(ui::router())
        .fallback(not_found)
        .with_state(state)
}

/// Answers as long as the process serves HTTP.
async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok"}))
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such route")
}

/// Builds the state from the registry, binds `config.listen` and serves until Ctrl-C or
/// SIGTERM.
pub async fn serve(config: ServerConfig) -> Result<(), ServerError> {
    let path = config.registry.clone();
    let state = tokio::task::spawn_blocking(move || AppState::open(path))
        .await
        .map_err(|e| ServerError::Task(e.to_string()))??;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.listen,
            source,
        })?;
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(ServerError::Io)
}

/// Resolves on Ctrl-C or SIGTERM, so requests in flight finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
