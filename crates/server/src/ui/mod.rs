//! The web UI: server-rendered pages for analysts (search, entity, lists and diffs, alert
//! review), served by the binary with every asset bundled.
//!
//! Handlers take `State<AppState>` like the API's (see the crate docs for the snapshot and the
//! registry) and call the registry and screening crates directly: a page is one or two registry
//! reads or one search, rendered with [`maud`], whose templates escape every interpolated value
//! (names come from the lists and must never be taken for markup).
//!
//! # Design
//!
//! - **Plain HTML first.** Every page works without JavaScript: forms are `GET` (search, diff)
//!   or `POST` with a redirect after success (decisions, login). The one script
//!   (`assets/app.js`) adds type-ahead suggestions to the search box and nothing else.
//! - **No network.** The stylesheet, script and icon are compiled into the binary
//!   ([`assets`]); no page refers to anything outside the server.
//! - **Errors are pages.** A UI request that fails gets an HTML page with the right status
//!   ([`UiError`]), not the API's JSON.
//! - **Same access rules as the API** ([`auth`]): with no API key in the registry the server
//!   only listens on loopback and the UI asks for no login; with keys, a key entered on the
//!   sign-in page (kept in an `HttpOnly` cookie, the one the server's authentication layer
//!   reads) is needed to read, and the analyst role to decide alerts. The caller that layer
//!   found is used as is; the UI checks the cookie itself only when it runs without it.
//!
//! # What the UI needs from the layers around it
//!
//! - The server's authentication layer guards the API; it lets the UI's paths through (with
//!   the caller it found, if any), so the sign-in page and its assets are reachable without a
//!   key and a page requested without one is answered by a redirect to the sign-in page.
//! - Error pages are HTML (`text/html`): a layer that gives errors their JSON shape should
//!   leave those alone.

mod alerts;
mod assets;
mod auth;
mod entity;
mod explain;
mod graph;
mod layout;
mod lists;
mod search;

use crate::{ApiError, AppState};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

/// The UI's routes, merged into the application by [`crate::router`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(search::page))
        .route("/search/suggest", get(search::suggest))
        .route("/entities/{list}/{id}", get(entity::page))
        .route("/lists", get(lists::page))
        .route("/lists/{list}/diff", get(lists::diff))
        .route("/alerts", get(alerts::queue))
        .route("/alerts/{id}/decision", post(alerts::decide))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/assets/style.css", get(assets::style))
        .route("/assets/app.js", get(assets::script))
        .route("/assets/favicon.svg", get(assets::favicon))
        .route("/favicon.ico", get(assets::favicon))
}

/// A UI request that failed: answered as an HTML page with this status and message.
#[derive(Debug)]
pub(crate) struct UiError {
    status: StatusCode,
    message: String,
    /// For a user who must sign in first: the page to come back to.
    login_then: Option<String>,
}

impl UiError {
    /// 400: what the user typed cannot be used (a bad date, an unknown list).
    fn bad_request(message: impl Into<String>) -> UiError {
        UiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            login_then: None,
        }
    }

    /// 404: no such entity, publication or alert.
    fn not_found(message: impl Into<String>) -> UiError {
        UiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
            login_then: None,
        }
    }

    /// 403: signed in, but the key's role does not allow this.
    fn forbidden(message: impl Into<String>) -> UiError {
        UiError {
            status: StatusCode::FORBIDDEN,
            message: message.into(),
            login_then: None,
        }
    }

    /// Not signed in (keys exist and none was presented): sent to the sign-in page, which
    /// comes back to `here`.
    fn login(here: &str) -> UiError {
        UiError {
            status: StatusCode::SEE_OTHER,
            message: "sign in first".into(),
            login_then: Some(here.to_string()),
        }
    }
}

/// Registry and screening failures reach the UI as [`ApiError`]s (from [`AppState::read`]):
/// their status and message are kept; internal details were already logged and replaced.
impl From<ApiError> for UiError {
    fn from(e: ApiError) -> UiError {
        UiError {
            status: e.status,
            message: e.message,
            login_then: None,
        }
    }
}

impl From<interdict_registry::RegistryError> for UiError {
    fn from(e: interdict_registry::RegistryError) -> UiError {
        ApiError::from(e).into()
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        if let Some(here) = &self.login_then {
            return auth::redirect(&format!("/login?next={}", layout::path_segment(here)));
        }
        let title = self
            .status
            .canonical_reason()
            .unwrap_or("Error")
            .to_string();
        let body = maud::html! {
            h1 { (title) }
            p.error role="alert" { (self.message) }
            p { a href="/" { "Back to search" } }
        };
        (
            self.status,
            Html(layout::page(&title, layout::Nav::None, None, body).into_string()),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn errors_are_html_pages_with_their_status() {
        let response = UiError::not_found("no <such> entity").into_response();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let kind = response.headers()[axum::http::header::CONTENT_TYPE].clone();
        assert!(kind.to_str().unwrap_or("").starts_with("text/html"));
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&body);
        assert!(text.starts_with("<!DOCTYPE html>"));
        assert!(text.contains("no &lt;such&gt; entity"));
    }

    #[test]
    fn sign_in_is_a_redirect() {
        let response = UiError::login("/alerts?x=1").into_response();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[axum::http::header::LOCATION],
            "/login?next=%2Falerts%3Fx%3D1"
        );
    }
}
