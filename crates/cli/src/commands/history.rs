//! `interdict history LIST:ID`

use crate::args::HistoryArgs;
use crate::{config, render};
use anyhow::Result;
use interdict_model::{EventDate, ListId, Notice};
use interdict_registry::{HistoryEvent, NoticeVersion, PublicationInfo, Registry};
use interdict_screening::notice_primary_name;
use serde_json::json;
use std::process::ExitCode;

fn date(p: &PublicationInfo) -> String {
    p.published
        .map(|d| d.to_string())
        .unwrap_or_else(|| "(undated)".into())
}

pub fn run(registry: &Registry, args: HistoryArgs) -> Result<ExitCode> {
    let (list, id) = config::entity_key(&args.key)?;
    if list == ListId::Notice {
        return notice(registry, &id, args.json);
    }
    let events = registry.history(list, &id)?;
    if events.is_empty() {
        eprintln!("{list}:{id} is in no publication of the registry (see `interdict lists`)");
        return Ok(ExitCode::from(2));
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&events)?);
        return Ok(ExitCode::SUCCESS);
    }
    let name = events
        .iter()
        .find_map(|e| match e {
            HistoryEvent::Listed { entity, .. } => entity.primary_name().map(|n| n.full.clone()),
            _ => None,
        })
        .unwrap_or_default();
    println!("{list}:{id}  {name}");
    for e in &events {
        match e {
            HistoryEvent::Listed {
                publication,
                entity,
                relisted,
            } => {
                let verb = if *relisted { "relisted" } else { "listed" };
                let programs: Vec<&str> = entity.programs().collect();
                println!(
                    "{}  {verb} under {}",
                    date(publication),
                    programs.join(", ")
                );
            }
            HistoryEvent::Changed {
                publication,
                changes,
            } => {
                println!("{}  changed", date(publication));
                for c in changes {
                    print!("{}", render::field_change(c));
                }
            }
            HistoryEvent::Delisted { publication } => {
                println!(
                    "{}  delisted (absent from this publication)",
                    date(publication)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `interdict history notice:ID`: the designations' dated events in date order, then every
/// recorded version of the notice with the fields it changed.
fn notice(registry: &Registry, id: &str, as_json: bool) -> Result<ExitCode> {
    let versions = registry.notice_versions(id)?;
    let Some(latest) = versions.last() else {
        eprintln!("notice:{id} is not recorded (see `interdict notice list`)");
        return Ok(ExitCode::from(2));
    };
    let events = notice_events(&latest.notice);
    let changes: Vec<Vec<String>> = versions
        .iter()
        .enumerate()
        .map(|(i, v)| match i {
            0 => Vec::new(),
            _ => notice_changes(&versions[i - 1].notice, &v.notice),
        })
        .collect();
    if as_json {
        let out = json!({
            "notice": id,
            "name": notice_primary_name(&latest.notice),
            "events": events.iter().map(|(program, event, date, note)| json!({
                "program": program,
                "event": event,
                "date": date,
                "note": note,
            })).collect::<Vec<_>>(),
            "versions": versions.iter().zip(&changes).map(|(v, changed)| json!({
                "version": v.version,
                "recorded_at": v.recorded_at.to_string(),
                "known_from": v.known_from.to_string(),
                "source": v.source,
                "hash": v.hash.to_string(),
                "changed": changed,
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("notice:{id}  {}", notice_primary_name(&latest.notice));
    println!("designation events (latest version):");
    for (program, event, date, note) in &events {
        let note = note
            .as_deref()
            .map(|n| format!(": {n}"))
            .unwrap_or_default();
        println!("  {date}  {program} {event}{note}");
    }
    println!("versions:");
    for (v, changed) in versions.iter().zip(&changes) {
        print_version(v, changed);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_version(v: &NoticeVersion, changed: &[String]) {
    let source = v
        .source
        .as_deref()
        .map(|s| format!(" from {s}"))
        .unwrap_or_default();
    println!(
        "  v{}  recorded {}{source}, counts from {}",
        v.version, v.recorded_at, v.known_from
    );
    if !changed.is_empty() {
        println!("      changed: {}", changed.join("; "));
    }
}

/// Every dated event of a notice's designations as (program, event, date, note), in date order
/// (events of one day in lifecycle order).
fn notice_events(n: &Notice) -> Vec<(String, &'static str, EventDate, Option<String>)> {
    let mut out = Vec::new();
    for d in &n.designations {
        let mut amendments = d.events.amended.iter();
        for (event, date) in d.events.all() {
            let note = match event {
                "amended" => amendments.next().map(|a| a.note.clone()),
                "published" => d.events.federal_register.clone(),
                _ => None,
            };
            out.push((d.program.clone(), event, date, note));
        }
    }
    // A stable sort keeps each designation's lifecycle order within a day.
    out.sort_by_key(|(_, _, date, _)| date.certain_by());
    out
}

/// What changed from one version of a notice to the next: the top-level fields that differ,
/// and for designations, the events added, changed or removed per program.
fn notice_changes(before: &Notice, after: &Notice) -> Vec<String> {
    let (Ok(serde_json::Value::Object(b)), Ok(serde_json::Value::Object(a))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return vec!["(not comparable)".into()];
    };
    let mut out = Vec::new();
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        if key == "designations" || b.get(key) == a.get(key) {
            continue;
        }
        out.push(key.clone());
    }
    for d in &after.designations {
        let old = before.designations.iter().find(|o| o.program == d.program);
        match old {
            None => out.push(format!("designation {} added", d.program)),
            Some(o) if o == d => {}
            Some(o) => {
                let was: Vec<String> = o
                    .events
                    .all()
                    .iter()
                    .map(|(e, t)| format!("{e} {t}"))
                    .collect();
                let now: Vec<String> = d
                    .events
                    .all()
                    .iter()
                    .map(|(e, t)| format!("{e} {t}"))
                    .collect();
                let added: Vec<&String> = now.iter().filter(|x| !was.contains(x)).collect();
                let removed: Vec<&String> = was.iter().filter(|x| !now.contains(x)).collect();
                let mut parts = Vec::new();
                if !added.is_empty() {
                    parts.push(format!(
                        "+{}",
                        added
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", +")
                    ));
                }
                if !removed.is_empty() {
                    parts.push(format!(
                        "-{}",
                        removed
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", -")
                    ));
                }
                if o.events.federal_register != d.events.federal_register {
                    parts.push(format!(
                        "Federal Register {}",
                        d.events.federal_register.as_deref().unwrap_or("(removed)")
                    ));
                }
                if parts.is_empty() {
                    parts.push("authority or details".into());
                }
                out.push(format!("designation {}: {}", d.program, parts.join(" ")));
            }
        }
    }
    for o in &before.designations {
        if !after.designations.iter().any(|d| d.program == o.program) {
            out.push(format!("designation {} removed", o.program));
        }
    }
    out
}
