//! `interdict show LIST:ID`

use crate::args::ShowArgs;
use crate::{config, render};
use anyhow::Result;
use interdict_registry::{PublicationInfo, Registry};
use std::process::ExitCode;

fn date(p: &PublicationInfo) -> String {
    p.published
        .map(|d| d.to_string())
        .unwrap_or_else(|| "(undated)".into())
}

pub fn run(registry: &Registry, args: ShowArgs) -> Result<ExitCode> {
    let (list, id) = config::entity_key(&args.key)?;
    let as_of = args
        .as_of
        .as_deref()
        .map(|d| config::date("--as-of", d))
        .transpose()?;
    let when = as_of.map(|d| format!(" as of {d}")).unwrap_or_default();
    if list == interdict_model::ListId::Notice {
        return super::notice::show(registry, &id, as_of, args.json);
    }

    // The entity as the list stands; failing that, its last version, clearly marked: an analyst
    // asking about a delisted party needs to see what it was and when it left.
    let (publication, entity, delisted_in) = match registry.entity(list, &id, as_of)? {
        Some((p, e)) => (p, e, None),
        None => {
            let last = registry
                .entity_versions(list, &id)?
                .into_iter()
                .rfind(|v| as_of.is_none_or(|d| v.publication.published.is_some_and(|p| p <= d)));
            let Some(last) = last else {
                eprintln!("{list}:{id} is not in the registry{when} (see `interdict lists`)");
                return Ok(ExitCode::from(2));
            };
            let Some(entity) = registry.entity_record(list, &id, &last.record)? else {
                eprintln!("{list}:{id} is not in the registry{when} (see `interdict lists`)");
                return Ok(ExitCode::from(2));
            };
            let latest = registry.latest_publication(list, as_of)?;
            (last.publication, entity, latest)
        }
    };
    if args.json {
        let value = serde_json::json!({
            "publication": {
                "id": publication.id.0,
                "list": publication.list.as_str(),
                "published": publication.published.map(|d| d.to_string()),
            },
            "listed": delisted_in.is_none(),
            "not_in_publication": delisted_in.as_ref().map(|p| serde_json::json!({
                "id": p.id.0,
                "published": p.published.map(|d| d.to_string()),
            })),
            "entity": entity,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        if let Some(latest) = &delisted_in {
            println!(
                "NOT LISTED{when}: absent from {list} of {}; last listed in the publication of {}\n",
                date(latest),
                date(&publication)
            );
        }
        print!("{}", render::entity(&entity, &date(&publication)));
    }
    Ok(ExitCode::SUCCESS)
}
