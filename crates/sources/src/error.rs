//! The error type of this crate.

use std::path::PathBuf;

/// Why a publication could not be read. Every variant names the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is larger than any real list publication (a guard against decompression bombs).
    #[error("{file}: {size} bytes after decompression is more than the limit of {limit} bytes")]
    TooLarge {
        /// The file.
        file: String,
        /// Bytes read before giving up.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file is not well-formed in its format (XML syntax, bad encoding, truncated...).
    #[error("{file}: {location}: {message}")]
    Malformed {
        /// The file.
        file: String,
        /// Where: `line 12, column 5`, `record 3`, `byte 2192`.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// The path is not a publication of any format interdict reads.
    #[error("{path}: not a recognised sanctions list ({reason})")]
    UnknownFormat {
        /// The path.
        path: PathBuf,
        /// What was looked for.
        reason: String,
    },
    /// The publication carries no date and none was given.
    #[error(
        "{path}: the publication date is not in the file or its name; pass --published YYYY-MM-DD"
    )]
    NoPublicationDate {
        /// The path.
        path: PathBuf,
    },
}

impl SourceError {
    /// A `Malformed` error.
    pub fn malformed(
        file: impl Into<String>,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> SourceError {
        SourceError::Malformed {
            file: file.into(),
            location: location.into(),
            message: message.into(),
        }
    }
}
