//! `interdict monitor add|list|remove|update`, and the monitoring run that follows an ingest.

use crate::args::{MonitorArgs, MonitorCommand};
use anyhow::{Context, Result};
use interdict_model::{DesignationStatus, Entity, ListId, Notice};
use interdict_registry::{PublicationId, Registry, Trigger};
use interdict_screening::monitor::{
    self, MonitorOptions, MonitorReport, PreparedLists, UpdateStart,
};
use serde_json::json;
use std::process::ExitCode;

pub fn run(
    args: MonitorArgs,
    open: impl Fn() -> Result<Registry>,
    open_with_data: impl Fn() -> Result<Registry>,
) -> Result<ExitCode> {
    let options = MonitorOptions::default();
    let full = matches!(args.command, MonitorCommand::Rescreen(_));
    match args.command {
        MonitorCommand::Add(a) => {
            let mut registry = open_with_data()?;
            let bar = super::spinner(format!("adding customers from {}", a.input.display()));
            let report = monitor::add_file(&mut registry, &a.input, &options)
                .with_context(|| format!("adding customers from {}", a.input.display()));
            bar.finish_and_clear();
            let report = report?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&report_json(&report))?);
            } else {
                print_add(&registry, &report)?;
            }
            Ok(if report.rejected.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        MonitorCommand::List(a) => {
            let registry = open()?;
            let customers = registry.customers()?;
            if a.json {
                let rows: Vec<_> = customers
                    .iter()
                    .map(|c| {
                        json!({
                            "customer": c.customer,
                            "hash": c.hash.to_hex(),
                            "updated_at": c.updated_at.to_string(),
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "{:<12}  {:<36}  {:<12}  {:<10}  {:<7}  {:<19}  IDENTIFIERS",
                "ID", "NAME", "TYPE", "DOB", "COUNTRY", "UPDATED (UTC)"
            );
            for c in &customers {
                let k = &c.customer;
                println!(
                    "{:<12}  {:<36}  {:<12}  {:<10}  {:<7}  {:<19}  {}",
                    k.id,
                    cut(&k.name, 36),
                    k.kind.as_deref().unwrap_or("-"),
                    k.dob.as_deref().unwrap_or("-"),
                    k.country.as_deref().unwrap_or("-"),
                    c.updated_at.strftime("%Y-%m-%d %H:%M:%S"),
                    k.identifiers.join("; ")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        MonitorCommand::Remove(a) => {
            let mut registry = open()?;
            let report = monitor::remove_customers(&mut registry, &a.ids)?;
            println!(
                "removed {} of {} customer id(s); {} pending alert(s) closed; {} customer(s) left",
                report.removed,
                a.ids.len(),
                report.closed,
                registry.book_len()?
            );
            Ok(ExitCode::SUCCESS)
        }
        MonitorCommand::Update(a) | MonitorCommand::Rescreen(a) => {
            let mut registry = open()?;
            let bar = super::spinner("screening the customer book".into());
            let report = if full {
                monitor::rescreen(&mut registry, &options)
            } else {
                monitor::update(&mut registry, &options)
            };
            bar.finish_and_clear();
            let report = report?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&report_json(&report))?);
            } else {
                println!("{}", update_line(&registry, &report)?);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Screens the book against what the ingests just done changed, and says what it did on
/// stderr (stdout belongs to the ingest's own output). `started`: the update's first half,
/// read right after the publication was stored.
pub fn after_ingest(
    registry: &mut Registry,
    fresh: &[(PublicationId, &[Entity])],
    prepared: Option<PreparedLists>,
    started: Option<UpdateStart>,
) -> Result<()> {
    if registry.book_is_empty()? {
        return Ok(());
    }
    let options = MonitorOptions::default();
    let started = match started {
        Some(started) => Ok(started),
        None => UpdateStart::read(registry, &options),
    };
    let report = started
        .and_then(|started| started.finish(registry, &options, fresh, prepared.as_ref()))
        .context("monitoring: screening the customer book against the update")?;
    // An index built from scratch (or from a cached one far behind) is kept for the next
    // update and `screen` to start from. The cache is an optimisation: failing to write it
    // is no error.
    if let Some(p) = prepared.as_ref().filter(|p| p.index_cache_stale()) {
        let _ = p.save_index_cache(registry);
    }
    // The command ends here. Freeing the lists' index and entities (some 150 MB in a million
    // allocations) took 7 ms of a 0.2 s daily update, for memory the process returns anyway.
    std::mem::forget(prepared);
    eprintln!("{}", update_line(registry, &report)?);
    Ok(())
}

/// Screens the book against notices just recorded (new ones, and new versions), as an ingest
/// does against a list update: a notice whose designations are all revoked is withdrawn and its
/// pending alerts closed. Says what it did on stderr.
pub fn after_notices(
    registry: &mut Registry,
    notices: &[Notice],
    day: jiff::civil::Date,
) -> Result<()> {
    if notices.is_empty() || registry.book_is_empty()? {
        return Ok(());
    }
    let (withdrawn, changed): (Vec<&Notice>, Vec<&Notice>) = notices.iter().partition(|n| {
        n.designations
            .iter()
            .all(|d| matches!(d.status_on(day), DesignationStatus::Revoked { .. }))
    });
    let entities: Vec<_> = changed.iter().map(|n| n.to_entity()).collect();
    let withdrawn: Vec<(String, String)> = withdrawn
        .iter()
        .map(|n| (ListId::Notice.as_str().to_string(), n.id.clone()))
        .collect();
    let report = monitor::screen_entities(
        registry,
        &entities,
        &withdrawn,
        Trigger::Notice,
        &MonitorOptions::default(),
    )
    .context("monitoring: screening the customer book against the notices")?;
    eprintln!("{}", update_line(registry, &report)?);
    Ok(())
}

fn update_line(registry: &Registry, r: &MonitorReport) -> Result<String> {
    let book = registry.book_len()?;
    if r.up_to_date {
        return Ok(format!(
            "monitoring: the book ({book} customers) is screened against the latest lists already"
        ));
    }
    let how = if r.full_lists.is_empty() {
        format!("{} candidate(s) screened", r.customers_screened)
    } else {
        let lists: Vec<&str> = r.full_lists.iter().map(|l| l.as_str()).collect();
        format!("whole book screened for {}", lists.join(", "))
    };
    Ok(format!(
        "monitoring: {} new or changed and {} delisted entities against {book} customers \
         ({how}): {} alert(s) raised, {} refreshed, {} closed{} in {:.2} s \
         (lists {:.2}, retrieval {:.2}, screening {:.2}, write {:.2})",
        r.changed_entities,
        r.delisted_entities,
        r.raised.len(),
        r.refreshed,
        r.closed,
        suppressed(r),
        r.timings.total.as_secs_f64(),
        r.timings.lists.as_secs_f64(),
        r.timings.retrieval.as_secs_f64(),
        r.timings.screening.as_secs_f64(),
        r.timings.write.as_secs_f64(),
    ))
}

fn suppressed(r: &MonitorReport) -> String {
    let mut out = String::new();
    if r.suppressed > 0 {
        out.push_str(&format!(", {} already decided", r.suppressed));
    }
    if r.refiled > 0 {
        out.push_str(&format!(
            "; the book ({} customers, filed by an older build) filed afresh",
            r.refiled
        ));
    }
    out
}

fn print_add(registry: &Registry, r: &MonitorReport) -> Result<()> {
    let against: Vec<String> = r
        .publications
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p.list,
                p.published.map(|d| d.to_string()).unwrap_or_default()
            )
        })
        .collect();
    println!(
        "book: {} added, {} updated, {} unchanged ({} customers)",
        r.added,
        r.updated,
        r.unchanged,
        registry.book_len()?
    );
    println!(
        "screened {} customer(s) against {}: {} alert(s) raised, {} refreshed, {} closed{} in {:.2} s",
        r.customers_screened,
        if against.is_empty() {
            "no list (none ingested)".into()
        } else {
            against.join(", ")
        },
        r.raised.len(),
        r.refreshed,
        r.closed,
        suppressed(r),
        r.timings.total.as_secs_f64()
    );
    if !r.raised.is_empty() {
        println!("see them with `interdict alerts --status open`");
    }
    for rejected in r.rejected.iter().take(20) {
        eprintln!("line {}: {}", rejected.line, rejected.reason);
    }
    if r.rejected.len() > 20 {
        eprintln!("… {} more rows not taken", r.rejected.len() - 20);
    }
    if !r.rejected.is_empty() {
        eprintln!("{} row(s) not taken into the book", r.rejected.len());
    }
    Ok(())
}

fn report_json(r: &MonitorReport) -> serde_json::Value {
    json!({
        "added": r.added,
        "updated": r.updated,
        "unchanged": r.unchanged,
        "removed": r.removed,
        "rejected": r.rejected.iter().map(|x| json!({"line": x.line, "reason": x.reason})).collect::<Vec<_>>(),
        "screened_against": r.publications.iter().map(|p| json!({
            "publication": p.id.0,
            "list": p.list.as_str(),
            "published": p.published.map(|d| d.to_string()),
        })).collect::<Vec<_>>(),
        "changed_entities": r.changed_entities,
        "delisted_entities": r.delisted_entities,
        "full_lists": r.full_lists.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
        "customers_screened": r.customers_screened,
        "raised": r.raised,
        "refreshed": r.refreshed,
        "closed": r.closed,
        "already_decided": r.suppressed,
        "refiled": r.refiled,
        "up_to_date": r.up_to_date,
        "seconds": {
            "lists": r.timings.lists.as_secs_f64(),
            "retrieval": r.timings.retrieval.as_secs_f64(),
            "screening": r.timings.screening.as_secs_f64(),
            "write": r.timings.write.as_secs_f64(),
            "total": r.timings.total.as_secs_f64(),
        },
    })
}

fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let kept: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}
