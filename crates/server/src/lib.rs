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
//!   [`AppState::compute`] (a bounded pool of blocking threads), not on the async runtime.
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
//!   access run on blocking threads, at most [`BLOCKING_THREADS_PER_CORE`] per core.
//! - **Every error is a JSON error with a 4xx or 5xx status**: bad UTF-8, oversized and
//!   malformed bodies, unknown routes and timeouts included. Nothing a client sends can panic a
//!   handler.
//! - **No keys, no network.** A server with no API key in the registry authenticates no one,
//!   so it only binds a loopback address; with keys, every route but the health checks, the
//!   OpenAPI document and its viewer needs one.
//!
//! Layering: this crate depends on `model`, `registry`, `matching` and `screening`, and on
//! `sources` to read uploaded list files and notices; only the command line depends on it.
#![deny(missing_docs)]

pub mod api;
mod auth;
mod errors;
mod extract;
mod health;
mod metrics;
mod state;
pub mod ui;
mod yente;

pub use auth::Caller;
pub use errors::{ApiError, ErrorBody, ErrorDetail, ServerError};
pub use extract::{JsonBody, PathParams, QueryParams};
pub use state::{AppState, RegistryMarker, Snapshot};

use axum::extract::DefaultBodyLimit;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Router};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use utoipa::OpenApi;

/// Largest request body, except uploads to `POST /v1/ingest`: a batch of 1,000 queries with
/// every field fits in well under this.
pub const MAX_BODY: usize = 1 << 20;

/// Longest a request may take before it is answered 503 (uploads and index rebuilds
/// included).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// How to run a server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The registry file (it must hold at least one list publication).
    pub registry: PathBuf,
    /// Where to listen.
    pub listen: SocketAddr,
    /// How often the registry is checked for changes made by other processes (new
    /// publications, notices, keys).
    pub poll: Duration,
}

impl ServerConfig {
    /// A configuration with the default polling interval (2 s).
    pub fn new(registry: impl Into<PathBuf>, listen: SocketAddr) -> ServerConfig {
        ServerConfig {
            registry: registry.into(),
            listen,
            poll: Duration::from_secs(2),
        }
    }
}

/// The whole application: API, yente endpoint, OpenAPI document and viewer, health checks,
/// metrics, UI, with the layers every request goes through (authentication, metrics, body
/// limit, timeout, JSON errors, panic catching).
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .route("/match/{dataset}", post(yente::match_entities))
        .merge(api::router())
        .merge(
            utoipa_swagger_ui::SwaggerUi::new("/docs").url("/openapi.json", api::ApiDoc::openapi()),
        )
        // ---- The web UI: its routes are defined in `ui/` and merged here. ----
        .merge(ui::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(middleware::map_response(json_errors))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take this method",
    )
}

/// A panic in a handler is a bug: logged, answered 500 in JSON, and the server goes on.
fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("a handler panicked").into_response()
}

/// Error answers produced below the handlers (a timeout, a body over the limit read by a layer)
/// come as plain text or empty: give them the JSON shape every error has.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    // JSON errors are already in shape; HTML error pages are the web UI's, meant for a browser.
    let shaped = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"));
    if shaped {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let message = match text.trim() {
        "" => status.canonical_reason().unwrap_or("error").to_string(),
        t => t.to_string(),
    };
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::NOT_FOUND => "not_found",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    let mut answer = ApiError::new(status, code, message).into_response();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            answer.headers_mut().insert(name.clone(), value.clone());
        }
    }
    answer
}

fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Blocking threads per core: enough for registry reads waiting on SQLite beside screening,
/// few enough that a burst of requests does not become a burst of threads.
pub const BLOCKING_THREADS_PER_CORE: usize = 4;

/// Runs [`serve`] on a runtime of its own (one worker per core, blocking threads bounded),
/// until Ctrl-C or SIGTERM.
pub fn run(config: ServerConfig) -> Result<(), ServerError> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(cores)
        .max_blocking_threads(cores * BLOCKING_THREADS_PER_CORE)
        .build()
        .map_err(ServerError::Io)?;
    runtime.block_on(serve(config))
}

/// Builds the state from the registry, binds `config.listen` and serves until Ctrl-C or
/// SIGTERM, following changes to the registry. Refuses a non-loopback address while the
/// registry holds no valid API key.
pub async fn serve(config: ServerConfig) -> Result<(), ServerError> {
    let loopback = is_loopback(&config.listen);
    let path = config.registry.clone();
    let state = tokio::task::spawn_blocking(move || AppState::open_for(path, loopback))
        .await
        .map_err(|e| ServerError::Task(e.to_string()))??;
    if !loopback && !state.has_keys() {
        return Err(ServerError::Unauthenticated {
            addr: config.listen,
        });
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.listen,
            source,
        })?;
    let local = listener.local_addr().map_err(ServerError::Io)?;
    let snapshot = state.snapshot();
    eprintln!(
        "interdict serving http://{local} ({} entities: {}), API documentation at http://{local}/docs",
        snapshot.index.len(),
        api::screen::list_refs(&snapshot)
            .iter()
            .map(|l| format!("{} of {}", l.list, l.published.as_deref().unwrap_or("undated")))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if state.is_open() {
        eprintln!(
            "no API key in the registry: serving WITHOUT authentication, on loopback only \
             (create keys with `interdict keys add --role admin --name NAME`)"
        );
    } else {
        eprintln!("API keys required (Authorization: Bearer TOKEN or X-API-Key: TOKEN)");
    }
    tokio::spawn(state.clone().watch(config.poll));
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
