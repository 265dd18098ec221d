//! `POST /v1/screen` (one query or a batch) and `GET /v1/search` (type-ahead).
//!
//! A query has the fields of a row of `interdict screen --input` (`id`, `name`, `type`, `dob`,
//! `country`, `identifiers`), validated by the same [`Row`]; each result is the row's output
//! line: `{"id", "matches": [...]}`, or `{"id", "error"}` for a batch row that cannot be
//! screened. Matches on designation notices carry `"notice"`: their designations' status on
//! the day, as `interdict screen --json` gives it.

use crate::extract::{JsonBody, QueryParams};
use crate::state::Snapshot;
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use interdict_matching::{Explanation, Match, SearchOptions};
use interdict_screening::Row;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

/// Most queries in one request: a larger batch belongs in `interdict screen --input`.
pub const MAX_BATCH: usize = 1000;

/// Most matches asked for per query.
pub const MAX_LIMIT: usize = 100;

/// Identifiers: a list, or one string with `;` between values (as in CSV input).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Identifiers {
    /// `["5892464", "A1234"]`
    List(Vec<String>),
    /// `"5892464;A1234"`
    Text(String),
}

/// One query: the fields of a batch screening row.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenQuery {
    /// Your reference for the query, echoed in its result (any JSON value).
    #[schema(value_type = Option<Object>)]
    pub id: Option<Value>,
    /// The name to screen.
    #[schema(example = "Nicolás Maduro")]
    pub name: Option<String>,
    /// `person`, `organization`, `vessel` or `aircraft`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Date of birth or incorporation: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub dob: Option<String>,
    /// Country: ISO 3166 code or name.
    pub country: Option<String>,
    /// Passport, national ID, IMO, BIC… numbers.
    pub identifiers: Option<Identifiers>,
}

/// `POST /v1/screen`: one query (its fields at the top level) or a batch (`queries`).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenRequest {
    /// The query's reference (single query).
    #[schema(value_type = Option<Object>)]
    pub id: Option<Value>,
    /// The name to screen (single query).
    #[schema(example = "Nicolás Maduro")]
    pub name: Option<String>,
    /// Entity type (single query).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Date of birth (single query).
    pub dob: Option<String>,
    /// Country (single query).
    pub country: Option<String>,
    /// Identifiers (single query).
    pub identifiers: Option<Identifiers>,
    /// A batch of at most 1,000 queries, instead of the fields above.
    #[schema(max_items = 1000)]
    pub queries: Option<Vec<ScreenQuery>>,
    /// Most matches per query (default 10, at most 100).
    #[schema(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// Screen against the lists and notices as they stood on this day (`YYYY-MM-DD`); today
    /// when absent.
    #[schema(format = Date, value_type = Option<String>)]
    pub as_of: Option<String>,
    /// Lowest score returned, in [0, 1] (default 0.81; 0 returns the best `limit` whatever
    /// their score).
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub threshold: Option<f64>,
}

/// One match: as in the output of `interdict screen --input`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ScreenMatch {
    /// List id (`ofac-sdn`, `un`, `notice`).
    pub list: String,
    /// Entity id on that list (`22790`).
    pub id: String,
    /// The entity's primary name.
    pub name: String,
    /// The listed name that matched.
    pub matched_name: String,
    /// Score in [0, 1].
    pub score: f64,
    /// Why: token pairs, rules applied, attributes compared (the scoring algorithm's own
    /// explanation, naming its version).
    #[schema(value_type = Object)]
    pub explanation: Explanation,
    /// For a designation notice: its designations' status on the day, its links.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub notice: Option<interdict_screening::NoticeAnnotation>,
}

/// The result of one query: `matches`, or `error` when the query cannot be screened.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ScreenResult {
    /// The query's `id` as given (`null` when absent).
    #[schema(value_type = Object)]
    pub id: Value,
    /// Best first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matches: Option<Vec<ScreenMatch>>,
    /// Why the query could not be screened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A list release screened against.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ListRef {
    /// List id.
    pub list: String,
    /// Publication id in the registry.
    pub publication_id: i64,
    /// Publication date.
    pub published: Option<String>,
}

/// `POST /v1/screen` answer: one result per query, in order.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ScreenResponse {
    /// One per query, in query order.
    pub results: Vec<ScreenResult>,
    /// The list releases screened against.
    pub lists: Vec<ListRef>,
    /// The day notice statuses are given for.
    pub notices_as_of: String,
}

pub(crate) fn list_refs(snapshot: &Snapshot) -> Vec<ListRef> {
    snapshot
        .publications
        .iter()
        .map(|p| ListRef {
            list: p.list.as_str().to_string(),
            publication_id: p.id.0,
            published: p.published.map(|d| d.to_string()),
        })
        .collect()
}

/// Checks a limit and a threshold.
pub(crate) fn search_options(
    limit: Option<usize>,
    threshold: Option<f64>,
) -> Result<SearchOptions, ApiError> {
    let defaults = SearchOptions::default();
    let limit = limit.unwrap_or(defaults.limit);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
            format!("limit {limit}: ask for 1 to {MAX_LIMIT} matches"),
        ));
    }
    let threshold = threshold.unwrap_or(defaults.threshold);
    if !(0.0..=1.0).contains(&threshold) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
            format!("threshold {threshold}: scores are between 0 and 1"),
        ));
    }
    Ok(SearchOptions { limit, threshold })
}

impl ScreenQuery {
    fn screen(
        &self,
        snapshot: &Snapshot,
        options: &SearchOptions,
    ) -> Result<Vec<ScreenMatch>, String> {
        let identifiers: Vec<&str> = match &self.identifiers {
            None => Vec::new(),
            Some(Identifiers::List(list)) => list.iter().map(String::as_str).collect(),
            Some(Identifiers::Text(text)) => interdict_screening::split_identifiers(text).collect(),
        };
        let row = Row {
            name: self.name.as_deref(),
            kind: self.kind.as_deref(),
            dob: self.dob.as_deref(),
            country: self.country.as_deref(),
            identifiers,
        };
        let query = row.to_query().map_err(|e| e.to_string())?;
        let matches = interdict_screening::screen_one(&snapshot.index, &query, options);
        Ok(matches.into_iter().map(|m| annotate(snapshot, m)).collect())
    }
}

/// A match as answered, with its notice annotation.
pub(crate) fn annotate(snapshot: &Snapshot, m: Match) -> ScreenMatch {
    let notice = snapshot.annotation(&m.list, &m.id).cloned();
    ScreenMatch {
        list: m.list,
        id: m.id,
        name: m.name,
        matched_name: m.matched_name,
        score: m.score,
        explanation: m.explanation,
        notice,
    }
}

/// Screens one query or a batch against the current lists and notices.
#[utoipa::path(post, path = "/v1/screen", tag = "screening",
    request_body = ScreenRequest,
    responses(
        (status = 200, description = "One result per query, in order", body = ScreenResponse),
        (status = 400, description = "Malformed JSON or invalid UTF-8", body = crate::errors::ErrorBody),
        (status = 401, description = "No valid API key", body = crate::errors::ErrorBody),
        (status = 413, description = "Body over 1 MiB or more than 1,000 queries", body = crate::errors::ErrorBody),
        (status = 422, description = "A single query that cannot be screened, or fields of the wrong type", body = crate::errors::ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn screen(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<ScreenRequest>,
) -> Result<Json<ScreenResponse>, ApiError> {
    let options = search_options(request.limit, request.threshold)?;
    let snapshot = match super::entities::date("as_of", request.as_of.as_deref())? {
        Some(day) => state.snapshot_as_of(day).await?,
        None => state.snapshot(),
    };
    match request.queries {
        Some(queries) => {
            let single_fields = request.name.is_some()
                || request.kind.is_some()
                || request.dob.is_some()
                || request.country.is_some()
                || request.identifiers.is_some()
                || request.id.is_some();
            if single_fields {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_request",
                    "give either `queries` (a batch) or the fields of one query, not both",
                ));
            }
            if queries.len() > MAX_BATCH {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "batch_too_large",
                    format!(
                        "{} queries: a request screens at most {MAX_BATCH}; split the batch, or \
                         screen large files with `interdict screen --input`",
                        queries.len()
                    ),
                ));
            }
            let results = state
                .compute(move || batch(&snapshot, queries, &options))
                .await?;
            Ok(Json(results))
        }
        None => {
            let query = ScreenQuery {
                id: request.id,
                name: request.name,
                kind: request.kind,
                dob: request.dob,
                country: request.country,
                identifiers: request.identifiers,
            };
            let answered = Arc::clone(&snapshot);
            let matches = state
                .compute(move || query.screen(&answered, &options).map(|m| (query.id, m)))
                .await?;
            let (id, matches) = matches.map_err(|message| {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_query", message)
            })?;
            Ok(Json(ScreenResponse {
                results: vec![ScreenResult {
                    id: id.unwrap_or(Value::Null),
                    matches: Some(matches),
                    error: None,
                }],
                lists: list_refs(&snapshot),
                notices_as_of: snapshot.notices.day().to_string(),
            }))
        }
    }
}

/// Screens a batch, every query on its own (a bad one gets an `error`, the others go on).
fn batch(
    snapshot: &Snapshot,
    queries: Vec<ScreenQuery>,
    options: &SearchOptions,
) -> ScreenResponse {
    let results = queries
        .into_par_iter()
        .map(|q| match q.screen(snapshot, options) {
            Ok(matches) => ScreenResult {
                id: q.id.unwrap_or(Value::Null),
                matches: Some(matches),
                error: None,
            },
            Err(error) => ScreenResult {
                id: q.id.unwrap_or(Value::Null),
                matches: None,
                error: Some(error),
            },
        })
        .collect();
    ScreenResponse {
        results,
        lists: list_refs(snapshot),
        notices_as_of: snapshot.notices.day().to_string(),
    }
}

/// `GET /v1/search` parameters.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What has been typed so far.
    pub q: String,
    /// Most results (default 10, at most 100).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
}

/// One type-ahead result.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SearchHit {
    /// List id.
    pub list: String,
    /// Entity id.
    pub id: String,
    /// Primary name.
    pub name: String,
    /// The name that matched.
    pub matched_name: String,
    /// Score in [0, 1].
    pub score: f64,
}

/// `GET /v1/search` answer.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    /// The text searched.
    pub q: String,
    /// Best first.
    pub results: Vec<SearchHit>,
}

/// Lowest score a type-ahead result needs: lower than screening's, since a name being typed
/// is incomplete.
const SEARCH_THRESHOLD: f64 = 0.5;

/// Type-ahead search over the current lists and notices: names only, no explanations.
#[utoipa::path(get, path = "/v1/search", tag = "screening", params(SearchParams),
    responses(
        (status = 200, description = "Best first", body = SearchResponse),
        (status = 400, description = "Missing `q`", body = crate::errors::ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn search(
    State(state): State<AppState>,
    QueryParams(params): QueryParams<SearchParams>,
) -> Result<Json<SearchResponse>, ApiError> {
    let options = search_options(params.limit, Some(SEARCH_THRESHOLD))?;
    let q = params.q.trim().to_string();
    if q.is_empty() {
        return Ok(Json(SearchResponse {
            q,
            results: Vec::new(),
        }));
    }
    let snapshot = state.snapshot();
    let text = q.clone();
    let results = state
        .compute(move || {
            let row = Row {
                name: Some(&text),
                ..Row::default()
            };
            let Ok(query) = row.to_query() else {
                return Vec::new();
            };
            interdict_screening::screen_one(&snapshot.index, &query, &options)
                .into_iter()
                .map(|m| SearchHit {
                    list: m.list,
                    id: m.id,
                    name: m.name,
                    matched_name: m.matched_name,
                    score: m.score,
                })
                .collect()
        })
        .await?;
    Ok(Json(SearchResponse { q, results }))
}
