//! Reading the registry: an entity as of a date, its history, the publications, the diff
//! between two publications of a list. The JSON is that of the command line's `--json`
//! (`show`, `history`, `lists`, `diff`).

use crate::extract::{PathParams, QueryParams};
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use interdict_model::{Entity, ListId};
use interdict_registry::{PublicationId, PublicationInfo, Registry};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::IntoParams;

/// A list id from a path, or 404.
pub(crate) fn list_id(text: &str) -> Result<ListId, ApiError> {
    ListId::parse(text).ok_or_else(|| {
        let known: Vec<&str> = ListId::ALL.iter().map(|l| l.as_str()).collect();
        ApiError::not_found(format!(
            "no list {text:?}; the lists are {}",
            known.join(", ")
        ))
    })
}

/// A `YYYY-MM-DD` date from a query parameter, or 400.
pub(crate) fn date(name: &str, text: Option<&str>) -> Result<Option<jiff::civil::Date>, ApiError> {
    text.map(str::trim)
        .map(|t| {
            t.parse::<jiff::civil::Date>()
                .map_err(|_| ApiError::bad_request(format!("{name} {t:?}: expected YYYY-MM-DD")))
        })
        .transpose()
}

fn published(p: &PublicationInfo) -> Option<String> {
    p.published.map(|d| d.to_string())
}

/// `as_of` parameter.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOf {
    /// The day to answer for (`YYYY-MM-DD`); today when absent.
    #[param(format = Date, value_type = Option<String>)]
    pub as_of: Option<String>,
}

/// An entity as the registry holds it: listed in the latest publication of its list (as of
/// `as_of`), or — marked `"listed": false` — its last version before it left the list. For
/// `notice`, the notice with its designations' status on the day.
#[utoipa::path(get, path = "/v1/entities/{list}/{id}", tag = "registry",
    params(("list" = super::ListName, Path, description = "ofac-sdn, ofac-cons, un or notice"),
           ("id" = String, Path, description = "Entity id on the list (22790)"), AsOf),
    responses(
        (status = 200, description = "The entity (model JSON) and the publication it is read from", body = Object),
        (status = 404, description = "Unknown list or entity", body = crate::errors::ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn entity(
    State(state): State<AppState>,
    PathParams((list, id)): PathParams<(String, String)>,
    QueryParams(params): QueryParams<AsOf>,
) -> Result<Json<Value>, ApiError> {
    let list = list_id(&list)?;
    let as_of = date("as_of", params.as_of.as_deref())?;
    state
        .read(move |registry| entity_json(registry, list, &id, as_of))
        .await
        .map(Json)
}

fn entity_json(
    registry: &Registry,
    list: ListId,
    id: &str,
    as_of: Option<jiff::civil::Date>,
) -> Result<Value, ApiError> {
    let missing = || {
        let when = as_of.map(|d| format!(" as of {d}")).unwrap_or_default();
        ApiError::not_found(format!("{list}:{id} is not in the registry{when}"))
    };
    if list == ListId::Notice {
        let version = registry.notice(id, as_of)?.ok_or_else(missing)?;
        let day = as_of.unwrap_or_else(interdict_screening::today);
        return Ok(json!({
            "notice": version,
            "as_of": day.to_string(),
            "designations": interdict_screening::designation_statuses(&version.notice, day),
            "entity": version.notice.to_entity(),
        }));
    }
    let (publication, entity, not_in): (PublicationInfo, Entity, Option<PublicationInfo>) =
        match registry.entity(list, id, as_of)? {
            Some((p, e)) => (p, e, None),
            None => {
                let last = registry
                    .entity_versions(list, id)?
                    .into_iter()
                    .rfind(|v| {
                        as_of.is_none_or(|d| v.publication.published.is_some_and(|p| p <= d))
                    })
                    .ok_or_else(missing)?;
                let entity = registry
                    .entity_record(list, id, &last.record)?
                    .ok_or_else(missing)?;
                let latest = registry.latest_publication(list, as_of)?;
                (last.publication, entity, latest)
            }
        };
    Ok(json!({
        "publication": {
            "id": publication.id.0,
            "list": publication.list.as_str(),
            "published": published(&publication),
        },
        "listed": not_in.is_none(),
        "not_in_publication": not_in.as_ref().map(|p| json!({
            "id": p.id.0,
            "published": published(p),
        })),
        "entity": entity,
    }))
}

/// An entity's timeline over the stored publications: listed, each change with the fields
/// that changed, delisted, relisted.
#[utoipa::path(get, path = "/v1/entities/{list}/{id}/history", tag = "registry",
    params(("list" = super::ListName, Path, description = "ofac-sdn, ofac-cons or un"),
           ("id" = String, Path, description = "Entity id on the list")),
    responses(
        (status = 200, description = "Events, oldest first", body = Vec<Object>),
        (status = 404, description = "In no publication", body = crate::errors::ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn history(
    State(state): State<AppState>,
    PathParams((list, id)): PathParams<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let list = list_id(&list)?;
    state
        .read(move |registry| {
            let events = registry.history(list, &id)?;
            if events.is_empty() {
                return Err(ApiError::not_found(format!(
                    "{list}:{id} is in no publication of the registry"
                )));
            }
            serde_json::to_value(&events).map_err(ApiError::internal)
        })
        .await
        .map(Json)
}

/// `GET /v1/lists` parameters.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListsParams {
    /// Only this list.
    #[param(value_type = Option<super::ListName>)]
    pub list: Option<String>,
    /// The registry as it stood on this day (`YYYY-MM-DD`).
    #[param(format = Date, value_type = Option<String>)]
    pub as_of: Option<String>,
}

/// The stored publications (and the notices counted), with what is screened against now.
#[utoipa::path(get, path = "/v1/lists", tag = "registry", params(ListsParams),
    responses((status = 200, description = "Publications and notices", body = Object)),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn lists(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<ListsParams>,
) -> Result<Json<Value>, ApiError> {
    let list = params.list.as_deref().map(list_id).transpose()?;
    let as_of = date("as_of", params.as_of.as_deref())?;
    let snapshot = state.snapshot();
    state
        .read(move |registry| {
            let mut publications = registry.publications(list)?;
            if let Some(day) = as_of {
                publications.retain(|p| p.published.is_some_and(|d| d <= day));
            }
            let notices = match list {
                None | Some(ListId::Notice) => registry.notices(as_of)?,
                Some(_) => Vec::new(),
            };
            let rows: Vec<Value> = publications
                .iter()
                .map(|p| {
                    json!({
                        "id": p.id.0,
                        "list": p.list.as_str(),
                        "published": published(p),
                        "ingested_at": p.ingested_at.to_string(),
                        "entities": p.entity_count,
                        "warnings": p.warning_count,
                        "files": p.files,
                    })
                })
                .collect();
            let notices: Vec<Value> = notices
                .iter()
                .map(|v| {
                    json!({
                        "id": v.notice.id,
                        "title": v.notice.title,
                        "version": v.version,
                        "known_from": v.known_from.to_string(),
                        "recorded_at": v.recorded_at.to_string(),
                    })
                })
                .collect();
            Ok(json!({
                "publications": rows,
                "notices": notices,
                "screening": super::screen::list_refs(&snapshot),
            }))
        })
        .await
        .map(Json)
}

/// `GET /v1/lists/{list}/diff` parameters.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffParams {
    /// The earlier publication: its id, or a date (the latest publication on or before it).
    #[param(pattern = r"^\s*([0-9]+|[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))\s*$")]
    pub from: String,
    /// The later publication, likewise.
    #[param(pattern = r"^\s*([0-9]+|[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))\s*$")]
    pub to: String,
}

fn publication_of(
    registry: &Registry,
    list: ListId,
    spec: &str,
) -> Result<PublicationInfo, ApiError> {
    let spec = spec.trim();
    if let Ok(id) = spec.parse::<i64>() {
        let p = registry
            .publication(PublicationId(id))?
            .ok_or_else(|| ApiError::not_found(format!("no publication {id} in the registry")))?;
        if p.list != list {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_request",
                format!("publication {id} is of {}, not {list}", p.list),
            ));
        }
        return Ok(p);
    }
    let day = date("publication", Some(spec))?
        .ok_or_else(|| ApiError::bad_request("a publication id or date is required"))?;
    registry
        .latest_publication(list, Some(day))?
        .ok_or_else(|| ApiError::not_found(format!("no publication of {list} on or before {day}")))
}

/// Entities added, removed and changed (with the fields) between two publications of a list.
#[utoipa::path(get, path = "/v1/lists/{list}/diff", tag = "registry",
    params(("list" = super::ListName, Path, description = "ofac-sdn, ofac-cons or un"), DiffParams),
    responses(
        (status = 200, description = "Added, removed, changed", body = Object),
        (status = 404, description = "Unknown list or publication", body = crate::errors::ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn diff(
    State(state): State<AppState>,
    PathParams(list): PathParams<String>,
    QueryParams(params): QueryParams<DiffParams>,
) -> Result<Json<Value>, ApiError> {
    let list = list_id(&list)?;
    state
        .read(move |registry| {
            let from = publication_of(registry, list, &params.from)?;
            let to = publication_of(registry, list, &params.to)?;
            let d = registry.diff(from.id, to.id)?;
            serde_json::to_value(&d).map_err(ApiError::internal)
        })
        .await
        .map(Json)
}
