//! `interdict show LIST:ID`

use crate::args::ShowArgs;
use crate::{config, render};
use anyhow::Result;
use interdict_registry::Registry;
use std::process::ExitCode;

pub fn run(registry: &Registry, args: ShowArgs) -> Result<ExitCode> {
    let (list, id) = config::entity_key(&args.key)?;
    let as_of = args.as_of.as_deref().map(|d| config::date("--as-of", d)).transpose()?;
    let Some((publication, entity)) = registry.entity(list, &id, as_of)? else {
        let when = as_of.map(|d| format!(" as of {d}")).unwrap_or_default();
        eprintln!("{list}:{id} is not in the registry{when} (see `interdict lists`)");
        return Ok(ExitCode::from(2));
    };
    if args.json {
        let value = serde_json::json!({
            "publication": {
                "id": publication.id,
                "list": publication.list.as_str(),
                "published": publication.published.to_string(),
            },
            "entity": entity,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print!("{}", render::entity(&entity, &publication.published.to_string()));
    }
    Ok(ExitCode::SUCCESS)
}
