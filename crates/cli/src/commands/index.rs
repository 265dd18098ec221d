//! `interdict index build --output FILE`

use super::screen::{build_index, Lists};
use crate::args::{IndexArgs, IndexBuildArgs, IndexCommand};
use crate::config;
use anyhow::{Context, Result};
use interdict_registry::Registry;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
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
    // Written beside the target and renamed when complete, so that a worker never loads half an
    // index.
    let path = &args.output;
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let written = (|| -> Result<()> {
        let file =
            File::create(&partial).with_context(|| format!("creating {}", partial.display()))?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        index
            .save(&mut writer)
            .with_context(|| format!("writing {}", partial.display()))?;
        let file = writer
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("writing {}", partial.display()))?;
        file.sync_all()?;
        std::fs::rename(&partial, path).with_context(|| format!("renaming to {}", path.display()))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written?;
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "wrote {}: {} entities of {} ({:.1} MB) in {:.2} s",
        path.display(),
        index.len(),
        Lists::Publications(publications),
        size as f64 / 1e6,
        start.elapsed().as_secs_f64()
    )?;
    Ok(ExitCode::SUCCESS)
}
