//! The search page (`/`): a query form, and the matches with score bars and explanations;
//! `/search/suggest` feeds the search box's type-ahead.
//!
//! Searching uses the server's screening snapshot (today's lists and notices). With an as-of
//! date it needs the lists as they stood that day: that index is built on demand (a few hundred
//! milliseconds) and the last few are kept, keyed by the registry state they came from, so
//! paging through results of one day does not rebuild it.

use super::auth::{self, Role};
use super::layout::{self, Nav};
use super::{explain, UiError};
use crate::state::RegistryMarker;
use crate::{AppState, Snapshot};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Html;
use axum::Json;
use interdict_matching::{Match, MatchIndex, SearchOptions};
use interdict_registry::PublicationInfo;
use interdict_screening::{NoticeSet, Row};
use maud::{html, Markup};
use serde::Deserialize;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The score below which the page shows nothing. Lower than screening's default threshold
/// (0.81): an analyst searching a surname wants to see the people who bear it, and each
/// result's explanation says how weak a weak match is.
const DEFAULT_THRESHOLD: f64 = 0.5;

/// Results shown.
const LIMIT: usize = 20;

/// The search form, every field text as typed (validated by screening's `Row`).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SearchForm {
    q: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    dob: Option<String>,
    country: Option<String>,
    as_of: Option<String>,
    threshold: Option<String>,
}

/// What a search ran against: the server's snapshot, or the lists as of a date.
struct Lists {
    index: Arc<dyn AsRef<MatchIndex> + Send + Sync>,
    /// Today's lists: the snapshot, whose entities give each result its type and programs.
    today: Option<Arc<Snapshot>>,
    publications: Vec<PublicationInfo>,
    notices: NoticeSet,
}

/// An index of the lists as of a day.
struct AsOfIndex {
    index: MatchIndex,
    publications: Vec<PublicationInfo>,
    notices: NoticeSet,
}

impl AsRef<MatchIndex> for AsOfIndex {
    fn as_ref(&self) -> &MatchIndex {
        &self.index
    }
}

/// The snapshot's index, shared as the search's index.
struct SnapshotIndex(Arc<Snapshot>);

impl AsRef<MatchIndex> for SnapshotIndex {
    fn as_ref(&self) -> &MatchIndex {
        &self.0.index
    }
}

/// Which registry state and day an as-of index was built for.
#[derive(Clone, Debug, PartialEq, Eq)]
struct AsOfKey {
    registry: PathBuf,
    publications: Vec<i64>,
    notices: Vec<(String, u32)>,
    day: jiff::civil::Date,
}

/// As-of indexes kept (each is the size of the lists' index: tens of megabytes).
const AS_OF_KEPT: usize = 2;

static AS_OF: Mutex<Vec<(AsOfKey, Arc<AsOfIndex>)>> = Mutex::new(Vec::new());

/// The lists to search: the snapshot's, or those of `as_of` (built, or taken from the cache).
async fn lists(state: &AppState, as_of: Option<jiff::civil::Date>) -> Result<Lists, UiError> {
    let snapshot = state.snapshot();
    let Some(day) = as_of else {
        return Ok(Lists {
            publications: snapshot.publications.clone(),
            notices: snapshot.notices.clone(),
            today: Some(snapshot.clone()),
            index: Arc::new(SnapshotIndex(snapshot)),
        });
    };
    let RegistryMarker {
        publications,
        notices,
        ..
    } = snapshot.marker.clone();
    let key = AsOfKey {
        registry: state.registry_path().to_path_buf(),
        publications,
        notices,
        day,
    };
    let cached = AS_OF
        .lock()
        .ok()
        .and_then(|c| c.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()));
    let built = match cached {
        Some(b) => b,
        None => {
            let built = state
                .read(move |registry| {
                    let (index, publications) =
                        interdict_screening::index_from_registry(registry, Some(day))?;
                    let notices = NoticeSet::from_registry(registry, Some(day))?;
                    Ok(Arc::new(AsOfIndex {
                        index,
                        publications,
                        notices,
                    }))
                })
                .await?;
            if let Ok(mut cache) = AS_OF.lock() {
                cache.retain(|(k, _)| *k != key);
                cache.insert(0, (key, built.clone()));
                cache.truncate(AS_OF_KEPT);
            }
            built
        }
    };
    Ok(Lists {
        publications: built.publications.clone(),
        notices: built.notices.clone(),
        today: None,
        index: built,
    })
}

/// `GET /`: the form, and the results when a name was given.
pub(crate) async fn page(
    State(state): State<AppState>,
    caller: auth::MaybeCaller,
    headers: HeaderMap,
    uri: Uri,
    query: Result<Query<SearchForm>, QueryRejection>,
) -> Result<(axum::http::StatusCode, Html<String>), UiError> {
    let access = auth::require(
        &state,
        &headers,
        caller.as_deref(),
        Role::Viewer,
        &uri.to_string(),
    )
    .await?;
    let form = query.map_err(|e| UiError::bad_request(e.body_text()))?.0;
    let mut status = axum::http::StatusCode::OK;
    let results = match search(&state, &form).await {
        Ok(None) => intro(&state),
        Ok(Some(r)) => r,
        Err(message) => {
            status = axum::http::StatusCode::BAD_REQUEST;
            html! { p.error role="alert" { (message) } }
        }
    };
    let title = match form.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) => format!("Search: {q}"),
        None => "Search".to_string(),
    };
    let body = html! {
        h1 { "Search the lists" }
        (form_markup(&form))
        (results)
    };
    Ok((
        status,
        Html(layout::page(&title, Nav::Search, Some(&access), body).into_string()),
    ))
}

/// What is searched, before any query.
fn intro(state: &AppState) -> Markup {
    let snapshot = state.snapshot();
    html! {
        section.intro aria-label="Lists searched" {
            p {
                "Searching " (snapshot.index.len()) " entities of "
                (publications_text(&snapshot.publications))
                @if !snapshot.notices.is_empty() {
                    " and " (snapshot.notices.len()) " designation notices"
                }
                ". Names are matched across scripts and spellings; each result explains its score."
            }
        }
    }
}

fn publications_text(publications: &[PublicationInfo]) -> String {
    publications
        .iter()
        .map(|p| format!("{} of {}", p.list, layout::date_or_dash(p.published)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn field(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("")
}

fn form_markup(form: &SearchForm) -> Markup {
    let kind = field(&form.kind);
    let kinds = [
        ("", "Any"),
        ("person", "Person"),
        ("organization", "Organization"),
        ("vessel", "Vessel"),
        ("aircraft", "Aircraft"),
    ];
    html! {
        form.search method="get" action="/" role="search" {
            div.field.wide {
                label for="q" { "Name" }
                input #q type="search" name="q" value=(field(&form.q)) required autofocus autocomplete="off" list="suggestions" placeholder="e.g. Nicolás Maduro, Николас Мадуро, AL-QA'IDA";
                datalist #suggestions {}
            }
            div.field {
                label for="type" { "Type" }
                select #type name="type" {
                    @for (value, label) in kinds {
                        option value=(value) selected[value == kind] { (label) }
                    }
                }
            }
            div.field {
                label for="dob" { "Date of birth" }
                input #dob type="text" name="dob" value=(field(&form.dob)) placeholder="YYYY[-MM[-DD]]" inputmode="numeric" size="11";
            }
            div.field {
                label for="country" { "Country" }
                input #country type="text" name="country" value=(field(&form.country)) placeholder="VE or Venezuela" size="12";
            }
            div.field {
                label for="as_of" { "As of" }
                input #as_of type="date" name="as_of" value=(field(&form.as_of));
            }
            div.field {
                label for="threshold" { "Min. score" }
                input #threshold type="number" name="threshold" min="0" max="1" step="0.01" value=(form.threshold.clone().unwrap_or_else(|| DEFAULT_THRESHOLD.to_string()));
            }
            div.field.submit {
                button type="submit" { "Search" }
            }
        }
    }
}

fn threshold(text: Option<&str>) -> Result<f64, String> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(DEFAULT_THRESHOLD),
        Some(t) => match t.parse::<f64>() {
            Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
            _ => Err(format!("minimum score {t:?}: a number between 0 and 1")),
        },
    }
}

/// Runs the search the form asks for: `Ok(None)` when no name was given, `Err` with a message
/// for the user when a field is invalid.
async fn search(state: &AppState, form: &SearchForm) -> Result<Option<Markup>, String> {
    if form.q.as_deref().is_none_or(|q| q.trim().is_empty()) {
        return Ok(None);
    }
    let as_of = layout::parse_day("as of", form.as_of.as_deref())?;
    let threshold = threshold(form.threshold.as_deref())?;
    let row = Row {
        name: form.q.as_deref(),
        kind: form.kind.as_deref(),
        dob: form.dob.as_deref(),
        country: form.country.as_deref(),
        identifiers: Vec::new(),
    };
    let query = row.to_query().map_err(|e| e.to_string())?;
    let lists = lists(state, as_of).await.map_err(|e| e.message)?;
    let index = lists.index.clone();
    let options = SearchOptions {
        limit: LIMIT,
        threshold,
    };
    let started = Instant::now();
    let matches = state
        .blocking(move || interdict_screening::screen_one((*index).as_ref(), &query, &options))
        .await
        .map_err(|e| e.message)?;
    let took = started.elapsed();
    Ok(Some(results(&lists, &matches, as_of, threshold, took)))
}

fn results(
    lists: &Lists,
    matches: &[Match],
    as_of: Option<jiff::civil::Date>,
    threshold: f64,
    took: std::time::Duration,
) -> Markup {
    let day = lists.notices.day();
    html! {
        section.results aria-labelledby="results-heading" {
            h2 #results-heading { (matches.len()) " match" @if matches.len() != 1 { "es" } }
            p.muted {
                "Against " (publications_text(&lists.publications))
                @if !lists.notices.is_empty() { " and " (lists.notices.len()) " notices" }
                " as of " (day)
                " (" ((*lists.index).as_ref().len()) " entities), minimum score " (format!("{threshold:.2}"))
                ", in " (format!("{:.1}", took.as_secs_f64() * 1000.0)) " ms."
            }
            @if matches.is_empty() {
                p { "No listed party scores " (format!("{threshold:.2}")) " or more. Lower the minimum score to see weaker candidates." }
            }
            ol.matches {
                @for (i, m) in matches.iter().enumerate() {
                    li.match {
                        div.match-head {
                            (layout::score_bar(m.score))
                            a.name href=(layout::entity_href(&m.list, &m.id, as_of)) { (m.name) }
                            " "
                            span.key { (m.list) ":" (m.id) }
                            @if let Some(e) = lists.today.as_ref().and_then(|t| t.entities.get(&format!("{}:{}", m.list, m.id))) {
                                span.tag { (e.kind.as_str()) }
                                span.programs { (e.programs().collect::<Vec<_>>().join(", ")) }
                            }
                        }
                        @if m.matched_name != m.name {
                            p.matched { "Matched name: " strong { (m.matched_name) } }
                        }
                        @if let Some(designations) = lists.notices.status(&m.list, &m.id) {
                            ul.notice-status aria-label="Designations on the day" {
                                @for d in &designations {
                                    li class=(format!("status {}", d.status.state())) {
                                        strong { (d.program) }
                                        " (" (d.legal_basis.join(", ")) "): "
                                        (d.status_text) " on " (day)
                                        @if let Some(due) = d.review_due {
                                            "; five-year review due by " (due)
                                        }
                                    }
                                }
                            }
                        }
                        details open[i == 0] {
                            summary { "Why this score" }
                            (explain::explanation(&m.explanation))
                        }
                    }
                }
            }
        }
    }
}

/// `?q=` of the type-ahead.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SuggestQuery {
    q: Option<String>,
}

/// One type-ahead suggestion.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Suggestion {
    name: String,
    key: String,
    href: String,
}

/// `GET /search/suggest?q=`: the best few names for what has been typed so far (JSON, for
/// the search box's list; the page works without it).
pub(crate) async fn suggest(
    State(state): State<AppState>,
    caller: auth::MaybeCaller,
    headers: HeaderMap,
    query: Result<Query<SuggestQuery>, QueryRejection>,
) -> Result<Json<Vec<Suggestion>>, UiError> {
    auth::require(&state, &headers, caller.as_deref(), Role::Viewer, "/").await?;
    let q = query
        .ok()
        .and_then(|q| q.0.q)
        .map(|q| q.trim().to_string())
        .unwrap_or_default();
    if q.chars().count() < 3 || q.len() > 200 {
        return Ok(Json(Vec::new()));
    }
    let snapshot = state.snapshot();
    let matches = state
        .blocking(move || {
            let query = interdict_matching::Query::name(q);
            let options = SearchOptions {
                limit: 8,
                threshold: DEFAULT_THRESHOLD,
            };
            interdict_screening::screen_one(&snapshot.index, &query, &options)
        })
        .await?;
    Ok(Json(
        matches
            .into_iter()
            .map(|m| Suggestion {
                href: layout::entity_href(&m.list, &m.id, None),
                key: format!("{}:{}", m.list, m.id),
                name: m.name,
            })
            .collect(),
    ))
}
