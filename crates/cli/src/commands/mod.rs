//! One module per subcommand; `run` dispatches.

mod ingest;
mod lists;
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
    let path = config::registry_path(cli.db)?;
    let mut registry =
        Registry::open(&path).with_context(|| format!("opening registry {}", path.display()))?;
    match cli.command {
        Command::Ingest(a) => ingest::run(&mut registry, a),
        Command::Lists(a) => {
            ensure_data(&mut registry)?;
            lists::run(&registry, a)
        }
        Command::Show(a) => {
            ensure_data(&mut registry)?;
            show::run(&registry, a)
        }
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
