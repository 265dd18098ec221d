//! The JSON API under `/v1`, and the OpenAPI document describing it (with `/match`).
//!
//! One module per resource: `screen` (screening and type-ahead search), `entities`
//! (entities, histories, publications, diffs), `notices`, `alerts`, `admin` (ingest, keys).

pub(crate) mod admin;
pub(crate) mod alerts;
pub(crate) mod entities;
pub(crate) mod notices;
pub(crate) mod screen;

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
    components(schemas(crate::errors::ErrorBody, crate::errors::ErrorDetail)),
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
    }
}
