//! One module per subcommand; `run` dispatches.

mod alerts;
mod audit;
mod compare;
mod diff;
mod history;
mod index;
mod ingest;
mod keys;
mod lists;
mod monitor;
mod notice;
mod screen;
mod serve;
mod show;

use crate::args::{Cli, Command};
use crate::{bundled, config};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use interdict_registry::Registry;
use std::process::ExitCode;
use std::time::Duration;

/// Runs one command.
pub fn run(cli: Cli) -> Result<ExitCode> {
    // The registry is opened by the commands that need it only: `compare` and
    // `screen --index FILE` run on a worker that has an index file and no registry.
    let open = || -> Result<Registry> {
        let path = config::registry_path(cli.db.clone())?;
        Registry::open(&path).with_context(|| format!("opening registry {}", path.display()))
    };
    let open_with_data = || -> Result<Registry> {
        let mut registry = open()?;
        ensure_data(&mut registry)?;
        Ok(registry)
    };
    match cli.command {
        Command::Ingest(a) => ingest::run(&mut open()?, a),
        Command::Lists(a) => lists::run(&open_with_data()?, a),
        Command::Show(a) => show::run(&open_with_data()?, a),
        Command::Screen(a) => screen::run(a, open_with_data),
        Command::Compare(a) => compare::run(a),
        Command::Index(a) => index::run(a, open_with_data),
        Command::History(a) => history::run(&open_with_data()?, a),
        Command::Diff(a) => diff::run(&open_with_data()?, a),
        Command::Notice(a) => notice::run(a, open),
        Command::Audit(a) => audit::run(&open()?, a),
        Command::Monitor(a) => monitor::run(a, open, open_with_data),
        Command::Alerts(a) => alerts::run(&mut open()?, a),
        Command::Serve(a) => serve::run(a, open_with_data),
        Command::Keys(a) => keys::run(&mut open()?, a),
    }
}

/// A spinner on stderr, hidden when stderr is not a terminal (scripts, CI).
pub fn spinner(message: String) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// Loads the bundled default lists into an empty registry, so commands that read data work on
/// a fresh machine.
fn ensure_data(registry: &mut Registry) -> Result<()> {
    if !registry.is_empty()? {
        return Ok(());
    }
    let bar = spinner(format!(
        "registry is empty: loading the bundled {}",
        bundled::DESCRIPTION
    ));
    let publications = bundled::publications().context("reading the bundled lists")?;
    for p in &publications {
        registry.ingest(p).context("ingesting the bundled lists")?;
    }
    bar.finish_and_clear();
    eprintln!(
        "loaded the bundled {} into the empty registry",
        bundled::DESCRIPTION
    );
    Ok(())
}
