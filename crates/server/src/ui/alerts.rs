//! The alert review queue (`/alerts`) and decisions on alerts
//! (`POST /alerts/{id}/decision`).
//!
//! Pending alerts (open and escalated) come first, each with the customer, the listed party,
//! the score and its explanation, and a form to decide it: false positive, true match or
//! escalate, with a reason. Decisions go through [`Registry::decide_alert`], the call
//! `interdict alerts decide` makes, so each is kept as history and appended to the audit log in
//! the same transaction. Who decided is the signed-in key's name; in loopback mode, without
//! keys, the analyst types a name once (kept in a cookie for the next decisions).
//!
//! [`Registry::decide_alert`]: interdict_registry::Registry::decide_alert

use super::auth::{self, Access, Role};
use super::layout::{self, Nav};
use super::{explain, UiError};
use crate::AppState;
use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use interdict_registry::{
    Alert, AlertId, AlertStatus, PublicationId, PublicationInfo, RegistryError,
};
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;

/// The cookie remembering the analyst's name in loopback mode.
const NAME_COOKIE: &str = "interdict_analyst";

/// Pending alerts shown, in queue order: a page of work, however long the queue (the first
/// screening of a large book can raise thousands).
const PENDING_SHOWN: usize = 200;

/// Decided and closed alerts shown under the queue, newest first.
const HISTORY_SHOWN: usize = 50;

/// `?decided=ID` after a decision, to confirm it.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueueQuery {
    decided: Option<String>,
}

/// `GET /alerts`.
pub(crate) async fn queue(
    State(state): State<AppState>,
    caller: auth::MaybeCaller,
    headers: HeaderMap,
    query: Result<Query<QueueQuery>, QueryRejection>,
) -> Result<Html<String>, UiError> {
    let access =
        auth::require(&state, &headers, caller.as_deref(), Role::Viewer, "/alerts").await?;
    let decided = query
        .ok()
        .and_then(|q| q.0.decided)
        .and_then(|d| d.trim().parse::<i64>().ok());
    let (alerts, publications) = state
        .read(|registry| {
            let alerts = registry.alerts(None)?;
            let mut publications: HashMap<PublicationId, PublicationInfo> = HashMap::new();
            for id in alerts.iter().filter_map(|a| a.found.publication) {
                if let std::collections::hash_map::Entry::Vacant(slot) = publications.entry(id) {
                    if let Some(p) = registry.publication(id)? {
                        slot.insert(p);
                    }
                }
            }
            Ok((alerts, publications))
        })
        .await?;
    let name = auth::cookie(&headers, NAME_COOKIE).map(|n| percent_decode(&n));
    let can_decide = access.allows(Role::Analyst);
    let mut pending: Vec<&Alert> = alerts.iter().filter(|a| a.status.is_pending()).collect();
    // Escalated alerts first: someone asked for a second look.
    pending.sort_by_key(|a| (a.status != AlertStatus::Escalated, a.id));
    let mut done: Vec<&Alert> = alerts.iter().filter(|a| !a.status.is_pending()).collect();
    done.sort_by_key(|a| std::cmp::Reverse(a.updated_at));
    let confirmed = decided.and_then(|id| alerts.iter().find(|a| a.id.0 == id));
    let ctx = Ctx {
        publications: &publications,
        can_decide,
        ask_name: matches!(access, Access::Open),
        name: name.as_deref(),
    };
    let body = html! {
        h1 { "Alerts" }
        @if let Some(a) = confirmed {
            @if let Some(d) = a.decisions.last() {
                p.banner.listed role="status" {
                    "Recorded: alert " a href=(format!("#alert-{}", a.id)) { (a.id) } " is now "
                    strong { (label(a.status)) } ", decided by " (d.by) " at " (layout::timestamp(d.at)) "."
                }
            }
        }
        p {
            (pending.len()) " pending (open or escalated), " (alerts.len() - pending.len()) " decided or closed. "
            "Monitoring raises an alert when a list update or a new customer makes a customer match a listed party."
        }
        @if !can_decide {
            p.muted { "Your key has the viewer role: deciding alerts needs the analyst role." }
        }
        section aria-labelledby="pending" {
            h2 #pending { "To review" }
            @if pending.is_empty() {
                p.muted { "Nothing to review." }
            }
            @for a in pending.iter().take(PENDING_SHOWN) { (alert(a, &ctx, true)) }
            @if pending.len() > PENDING_SHOWN {
                p.muted { (pending.len() - PENDING_SHOWN) " more pending: decide these first, or list them all with " code { "interdict alerts --status open" } "." }
            }
        }
        @if !done.is_empty() {
            section aria-labelledby="done" {
                h2 #done { "Decided and closed" }
                @for a in done.iter().take(HISTORY_SHOWN) { (alert(a, &ctx, false)) }
                @if done.len() > HISTORY_SHOWN {
                    p.muted { (done.len() - HISTORY_SHOWN) " older ones not shown (" code { "interdict alerts" } " lists them all)." }
                }
            }
        }
    };
    Ok(Html(
        layout::page("Alerts", Nav::Alerts, Some(&access), body).into_string(),
    ))
}

/// What every alert of the page needs.
struct Ctx<'a> {
    publications: &'a HashMap<PublicationId, PublicationInfo>,
    can_decide: bool,
    /// Loopback mode: the form asks who is deciding.
    ask_name: bool,
    /// The name given last time, in loopback mode.
    name: Option<&'a str>,
}

/// A status in words.
fn label(status: AlertStatus) -> &'static str {
    match status {
        AlertStatus::Open => "open",
        AlertStatus::Escalated => "escalated",
        AlertStatus::FalsePositive => "false positive",
        AlertStatus::TrueMatch => "true match",
        AlertStatus::Closed => "closed",
    }
}

fn alert(a: &Alert, ctx: &Ctx, pending: bool) -> Markup {
    let f = &a.found;
    let title = format!("alert-{}-title", a.id);
    let origin = match f.publication.and_then(|p| ctx.publications.get(&p)) {
        Some(p) => format!(
            "{} of {} {}",
            f.trigger.as_str(),
            p.list,
            layout::date_or_dash(p.published)
        ),
        None => f.trigger.as_str().to_string(),
    };
    html! {
        article.alert #(format!("alert-{}", a.id)) aria-labelledby=(title) {
            header {
                h3 #(title) {
                    "Alert " (a.id) " "
                    span class=(format!("status alert-{}", a.status.as_str())) { (label(a.status)) }
                    @if let Some(r) = a.closed_reason { " " span.muted { "(" (r.as_str().replace('_', " ")) ")" } }
                }
                (layout::score_bar(f.score))
            }
            dl.alert-facts {
                dt { "Customer" } dd { code { (f.customer) } " " span dir="auto" { (f.customer_name) } }
                dt { "Listed party" } dd { (layout::entity_link(&f.list, &f.entity_id, None)) " " span dir="auto" { (f.entity_name) } }
                dt { "Matched name" } dd dir="auto" { (f.matched_name) }
                dt { "Raised" } dd { (layout::timestamp(a.raised_at)) " by " (origin) }
            }
            details open[pending] {
                summary { "Why this score" }
                (explain::stored(&f.explanation))
            }
            @if !a.decisions.is_empty() {
                h4 { "Decisions" }
                ol.decisions {
                    @for d in &a.decisions {
                        li {
                            time datetime=(d.at.to_string()) { (layout::timestamp(d.at)) } " "
                            strong { (label(d.status)) } " by " (d.by) ": " span.reason { (d.reason) }
                        }
                    }
                }
            }
            @if pending && ctx.can_decide {
                form.decide method="post" action=(format!("/alerts/{}/decision", a.id)) {
                    fieldset {
                        legend { "Decide alert " (a.id) }
                        @let reason_id = format!("reason-{}", a.id);
                        label for=(reason_id) { "Reason" }
                        textarea #(reason_id) name="reason" rows="2" required maxlength="2000" placeholder="What the decision rests on: date of birth, nationality, documents checked…" {}
                        @if ctx.ask_name {
                            @let by_id = format!("by-{}", a.id);
                            label for=(by_id) { "Your name" }
                            input #(by_id) type="text" name="by" required maxlength="100" autocomplete="name" value=(ctx.name.unwrap_or(""));
                        }
                        div.buttons {
                            button.fp type="submit" name="status" value="false_positive" { "False positive" }
                            button.tm type="submit" name="status" value="true_match" { "True match" }
                            button.esc type="submit" name="status" value="escalated" { "Escalate" }
                        }
                    }
                }
            }
        }
    }
}

/// The decision form.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DecisionForm {
    status: Option<String>,
    reason: Option<String>,
    by: Option<String>,
}

/// `POST /alerts/{id}/decision`: records the decision and goes back to the queue.
pub(crate) async fn decide(
    State(state): State<AppState>,
    caller: auth::MaybeCaller,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    form: Result<Form<DecisionForm>, FormRejection>,
) -> Result<Response, UiError> {
    auth::same_origin(&headers)?;
    let access = auth::require(
        &state,
        &headers,
        caller.as_deref(),
        Role::Analyst,
        "/alerts",
    )
    .await?;
    let Path(id) = path.map_err(|e| UiError::bad_request(e.body_text()))?;
    let id = id
        .parse::<i64>()
        .map_err(|_| UiError::not_found(format!("no alert {id:?}")))?;
    let form = form.map_err(|e| UiError::bad_request(e.body_text()))?.0;
    let status = match form.status.as_deref().map(str::trim) {
        Some("false_positive") => AlertStatus::FalsePositive,
        Some("true_match") => AlertStatus::TrueMatch,
        Some("escalated") | Some("escalate") => AlertStatus::Escalated,
        other => {
            return Err(UiError::bad_request(format!(
                "decision {:?}: choose false positive, true match or escalate",
                other.unwrap_or("")
            )))
        }
    };
    let reason = form.reason.unwrap_or_default().trim().to_string();
    if reason.is_empty() {
        return Err(UiError::bad_request("give the reason for the decision"));
    }
    let (by, remember) = match &access {
        Access::Key { name, .. } => (name.clone(), None),
        Access::Open => {
            let by = form.by.unwrap_or_default().trim().to_string();
            if by.is_empty() || by.chars().count() > 100 {
                return Err(UiError::bad_request("say who is deciding (your name)"));
            }
            (by.clone(), Some(by))
        }
    };
    let decided = state
        .write(move |registry| {
            Ok(
                match registry.decide_alert(AlertId(id), status, &by, &reason) {
                    Ok(a) => Ok(a),
                    Err(RegistryError::NoSuchAlert(_)) => {
                        Err(UiError::not_found(format!("no alert {id}")))
                    }
                    Err(RegistryError::InvalidMonitoring(m)) => Err(UiError::bad_request(m)),
                    Err(e) => return Err(e.into()),
                },
            )
        })
        .await??;
    let mut response = auth::redirect(&format!(
        "/alerts?decided={}#alert-{}",
        decided.id, decided.id
    ))
    .into_response();
    if let Some(name) = remember {
        let cookie = format!(
            "{NAME_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000",
            layout::path_segment(&name)
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, v);
        }
    }
    Ok(response)
}

/// Undoes [`layout::path_segment`]: `%XX` escapes to bytes, read as UTF-8 (lossily: a
/// tampered cookie only spoils the prefilled name).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_survive_the_cookie() {
        for name in ["Ana María Pérez", "o'brien; x=1", "100%", "%", "%4"] {
            assert_eq!(percent_decode(&layout::path_segment(name)), name);
        }
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
