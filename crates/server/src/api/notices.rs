//! Designation notices: listing them, one with its versions, and recording one (admin).

use crate::auth::Caller;
use crate::extract::{PathParams, QueryParams};
use crate::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use interdict_model::{DesignationStatus, ListId};
use interdict_registry::{Role, Trigger};
use serde_json::{json, Value};

use super::entities::{date, AsOf};

/// The notices the registry counts by `as_of` (today when absent), latest versions, with their
/// designations' status on that day.
#[utoipa::path(get, path = "/v1/notices", tag = "notices", params(AsOf),
    responses((status = 200, description = "Notices", body = Vec<Object>)),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn list(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<AsOf>,
) -> Result<Json<Value>, ApiError> {
    let as_of = date("as_of", params.as_of.as_deref())?;
    state
        .read(move |registry| {
            let day = as_of.unwrap_or_else(interdict_screening::today);
            let rows: Vec<Value> = registry
                .notices(Some(day))?
                .iter()
                .map(|v| {
                    json!({
                        "id": v.notice.id,
                        "key": v.notice.key(),
                        "title": v.notice.title,
                        "version": v.version,
                        "known_from": v.known_from.to_string(),
                        "recorded_at": v.recorded_at.to_string(),
                        "as_of": day.to_string(),
                        "designations": interdict_screening::designation_statuses(&v.notice, day),
                    })
                })
                .collect();
            Ok(Value::Array(rows))
        })
        .await
        .map(Json)
}

/// One notice as of a day (its latest version), its designations' status that day, and every
/// version recorded.
#[utoipa::path(get, path = "/v1/notices/{id}", tag = "notices",
    params(("id" = String, Path, description = "Notice id (cartel-de-los-soles)"), AsOf),
    responses((status = 200, description = "The notice", body = Object),
              (status = 404, description = "No such notice", body = crate::errors::ErrorBody)),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn get(
    State(state): State<AppState>,
    PathParams(id): PathParams<String>,
    QueryParams(params): QueryParams<AsOf>,
) -> Result<Json<Value>, ApiError> {
    let as_of = date("as_of", params.as_of.as_deref())?;
    state
        .read(move |registry| {
            let version = registry.notice(&id, as_of)?.ok_or_else(|| {
                let when = as_of.map(|d| format!(" as of {d}")).unwrap_or_default();
                ApiError::not_found(format!("no notice {id:?}{when}"))
            })?;
            let day = as_of.unwrap_or_else(interdict_screening::today);
            let versions: Vec<Value> = registry
                .notice_versions(&id)?
                .iter()
                .map(|v| {
                    json!({
                        "version": v.version,
                        "hash": v.hash,
                        "known_from": v.known_from.to_string(),
                        "recorded_at": v.recorded_at.to_string(),
                        "source": v.source,
                    })
                })
                .collect();
            Ok(json!({
                "notice": version,
                "as_of": day.to_string(),
                "designations": interdict_screening::designation_statuses(&version.notice, day),
                "versions": versions,
            }))
        })
        .await
        .map(Json)
}

/// Records a notice (admin role): the body is the notice's YAML (`docs/notices.md`). An
/// identical notice changes nothing; a changed one becomes its next version. The customer book
/// is screened against it and the screening snapshot is rebuilt before the answer.
#[utoipa::path(post, path = "/v1/notices", tag = "notices",
    request_body(content = String, content_type = "application/yaml", description = "One notice in YAML"),
    responses((status = 200, description = "Recorded (or unchanged)", body = Object),
              (status = 403, description = "Not an admin key", body = crate::errors::ErrorBody),
              (status = 422, description = "Not a valid notice (line and column)", body = crate::errors::ErrorBody)),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn add(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Admin)?;
    let text = std::str::from_utf8(&body)
        .map_err(|e| ApiError::bad_request(format!("the notice is not valid UTF-8: {e}")))?
        .to_string();
    let source = format!("api:{}", caller.name);
    let answer = state
        .write(move |registry| {
            let notice = interdict_sources::notice::parse("request body", &text).map_err(|e| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_notice",
                    e.to_string(),
                )
            })?;
            let outcome = registry.add_notice(&notice, Some(&source))?;
            let v = outcome.version();
            let day = interdict_screening::today();
            let mut monitoring = Value::Null;
            if outcome.is_new() && v.known_from <= day && !registry.book_is_empty()? {
                let withdrawn = notice
                    .designations
                    .iter()
                    .all(|d| matches!(d.status_on(day), DesignationStatus::Revoked { .. }));
                let (changed, gone) = if withdrawn {
                    (
                        Vec::new(),
                        vec![(ListId::Notice.as_str().to_string(), notice.id.clone())],
                    )
                } else {
                    (vec![notice.to_entity()], Vec::new())
                };
                let report = interdict_screening::monitor::screen_entities(
                    registry,
                    &changed,
                    &gone,
                    Trigger::Notice,
                    &Default::default(),
                )?;
                monitoring = json!({
                    "raised": report.raised.len(),
                    "refreshed": report.refreshed,
                    "closed": report.closed,
                });
            }
            Ok(json!({
                "notice": notice.key(),
                "recorded": outcome.is_new(),
                "version": v.version,
                "hash": v.hash,
                "known_from": v.known_from.to_string(),
                "monitoring": monitoring,
            }))
        })
        .await?;
    state.refresh().await?;
    Ok(Json(answer))
}
