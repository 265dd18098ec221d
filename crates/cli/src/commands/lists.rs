//! `interdict lists`

use crate::args::ListsArgs;
use crate::config;
use anyhow::Result;
use interdict_model::ListId;
use interdict_registry::{PublicationInfo, Registry};
use serde_json::json;
use std::process::ExitCode;

/// With `--as-of D`, the registry as it stood on D: the publications published by then (the
/// newest of each list is the one screening uses) and the notices announced by then. Notices
/// follow the publications (`--list notice` for them alone).
pub fn run(registry: &Registry, args: ListsArgs) -> Result<ExitCode> {
    let list = args.list.as_deref().map(config::list).transpose()?;
    let as_of = args
        .as_of
        .as_deref()
        .map(|d| config::date("--as-of", d))
        .transpose()?;
    let mut publications = registry.publications(list)?;
    if let Some(day) = as_of {
        publications.retain(|p| p.published.is_some_and(|d| d <= day));
    }
    let notices = match list {
        None | Some(ListId::Notice) => registry.notices(as_of)?,
        Some(_) => Vec::new(),
    };
    if args.json {
        let mut rows: Vec<_> = publications
            .iter()
            .map(|p| {
                json!({
                    "id": p.id.0,
                    "list": p.list.as_str(),
                    "published": p.published.map(|d| d.to_string()),
                    "ingested_at": p.ingested_at.to_string(),
                    "entities": p.entity_count,
                    "warnings": p.warning_count,
                    "files": p.files,
                })
            })
            .collect();
        rows.extend(notices.iter().map(|v| {
            json!({
                "list": ListId::Notice.as_str(),
                "notice": v.notice.id,
                "version": v.version,
                "known_from": v.known_from.to_string(),
                "recorded_at": v.recorded_at.to_string(),
                "source": v.source,
            })
        }));
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    if list != Some(ListId::Notice) {
        print_publications(&publications);
    }
    if !notices.is_empty() {
        if list != Some(ListId::Notice) {
            println!();
        }
        let width = notices
            .iter()
            .map(|v| v.notice.id.chars().count())
            .max()
            .unwrap_or(0)
            .max("NOTICE".len());
        println!(
            "{:<width$}  {:>3}  {:<10}  {:<20}  SOURCE",
            "NOTICE", "VER", "KNOWN FROM", "RECORDED (UTC)"
        );
        for v in &notices {
            println!(
                "{:<width$}  {:>3}  {:<10}  {:<20}  {}",
                v.notice.id,
                v.version,
                v.known_from.to_string(),
                v.recorded_at.strftime("%Y-%m-%d %H:%M:%S").to_string(),
                v.source.as_deref().unwrap_or("-")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_publications(publications: &[PublicationInfo]) {
    println!(
        "{:>4}  {:<10} {:<10}  {:>8}  {:>8}  {:<20}  FILES",
        "ID", "LIST", "PUBLISHED", "ENTITIES", "WARNINGS", "INGESTED (UTC)"
    );
    for p in publications {
        let files: Vec<&str> = p.files.iter().map(|f| f.name.as_str()).collect();
        let ingested = p.ingested_at.strftime("%Y-%m-%d %H:%M:%S").to_string();
        println!(
            "{:>4}  {:<10} {:<10}  {:>8}  {:>8}  {:<20}  {}",
            p.id.0,
            p.list.as_str(),
            p.published
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            p.entity_count,
            p.warning_count,
            ingested,
            files.join(", ")
        );
    }
}
