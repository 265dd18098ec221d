//! Screening: asking whether names are on the sanctions lists, one at a time or by the file.
//!
//! This crate sits between `matching` (which knows how to score one name against an index) and
//! the front ends (command line, server, bindings), and owns what they share:
//!
//! - **which lists**: [`index_from_registry`] builds a [`MatchIndex`] of the latest publication
//!   of every list as of a date, and says which publications those were, plus the designation
//!   notices counted by that date ([`NoticeSet`], which also gives each notice match the
//!   status of its designations that day);
//! - **what a query is**: [`Row`] turns text fields (name, type, date of birth, country,
//!   identifiers) into a [`Query`], validating them the same way for every front end; countries
//!   are resolved through an ISO 3166 table ([`country`]);
//! - **one query**: [`screen_one`], a pure function of index, query and options;
//! - **batches**: [`screen_file`] reads CSV or JSON lines and writes one JSON line per row.
//! - **monitoring**: [`monitor`] keeps a customer book in the registry and screens it again when
//!   the lists change — only the entities that changed, found through the book's own index —
//!   raising alerts that remember the decisions made on them.
//!
//! Invariants:
//! - Results are best first, at or above the threshold, at most `limit` long (the contract of
//!   [`MatchIndex::search`]; the tests here hold it to it).
//! - Both sides of a country comparison went through one table: queries' countries in
//!   [`Row::to_query`], entities' in [`index_from_registry`].
//! - A batch writes exactly one output line per input row, in input order, whatever happens to
//!   the row: a row that cannot be screened gets an `"error"` (with its line number) instead of
//!   `"matches"`, and the batch goes on. Only input that is not CSV or JSON lines at all, and
//!   I/O failures, stop a batch ([`ScreeningError`]).
//! - A batch holds a bounded number of rows in memory whatever the size of its input.
//! - Nothing here reads files other than the batch input, and nothing here prints: reporting is
//!   the front end's business ([`Progress`] and [`BatchSummary`] give it what it needs).
//!
//! Layering: this crate reads the registry and calls matching; neither knows it exists.
#![deny(missing_docs)]

mod batch;
mod error;
pub mod index_cache;
mod lists;
pub mod monitor;
mod notices;
mod row;

pub use batch::{
    detect_format, read_rows, screen_file, screen_reader, BatchOptions, BatchSummary, InputFormat,
    InputRow, Progress,
};
pub use error::ScreeningError;
pub use index_cache::{cache_path, index_from_registry_cached, CacheUse, IndexBase, Reuse};
pub use interdict_matching::country;
pub use interdict_matching::{Match, MatchIndex, Query, SearchOptions};
pub use lists::index_from_registry;
pub use notices::{
    designation_statuses, notice_primary_name, resolve_links, today, DesignationOnDay,
    NoticeAnnotation, NoticeAnnotations, NoticeSet, ResolvedLink,
};
pub use row::{normalize_country, parse_dob, parse_kind, split_identifiers, Row, RowError};

/// Screens one query: the entities it may be, best first.
///
/// Pure and `Sync`-friendly: the index is only read, so any number of threads (or a Python or
/// Spark worker holding a loaded index) may call it at once. Build the query with
/// [`Row::to_query`] so that its country is in the form the index compares.
///
/// Results are best first, at most `options.limit`, each scoring at least `options.threshold`
/// (with threshold 0, the best `limit` candidates whatever their score): the contract of
/// [`MatchIndex::search`], which the tests of this crate hold it to.
pub fn screen_one(index: &MatchIndex, query: &Query, options: &SearchOptions) -> Vec<Match> {
    index.search(query, options)
}
