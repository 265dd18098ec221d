//! The command line, as clap structs. No logic lives here: `config` validates.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// interdict: sanctions designation registry and screening engine.
#[derive(Debug, Parser)]
#[command(name = "interdict", version, about, long_about = None)]
pub struct Cli {
    /// Registry file (SQLite). Defaults to the user's data directory.
    #[arg(long, global = true, env = "INTERDICT_DB", value_name = "FILE")]
    pub db: Option<PathBuf>,

    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest list publications: files, or directories holding one publication (such as the
    /// four OFAC CSV files). Format and list are detected.
    Ingest(IngestArgs),
    /// List the ingested publications with their entity counts.
    Lists(ListsArgs),
    /// Show everything known about one entity, e.g. `interdict show ofac-sdn:22790`.
    Show(ShowArgs),
}

/// `interdict ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or directories, each one publication.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Publication date to record (YYYY-MM-DD), overriding the file's own.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub published: Option<String>,
    /// Print every warning found while reading (otherwise only counts).
    #[arg(long)]
    pub warnings: bool,
    /// Print the outcome as JSON lines, one per path.
    #[arg(long)]
    pub json: bool,
}

/// `interdict lists`.
#[derive(Debug, Args)]
pub struct ListsArgs {
    /// Only this list (`ofac-sdn`, `ofac-cons`, `un`).
    #[arg(long, value_name = "LIST")]
    pub list: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `interdict show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The entity, as `LIST:ID` (`ofac-sdn:22790`, `un:QDi.006`).
    #[arg(value_name = "LIST:ID")]
    pub key: String,
    /// Show the entity as the registry knew it on this date (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
