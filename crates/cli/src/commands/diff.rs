//! `interdict diff LIST FROM TO`

use crate::args::DiffArgs;
use crate::{config, render};
use anyhow::{bail, Context, Result};
use interdict_model::ListId;
use interdict_registry::{PublicationId, PublicationInfo, Registry};
use std::process::ExitCode;

/// A publication named by its registry id (`12`) or its date (`2022-05-20`: the last
/// publication of the list published that day or before).
fn publication(registry: &Registry, list: ListId, spec: &str) -> Result<PublicationInfo> {
    if let Ok(id) = spec.parse::<i64>() {
        let p = registry
            .publication(PublicationId(id))?
            .with_context(|| format!("no publication {id} in the registry"))?;
        if p.list != list {
            bail!("publication {id} is of {}, not {list}", p.list);
        }
        return Ok(p);
    }
    let date = config::date("publication", spec)?;
    registry
        .latest_publication(list, Some(date))?
        .with_context(|| format!("no publication of {list} on or before {date}"))
}

pub fn run(registry: &Registry, args: DiffArgs) -> Result<ExitCode> {
    let list = config::list(&args.list)?;
    let from = publication(registry, list, &args.from)?;
    let to = publication(registry, list, &args.to)?;
    let d = registry.diff(from.id, to.id)?;
    let date = |p: &PublicationInfo| p.published.map(|d| d.to_string());
    if args.json {
        println!("{}", serde_json::to_string_pretty(&d)?);
        return Ok(ExitCode::SUCCESS);
    }
    let show = |p: &PublicationInfo| {
        format!(
            "{} (publication {})",
            date(p).unwrap_or_else(|| "undated".into()),
            p.id
        )
    };
    println!(
        "{list}: {} → {}: {} added, {} removed, {} changed",
        show(&d.from),
        show(&d.to),
        d.added.len(),
        d.removed.len(),
        d.changed.len()
    );
    let name =
        |e: &interdict_model::Entity| e.primary_name().map(|n| n.full.clone()).unwrap_or_default();
    for e in &d.added {
        println!(
            "+ {}:{}  {}  [{}]",
            list,
            e.id,
            name(e),
            e.programs().collect::<Vec<_>>().join(", ")
        );
    }
    for e in &d.removed {
        println!(
            "- {}:{}  {}  [{}]",
            list,
            e.id,
            name(e),
            e.programs().collect::<Vec<_>>().join(", ")
        );
    }
    for c in &d.changed {
        println!("~ {}:{}  {}", list, c.entity.id, name(&c.entity));
        for f in &c.changes {
            print!("{}", render::field_change(f));
        }
    }
    Ok(ExitCode::SUCCESS)
}
