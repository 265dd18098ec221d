//! `POST /match/{dataset}`: the matching endpoint of yente (OpenSanctions' API), so that a
//! client written for yente screens against interdict unchanged.
//!
//! The request is yente's: `{"queries": {"q1": {"schema": "Person", "properties": {"name":
//! [...], "birthDate": [...], "nationality": [...], "country": [...], "idNumber": [...]}}}}`
//! (a property may be a string or a list), with the query parameters `threshold`, `limit`,
//! `cutoff` and `algorithm`. The answer is yente's: `{"responses": {"q1": {"status": 200,
//! "results": [...], "total": {"value", "relation"}, "query": {...}}}, "matcher": {...},
//! "limit": N}`, each result an entity in FollowTheMoney form (`id`, `caption`, `schema`,
//! `properties`, `datasets`) with `score`, `match` (score ≥ threshold), `features` and
//! `explanations`.
//!
//! Datasets: `default` (and yente's `sanctions`) are every list; a list id (`ofac-sdn`,
//! `ofac-cons`, `un`, `notice`) or yente's name for the same list (`us_ofac_sdn`,
//! `us_ofac_cons`, `un_sc_sanctions`) is that list alone. Entity ids are `list:id`.
//!
//! Scores are interdict's (`name-v16` with attributes), whatever `algorithm` asks for: the
//! answer names the algorithm used in `matcher`.

use crate::extract::{JsonBody, PathParams, QueryParams};
use crate::state::Snapshot;
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use interdict_matching::{Match, SearchOptions};
use interdict_model::{Entity, EntityKind, IdentifierKind};
use interdict_screening::Row;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use utoipa::{IntoParams, ToSchema};

/// Most queries in one request (as `POST /v1/screen`).
const MAX_QUERIES: usize = super::api::screen::MAX_BATCH;

/// yente's default threshold for `match`.
const DEFAULT_THRESHOLD: f64 = 0.7;
/// yente's default cutoff: results scoring less are not returned.
const DEFAULT_CUTOFF: f64 = 0.5;
/// yente's default limit.
const DEFAULT_LIMIT: usize = 5;

/// Query parameters of `POST /match/{dataset}` (yente's).
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchParams {
    /// Score from which a result is a `match` (default 0.7).
    #[param(minimum = 0.0, maximum = 1.0)]
    pub threshold: Option<f64>,
    /// Lowest score returned (default 0.5).
    #[param(minimum = 0.0, maximum = 1.0)]
    pub cutoff: Option<f64>,
    /// Most results per query (default 5, at most 100).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// The algorithm asked for; interdict always scores with its own (named in `matcher`).
    pub algorithm: Option<String>,
}

/// One query: a FollowTheMoney entity example.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct EntityExample {
    /// Your id for it (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `Person`, `Organization`, `Company`, `LegalEntity`, `Vessel`, `Airplane`, `Thing`.
    #[schema(example = "Person")]
    pub schema: String,
    /// `name`, `birthDate`, `nationality`, `country`, `idNumber`, `passportNumber`,
    /// `registrationNumber`, `imoNumber`…: each a string or a list of strings.
    #[schema(value_type = Object, example = json!({"name": ["Nicolas Maduro"], "birthDate": ["1962-11-23"], "nationality": ["ve"]}))]
    pub properties: Map<String, Value>,
}

/// `POST /match/{dataset}` body (yente's `EntityMatchQuery`).
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct EntityMatchQuery {
    /// Queries by your key (`q1`).
    pub queries: BTreeMap<String, EntityExample>,
    /// Feature weights (accepted for compatibility, not used).
    #[serde(default)]
    #[schema(value_type = Object)]
    #[allow(dead_code)] // accepted so that yente clients sending weights are not refused
    pub weights: Map<String, Value>,
}

/// yente's `total`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TotalSpec {
    /// Results.
    pub value: usize,
    /// Always `eq`.
    pub relation: String,
}

/// One scored entity (yente's `ScoredEntityResponse`).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ScoredEntity {
    /// `list:id` (`ofac-sdn:22790`).
    pub id: String,
    /// Primary name.
    pub caption: String,
    /// FollowTheMoney schema.
    pub schema: String,
    /// FollowTheMoney properties, each a list of strings.
    #[schema(value_type = Object)]
    pub properties: BTreeMap<&'static str, Vec<String>>,
    /// The list it is on.
    pub datasets: Vec<String>,
    /// Other ids (none).
    pub referents: Vec<String>,
    /// Always true: every listed party is a sanctions target.
    pub target: bool,
    /// Score in [0, 1].
    pub score: f64,
    /// Score at or above the threshold.
    #[serde(rename = "match")]
    pub is_match: bool,
    /// Feature values: `name` (the name score), and for each attribute compared its effect.
    #[schema(value_type = Object)]
    pub features: BTreeMap<String, f64>,
    /// Per feature, what was compared.
    #[schema(value_type = Object)]
    pub explanations: BTreeMap<String, Value>,
    /// The last list release holding it (`YYYY-MM-DD`).
    pub last_seen: Option<String>,
}

/// The answer to one query (yente's `EntityMatches`).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EntityMatches {
    /// 200, or 400 for a query that cannot be screened (no name).
    pub status: u16,
    /// Best first.
    pub results: Vec<ScoredEntity>,
    /// How many.
    pub total: TotalSpec,
    /// The query as received.
    pub query: EntityExample,
    /// Why the query could not be screened (status 400).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// `POST /match/{dataset}` answer (yente's `EntityMatchResponse`).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EntityMatchResponse {
    /// By query key.
    pub responses: BTreeMap<String, EntityMatches>,
    /// The algorithm and its features.
    #[schema(value_type = Object)]
    pub matcher: Value,
    /// The limit applied.
    pub limit: usize,
}

/// The lists a dataset name stands for; `None` for every list.
fn dataset_lists(dataset: &str) -> Result<Option<&'static str>, ApiError> {
    Ok(match dataset {
        "default" | "sanctions" | "all" => None,
        "ofac-sdn" | "us_ofac_sdn" => Some("ofac-sdn"),
        "ofac-cons" | "us_ofac_cons" => Some("ofac-cons"),
        "un" | "un_sc_sanctions" => Some("un"),
        "notice" => Some("notice"),
        other => {
            return Err(ApiError::not_found(format!(
                "no dataset {other:?}: use default, ofac-sdn, ofac-cons, un or notice"
            )))
        }
    })
}

/// The strings of a property (a string or a list; other values are ignored).
fn strings<'a>(properties: &'a Map<String, Value>, key: &str) -> Vec<&'a str> {
    match properties.get(key) {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn schema_kind(schema: &str) -> Option<&'static str> {
    match schema {
        "Person" => Some("person"),
        "Organization" | "Company" | "PublicBody" => Some("organization"),
        "Vessel" => Some("vessel"),
        "Airplane" => Some("aircraft"),
        _ => None,
    }
}

fn entity_schema(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "Person",
        EntityKind::Organization => "Organization",
        EntityKind::Vessel => "Vessel",
        EntityKind::Aircraft => "Airplane",
        #[allow(unreachable_patterns)]
        _ => "LegalEntity",
    }
}

/// Screens one example: every name it gives, merged by entity (best score kept).
fn screen_example(
    snapshot: &Snapshot,
    example: &EntityExample,
    only: Option<&str>,
    options: &SearchOptions,
) -> Result<Vec<Match>, String> {
    let props = &example.properties;
    let mut names = strings(props, "name");
    let full = [strings(props, "firstName"), strings(props, "lastName")]
        .concat()
        .join(" ");
    if names.is_empty() && !full.trim().is_empty() {
        names.push(&full);
    }
    if names.is_empty() {
        return Err("the query has no name (properties.name)".into());
    }
    let dob = strings(props, "birthDate")
        .into_iter()
        .chain(strings(props, "incorporationDate"))
        .next();
    let country = ["nationality", "country", "citizenship", "jurisdiction"]
        .iter()
        .flat_map(|k| strings(props, k))
        .next();
    let identifiers: Vec<&str> = [
        "idNumber",
        "passportNumber",
        "registrationNumber",
        "taxNumber",
        "imoNumber",
        "swiftBic",
        "innCode",
        "ogrnCode",
    ]
    .iter()
    .flat_map(|k| strings(props, k))
    .collect();
    // A list filter looks further down the ranking, then keeps that list's results.
    let wide = SearchOptions {
        limit: if only.is_some() {
            options.limit * 4
        } else {
            options.limit
        },
        threshold: options.threshold,
    };
    let mut best: HashMap<(String, String), Match> = HashMap::new();
    for name in names.iter().take(10) {
        let row = Row {
            name: Some(name),
            kind: schema_kind(&example.schema),
            // A date yente accepts (`1962`, `1962-11`, `1962-11-23`) is one interdict accepts;
            // a longer timestamp keeps its date.
            dob: dob.map(|d| d.get(..10).unwrap_or(d)),
            country,
            identifiers: identifiers.clone(),
        };
        let query = row.to_query().map_err(|e| e.to_string())?;
        for m in interdict_screening::screen_one(&snapshot.index, &query, &wide) {
            if only.is_some_and(|l| l != m.list) {
                continue;
            }
            let key = (m.list.clone(), m.id.clone());
            match best.get(&key) {
                Some(b) if b.score >= m.score => {}
                _ => {
                    best.insert(key, m);
                }
            }
        }
    }
    let mut matches: Vec<Match> = best.into_values().collect();
    matches.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    matches.truncate(options.limit);
    Ok(matches)
}

/// The FollowTheMoney properties of an entity.
fn properties(e: &Entity) -> BTreeMap<&'static str, Vec<String>> {
    let mut p: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut put = |k: &'static str, v: String| {
        let values = p.entry(k).or_default();
        if !v.is_empty() && !values.contains(&v) {
            values.push(v);
        }
    };
    for (i, n) in e.names.iter().enumerate() {
        put(if i == 0 { "name" } else { "alias" }, n.full.clone());
    }
    for d in &e.birth_dates {
        put(
            if e.kind == EntityKind::Person {
                "birthDate"
            } else {
                "incorporationDate"
            },
            d.date.to_string(),
        );
    }
    for b in &e.birth_places {
        put("birthPlace", b.clone());
    }
    for n in &e.nationalities {
        put("nationality", n.clone());
    }
    for c in &e.citizenships {
        put("citizenship", c.clone());
    }
    for a in &e.addresses {
        if let Some(c) = &a.country {
            put("country", c.clone());
        }
    }
    for i in &e.identifiers {
        let key = match i.kind {
            IdentifierKind::Passport => "passportNumber",
            IdentifierKind::Registration => "registrationNumber",
            IdentifierKind::TaxId => "taxNumber",
            IdentifierKind::Imo => "imoNumber",
            IdentifierKind::SwiftBic => "swiftBic",
            IdentifierKind::Email => "email",
            IdentifierKind::Website => "website",
            IdentifierKind::Phone => "phone",
            _ => "idNumber",
        };
        put(key, i.value.clone());
    }
    for pos in &e.positions {
        put("position", pos.clone());
    }
    for d in &e.designations {
        put("program", d.program.clone());
    }
    for r in &e.remarks {
        put("notes", r.clone());
    }
    p.retain(|_, v| !v.is_empty());
    p
}

fn scored(snapshot: &Snapshot, m: Match, threshold: f64) -> ScoredEntity {
    let x = &m.explanation;
    let mut features = BTreeMap::new();
    let mut explanations = BTreeMap::new();
    features.insert("name".to_string(), x.name_score);
    explanations.insert(
        "name".to_string(),
        json!({
            "detail": format!("matched {:?} ({})", x.matched_name, x.algorithm),
            "score": x.name_score,
            "pairs": x.pairs,
        }),
    );
    for a in &x.attributes {
        let name = serde_json::to_value(a.attribute)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "attribute".into());
        features.insert(name.clone(), a.effect);
        explanations.insert(
            name,
            json!({
                "detail": format!("{} vs {}", a.query, a.listed),
                "score": a.effect,
                "agreement": a.agreement,
            }),
        );
    }
    let key = format!("{}:{}", m.list, m.id);
    let entity = snapshot.entities.get(&key);
    let last_seen = snapshot
        .publications
        .iter()
        .find(|p| p.list.as_str() == m.list)
        .and_then(|p| p.published.map(|d| d.to_string()));
    ScoredEntity {
        schema: entity
            .map(|e| entity_schema(e.kind))
            .unwrap_or("LegalEntity")
            .to_string(),
        properties: entity.map(properties).unwrap_or_default(),
        caption: m.name,
        datasets: vec![m.list],
        referents: Vec::new(),
        target: true,
        is_match: m.score >= threshold,
        score: m.score,
        features,
        explanations,
        last_seen,
        id: key,
    }
}

/// Matches FollowTheMoney entity examples against the lists, answering in yente's shape.
#[utoipa::path(post, path = "/match/{dataset}", tag = "yente",
    params(("dataset" = String, Path, description = "default (every list), ofac-sdn, ofac-cons, un, notice, or yente's names us_ofac_sdn, us_ofac_cons, un_sc_sanctions"), MatchParams),
    request_body = EntityMatchQuery,
    responses(
        (status = 200, description = "One response per query key", body = EntityMatchResponse),
        (status = 400, description = "Malformed JSON", body = crate::errors::ErrorBody),
        (status = 404, description = "Unknown dataset", body = crate::errors::ErrorBody),
        (status = 413, description = "More than 1,000 queries", body = crate::errors::ErrorBody),
        (status = 422, description = "Bad parameters or body shape", body = crate::errors::ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn match_entities(
    State(state): State<AppState>,
    PathParams(dataset): PathParams<String>,
    QueryParams(params): QueryParams<MatchParams>,
    JsonBody(body): JsonBody<EntityMatchQuery>,
) -> Result<Json<EntityMatchResponse>, ApiError> {
    let only = dataset_lists(&dataset)?;
    let threshold = params.threshold.unwrap_or(DEFAULT_THRESHOLD);
    let cutoff = params.cutoff.unwrap_or(DEFAULT_CUTOFF);
    for (name, v) in [("threshold", threshold), ("cutoff", cutoff)] {
        if !(0.0..=1.0).contains(&v) {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_request",
                format!("{name} {v}: scores are between 0 and 1"),
            ));
        }
    }
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    let options = super::api::screen::search_options(Some(limit), Some(cutoff))?;
    if body.queries.len() > MAX_QUERIES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "batch_too_large",
            format!(
                "{} queries: a request matches at most {MAX_QUERIES}",
                body.queries.len()
            ),
        ));
    }
    let snapshot = state.snapshot();
    let responses = state
        .compute(move || {
            body.queries
                .into_iter()
                .map(|(key, example)| {
                    let answer = match screen_example(&snapshot, &example, only, &options) {
                        Ok(matches) => {
                            let results: Vec<ScoredEntity> = matches
                                .into_iter()
                                .map(|m| scored(&snapshot, m, threshold))
                                .collect();
                            EntityMatches {
                                status: 200,
                                total: TotalSpec {
                                    value: results.len(),
                                    relation: "eq".into(),
                                },
                                results,
                                query: example,
                                detail: None,
                            }
                        }
                        Err(detail) => EntityMatches {
                            status: 400,
                            results: Vec::new(),
                            total: TotalSpec {
                                value: 0,
                                relation: "eq".into(),
                            },
                            query: example,
                            detail: Some(detail),
                        },
                    };
                    (key, answer)
                })
                .collect::<BTreeMap<_, _>>()
        })
        .await?;
    Ok(Json(EntityMatchResponse {
        responses,
        matcher: json!({
            "name": "interdict",
            "requested": params.algorithm,
            "features": {
                "name": {"description": "name score of the versioned name algorithm", "coefficient": 1.0},
                "date_of_birth": {"description": "added to the score by the date of birth comparison", "coefficient": 1.0},
                "country": {"description": "added to the score by the country comparison", "coefficient": 1.0},
                "identifier": {"description": "added to the score by an identifier comparison", "coefficient": 1.0},
                "entity_type": {"description": "added to the score by the entity type comparison", "coefficient": 1.0},
            },
        }),
        limit,
    }))
}
