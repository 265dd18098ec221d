//! `interdict ingest PATH...`

use crate::args::IngestArgs;
use crate::config;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use interdict_model::{Entity, ListId};
use interdict_registry::{PublicationId, Registry};
use interdict_screening::monitor::{ListsBasis, MonitorOptions, PreparedLists, UpdateStart};
use interdict_screening::{IndexBase, Reuse};
use interdict_sources::LoadOptions;
use serde_json::json;
use std::process::ExitCode;

pub fn run(registry: &mut Registry, args: IngestArgs) -> Result<ExitCode> {
    let options = LoadOptions {
        published: args
            .published
            .as_deref()
            .map(|d| config::date("--published", d))
            .transpose()?,
    };
    let bar = ProgressBar::new(args.paths.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    if args.paths.len() < 2 {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    // The last publication ingested per list, kept for monitoring (it need not read it back).
    let mut fresh: Vec<(PublicationId, ListId, Vec<Entity>)> = Vec::new();
    // With one publication and a customer book, the screening index the book's update needs is
    // built while the publication is stored (the two take similar time and share no data).
    let monitored = args.paths.len() == 1 && !registry.book_is_empty()?;
    if monitored {
        // The analysis tables (lexicon, transliteration) load on their first use, 5–20 ms
        // that would fall inside the index build: here they load on the core the parse leaves
        // idle.
        std::thread::spawn(interdict_matching::preload);
    }
    // The cached index of the lists as they were, read on that core too: the update's index
    // is rebuilt from it, taking every entity the update leaves alone.
    let mut base_loading = match interdict_screening::cache_path(registry) {
        Some(path) if monitored => Some(std::thread::spawn(move || IndexBase::read(&path))),
        _ => None,
    };
    let mut prepared: Option<PreparedLists> = None;
    let mut started: Option<UpdateStart> = None;
    for path in &args.paths {
        bar.set_message(format!("reading {}", path.display()));
        let mut publication = interdict_sources::load(path, &options)?;
        bar.set_message(format!("storing {}", path.display()));
        let (stored, ahead) = if monitored {
            let basis = ListsBasis::read(registry, publication.list)?;
            let base = base_loading.take().and_then(|h| h.join().ok().flatten());
            std::thread::scope(|scope| {
                let entities = &publication.entities;
                let (stored, building) = match base {
                    // A rebuild needs to know what changed, which the stored publication
                    // tells; it then takes less time than the book's lookups made beside it.
                    Some(base) => {
                        let stored = registry.ingest(&publication);
                        // Planned against the publications indexed: the one stored is not the
                        // latest of its list when it is an older file ingested again.
                        let reuse = match &stored {
                            Ok(outcome) => {
                                let mut indexed = basis.publications();
                                indexed.push(outcome.publication().clone());
                                base.plan(registry, &indexed)
                            }
                            Err(_) => Reuse::default(),
                        };
                        let building = scope.spawn(move || basis.rebuild(entities, base, &reuse));
                        (stored, building)
                    }
                    None => {
                        let building = scope.spawn(|| basis.build(entities));
                        (registry.ingest(&publication), building)
                    }
                };
                // While the index is still being built: what changed for the book, and the
                // book's lookups for it (an error here is left to the update to meet again).
                if stored.is_ok() {
                    started = UpdateStart::read(registry, &MonitorOptions::default()).ok();
                }
                (stored, building.join().ok())
            })
        } else {
            (registry.ingest(&publication), None)
        };
        let outcome =
            stored.with_context(|| format!("{}: storing in the registry", path.display()))?;
        let info = outcome.publication();
        fresh.retain(|f| f.1 != info.list);
        // Kept for monitoring (inside the prepared lists when there are), which then need not
        // read them back; nothing below needs them.
        let entities = std::mem::take(&mut publication.entities);
        match ahead {
            Some(ahead) => prepared = Some(ahead.stored_as(info.clone(), entities)),
            None => fresh.push((info.id, info.list, entities)),
        }
        let published = info.published.map(|d| d.to_string()).unwrap_or_default();
        if args.json {
            bar.suspend(|| {
                println!(
                    "{}",
                    json!({
                        "path": path.display().to_string(),
                        "list": info.list.as_str(),
                        "published": published,
                        "publication_id": info.id.0,
                        "new": outcome.is_new(),
                        "entities": info.entity_count,
                        "warnings": publication.warnings,
                    })
                )
            });
        } else {
            bar.suspend(|| {
                let verb = if outcome.is_new() {
                    "ingested"
                } else {
                    "already in the registry:"
                };
                println!(
                    "{verb} {} {published} ({} entities, {} warnings) from {}",
                    info.list,
                    info.entity_count,
                    publication.warnings.len(),
                    path.display()
                );
                if args.warnings {
                    for w in &publication.warnings {
                        println!("  warning: {w}");
                    }
                }
            });
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let fresh: Vec<(PublicationId, &[Entity])> =
        fresh.iter().map(|(id, _, e)| (*id, e.as_slice())).collect();
    super::monitor::after_ingest(registry, &fresh, prepared, started)?;
    Ok(ExitCode::SUCCESS)
}
