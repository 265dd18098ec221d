//! The error type of whole screening operations (a bad row is not one: see [`RowError`]).
//!
//! [`RowError`]: crate::RowError

use std::path::PathBuf;

/// Why a screening operation as a whole failed.
///
/// A row that cannot be screened does not fail a batch: it is reported on its own output line
/// and the batch goes on. These errors are the ones after which nothing sensible can be
/// produced: the lists cannot be read, the input is not a screening file at all, the output
/// cannot be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScreeningError {
    /// Reading the lists from the registry failed.
    #[error(transparent)]
    Registry(#[from] interdict_registry::RegistryError),

    /// The registry holds no publication of any list (published on or before `as_of`).
    #[error("the registry holds no list publication{}", as_of.map(|d| format!(" published on or before {d}")).unwrap_or_default())]
    NoLists {
        /// The date asked for.
        as_of: Option<jiff::civil::Date>,
    },

    /// The input file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The input file (`-` for standard input).
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },

    /// The input is neither a CSV file with a `name` column nor JSON lines.
    #[error("{}: not a screening input (CSV with a header naming a `name` column, or JSON lines): {reason}", path.display())]
    NotScreeningInput {
        /// The input file (`-` for standard input).
        path: PathBuf,
        /// What gave it away.
        reason: String,
    },

    /// Writing the output failed.
    #[error("writing the output: {0}")]
    Write(#[source] std::io::Error),
}
