//! The JSON API under `/v1`, and the OpenAPI document describing it (with `/match`).
//!
//! One module per resource: `screen` (screening and type-ahead search), `entities`
//! (entities, histories, publications, diffs), `notices`, `alerts`, `admin` (ingest, keys).

pub(crate) mod admin;
pub(crate) mod alerts;
pub(crate) mod entities;
pub(crate) mod notices;
pub(crate) mod screen;

use serde::Serialize;
use utoipa::ToSchema;

/// A list id, as paths and parameters take it (for the OpenAPI document).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(dead_code)] // a schema only
pub(crate) enum ListName {
    /// OFAC SDN list.
    OfacSdn,
    /// OFAC Consolidated (non-SDN) list.
    OfacCons,
    /// UN Security Council Consolidated List.
    Un,
    /// Designation notices.
    Notice,
}

/// An alert status (for the OpenAPI document).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)] // a schema only
pub(crate) enum AlertStatusName {
    /// Raised, not decided.
    Open,
    /// Raised to a senior analyst.
    Escalated,
    /// Not the listed party.
    FalsePositive,
    /// The listed party.
    TrueMatch,
    /// Closed by monitoring (delisted, changed, removed).
    Closed,
}

/// A decision's status (for the OpenAPI document): an alert status but `closed`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)] // a schema only
pub(crate) enum DecisionStatusName {
    /// Back to open.
    Open,
    /// Raised to a senior analyst.
    Escalated,
    /// Not the listed party.
    FalsePositive,
    /// The listed party.
    TrueMatch,
}

/// A role (for the OpenAPI document).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)] // a schema only
pub(crate) enum RoleName {
    /// Screen, search, read.
    Viewer,
    /// A viewer who decides alerts.
    Analyst,
    /// An analyst who ingests, records notices and manages keys.
    Admin,
}

use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};
use axum::Router;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The routes under `/v1` (the paths here include the prefix).
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/screen", post(screen::screen))
        .route("/v1/search", get(screen::search))
        .route("/v1/entities/{list}/{id}", get(entities::entity))
        .route("/v1/entities/{list}/{id}/history", get(entities::history))
        .route("/v1/lists", get(entities::lists))
        .route("/v1/lists/{list}/diff", get(entities::diff))
        .route("/v1/notices", get(notices::list).post(notices::add))
        .route("/v1/notices/{id}", get(notices::get))
        .route("/v1/alerts", get(alerts::list))
        .route("/v1/alerts/{id}", get(alerts::get))
        .route(
            "/v1/alerts/{id}/decisions",
            get(alerts::decisions).post(alerts::decide),
        )
        .route(
            "/v1/ingest",
            post(admin::ingest).layer(DefaultBodyLimit::max(admin::MAX_UPLOAD)),
        )
        .route("/v1/keys", get(admin::keys).post(admin::add_key))
        .route("/v1/keys/{id}", delete(admin::revoke_key))
}

/// The OpenAPI document of every endpoint.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "interdict",
        description = "Sanctions designation registry and screening engine: screening (single \
                       and batch), type-ahead search, entities and their history, list \
                       publications and diffs, designation notices, monitoring alerts and \
                       decisions, and a yente-compatible matching endpoint. Every error is \
                       `{\"error\": {\"code\", \"message\"}}`."
    ),
    paths(
        screen::screen, screen::search,
        entities::entity, entities::history, entities::lists, entities::diff,
        notices::list, notices::get, notices::add,
        alerts::list, alerts::get, alerts::decisions, alerts::decide,
        admin::ingest, admin::keys, admin::add_key, admin::revoke_key,
        crate::yente::match_entities,
        crate::health::healthz, crate::health::readyz, crate::metrics::metrics,
    ),
    components(schemas(crate::errors::ErrorBody, crate::errors::ErrorDetail, ListName, AlertStatusName, DecisionStatusName, RoleName)),
    modifiers(&Security),
    tags(
        (name = "screening", description = "Screening names against the lists"),
        (name = "registry", description = "Entities, histories, publications, diffs"),
        (name = "notices", description = "Designations announced before any list carries them"),
        (name = "alerts", description = "Monitoring alerts and decisions"),
        (name = "administration", description = "Ingest and API keys (admin role)"),
        (name = "yente", description = "yente-compatible matching"),
        (name = "operations", description = "Health, readiness, metrics"),
    )
)]
pub struct ApiDoc;

struct Security;

/// Every error an operation can answer, whatever its handler: a request can always be
/// malformed, unauthenticated, too large, of the wrong content type or too slow. Each is the
/// JSON error body; the operations' own descriptions (more specific) are kept.
fn document_errors(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let generic = [
        (
            "400",
            "Malformed request (bad JSON, invalid UTF-8, a bad parameter)",
        ),
        ("401", "No valid API key"),
        ("403", "The key's role does not allow this"),
        ("404", "No such thing"),
        ("405", "Method not allowed on this path"),
        (
            "413",
            "Body over the limit (1 MiB; 256 MiB for uploads) or batch over 1,000",
        ),
        ("415", "Body without the content type this operation takes"),
        (
            "422",
            "Well-formed but not acceptable (fields of the wrong type or value)",
        ),
        ("500", "Internal error (logged on the server)"),
        (
            "503",
            "Not ready, or the request took longer than the timeout",
        ),
    ];
    for item in openapi.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            for (code, description) in generic {
                if operation.responses.responses.contains_key(code) {
                    continue;
                }
                let response = ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build();
                operation
                    .responses
                    .responses
                    .insert(code.to_string(), RefOr::T(response));
            }
        }
    }
}

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
        );
        document_errors(openapi);
    }
}
