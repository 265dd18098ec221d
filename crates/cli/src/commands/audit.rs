//! `interdict audit verify` and `interdict audit log`.

use crate::args::{AuditArgs, AuditCommand, AuditLogArgs, AuditVerifyArgs};
use anyhow::Result;
use interdict_registry::Registry;
use std::process::ExitCode;

pub fn run(registry: &Registry, args: AuditArgs) -> Result<ExitCode> {
    match args.command {
        AuditCommand::Verify(a) => verify(registry, a),
        AuditCommand::Log(a) => log(registry, a),
    }
}

/// Exit 0 with "N entries, chain intact", or 1 naming the first bad entry: scripts and cron
/// jobs check the status, people read the line.
fn verify(registry: &Registry, args: AuditVerifyArgs) -> Result<ExitCode> {
    let report = registry.audit_verify()?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        match &report.first_bad {
            None => {
                let head = report
                    .head
                    .map(|h| format!("; head {h}"))
                    .unwrap_or_default();
                println!("{} entries, chain intact{head}", report.entries);
            }
            Some(bad) => {
                eprintln!(
                    "audit log BROKEN at entry {} of {}: {}",
                    bad.seq, report.entries, bad.reason
                );
                eprintln!(
                    "entries before {} verify; entry {} and everything after it cannot be trusted",
                    bad.seq, bad.seq
                );
            }
        }
    }
    Ok(if report.is_intact() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn log(registry: &Registry, args: AuditLogArgs) -> Result<ExitCode> {
    for entry in registry.audit_entries(args.from)? {
        if args.json {
            println!("{}", serde_json::to_string(&entry)?);
        } else {
            println!(
                "{:>6}  {}  {:<16} {}",
                entry.seq,
                entry.at.strftime("%Y-%m-%d %H:%M:%S"),
                entry.kind,
                entry.payload
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
