//! The lists page (`/lists`): every stored publication with its date and entity count, the
//! notices, and for each list a form picking two publications to compare; the diff page
//! (`/lists/{list}/diff?from=&to=`): entities added, removed and changed, with the changed
//! fields.

use super::auth::{self, Role};
use super::layout::{self, Nav};
use super::UiError;
use crate::AppState;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Html;
use interdict_model::{Entity, ListId};
use interdict_registry::{
    FieldChange, NoticeVersion, PublicationDiff, PublicationId, PublicationInfo,
};
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;

/// Entities shown per section of a diff: a first publication compared with nothing, or two
/// years apart, changes thousands; the page stays readable and says how many it left out.
const DIFF_SHOWN: usize = 300;

/// `GET /lists`.
pub(crate) async fn page(
    State(state): State<AppState>,
    caller: auth::MaybeCaller,
    headers: HeaderMap,
) -> Result<Html<String>, UiError> {
    let access = auth::require(&state, &headers, caller.as_deref(), Role::Viewer, "/lists").await?;
    let (publications, notices) = state
        .read(|registry| Ok((registry.publications(None)?, registry.notices(None)?)))
        .await?;
    let in_use: Vec<PublicationId> = state.snapshot().publications.iter().map(|p| p.id).collect();
    let body = html! {
        h1 { "Lists" }
        p { "Every publication the registry holds. Screening uses the newest of each list (marked " span.tag.current { "in use" } "); pick two publications of a list to see what changed between them." }
        @for list in ListId::ALL.into_iter().filter(|l| *l != ListId::Notice) {
            @let of_list: Vec<&PublicationInfo> = publications.iter().filter(|p| p.list == list).collect();
            @if !of_list.is_empty() {
                (list_section(list, &of_list, &in_use))
            }
        }
        (notices_section(&notices))
    };
    Ok(Html(
        layout::page("Lists", Nav::Lists, Some(&access), body).into_string(),
    ))
}

fn list_section(
    list: ListId,
    publications: &[&PublicationInfo],
    in_use: &[PublicationId],
) -> Markup {
    // Newest first in the table; the form defaults to the two newest.
    let mut newest: Vec<&PublicationInfo> = publications.to_vec();
    newest.sort_by_key(|p| std::cmp::Reverse((p.published, p.id)));
    let to = newest.first().map(|p| p.id);
    let from = newest.get(1).map(|p| p.id);
    let option = |p: &PublicationInfo, selected: Option<PublicationId>| {
        html! {
            option value=(p.id) selected[Some(p.id) == selected] {
                (layout::date_or_dash(p.published)) " (publication " (p.id) ", " (p.entity_count) " entities)"
            }
        }
    };
    let id = list.as_str();
    html! {
        section.list aria-labelledby=(format!("list-{id}")) {
            h2 #(format!("list-{id}")) { (list.title()) " " span.key { (id) } }
            table {
                thead { tr {
                    th scope="col" { "Published" } th scope="col" class="num" { "Publication" }
                    th scope="col" class="num" { "Entities" } th scope="col" class="num" { "Warnings" }
                    th scope="col" { "Ingested" } th scope="col" { "Files" }
                } }
                tbody {
                    @for p in &newest {
                        tr {
                            td { (layout::date_or_dash(p.published)) @if in_use.contains(&p.id) { " " span.tag.current { "in use" } } }
                            td.num { (p.id) }
                            td.num { (p.entity_count) }
                            td.num { (p.warning_count) }
                            td { (layout::timestamp(p.ingested_at)) }
                            td.files { (p.files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")) }
                        }
                    }
                }
            }
            @if newest.len() >= 2 {
                form.inline.diff method="get" action=(format!("/lists/{}/diff", layout::path_segment(id))) {
                    label for=(format!("from-{id}")) { "Compare" }
                    " "
                    select #(format!("from-{id}")) name="from" { @for p in &newest { (option(p, from)) } }
                    " "
                    label for=(format!("to-{id}")) { "with" }
                    " "
                    select #(format!("to-{id}")) name="to" { @for p in &newest { (option(p, to)) } }
                    " "
                    button type="submit" { "Show changes" }
                }
            } @else {
                p.muted { "One publication: ingest another to compare." }
            }
        }
    }
}

fn notices_section(notices: &[NoticeVersion]) -> Markup {
    html! {
        section.list aria-labelledby="list-notice" {
            h2 #list-notice { "Designation notices " span.key { "notice" } }
            @if notices.is_empty() {
                p.muted { "No notice recorded (" code { "interdict notice add FILE" } ")." }
            } @else {
                table {
                    thead { tr { th scope="col" { "Notice" } th scope="col" { "Name" } th scope="col" class="num" { "Version" } th scope="col" { "Counts from" } th scope="col" { "Recorded" } } }
                    tbody {
                        @for v in notices {
                            tr {
                                td { (layout::entity_link(ListId::Notice.as_str(), &v.notice.id, None)) }
                                td dir="auto" { (v.notice.names.first().map(|n| n.name.as_str()).unwrap_or("")) }
                                td.num { (v.version) }
                                td { (v.known_from) }
                                td { (layout::timestamp(v.recorded_at)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `?from=&to=` of the diff page: publication ids (or dates, as `interdict diff` takes).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DiffQuery {
    from: Option<String>,
    to: Option<String>,
}

/// A publication of `list` named by its id, or by a date (the newest published that day or
/// before).
fn publication(
    registry: &interdict_registry::Registry,
    list: ListId,
    which: &str,
    spec: Option<&str>,
) -> Result<PublicationInfo, crate::ApiError> {
    let spec = spec
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            crate::ApiError::bad_request(format!("choose the publication to compare {which}"))
        })?;
    if let Ok(id) = spec.parse::<i64>() {
        return match registry.publication(PublicationId(id))? {
            Some(p) if p.list == list => Ok(p),
            Some(p) => Err(crate::ApiError::bad_request(format!(
                "publication {id} is of {}, not {list}",
                p.list
            ))),
            None => Err(crate::ApiError::not_found(format!("no publication {id}"))),
        };
    }
    let day = layout::parse_day(which, Some(spec))
        .map_err(crate::ApiError::bad_request)?
        .ok_or_else(|| crate::ApiError::bad_request(format!("no publication {which}")))?;
    registry
        .latest_publication(list, Some(day))?
        .ok_or_else(|| {
            crate::ApiError::not_found(format!("no publication of {list} on or before {day}"))
        })
}

/// `GET /lists/{list}/diff?from=&to=`.
pub(crate) async fn diff(
    State(state): State<AppState>,
    caller: auth::MaybeCaller,
    headers: HeaderMap,
    uri: Uri,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<DiffQuery>, QueryRejection>,
) -> Result<Html<String>, UiError> {
    let access = auth::require(
        &state,
        &headers,
        caller.as_deref(),
        Role::Viewer,
        &uri.to_string(),
    )
    .await?;
    let Path(list) = path.map_err(|e| UiError::bad_request(e.body_text()))?;
    let form = query.map_err(|e| UiError::bad_request(e.body_text()))?.0;
    let list = ListId::parse(&list)
        .filter(|l| *l != ListId::Notice)
        .ok_or_else(|| {
            UiError::not_found(format!("no list {list:?} has publications to compare"))
        })?;
    let d = state
        .read(move |registry| {
            let from = publication(registry, list, "from", form.from.as_deref())?;
            let to = publication(registry, list, "to", form.to.as_deref())?;
            Ok(registry.diff(from.id, to.id)?)
        })
        .await?;
    let title = format!(
        "{list}: {} → {}",
        layout::date_or_dash(d.from.published),
        layout::date_or_dash(d.to.published)
    );
    let body = diff_markup(list, &d);
    Ok(Html(
        layout::page(&title, Nav::Lists, Some(&access), body).into_string(),
    ))
}

fn diff_markup(list: ListId, d: &PublicationDiff) -> Markup {
    let at = d.to.published;
    let was = d.from.published;
    let name = |e: &Entity| e.primary_name().map(|n| n.full.clone()).unwrap_or_default();
    let entities = |id: &str, caption: &str, items: &[Entity], on: Option<jiff::civil::Date>| {
        html! {
            section.diff-part aria-labelledby=(id) {
                h2 #(id) { (caption) " " span.count { (items.len()) } }
                @if items.is_empty() {
                    p.muted { "None." }
                } @else {
                    table {
                        thead { tr { th scope="col" { "Entity" } th scope="col" { "Name" } th scope="col" { "Type" } th scope="col" { "Programs" } } }
                        tbody {
                            @for e in items.iter().take(DIFF_SHOWN) {
                                tr {
                                    td { (layout::entity_link(list.as_str(), &e.id, on)) }
                                    td dir="auto" { (name(e)) }
                                    td { (e.kind.as_str()) }
                                    td { (e.programs().collect::<Vec<_>>().join(", ")) }
                                }
                            }
                        }
                    }
                    (more(items.len()))
                }
            }
        }
    };
    html! {
        nav.crumbs aria-label="Breadcrumb" { a href="/lists" { "Lists" } " › " (list) }
        h1 { "What changed in " (list) }
        p.subtitle {
            "From the publication of " (layout::date_or_dash(was)) " (" (d.from.id) ", " (d.from.entity_count) " entities) to that of "
            (layout::date_or_dash(at)) " (" (d.to.id) ", " (d.to.entity_count) " entities): "
            strong { (d.added.len()) " added, " (d.removed.len()) " removed, " (d.changed.len()) " changed" } "."
        }
        (entities("added", "Added", &d.added, at))
        (entities("removed", "Removed", &d.removed, was))
        section.diff-part aria-labelledby="changed" {
            h2 #changed { "Changed " span.count { (d.changed.len()) } }
            @if d.changed.is_empty() {
                p.muted { "None." }
            } @else {
                ul.changed-entities {
                    @for c in d.changed.iter().take(DIFF_SHOWN) {
                        li {
                            (layout::entity_link(list.as_str(), &c.entity.id, at)) " "
                            span dir="auto" { (name(&c.entity)) }
                            ul.changes { @for f in &c.changes { (field_change(f)) } }
                        }
                    }
                }
                (more(d.changed.len()))
            }
        }
    }
}

fn more(total: usize) -> Markup {
    html! {
        @if total > DIFF_SHOWN {
            p.muted { (total - DIFF_SHOWN) " more not shown (" code { "interdict diff" } " lists them all)." }
        }
    }
}

/// A field value of the model in words: names by their text, other records as `key: value`
/// pairs, nested values flattened.
pub(crate) fn value_text(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        Value::Object(fields) => {
            // A name: its text and standing, not its parts and script.
            if let Some(Value::String(full)) = fields.get("full") {
                return match fields.get("kind").and_then(Value::as_str) {
                    Some(kind) => format!("{full} ({})", kind.replace('_', " ")),
                    None => full.clone(),
                };
            }
            // An address: its parts in order, as one line.
            const ADDRESS: [&str; 6] =
                ["street", "city", "region", "postal_code", "country", "note"];
            if fields.keys().all(|k| ADDRESS.contains(&k.as_str())) {
                return ADDRESS
                    .iter()
                    .filter_map(|k| fields.get(*k).map(value_text))
                    .collect::<Vec<_>>()
                    .join(", ");
            }
            // A designation: its program and legal basis.
            if let Some(Value::String(program)) = fields.get("program") {
                let basis = fields
                    .get("authority")
                    .and_then(|a| a.get("legal_basis"))
                    .map(value_text)
                    .filter(|b| !b.is_empty());
                return match basis {
                    Some(b) => format!("{program} ({b})"),
                    None => program.clone(),
                };
            }
            // A partial date.
            if let (Some(Value::Number(y)), true) = (fields.get("year"), fields.len() <= 3) {
                let part = |k| {
                    fields
                        .get(k)
                        .and_then(Value::as_u64)
                        .map(|x| format!("-{x:02}"))
                };
                return format!(
                    "{y}{}{}",
                    part("month").unwrap_or_default(),
                    part("day").unwrap_or_default()
                );
            }
            fields
                .iter()
                .map(|(k, v)| format!("{}: {}", k.replace('_', " "), value_text(v)))
                .collect::<Vec<_>>()
                .join("; ")
        }
    }
}

/// One changed field: what left and what came.
pub(crate) fn field_change(c: &FieldChange) -> Markup {
    html! {
        li.field-change {
            span.field { (c.field.replace('_', " ")) }
            @for v in &c.removed { " " del { (value_text(v)) } }
            @for v in &c.added { " " ins { (value_text(v)) } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_text() {
        let name = serde_json::json!({"full": "MADURO MOROS, Nicolas", "kind": "weak_alias", "script": "Latn"});
        assert_eq!(value_text(&name), "MADURO MOROS, Nicolas (weak alias)");
        let dob = serde_json::json!({"date": {"year": 1962, "month": 11, "day": 23}});
        assert_eq!(value_text(&dob), "date: 1962-11-23");
        let d = serde_json::json!({"program": "VENEZUELA", "authority": {"legal_basis": ["E.O. 13692"]}});
        assert_eq!(value_text(&d), "VENEZUELA (E.O. 13692)");
        let a = serde_json::json!({"country": "Venezuela", "city": "Caracas, Capital District"});
        assert_eq!(value_text(&a), "Caracas, Capital District, Venezuela");
    }
}
