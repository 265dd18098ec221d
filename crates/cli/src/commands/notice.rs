//! `interdict notice add FILE...`, `interdict notice list`, and `interdict show notice:ID`.

use crate::args::{NoticeAddArgs, NoticeArgs, NoticeCommand, NoticeListArgs};
use crate::config;
use anyhow::Result;
use interdict_model::{ListId, Notice};
use interdict_registry::{NoticeOutcome, NoticeVersion, Registry};
use interdict_screening::{
    designation_statuses, notice_primary_name, resolve_links, today, DesignationOnDay, NoticeSet,
    ResolvedLink,
};
use serde_json::json;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::process::ExitCode;

pub fn run(args: NoticeArgs, open: impl FnOnce() -> Result<Registry>) -> Result<ExitCode> {
    match args.command {
        NoticeCommand::Add(a) => add(&mut open()?, a),
        NoticeCommand::List(a) => list(&open()?, a),
    }
}

/// Validates every file first and records only when all are valid: a batch of notices
/// (a designation and the organisations it names) is recorded whole or not at all.
fn add(registry: &mut Registry, args: NoticeAddArgs) -> Result<ExitCode> {
    let mut notices = Vec::with_capacity(args.files.len());
    let mut failed = false;
    for path in &args.files {
        match interdict_sources::notice::read(path) {
            Ok(n) => notices.push((path.display().to_string(), n)),
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    if failed {
        eprintln!("nothing recorded: fix the notices above and add them again");
        return Ok(ExitCode::FAILURE);
    }
    let mut ids = HashSet::new();
    for (file, n) in &notices {
        if !ids.insert(n.id.as_str()) {
            eprintln!(
                "error: {file}: notice {} is given twice in this batch",
                n.id
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    for (file, n) in &notices {
        for warning in unresolved_links(registry, n, &ids)? {
            eprintln!("warning: {file}: {warning}");
        }
    }
    let day = today();
    let mut recorded = Vec::new();
    for (file, n) in &notices {
        let outcome = registry.add_notice(n, Some(file))?;
        let v = outcome.version();
        if outcome.is_new() && v.known_from <= day {
            recorded.push(n.clone());
        }
        if args.json {
            println!(
                "{}",
                serde_json::to_string(&json!({
                    "file": file,
                    "notice": n.key(),
                    "recorded": outcome.is_new(),
                    "version": v.version,
                    "hash": v.hash,
                    "known_from": v.known_from.to_string(),
                }))?
            );
            continue;
        }
        let what = match &outcome {
            NoticeOutcome::Recorded(v) if v.version == 1 => "recorded".to_string(),
            NoticeOutcome::Recorded(v) => {
                format!(
                    "recorded version {} (supersedes {})",
                    v.version,
                    v.version - 1
                )
            }
            NoticeOutcome::Unchanged(v) => format!("unchanged (version {})", v.version),
        };
        println!(
            "{}: {what} {}  {}, counts from {}",
            file,
            n.key(),
            notice_primary_name(n),
            v.known_from
        );
        for d in designations_on(v, day) {
            println!("    {} today ({day}): {}", label(&d), d.status_text);
        }
    }
    super::monitor::after_notices(registry, &recorded, day)?;
    Ok(ExitCode::SUCCESS)
}

/// Links whose `list:id` names nothing the registry holds: a notice naming a list entity that
/// is not on the latest publication of its list, or a notice that is neither recorded nor in
/// this batch. Warnings, not errors: a notice may be recorded before the list that will carry
/// its leader, and a list that was never ingested is not checked.
fn unresolved_links(
    registry: &Registry,
    notice: &Notice,
    batch: &HashSet<&str>,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for link in &notice.links {
        let Some(target) = &link.target else {
            continue;
        };
        let Ok((list, id)) = config::entity_key(target) else {
            continue;
        };
        let missing = if list == ListId::Notice {
            !batch.contains(id.as_str()) && registry.notice(&id, None)?.is_none()
        } else {
            registry.latest_publication(list, None)?.is_some()
                && registry.entity(list, &id, None)?.is_none()
        };
        if missing {
            out.push(format!(
                "{} link {target} is not in the registry",
                link.relation
            ));
        }
    }
    Ok(out)
}

/// `FTO (INA §219 (8 U.S.C. §1189))`.
pub fn label(d: &DesignationOnDay) -> String {
    format!("{} ({})", d.program, d.legal_basis.join(", "))
}

/// A notice's designations with their status on `day`.
fn designations_on(v: &NoticeVersion, day: jiff::civil::Date) -> Vec<DesignationOnDay> {
    designation_statuses(&v.notice, day)
}

fn list(registry: &Registry, args: NoticeListArgs) -> Result<ExitCode> {
    let as_of = args
        .as_of
        .as_deref()
        .map(|d| config::date("--as-of", d))
        .transpose()?;
    let set = NoticeSet::from_registry(registry, as_of)?;
    let day = set.day();
    if args.json {
        let rows: Vec<_> = set
            .notices()
            .map(|v| {
                json!({
                    "notice": v.notice.key(),
                    "version": v.version,
                    "known_from": v.known_from.to_string(),
                    "recorded_at": v.recorded_at.to_string(),
                    "source": v.source,
                    "name": notice_primary_name(&v.notice),
                    "as_of": day.to_string(),
                    "designations": designations_on(v, day),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    if set.is_empty() {
        println!("No notice counts by {day} (record some with `interdict notice add FILE`).");
        return Ok(ExitCode::SUCCESS);
    }
    let width = set
        .notices()
        .map(|v| v.notice.key().chars().count())
        .max()
        .unwrap_or(0)
        .max("NOTICE".len());
    println!(
        "{:<width$}  {:>3}  {:<10}  {:<20}  NAME / STATUS ON {day}",
        "NOTICE", "VER", "KNOWN FROM", "RECORDED (UTC)"
    );
    for v in set.notices() {
        println!(
            "{:<width$}  {:>3}  {:<10}  {:<20}  {}",
            v.notice.key(),
            v.version,
            v.known_from.to_string(),
            v.recorded_at.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            notice_primary_name(&v.notice)
        );
        for d in designations_on(v, day) {
            println!(
                "{:<width$}  {:>3}  {:<10}  {:<20}    {}: {}",
                "",
                "",
                "",
                "",
                label(&d),
                d.status_text
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `interdict show notice:ID [--as-of D]`: the notice, its designations' status on the day,
/// links resolved, sources, and its versions.
pub fn show(
    registry: &Registry,
    id: &str,
    as_of: Option<jiff::civil::Date>,
    as_json: bool,
) -> Result<ExitCode> {
    let key = format!("{}:{id}", ListId::Notice);
    let Some(v) = registry.notice(id, as_of)? else {
        let when = as_of.map(|d| format!(" as of {d}")).unwrap_or_default();
        match registry.notice(id, None)? {
            Some(later) => eprintln!(
                "{key} is not known{when}: its first public event is on {}",
                later.known_from
            ),
            None => eprintln!("{key} is not in the registry (see `interdict notice list`)"),
        }
        return Ok(ExitCode::from(2));
    };
    let day = as_of.unwrap_or_else(today);
    let designations = designations_on(&v, day);
    let links = resolve_links(registry, &v.notice, as_of)?;
    let versions = registry.notice_versions(id)?.len();
    if as_json {
        let value = json!({
            "notice": v.notice,
            "version": v.version,
            "versions": versions,
            "hash": v.hash,
            "known_from": v.known_from.to_string(),
            "recorded_at": v.recorded_at.to_string(),
            "source": v.source,
            "as_of": day.to_string(),
            "designations": designations,
            "links": links,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", render(&v, versions, day, &designations, &links));
    Ok(ExitCode::SUCCESS)
}

fn render(
    v: &NoticeVersion,
    versions: usize,
    day: jiff::civil::Date,
    designations: &[DesignationOnDay],
    links: &[ResolvedLink],
) -> String {
    let n = &v.notice;
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", n.key(), notice_primary_name(n));
    let _ = writeln!(
        out,
        "{} designation notice, version {} of {versions}, recorded {}{}; counts from {}",
        n.kind.as_str(),
        v.version,
        v.recorded_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
        v.source
            .as_deref()
            .map(|s| format!(" from {s}"))
            .unwrap_or_default(),
        v.known_from
    );
    if let Some(title) = &n.title {
        let _ = writeln!(out, "{title}");
    }
    let _ = writeln!(out, "\nNames");
    for name in &n.names {
        let lang = name
            .lang
            .as_deref()
            .map(|l| format!(" [{l}]"))
            .unwrap_or_default();
        let kind = match name.kind {
            interdict_model::NameKind::Primary => "primary",
            _ => "a.k.a.",
        };
        let _ = writeln!(out, "  {}{lang}  ({kind})", name.name);
    }
    let _ = writeln!(out, "\nDesignations on {day}");
    for (d, s) in n.designations.iter().zip(designations) {
        let name = d
            .program_name
            .as_deref()
            .map(|p| format!(" — {p}"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {}{name}: {}", d.program, s.status_text);
        let _ = writeln!(
            out,
            "    {}; {}",
            d.authority.legal_basis.join(", "),
            d.authority.body
        );
        let events: Vec<String> = d
            .events
            .all()
            .into_iter()
            .map(|(what, when)| format!("{what} {when}"))
            .collect();
        if !events.is_empty() {
            let _ = writeln!(out, "    events: {}", events.join("; "));
        }
        if d.is_fto() && d.events.published.is_none() {
            let _ = writeln!(out, "    Federal Register publication: not known");
        }
        if let Some(citation) = &d.events.federal_register {
            let _ = writeln!(out, "    Federal Register: {citation}");
        }
        for a in &d.events.amended {
            let _ = writeln!(out, "    amended {}: {}", a.date, a.note);
        }
        if let Some(due) = s.review_due {
            let _ = writeln!(out, "    five-year review due by {due} (INA §219(a)(4)(C))");
        }
    }
    if !links.is_empty() {
        let _ = writeln!(out, "\nLinked parties");
        for l in links {
            let name = l.name.as_deref().unwrap_or("");
            let target = match (&l.target, &l.resolved) {
                (Some(t), Some(r)) => format!(" → {t} ({r})"),
                (Some(t), None) => format!(" → {t} (not in the registry)"),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {}: {name}{target}", l.relation);
        }
    }
    if !n.sources.is_empty() {
        let _ = writeln!(out, "\nSources");
        for s in &n.sources {
            let mut line = s.title.clone().unwrap_or_default();
            if let Some(date) = s.date {
                let _ = write!(line, " ({date})");
            }
            if let Some(url) = &s.url {
                let _ = write!(line, " <{url}>");
            }
            let _ = writeln!(out, "  {}", line.trim());
        }
    }
    if !n.remarks.is_empty() {
        let _ = writeln!(out, "\nRemarks");
        for r in &n.remarks {
            let _ = writeln!(out, "  {r}");
        }
    }
    out
}
