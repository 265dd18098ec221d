//! Who is calling: API keys and roles.
//!
//! A request names its key as `Authorization: Bearer TOKEN` (or `ApiKey TOKEN`, as yente's
//! clients send it) or `X-API-Key: TOKEN` (or, for
//! browsers on the web UI, an `interdict_key` cookie). The token's SHA-256 is looked up in the
//! keys read from the registry ([`KeyTable`], kept in memory and re-read when keys change here
//! or every few seconds for changes made by the command line), so checking a key costs no
//! database access.
//!
//! Rules, checked by [`authenticate`] before any handler runs:
//! - the health checks, the OpenAPI document and its viewer are public; the web UI checks
//!   keys itself (same rules, with a sign-in page), given the [`Caller`] found here;
//! - a server on a loopback address with no valid key in the registry serves everyone (it said
//!   so at start);
//! - otherwise a request without a valid key gets 401, and a handler that needs more than
//!   reading checks the caller's role ([`Caller::require`]): 403 when it falls short.

use crate::{ApiError, AppState};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use interdict_registry::{ContentHash, Registry, RegistryError, Role};
use std::collections::HashMap;

/// The valid keys, by the SHA-256 of their token.
#[derive(Debug, Default)]
pub(crate) struct KeyTable {
    by_hash: HashMap<ContentHash, Caller>,
}

impl KeyTable {
    /// The valid (unrevoked) keys of the registry.
    pub(crate) fn read(registry: &Registry) -> Result<KeyTable, RegistryError> {
        let by_hash = registry
            .api_keys()?
            .into_iter()
            .filter(|k| k.revoked_at.is_none())
            .map(|k| {
                let caller = Caller {
                    key: Some(k.id),
                    name: k.name,
                    role: k.role,
                };
                (k.hash, caller)
            })
            .collect();
        Ok(KeyTable { by_hash })
    }

    /// True when at least one key is valid.
    pub(crate) fn any_valid(&self) -> bool {
        !self.by_hash.is_empty()
    }

    fn caller(&self, token: &str) -> Option<&Caller> {
        self.by_hash.get(&interdict_registry::token_hash(token))
    }
}

/// The caller of a request, as the handlers see it (`Caller` is an extractor).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The key's id; `None` on an open (loopback, keyless) server.
    pub key: Option<i64>,
    /// The key's name (`local` on an open server), recorded as who made a decision.
    pub name: String,
    /// What the caller may do (an open server gives everyone `admin`).
    pub role: Role,
}

impl Caller {
    /// `Ok` when the caller's role is `role` or above, else 403.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!(
                    "this needs the {role} role; the key {:?} has the {} role",
                    self.name, self.role
                ),
            ))
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| unauthorized("this needs an API key"))
    }
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
}

/// Paths this middleware guards: the API, the yente endpoint and the metrics. The health
/// checks and the API description are public, and the web UI applies the same rules itself
/// (its sign-in page must be reachable without a key).
fn is_guarded(path: &str) -> bool {
    path == "/v1" || path.starts_with("/v1/") || path.starts_with("/match/") || path == "/metrics"
}

/// The token a request carries, if any.
fn token(request: &Request) -> Option<&str> {
    let headers = request.headers();
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let value = value.to_str().ok()?.trim();
        let (scheme, token) = value.split_once(' ')?;
        // `ApiKey` is the scheme yente's clients send.
        return (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("apikey"))
            .then_some(token.trim());
    }
    if let Some(value) = headers.get("x-api-key") {
        return value.to_str().ok().map(str::trim);
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("interdict_key="))
}

/// The authentication middleware (see the module docs).
pub(crate) async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let keys = state.keys();
    let given = token(&request).map(str::to_owned);
    let caller = match &given {
        Some(token) => keys.caller(token).cloned(),
        None if state.is_open() => Some(Caller {
            key: None,
            name: "local".into(),
            role: Role::Admin,
        }),
        None => None,
    };
    let guarded = is_guarded(request.uri().path());
    match caller {
        Some(caller) => {
            request.extensions_mut().insert(caller);
        }
        None if !guarded => {}
        None if given.is_some() => return Err(unauthorized("unknown or revoked API key")),
        None => {
            return Err(unauthorized(
                "this needs an API key: send `Authorization: Bearer TOKEN` or `X-API-Key: TOKEN`",
            ))
        }
    }
    Ok(next.run(request).await)
}
