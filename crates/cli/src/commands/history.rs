//! `interdict history LIST:ID`

use crate::args::HistoryArgs;
use crate::{config, render};
use anyhow::Result;
use interdict_registry::{HistoryEvent, PublicationInfo, Registry};
use serde_json::json;
use std::process::ExitCode;

fn date(p: &PublicationInfo) -> String {
    p.published
        .map(|d| d.to_string())
        .unwrap_or_else(|| "(undated)".into())
}

pub fn run(registry: &Registry, args: HistoryArgs) -> Result<ExitCode> {
    let (list, id) = config::entity_key(&args.key)?;
    let events = registry.history(list, &id)?;
    if events.is_empty() {
        eprintln!("{list}:{id} is in no publication of the registry (see `interdict lists`)");
        return Ok(ExitCode::from(2));
    }
    if args.json {
        let rows: Vec<_> = events
            .iter()
            .map(|e| match e {
                HistoryEvent::Listed {
                    publication,
                    entity,
                    relisted,
                } => json!({
                    "event": if *relisted { "relisted" } else { "listed" },
                    "published": publication.published.map(|d| d.to_string()),
                    "publication_id": publication.id.0,
                    "entity": entity,
                }),
                HistoryEvent::Changed {
                    publication,
                    changes,
                } => json!({
                    "event": "changed",
                    "published": publication.published.map(|d| d.to_string()),
                    "publication_id": publication.id.0,
                    "changes": changes,
                }),
                HistoryEvent::Delisted { publication } => json!({
                    "event": "delisted",
                    "published": publication.published.map(|d| d.to_string()),
                    "publication_id": publication.id.0,
                }),
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
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
