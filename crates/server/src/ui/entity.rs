//! Entity pages: `/entities/{list}/{id}` for a listed party, `/entities/notice/{id}` for a
//! designation notice, both with an optional `?as_of=YYYY-MM-DD`.
//!
//! A listed party's page shows everything the list states (names grouped by script,
//! identifiers, dates and places of birth, addresses, programs with their legal authority),
//! its history over the registry's publications as a timeline, its linked parties as a graph,
//! and pending alerts on it. A party no longer listed is still shown, as of its last listing,
//! under a banner saying so: an analyst asking about a delisted party needs what it was and
//! when it left. A notice's page shows its designations with their dated events and their
//! status on the day (announced, effective, in force, revoked; FTO review due).

use super::auth::{self, Role};
use super::layout::{self, Nav};
use super::{graph, lists, UiError};
use crate::AppState;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Html;
use interdict_model::{
    Address, Entity, EventDate, IdentifierKind, ListId, NameKind, Notice, Script,
};
use interdict_registry::{Alert, HistoryEvent, NoticeVersion, PublicationInfo};
use interdict_screening::{designation_statuses, today, DesignationOnDay};
use maud::{html, Markup};
use serde::Deserialize;

/// `?as_of=` of an entity page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct EntityQuery {
    as_of: Option<String>,
}

/// `GET /entities/{list}/{id}`.
pub(crate) async fn page(
    State(state): State<AppState>,
    caller: auth::MaybeCaller,
    headers: HeaderMap,
    uri: Uri,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<EntityQuery>, QueryRejection>,
) -> Result<Html<String>, UiError> {
    let access = auth::require(
        &state,
        &headers,
        caller.as_deref(),
        Role::Viewer,
        &uri.to_string(),
    )
    .await?;
    let Path((list, id)) = path.map_err(|e| UiError::bad_request(e.body_text()))?;
    let form = query.map_err(|e| UiError::bad_request(e.body_text()))?.0;
    let as_of = layout::parse_day("as of", form.as_of.as_deref()).map_err(UiError::bad_request)?;
    let Some(list_id) = ListId::parse(&list) else {
        let known: Vec<&str> = ListId::ALL.iter().map(|l| l.as_str()).collect();
        return Err(UiError::not_found(format!(
            "unknown list {list:?}; the lists are {}",
            known.join(", ")
        )));
    };
    let (title, body) = if list_id == ListId::Notice {
        notice_page(&state, id, as_of).await?
    } else {
        list_entity_page(&state, list_id, id, as_of).await?
    };
    Ok(Html(
        layout::page(&title, Nav::Search, Some(&access), body).into_string(),
    ))
}

/// Everything a listed party's page shows, read in one registry visit.
struct Listed {
    /// The publication the entity is shown as of.
    publication: PublicationInfo,
    entity: Entity,
    /// When the entity is not on the list as of the day: the publication it is absent from.
    absent_from: Option<PublicationInfo>,
    history: Vec<HistoryEvent>,
    /// Linked parties: (relation, name, page when the target is in the registry).
    links: Vec<(String, String, Option<String>)>,
    alerts: Vec<Alert>,
}

async fn list_entity_page(
    state: &AppState,
    list: ListId,
    id: String,
    as_of: Option<jiff::civil::Date>,
) -> Result<(String, Markup), UiError> {
    let when = as_of.map(|d| format!(" as of {d}")).unwrap_or_default();
    let missing = format!("{list}:{id} is not in the registry{when}");
    let loaded = state
        .read(move |registry| {
            let (publication, entity, absent_from) = match registry.entity(list, &id, as_of)? {
                Some((p, e)) => (p, e, None),
                None => {
                    let last = registry.entity_versions(list, &id)?.into_iter().rfind(|v| {
                        as_of.is_none_or(|d| v.publication.published.is_some_and(|p| p <= d))
                    });
                    let Some(last) = last else {
                        return Ok(None);
                    };
                    let Some(entity) = registry.entity_record(list, &id, &last.record)? else {
                        return Ok(None);
                    };
                    let latest = registry.latest_publication(list, as_of)?;
                    (last.publication, entity, latest)
                }
            };
            let mut history = registry.history(list, &id)?;
            if let Some(day) = as_of {
                history.retain(|e| {
                    let p = match e {
                        HistoryEvent::Listed { publication, .. }
                        | HistoryEvent::Changed { publication, .. }
                        | HistoryEvent::Delisted { publication } => publication,
                    };
                    p.published.is_some_and(|d| d <= day)
                });
            }
            let links = entity
                .links
                .iter()
                .map(|l| {
                    let href = match &l.target {
                        Some(t) => target_href(registry, list, t, as_of)?,
                        None => None,
                    };
                    Ok((l.relation.clone(), l.name.clone(), href))
                })
                .collect::<Result<Vec<_>, crate::ApiError>>()?;
            let alerts = registry.pending_alerts_of_entity(list.as_str(), &id)?;
            Ok(Some(Listed {
                publication,
                entity,
                absent_from,
                history,
                links,
                alerts,
            }))
        })
        .await?
        .ok_or_else(|| UiError::not_found(missing))?;
    let e = &loaded.entity;
    let name = e
        .primary_name()
        .map(|n| n.full.clone())
        .unwrap_or_else(|| e.key());
    let listed_date = layout::date_or_dash(loaded.publication.published);
    let body = html! {
        nav.crumbs aria-label="Breadcrumb" { a href="/" { "Search" } " › " (e.key()) }
        h1 dir="auto" { (name) }
        p.subtitle {
            span.tag { (e.kind.as_str()) } " "
            span.key { (e.key()) } " · " (list.title())
        }
        @match &loaded.absent_from {
            Some(p) => p.banner.delisted role="status" {
                strong { "Not listed" (when) } ": absent from the " (list) " publication of "
                (layout::date_or_dash(p.published)) "; shown as last listed, in the publication of " (listed_date) "."
            },
            None => p.banner.listed role="status" {
                "Listed" (when) " in the " (list) " publication of " (listed_date)
                " (publication " (loaded.publication.id) ")."
            },
        }
        (as_of_form(&layout::entity_href(list.as_str(), &e.id, None), as_of))
        div.columns {
            div {
                (names_section(e.names.iter().map(|n| (n.full.as_str(), name_kind(n.kind, n.quality.is_some_and(|q| q == interdict_model::AliasQuality::Low)), None, n.script))))
                (facts(e))
            }
            div {
                (designations(e))
                (timeline(&loaded.history, e, as_of))
            }
        }
        (links_section(&name, &loaded.links))
        @if !e.remarks.is_empty() {
            section {
                h2 { "Remarks" }
                ul { @for r in &e.remarks { li { (r) } } }
            }
        }
        (alerts_section(&loaded.alerts))
    };
    Ok((name, body))
}

/// The page of a link target: `LIST:ID` as notices write it, or an id on the entity's own list
/// as list files resolve `Linked To:`. `None` when it is not in the registry as of the day.
fn target_href(
    registry: &interdict_registry::Registry,
    own: ListId,
    target: &str,
    as_of: Option<jiff::civil::Date>,
) -> Result<Option<String>, crate::ApiError> {
    let (list, id) = match target
        .split_once(':')
        .and_then(|(l, i)| Some((ListId::parse(l)?, i)))
    {
        Some((l, i)) => (l, i.to_string()),
        None => (own, target.to_string()),
    };
    let known = if list == ListId::Notice {
        registry.notice(&id, None)?.is_some()
    } else {
        !registry.entity_versions(list, &id)?.is_empty()
    };
    Ok(known.then(|| layout::entity_href(list.as_str(), &id, as_of)))
}

fn as_of_form(action: &str, as_of: Option<jiff::civil::Date>) -> Markup {
    html! {
        form.inline method="get" action=(action) {
            label for="as_of" { "As of" }
            " "
            input #as_of type="date" name="as_of" value=(as_of.map(|d| d.to_string()).unwrap_or_default());
            " "
            button type="submit" { "Show" }
            @if as_of.is_some() { " " a href=(action) { "today" } }
        }
    }
}

fn name_kind(kind: NameKind, low: bool) -> &'static str {
    match (kind, low) {
        (NameKind::Primary, _) => "primary",
        (NameKind::Alias, false) => "a.k.a.",
        (NameKind::Alias, true) | (NameKind::WeakAlias, _) => "weak a.k.a.",
        (NameKind::FormerName, _) => "f.k.a.",
        (NameKind::NowKnownAs, _) => "n.k.a.",
    }
}

/// A name to show: its text, its standing, its language when stated.
type ShownName<'a> = (&'a str, &'static str, Option<&'a str>);

/// Names grouped by writing system: Latin first, then the others as they first appear.
fn names_section<'a>(
    names: impl Iterator<Item = (&'a str, &'static str, Option<&'a str>, Script)>,
) -> Markup {
    let mut groups: Vec<(Script, Vec<ShownName>)> = Vec::new();
    for (full, kind, lang, script) in names {
        match groups.iter_mut().find(|(s, _)| *s == script) {
            Some((_, g)) => g.push((full, kind, lang)),
            None => groups.push((script, vec![(full, kind, lang)])),
        }
    }
    groups.sort_by_key(|(s, _)| *s != Script::Latin);
    html! {
        section.names {
            h2 { "Names" }
            @for (script, names) in &groups {
                h3 { (layout::script_name(*script)) " " span.muted { "(" (script.code()) ")" } }
                ul {
                    @for (full, kind, lang) in names {
                        li {
                            span.name dir="auto" lang=[*lang] { (full) }
                            " " span.tag { (kind) }
                            @if let Some(l) = lang { " " span.tag.lang { (l) } }
                        }
                    }
                }
            }
        }
    }
}

fn identifier_kind(kind: &IdentifierKind) -> String {
    match kind {
        IdentifierKind::Passport => "Passport".into(),
        IdentifierKind::NationalId => "National ID".into(),
        IdentifierKind::Cedula => "Cédula".into(),
        IdentifierKind::TaxId => "Tax ID".into(),
        IdentifierKind::Ssn => "SSN".into(),
        IdentifierKind::Registration => "Registration number".into(),
        IdentifierKind::DriversLicense => "Driver's license".into(),
        IdentifierKind::Imo => "IMO number".into(),
        IdentifierKind::Mmsi => "MMSI".into(),
        IdentifierKind::SwiftBic => "SWIFT/BIC".into(),
        IdentifierKind::Email => "E-mail".into(),
        IdentifierKind::Website => "Website".into(),
        IdentifierKind::Phone => "Phone".into(),
        IdentifierKind::DigitalCurrencyAddress(c) => format!("Digital currency address ({c})"),
        IdentifierKind::AircraftTailNumber => "Aircraft tail number".into(),
        IdentifierKind::AircraftSerialNumber => "Aircraft serial number".into(),
        IdentifierKind::Other(label) => label.clone(),
    }
}

fn address_text(a: &Address) -> String {
    [
        &a.street,
        &a.city,
        &a.region,
        &a.postal_code,
        &a.country,
        &a.note,
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
    .collect::<Vec<_>>()
    .join(", ")
}

/// Identifiers, birth, nationality, positions, addresses, vessel and aircraft details.
fn facts(e: &Entity) -> Markup {
    let row = |label: &str, values: Vec<String>| {
        html! {
            @if !values.is_empty() {
                dt { (label) }
                @for v in values { dd { (v) } }
            }
        }
    };
    let mut details: Vec<(String, String)> = Vec::new();
    if let Some(v) = &e.vessel {
        for (label, value) in [
            ("Call sign", &v.call_sign),
            ("Vessel type", &v.vessel_type),
            ("Flag", &v.flag),
            ("Owner", &v.owner),
            ("Tonnage", &v.tonnage),
            ("Gross registered tonnage", &v.gross_registered_tonnage),
            ("Year built", &v.year_built),
        ] {
            if let Some(value) = value {
                details.push((label.into(), value.clone()));
            }
        }
    }
    if let Some(a) = &e.aircraft {
        for (label, value) in [
            ("Model", &a.model),
            ("Operator", &a.operator),
            ("Manufactured", &a.manufactured),
        ] {
            if let Some(value) = value {
                details.push((label.into(), value.clone()));
            }
        }
    }
    html! {
        section.facts {
            h2 { "Details" }
            dl {
                (row("Type", vec![e.kind.as_str().to_string()]))
                (row("Gender", e.gender.map(|g| match g { interdict_model::Gender::Male => "male".to_string(), interdict_model::Gender::Female => "female".to_string() }).into_iter().collect()))
                (row("Date of birth", e.birth_dates.iter().map(|d| d.to_string()).collect()))
                (row("Place of birth", e.birth_places.clone()))
                (row("Nationality", e.nationalities.clone()))
                (row("Citizenship", e.citizenships.clone()))
                (row("Position", e.positions.clone()))
                (row("Address", e.addresses.iter().map(address_text).filter(|a| !a.is_empty()).collect()))
                @for (label, value) in &details { dt { (label) } dd { (value) } }
            }
            @if !e.identifiers.is_empty() {
                table.identifiers {
                    caption { "Identifiers" }
                    thead { tr { th scope="col" { "Kind" } th scope="col" { "Number" } th scope="col" { "Country" } th scope="col" { "Note" } } }
                    tbody {
                        @for i in &e.identifiers {
                            tr {
                                td { (identifier_kind(&i.kind)) }
                                td { code { (i.value) } }
                                td { (i.country.as_deref().unwrap_or("")) }
                                td { (i.note.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Programs with their legal authority.
fn designations(e: &Entity) -> Markup {
    html! {
        section.designations {
            h2 { "Designations" }
            @if e.designations.is_empty() {
                p.muted { "No program stated." }
            } @else {
                table {
                    thead { tr { th scope="col" { "Program" } th scope="col" { "Legal authority" } th scope="col" { "Listed on" } } }
                    tbody {
                        @for d in &e.designations {
                            tr {
                                td {
                                    strong.program { (d.program) }
                                    @if let Some(n) = &d.program_name { br; span.muted { (n) } }
                                }
                                td {
                                    @match &d.authority {
                                        Some(a) => {
                                            (a.legal_basis.join("; "))
                                            @if !a.regulations.is_empty() { br; span.muted { (a.regulations.join("; ")) } }
                                            br; span.muted { (a.body) }
                                        }
                                        None => span.muted { "not stated" },
                                    }
                                }
                                td { (layout::date_or_dash(d.listed_on)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One entry of a timeline: a day (or a bound), what happened, and details.
struct Step {
    date: Option<EventDate>,
    what: String,
    class: &'static str,
    detail: Markup,
}

/// The steps in date order under `heading` (a second-level heading on a party's page, a
/// third-level one under each designation of a notice).
fn timeline_markup(steps: &mut [Step], heading: &str, top: bool) -> Markup {
    steps.sort_by_key(|s| s.date.map(EventDate::certain_by));
    html! {
        section.lifecycle {
            @if top { h2 { (heading) } } @else { h3 { (heading) } }
            ol.timeline {
                @for s in steps.iter() {
                    li class=(s.class) {
                        @match s.date {
                            Some(EventDate::On(d)) => time datetime=(d) { (d) },
                            Some(d @ EventDate::OnOrBefore(b)) => time datetime=(b) { (d.to_string()) },
                            None => time { "undated" },
                        }
                        " "
                        strong { (s.what) }
                        (s.detail)
                    }
                }
            }
        }
    }
}

/// A listed party's lifecycle: the publications that listed, changed and delisted it, and the
/// listing dates the list itself states for its programs.
fn timeline(history: &[HistoryEvent], e: &Entity, as_of: Option<jiff::civil::Date>) -> Markup {
    let day = |p: &PublicationInfo| p.published.map(EventDate::On);
    let mut steps: Vec<Step> = Vec::new();
    for d in &e.designations {
        if let Some(on) = d.listed_on {
            steps.push(Step {
                date: Some(EventDate::On(on)),
                what: format!("designated under {}", d.program),
                class: "designated",
                detail: html! { " (date stated by the list)" },
            });
        }
    }
    for event in history {
        steps.push(match event {
            HistoryEvent::Listed {
                publication,
                entity,
                relisted,
            } => Step {
                date: day(publication),
                what: if *relisted { "relisted".into() } else { "listed".into() },
                class: "listed",
                detail: html! {
                    " in the publication of " (layout::date_or_dash(publication.published))
                    " under " (entity.programs().collect::<Vec<_>>().join(", "))
                },
            },
            HistoryEvent::Changed {
                publication,
                changes,
            } => Step {
                date: day(publication),
                what: "changed".into(),
                class: "changed",
                detail: html! {
                    ": " (changes.iter().map(|c| c.field.replace('_', " ")).collect::<Vec<_>>().join(", "))
                    ul.changes { @for c in changes { (lists::field_change(c)) } }
                },
            },
            HistoryEvent::Delisted { publication } => Step {
                date: day(publication),
                what: "delisted".into(),
                class: "delisted",
                detail: html! { ": absent from the publication of " (layout::date_or_dash(publication.published)) },
            },
        });
    }
    if steps.is_empty() {
        return html! {};
    }
    let heading = match as_of {
        Some(d) => format!("Timeline to {d}"),
        None => "Timeline".to_string(),
    };
    timeline_markup(&mut steps, &heading, true)
}

fn links_section(name: &str, links: &[(String, String, Option<String>)]) -> Markup {
    if links.is_empty() {
        return html! {};
    }
    let nodes: Vec<graph::Node> = links
        .iter()
        .map(|(relation, label, href)| graph::Node {
            label: label.clone(),
            relation: relation.clone(),
            href: href.clone(),
        })
        .collect();
    html! {
        section.links {
            h2 { "Linked parties" }
            (graph::graph(name, &nodes))
            ul {
                @for (relation, label, href) in links {
                    li {
                        (relation) ": "
                        @match href {
                            Some(h) => a href=(h) dir="auto" { (label) },
                            None => span dir="auto" { (label) " " span.muted { "(not in the registry)" } },
                        }
                    }
                }
            }
        }
    }
}

fn alerts_section(alerts: &[Alert]) -> Markup {
    if alerts.is_empty() {
        return html! {};
    }
    html! {
        section.entity-alerts {
            h2 { "Pending alerts" }
            ul {
                @for a in alerts {
                    li {
                        a href=(format!("/alerts#alert-{}", a.id)) { "Alert " (a.id) }
                        " (" (a.status.as_str()) "): customer " (a.found.customer) " " (a.found.customer_name)
                        ", score " (format!("{:.3}", a.found.score))
                    }
                }
            }
        }
    }
}

/// A notice's primary name: the one marked primary, else the first.
fn notice_name(n: &Notice) -> String {
    n.names
        .iter()
        .find(|x| x.kind == NameKind::Primary)
        .or_else(|| n.names.first())
        .map(|x| x.name.clone())
        .unwrap_or_else(|| n.id.clone())
}

/// Everything a notice's page shows.
struct NoticePage {
    version: NoticeVersion,
    versions: usize,
    links: Vec<(String, String, Option<String>)>,
}

async fn notice_page(
    state: &AppState,
    id: String,
    as_of: Option<jiff::civil::Date>,
) -> Result<(String, Markup), UiError> {
    let key = format!("{}:{id}", ListId::Notice);
    let loaded = state
        .read(move |registry| {
            let Some(version) = registry.notice(&id, as_of)? else {
                return Ok(Err(registry
                    .notice(&id, None)?
                    .map(|later| later.known_from)));
            };
            let versions = registry.notice_versions(&id)?.len();
            let links = version
                .notice
                .links
                .iter()
                .map(|l| {
                    let href = match &l.target {
                        Some(t) => target_href(registry, ListId::Notice, t, as_of)?,
                        None => None,
                    };
                    let name = l
                        .name
                        .clone()
                        .or_else(|| l.target.clone())
                        .unwrap_or_default();
                    Ok((l.relation.clone(), name, href))
                })
                .collect::<Result<Vec<_>, crate::ApiError>>()?;
            Ok(Ok(NoticePage {
                version,
                versions,
                links,
            }))
        })
        .await?;
    let loaded = match loaded {
        Ok(p) => p,
        Err(Some(known_from)) => {
            let when = as_of.map(|d| format!(" as of {d}")).unwrap_or_default();
            return Err(UiError::not_found(format!(
                "{key} is not known{when}: its first public event is on {known_from}"
            )));
        }
        Err(None) => return Err(UiError::not_found(format!("{key} is not in the registry"))),
    };
    let v = &loaded.version;
    let n = &v.notice;
    let day = as_of.unwrap_or_else(today);
    let statuses = designation_statuses(n, day);
    let name = notice_name(n);
    let body = html! {
        nav.crumbs aria-label="Breadcrumb" { a href="/" { "Search" } " › " (n.key()) }
        h1 dir="auto" { (name) }
        p.subtitle {
            span.tag { (n.kind.as_str()) } " " span.key { (n.key()) }
            " · designation notice, version " (v.version) " of " (loaded.versions)
            ", recorded " (layout::timestamp(v.recorded_at))
            "; counts from " (v.known_from)
        }
        @if let Some(t) = &n.title { p.notice-title { (t) } }
        (as_of_form(&layout::entity_href(ListId::Notice.as_str(), &n.id, None), as_of))
        div.columns {
            div {
                (names_section(n.names.iter().map(|x| (x.name.as_str(), name_kind(x.kind, false), x.lang.as_deref(), Script::detect(&x.name)))))
                @if !n.sources.is_empty() {
                    section {
                        h2 { "Sources" }
                        ul {
                            @for s in &n.sources {
                                li {
                                    @let title = s.title.clone().unwrap_or_else(|| "(untitled)".into());
                                    @match s.url.as_deref().filter(|u| u.starts_with("https://") || u.starts_with("http://")) {
                                        Some(u) => a href=(u) rel="noreferrer noopener" { (title) },
                                        None => (title),
                                    }
                                    @if let Some(d) = s.date { " (" (d) ")" }
                                }
                            }
                        }
                    }
                }
                @if !n.remarks.is_empty() {
                    section { h2 { "Remarks" } ul { @for r in &n.remarks { li { (r) } } } }
                }
            }
            div {
                @for (d, s) in n.designations.iter().zip(&statuses) {
                    (notice_designation(d, s, day))
                }
            }
        }
        (links_section(&name, &loaded.links))
    };
    Ok((name, body))
}

/// One designation of a notice: authority, status on the day and its dated events.
fn notice_designation(
    d: &interdict_model::DatedDesignation,
    s: &DesignationOnDay,
    day: jiff::civil::Date,
) -> Markup {
    let mut steps: Vec<Step> = d
        .events
        .all()
        .into_iter()
        .map(|(what, when)| Step {
            date: Some(when),
            what: what.to_string(),
            class: "event",
            detail: html! {},
        })
        .collect();
    for a in &d.events.amended {
        if let Some(step) = steps
            .iter_mut()
            .find(|st| st.what == "amended" && st.date == Some(a.date))
        {
            step.detail = html! { ": " (a.note) };
        }
    }
    steps.push(Step {
        date: Some(EventDate::On(day)),
        what: format!("status on {day}: {}", s.status_text),
        class: "today",
        detail: html! {},
    });
    if let Some(due) = s.review_due {
        steps.push(Step {
            date: Some(EventDate::On(due)),
            what: "five-year review due".into(),
            class: "due",
            detail: html! { " (INA §219(a)(4)(C))" },
        });
    }
    html! {
        section.designation {
            h2 {
                (d.program)
                @if let Some(p) = &d.program_name { " — " (p) }
            }
            p {
                span class=(format!("status {}", s.status.state())) { (s.status_text) }
                " on " (day)
            }
            dl {
                dt { "Legal authority" } dd { (d.authority.legal_basis.join("; ")) }
                @if !d.authority.regulations.is_empty() { dt { "Regulations" } dd { (d.authority.regulations.join("; ")) } }
                dt { "Designating body" } dd { (d.authority.body) }
                @if let Some(fr) = &d.events.federal_register { dt { "Federal Register" } dd { (fr) } }
                @if d.is_fto() && d.events.published.is_none() { dt { "Federal Register" } dd { "publication not known" } }
                @if let Some(due) = s.review_due { dt { "FTO review due" } dd { (due) } }
            }
            (timeline_markup(&mut steps, "Lifecycle", false))
        }
    }
}
