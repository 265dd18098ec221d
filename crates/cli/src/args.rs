//! The command line, as clap structs. No logic lives here: `config` validates.

use clap::{Args, Parser, Subcommand};
use interdict_matching::SearchOptions;
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
    /// Screen a name against the lists, or a file of names (`--input`).
    Screen(ScreenArgs),
    /// Score two names against each other and explain the score.
    Compare(CompareArgs),
    /// Screening index files: build one to screen with `screen --index` where there is no
    /// registry.
    Index(IndexArgs),
    /// An entity's timeline over the ingested publications: first listed, each change with
    /// the fields that changed, delisting.
    History(HistoryArgs),
    /// Entities added, removed and changed between two publications of a list.
    Diff(DiffArgs),
    /// Designation notices (what an authority announced before any list carries it):
    /// `notice add FILE...` records YAML notices (docs/notices.md), `notice list` lists them.
    Notice(NoticeArgs),
    /// The audit trail of ingests, notices and decisions: `audit verify` checks its hash chain.
    Audit(AuditArgs),
    /// Ongoing monitoring of a customer book: `monitor add --input FILE` screens new and
    /// changed customers, and every later ingest screens the book against what changed.
    Monitor(MonitorArgs),
    /// Alerts raised by monitoring; `alerts decide ID` records a decision on one.
    Alerts(AlertsArgs),
    /// Serve the HTTP API and web UI on the registry (README, "Running the server").
    Serve(ServeArgs),
    /// API keys of the server: `keys add --role viewer|analyst|admin --name NAME` prints a
    /// new key's token (once), `keys list`, `keys revoke ID`.
    Keys(KeysArgs),
}

/// `interdict keys`.
#[derive(Debug, Args)]
pub struct KeysArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: KeysCommand,
}

/// `interdict keys` subcommands.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create a key and print its token (shown this once; only its SHA-256 is stored).
    Add(KeysAddArgs),
    /// List the keys (never their tokens).
    List(KeysListArgs),
    /// Revoke a key: it stops working within seconds on a running server.
    Revoke(KeysRevokeArgs),
}

/// `interdict keys add`.
#[derive(Debug, Args)]
pub struct KeysAddArgs {
    /// `viewer` (screen, search, read), `analyst` (+ decide alerts) or `admin` (+ ingest,
    /// notices, keys).
    #[arg(long)]
    pub role: String,
    /// Whose or what the key is for.
    #[arg(long)]
    pub name: String,
    /// Print the key as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `interdict keys list`.
#[derive(Debug, Args)]
pub struct KeysListArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `interdict keys revoke`.
#[derive(Debug, Args)]
pub struct KeysRevokeArgs {
    /// The key's id (see `keys list`).
    pub id: i64,
}

/// `interdict serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on. Without API keys in the registry only a loopback
    /// address is accepted.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub listen: String,
}

/// `interdict notice`.
#[derive(Debug, Args)]
pub struct NoticeArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: NoticeCommand,
}

/// `interdict notice` subcommands.
#[derive(Debug, Subcommand)]
pub enum NoticeCommand {
    /// Validate and record notice files; a notice already recorded with the same content is
    /// left as it is, a changed one becomes its next version.
    Add(NoticeAddArgs),
    /// List the recorded notices (latest versions) with the status of their designations.
    List(NoticeListArgs),
}

/// `interdict notice add`.
#[derive(Debug, Args)]
pub struct NoticeAddArgs {
    /// YAML notice files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Print the outcome as JSON lines, one per file.
    #[arg(long)]
    pub json: bool,
}

/// `interdict notice list`.
#[derive(Debug, Args)]
pub struct NoticeListArgs {
    /// Only notices announced by this date, with their status on it (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `interdict audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: AuditCommand,
}

/// `interdict audit` subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain: exit 0 when intact, 1 naming the first bad entry.
    Verify(AuditVerifyArgs),
    /// Print the audit entries, oldest first.
    Log(AuditLogArgs),
}

/// `interdict audit verify`.
#[derive(Debug, Args)]
pub struct AuditVerifyArgs {
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `interdict audit log`.
#[derive(Debug, Args)]
pub struct AuditLogArgs {
    /// Start at this entry.
    #[arg(long, value_name = "SEQ", default_value_t = 1)]
    pub from: i64,
    /// Print JSON lines.
    #[arg(long)]
    pub json: bool,
}

/// `interdict history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The entity, as `LIST:ID`.
    #[arg(value_name = "LIST:ID")]
    pub key: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `interdict diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The list (`ofac-sdn`, `ofac-cons`, `un`).
    #[arg(value_name = "LIST")]
    pub list: String,
    /// The older publication: a date (the list as published on that day) or a publication id
    /// from `interdict lists`.
    #[arg(value_name = "FROM")]
    pub from: String,
    /// The newer publication, likewise.
    #[arg(value_name = "TO")]
    pub to: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
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
    /// Only this list (`ofac-sdn`, `ofac-cons`, `un`, `notice`).
    #[arg(long, value_name = "LIST")]
    pub list: Option<String>,
    /// The registry as it stood on this date (YYYY-MM-DD): publications published by then,
    /// notices announced by then.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
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

/// `interdict screen`.
#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// The name to screen, in any script and order ("Nicolás Maduro", "MADURO, Nicolas").
    #[arg(
        value_name = "NAME",
        required_unless_present = "input",
        conflicts_with = "input"
    )]
    pub name: Option<String>,
    /// Entity type: person, organization, vessel or aircraft.
    #[arg(long = "type", value_name = "TYPE", conflicts_with = "input")]
    pub kind: Option<String>,
    /// Date of birth or incorporation: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DATE", conflicts_with = "input")]
    pub dob: Option<String>,
    /// Country: ISO code (VE, VEN) or name (Venezuela).
    #[arg(long, value_name = "COUNTRY", conflicts_with = "input")]
    pub country: Option<String>,
    /// An identifier (passport, national ID, IMO, BIC...); repeat for several.
    #[arg(long = "id", value_name = "ID", conflicts_with = "input")]
    pub identifiers: Vec<String>,
    /// Most matches per name.
    #[arg(long, value_name = "N", default_value_t = SearchOptions::default().limit)]
    pub limit: usize,
    /// Lowest score reported, 0 to 1 (0: the best `--limit` candidates whatever their score).
    #[arg(long, value_name = "T", default_value_t = SearchOptions::default().threshold)]
    pub threshold: f64,
    /// Explain each match.
    #[arg(long, conflicts_with = "input")]
    pub explain: bool,
    /// Print the matches as a JSON array.
    #[arg(long, conflicts_with = "input")]
    pub json: bool,
    /// Screen against the lists as they stood on this date (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Screen against this index file (from `interdict index build`) instead of the registry.
    #[arg(long, value_name = "FILE", conflicts_with = "as_of")]
    pub index: Option<PathBuf>,
    /// Screen every row of this file (CSV with a header, or JSON lines; `-` for stdin). Rows
    /// that cannot be screened get an "error" in their output line; the exit status is then 2.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Where batch results go, one JSON line per input row (`-` for stdout, the default).
    #[arg(long, value_name = "FILE", requires = "input")]
    pub output: Option<PathBuf>,
}

/// `interdict compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The first name.
    #[arg(value_name = "NAME_A")]
    pub a: String,
    /// The second name.
    #[arg(value_name = "NAME_B")]
    pub b: String,
    /// Entity type both names are of: person, organization, vessel or aircraft.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// Print `{"score": ..., "explanation": ...}`.
    #[arg(long)]
    pub json: bool,
}

/// `interdict index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: IndexCommand,
}

/// `interdict index` subcommands.
#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Build the screening index of the lists and write it to one self-contained file.
    Build(IndexBuildArgs),
}

/// `interdict index build`.
#[derive(Debug, Args)]
pub struct IndexBuildArgs {
    /// The index file to write.
    #[arg(long, value_name = "FILE")]
    pub output: PathBuf,
    /// Index the lists as they stood on this date (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
}

/// `interdict monitor`.
#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: MonitorCommand,
}

/// `interdict monitor` subcommands.
#[derive(Debug, Subcommand)]
pub enum MonitorCommand {
    /// Add customers to the book (a customer whose id is in the book is replaced) and screen
    /// the new and changed ones against the lists.
    Add(MonitorAddArgs),
    /// List the customers of the book.
    List(MonitorListArgs),
    /// Remove customers from the book; their pending alerts are closed.
    Remove(MonitorRemoveArgs),
    /// Screen the book against what changed since it was last screened (every ingest does
    /// this; run it by hand after an interrupted one).
    Update(MonitorUpdateArgs),
    /// Screen the whole book against the current lists and reconcile the alerts with today's
    /// scores (updates only score pairs whose records changed; run this now and then).
    Rescreen(MonitorUpdateArgs),
}

/// `interdict monitor add`.
#[derive(Debug, Args)]
pub struct MonitorAddArgs {
    /// Customer file: CSV with a header or JSON lines (`-` for stdin), the rows of
    /// `screen --input` with a required `id`. Rows that cannot be taken are reported; the
    /// exit status is then 2.
    #[arg(long, value_name = "FILE")]
    pub input: PathBuf,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `interdict monitor list`.
#[derive(Debug, Args)]
pub struct MonitorListArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `interdict monitor remove`.
#[derive(Debug, Args)]
pub struct MonitorRemoveArgs {
    /// Customer ids.
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
}

/// `interdict monitor update` and `monitor rescreen`.
#[derive(Debug, Args)]
pub struct MonitorUpdateArgs {
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `interdict alerts`: lists alerts, or records a decision with `alerts decide`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AlertsArgs {
    /// A subcommand; without one, the alerts are listed.
    #[command(subcommand)]
    pub command: Option<AlertsCommand>,
    /// Only alerts with this status: open, escalated, false_positive, true_match, closed.
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Print JSON (an array of alerts, each with its explanation and decisions).
    #[arg(long)]
    pub json: bool,
}

/// `interdict alerts` subcommands.
#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Record a decision on an alert: who, when, why (appended to the audit log).
    Decide(AlertsDecideArgs),
    /// Show one alert: the match explained, and its decisions.
    Show(AlertsShowArgs),
}

/// `interdict alerts decide`.
#[derive(Debug, Args)]
pub struct AlertsDecideArgs {
    /// The alert id.
    #[arg(value_name = "ID")]
    pub id: i64,
    /// The decision: false_positive, true_match, escalated, or open (reopen).
    #[arg(long, value_name = "STATUS")]
    pub status: String,
    /// Why (kept with the decision and in the audit log).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Who decided (default: $USER).
    #[arg(long, env = "USER", value_name = "NAME")]
    pub by: Option<String>,
    /// Print the alert as decided, as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `interdict alerts show`.
#[derive(Debug, Args)]
pub struct AlertsShowArgs {
    /// The alert id.
    #[arg(value_name = "ID")]
    pub id: i64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
