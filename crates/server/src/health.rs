//! `GET /healthz` (the process serves HTTP) and `GET /readyz` (it can screen: a snapshot is
//! loaded and the registry answers).

use crate::{ApiError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

/// Liveness: answers as long as the process serves HTTP.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Serving", body = Object)))]
pub(crate) async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// Readiness: the lists screened against, their age in days, the index size; 503 when the
/// registry cannot be read.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, description = "Ready", body = Object),
              (status = 503, description = "The registry cannot be read", body = crate::errors::ErrorBody)))]
pub(crate) async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let snapshot = state.snapshot();
    state
        .read(|registry| Ok(registry.is_empty()?))
        .await
        .map_err(|e| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "not_ready", e.message))?;
    let today = interdict_screening::today();
    let lists: Vec<Value> = snapshot
        .publications
        .iter()
        .map(|p| {
            json!({
                "list": p.list.as_str(),
                "publication_id": p.id.0,
                "published": p.published.map(|d| d.to_string()),
                "age_days": p.published.map(|d| (today - d).get_days()),
            })
        })
        .collect();
    Ok(Json(json!({
        "status": "ready",
        "entities": snapshot.index.len(),
        "notices": snapshot.notices.len(),
        "lists": lists,
        "snapshot_built_at": snapshot.built_at.to_string(),
        "authentication": if state.is_open() { "none (loopback, no API key)" } else { "API key" },
    })))
}
