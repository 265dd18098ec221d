//! Errors: [`ServerError`] for starting and running the server, [`ApiError`] for what a request
//! gets back.
//!
//! Every failed request is answered `{"error": {"code": "...", "message": "..."}}`: `code` is a
//! stable machine-readable word, `message` is for people. Internal errors are logged in full
//! and answered with a generic message: a client never sees a backtrace or a file path.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::net::SocketAddr;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// The registry could not be opened or read.
    #[error(transparent)]
    Registry(#[from] interdict_registry::RegistryError),
    /// The screening index could not be built (no list in the registry, say).
    #[error(transparent)]
    Screening(#[from] interdict_screening::ScreeningError),
    /// The listening address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// A non-loopback address was asked for while no API key exists.
    #[error(
        "refusing to listen on {addr}: the registry holds no API key, so the server would \
         answer anyone without authentication. Create one with `interdict keys add --role admin \
         --name NAME`, or listen on a loopback address (127.0.0.1 or [::1])"
    )]
    Unauthenticated {
        /// The address asked for.
        addr: SocketAddr,
    },
    /// Serving failed.
    #[error("serving: {0}")]
    Io(#[source] std::io::Error),
    /// A background task died.
    #[error("background task failed: {0}")]
    Task(String),
}

/// An error answered to a request: an HTTP status, a code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable word for programs (`not_found`, `bad_request`, `unauthorized`…).
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
}

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400: the request is wrong (a bad date, an invalid field).
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 404: no such thing.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 500: something failed on our side; `detail` is logged, not shown.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!("internal error: {detail}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error (logged on the server)",
        )
    }
}

/// The body of every error answer, for the OpenAPI document.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// `code` and `message` of an error answer.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// A stable word for programs (`not_found`, `unauthorized`, `payload_too_large`…).
    pub code: String,
    /// What went wrong, for people.
    pub message: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

impl From<interdict_registry::RegistryError> for ApiError {
    fn from(e: interdict_registry::RegistryError) -> ApiError {
        ApiError::internal(e)
    }
}

impl From<interdict_screening::ScreeningError> for ApiError {
    fn from(e: interdict_screening::ScreeningError) -> ApiError {
        match e {
            interdict_screening::ScreeningError::NoLists { .. } => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "no_lists", e.to_string())
            }
            other => ApiError::internal(other),
        }
    }
}
