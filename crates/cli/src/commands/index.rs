//! `interdict index build --output FILE`

use super::screen::{build_index, write_then_rename, Lists};
use crate::args::{IndexArgs, IndexBuildArgs, IndexCommand};
use crate::config;
use anyhow::{Context, Result};
use interdict_registry::Registry;
use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

pub fn run(args: IndexArgs, registry: impl FnOnce() -> Result<Registry>) -> Result<ExitCode> {
    match args.command {
        IndexCommand::Build(a) => build(a, registry),
    }
}

fn build(args: IndexBuildArgs, registry: impl FnOnce() -> Result<Registry>) -> Result<ExitCode> {
    let as_of = args
        .as_of
        .as_deref()
        .map(|d| config::date("--as-of", d))
        .transpose()?;
    let registry = registry()?;
    let start = Instant::now();
    let (index, publications) = build_index(&registry, as_of)?;
    write_then_rename(&args.output, |file| {
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        index.save(&mut writer)?;
        writer.flush()?;
        Ok(())
    })
    .with_context(|| format!("writing index {}", args.output.display()))?;
    let size = std::fs::metadata(&args.output).map_or(0, |m| m.len());
    println!(
        "wrote {}: {} entities of {} ({:.1} MB) in {:.2} s",
        args.output.display(),
        index.len(),
        Lists::Publications(publications),
        size as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
