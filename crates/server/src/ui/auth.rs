//! Who may use the UI, by the API's rules.
//!
//! The server has two modes (see the crate docs): with no API key in the registry it listens on
//! loopback only and asks nobody to sign in ([`Access::Open`]); with keys, every page needs one.
//! A browser cannot send an `Authorization` header with a link or a form, so the UI asks for the
//! key once on a sign-in page and keeps it in a cookie that scripts cannot read (`HttpOnly`)
//! and that other sites cannot make the browser send (`SameSite=Strict`). Each request checks
//! the key again, so revoking it ends the session at once.
//!
//! State-changing requests (decisions, sign-in, sign-out) also refuse a cross-site origin
//! ([`same_origin`]): in loopback mode there is no cookie to protect them, and a page on
//! another site must not be able to post a decision to a server on the analyst's machine.

use super::layout::{self, Nav};
use super::UiError;
use crate::AppState;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Query, State};
use axum::http::header::{COOKIE, HOST, LOCATION, ORIGIN, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
pub(crate) use interdict_registry::Role;
use maud::html;
use serde::Deserialize;

/// The caller the server's authentication layer found for the request (absent when the UI's
/// router runs without it).
pub(crate) type MaybeCaller = Option<axum::Extension<crate::Caller>>;

/// The cookie holding the key.
const KEY_COOKIE: &str = "interdict_key";

/// How long a sign-in lasts (8 hours: a working day).
const SESSION_SECONDS: u32 = 8 * 3600;

/// Who is using the UI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    /// The registry holds no API key: loopback only, no sign-in, every action allowed.
    Open,
    /// Signed in with a key.
    Key {
        /// The key's name (whose or what it is for): recorded as who decided.
        name: String,
        /// What it may do.
        role: Role,
    },
}

impl Access {
    /// Whether this user may do what `role` may.
    pub(crate) fn allows(&self, role: Role) -> bool {
        match self {
            Access::Open => true,
            Access::Key { role: have, .. } => *have >= role,
        }
    }
}

/// What the registry says of a presented key.
enum KeyCheck {
    /// No valid key exists and the server is on loopback: no sign-in.
    NoKeys,
    /// The key is valid.
    Valid { name: String, role: Role },
    /// Keys exist, and this one (or none) is not among the valid ones.
    Refused,
}

/// Checks a token against the registry's API keys, as the API does: by the SHA-256 of the
/// token, among keys not revoked. The server's authentication layer has usually done this
/// already (see [`access`]); this is what the sign-in form and a router without that layer use.
async fn check_key(state: &AppState, token: Option<String>) -> Result<KeyCheck, UiError> {
    if state.is_open() {
        return Ok(KeyCheck::NoKeys);
    }
    let Some(token) = token else {
        return Ok(KeyCheck::Refused);
    };
    let hash = interdict_registry::token_hash(&token);
    let key = state
        .read(move |registry| {
            Ok(registry
                .api_keys()?
                .into_iter()
                .find(|k| k.hash == hash && k.revoked_at.is_none()))
        })
        .await?;
    Ok(match key {
        Some(k) => KeyCheck::Valid {
            name: k.name,
            role: k.role,
        },
        None => KeyCheck::Refused,
    })
}

/// The value of cookie `name` in the request, if sent.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Who is using the UI, or `None` when keys exist and no valid one was presented.
///
/// The caller found by the server's authentication layer is taken as it is (a key sent as a
/// header or as the session cookie; on an open server, everyone); without it, the session
/// cookie is checked here.
pub(crate) async fn access(
    state: &AppState,
    headers: &HeaderMap,
    caller: Option<&crate::Caller>,
) -> Result<Option<Access>, UiError> {
    if let Some(c) = caller {
        return Ok(Some(match c.key {
            None => Access::Open,
            Some(_) => Access::Key {
                name: c.name.clone(),
                role: c.role,
            },
        }));
    }
    Ok(match check_key(state, cookie(headers, KEY_COOKIE)).await? {
        KeyCheck::NoKeys => Some(Access::Open),
        KeyCheck::Valid { name, role } => Some(Access::Key { name, role }),
        KeyCheck::Refused => None,
    })
}

/// The access of a user allowed `role`; otherwise a redirect to the sign-in page (coming back
/// to `here` after) or, when signed in with a lesser role, 403.
pub(crate) async fn require(
    state: &AppState,
    headers: &HeaderMap,
    caller: Option<&crate::Caller>,
    role: Role,
    here: &str,
) -> Result<Access, UiError> {
    match access(state, headers, caller).await? {
        Some(a) if a.allows(role) => Ok(a),
        Some(Access::Key { role: have, .. }) => Err(UiError::forbidden(format!(
            "this needs the {} role; your key has the {} role",
            role.as_str(),
            have.as_str()
        ))),
        _ => Err(UiError::login(here)),
    }
}

/// Refuses a state-changing request sent from another site: its `Origin` must name this host,
/// or its `Sec-Fetch-Site` must say same-origin. Clients that send neither (scripts, curl) are
/// not browsers acting for another site.
pub(crate) fn same_origin(headers: &HeaderMap) -> Result<(), UiError> {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(origin) = header(ORIGIN.as_str()) {
        let host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
        return match header(HOST.as_str()) {
            Some(h) if h.eq_ignore_ascii_case(host) => Ok(()),
            _ => Err(UiError::forbidden("this form was sent from another site")),
        };
    }
    match header("sec-fetch-site") {
        None | Some("same-origin") | Some("none") => Ok(()),
        Some(_) => Err(UiError::forbidden("this form was sent from another site")),
    }
}

/// A path to go back to after signing in: only a local path (`/alerts`), never another site
/// (`//evil.example`, `https://…`).
pub(crate) fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.into(),
        _ => "/".into(),
    }
}

/// `?next=` of the sign-in page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

/// The sign-in form.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LoginForm {
    key: Option<String>,
    next: Option<String>,
}

fn login_form(next: &str, error: Option<&str>) -> maud::Markup {
    html! {
        h1 { "Sign in" }
        p { "This server requires an API key. Enter yours; it is kept in a cookie for this site until you sign out or for 8 hours." }
        @if let Some(e) = error {
            p.error role="alert" { (e) }
        }
        form.stack method="post" action="/login" {
            input type="hidden" name="next" value=(next);
            label for="key" { "API key" }
            input #key type="password" name="key" required autocomplete="current-password" spellcheck="false";
            button type="submit" { "Sign in" }
        }
    }
}

/// `GET /login`: the sign-in form (or a note that no sign-in is needed).
pub(crate) async fn login_page(
    State(state): State<AppState>,
    caller: MaybeCaller,
    headers: HeaderMap,
    query: Result<Query<NextQuery>, QueryRejection>,
) -> Result<Response, UiError> {
    let next = local_path(query.as_ref().ok().and_then(|q| q.next.as_deref()));
    let access = access(&state, &headers, caller.as_deref()).await?;
    let body = match &access {
        Some(Access::Open) => html! {
            h1 { "No sign-in needed" }
            p { "The registry holds no API key, so this server answers on loopback only and asks nobody to sign in." }
            p { a href=(next) { "Continue" } }
        },
        _ => login_form(&next, None),
    };
    Ok(
        Html(layout::page("Sign in", Nav::None, access.as_ref(), body).into_string())
            .into_response(),
    )
}

/// `POST /login`: checks the key and keeps it in the session cookie.
pub(crate) async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Result<Response, UiError> {
    same_origin(&headers)?;
    let form = form.map(|f| f.0).unwrap_or_default();
    let next = local_path(form.next.as_deref());
    let key = form
        .key
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty());
    // A token is `idk_` and hex digits: anything else cannot be a key, and must not reach a
    // Set-Cookie header.
    let plausible = key.as_deref().is_some_and(|k| {
        k.len() <= 128 && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    });
    let checked = if plausible {
        check_key(&state, key.clone()).await?
    } else {
        KeyCheck::Refused
    };
    match (checked, key) {
        (KeyCheck::NoKeys, _) => Ok(redirect(&next)),
        (KeyCheck::Valid { .. }, Some(token)) => {
            let mut response = redirect(&next);
            let cookie = format!(
                "{KEY_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_SECONDS}"
            );
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(SET_COOKIE, v);
            }
            Ok(response)
        }
        _ => {
            let body = login_form(&next, Some("That key is not valid (unknown or revoked)."));
            Ok((
                StatusCode::UNAUTHORIZED,
                Html(layout::page("Sign in", Nav::None, None, body).into_string()),
            )
                .into_response())
        }
    }
}

/// `POST /logout`: forgets the key.
pub(crate) async fn logout(headers: HeaderMap) -> Result<Response, UiError> {
    same_origin(&headers)?;
    let mut response = redirect("/");
    response.headers_mut().append(
        SET_COOKIE,
        HeaderValue::from_static("interdict_key=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    Ok(response)
}

/// 303 See Other to a local path: the answer to a form post, so reloading the next page does
/// not post again.
pub(crate) fn redirect(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read() {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_static("a=1; interdict_key=idk_12; b=2"),
        );
        assert_eq!(cookie(&h, KEY_COOKIE).as_deref(), Some("idk_12"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(
            local_path(Some("/alerts?status=open")),
            "/alerts?status=open"
        );
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn cross_site_posts_are_refused() {
        let mut h = HeaderMap::new();
        h.insert(HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h).is_ok());
        h.insert(ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&h).is_ok());
        h.insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(same_origin(&h).is_err());
        h.remove(ORIGIN);
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(same_origin(&h).is_err());
    }

    #[test]
    fn roles_are_ordered() {
        let viewer = Access::Key {
            name: "v".into(),
            role: Role::Viewer,
        };
        assert!(viewer.allows(Role::Viewer));
        assert!(!viewer.allows(Role::Analyst));
        assert!(Access::Open.allows(Role::Admin));
    }
}
