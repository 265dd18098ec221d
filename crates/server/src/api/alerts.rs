//! Monitoring alerts and the decisions on them, as `interdict alerts --json` shows them.
//! Deciding needs the analyst role; the decision is recorded under the caller's key name
//! unless `by` is given.

use crate::auth::Caller;
use crate::extract::{JsonBody, PathParams, QueryParams};
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use interdict_registry::{AlertId, AlertStatus, RegistryError, Role};
use interdict_screening::monitor::AlertJson;
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

fn status(text: &str) -> Result<AlertStatus, ApiError> {
    AlertStatus::parse(text.trim()).ok_or_else(|| {
        let known: Vec<&str> = AlertStatus::ALL.iter().map(|s| s.as_str()).collect();
        ApiError::bad_request(format!(
            "unknown alert status {text:?}; the statuses are {}",
            known.join(", ")
        ))
    })
}

/// `GET /v1/alerts` parameters.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertsParams {
    /// Only alerts with this status (`open`, `escalated`, `false_positive`, `true_match`,
    /// `closed`).
    #[param(value_type = Option<super::AlertStatusName>)]
    pub status: Option<String>,
}

/// The alerts raised by monitoring.
#[utoipa::path(get, path = "/v1/alerts", tag = "alerts", params(AlertsParams),
    responses((status = 200, description = "Alerts", body = Vec<Object>),
              (status = 400, description = "Unknown status", body = crate::errors::ErrorBody)),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn list(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<AlertsParams>,
) -> Result<Json<Value>, ApiError> {
    let wanted = params.status.as_deref().map(status).transpose()?;
    state
        .read(move |registry| {
            let mut writer = AlertJson::new(registry);
            let rows = registry
                .alerts(wanted)?
                .iter()
                .map(|a| writer.value(a).map_err(ApiError::from))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::Array(rows))
        })
        .await
        .map(Json)
}

fn alert_id(text: &str) -> Result<AlertId, ApiError> {
    text.trim()
        .parse::<i64>()
        .map(AlertId)
        .map_err(|_| ApiError::not_found(format!("no alert {text:?}")))
}

/// One alert with the match explained and every decision made on it.
#[utoipa::path(get, path = "/v1/alerts/{id}", tag = "alerts",
    params(("id" = i64, Path, description = "Alert id")),
    responses((status = 200, description = "The alert", body = Object),
              (status = 404, description = "No such alert", body = crate::errors::ErrorBody)),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn get(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
) -> Result<Json<Value>, ApiError> {
    let id = alert_id(&id)?;
    state
        .read(move |registry| {
            let alert = registry
                .alert(id)?
                .ok_or_else(|| ApiError::not_found(format!("no alert {id}")))?;
            Ok(AlertJson::new(registry).value(&alert)?)
        })
        .await
        .map(Json)
}

/// The decisions made on an alert, oldest first.
#[utoipa::path(get, path = "/v1/alerts/{id}/decisions", tag = "alerts",
    params(("id" = i64, Path, description = "Alert id")),
    responses((status = 200, description = "Decisions", body = Vec<Object>),
              (status = 404, description = "No such alert", body = crate::errors::ErrorBody)),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn decisions(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
) -> Result<Json<Value>, ApiError> {
    let Json(alert) = get(State(state), PathParams(id)).await?;
    Ok(Json(alert["decisions"].clone()))
}

/// A decision on an alert.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// `open`, `escalated`, `false_positive` or `true_match`.
    #[schema(value_type = super::DecisionStatusName, example = "false_positive")]
    pub status: String,
    /// Why (required).
    #[schema(
        example = "cooperative registered in 1998, different party",
        pattern = r"\S"
    )]
    pub reason: String,
    /// Who decided; the API key's name when absent.
    pub by: Option<String>,
}

/// Records a decision on an alert (analyst role): who, when, why; kept with every earlier
/// decision and appended to the audit log.
#[utoipa::path(post, path = "/v1/alerts/{id}/decisions", tag = "alerts",
    params(("id" = i64, Path, description = "Alert id")),
    request_body = DecisionRequest,
    responses((status = 200, description = "The alert after the decision", body = Object),
              (status = 403, description = "The key is not an analyst's or admin's", body = crate::errors::ErrorBody),
              (status = 404, description = "No such alert", body = crate::errors::ErrorBody),
              (status = 422, description = "Not a decision (`closed`, no reason)", body = crate::errors::ErrorBody)),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    PathParams(id): PathParams<String>,
    JsonBody(request): JsonBody<DecisionRequest>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Analyst)?;
    let id = alert_id(&id)?;
    let decided = status(&request.status).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_decision",
            e.message,
        )
    })?;
    let by = request
        .by
        .filter(|b| !b.trim().is_empty())
        .unwrap_or(caller.name);
    state
        .write(move |registry| {
            let alert = registry
                .decide_alert(id, decided, &by, &request.reason)
                .map_err(|e| match e {
                    RegistryError::NoSuchAlert(_) => ApiError::not_found(e.to_string()),
                    RegistryError::InvalidMonitoring(m) => {
                        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_decision", m)
                    }
                    other => ApiError::internal(other),
                })?;
            Ok(AlertJson::new(registry).value(&alert)?)
        })
        .await
        .map(Json)
}
