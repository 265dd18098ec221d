//! `interdict lists`

use crate::args::ListsArgs;
use crate::config;
use anyhow::Result;
use interdict_registry::Registry;
use serde_json::json;
use std::process::ExitCode;

pub fn run(registry: &Registry, args: ListsArgs) -> Result<ExitCode> {
    let list = args.list.as_deref().map(config::list).transpose()?;
    let publications = registry.publications(list)?;
    if args.json {
        let rows: Vec<_> = publications
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
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:>4}  {:<10} {:<10}  {:>8}  {:>8}  {:<20}  FILES",
        "ID", "LIST", "PUBLISHED", "ENTITIES", "WARNINGS", "INGESTED (UTC)"
    );
    for p in &publications {
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
    Ok(ExitCode::SUCCESS)
}
