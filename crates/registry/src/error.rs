//! The one error type of the registry.

use crate::{ContentHash, PublicationId};
use interdict_model::ListId;
use std::path::PathBuf;

/// Everything that can go wrong opening, writing or reading a registry.
///
/// Variants name the file, publication or record concerned, so that a message shown to a user
/// says *what* is wrong, not only that something is.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// The directory that should hold the registry file could not be created.
    #[error("cannot create directory {path}: {source}")]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },

    /// SQLite could not open or create the registry file (missing permissions, a directory in
    /// its place, …).
    #[error("cannot open registry {path}: {source}")]
    Open {
        /// The registry file.
        path: PathBuf,
        /// SQLite's reason.
        source: rusqlite::Error,
    },

    /// The file exists but is not an interdict registry: not an SQLite database at all, or the
    /// database of another application. Nothing was written to it.
    #[error("{path} is not an interdict registry: {reason}")]
    NotARegistry {
        /// The file.
        path: PathBuf,
        /// What gave it away.
        reason: String,
    },

    /// The registry was written by a newer interdict whose schema this one does not know.
    /// Opening it anyway could corrupt it, so it is left alone.
    #[error(
        "registry {path} has schema version {found}, newer than the {supported} this interdict \
         supports; upgrade interdict to use it"
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// The schema version found in the file.
        found: u32,
        /// The newest schema version this build knows.
        supported: u32,
    },

    /// A publication holds two entities with the same id. Ids are the key of every lookup, so
    /// such a publication is refused rather than stored ambiguously.
    #[error("publication of {list} contains entity id {id:?} more than once")]
    DuplicateEntity {
        /// The list.
        list: ListId,
        /// The repeated id.
        id: String,
    },

    /// A publication holds an entity that says it belongs to another list.
    #[error("publication of {list} contains entity {id:?} of list {entity_list:?}")]
    ForeignEntity {
        /// The publication's list.
        list: ListId,
        /// The list the entity names.
        entity_list: String,
        /// The entity's id.
        id: String,
    },

    /// A publication cannot be stored as given (e.g. a publication date outside years
    /// 1–9999, which could not be ordered).
    #[error("invalid publication of {list}: {reason}")]
    InvalidPublication {
        /// The list.
        list: ListId,
        /// What is wrong.
        reason: String,
    },

    /// An entity could not be serialised into its canonical record form.
    #[error("cannot encode entity {key}: {reason}")]
    Encode {
        /// `list:id` of the entity.
        key: String,
        /// Why.
        reason: String,
    },

    /// No publication has this id.
    #[error("no publication with id {0}")]
    NoSuchPublication(PublicationId),

    /// A stored entity record cannot be decoded: its compressed chunk is damaged, its JSON does
    /// not parse, or its content no longer matches its hash.
    #[error("corrupt record {key} ({hash}): {reason}")]
    CorruptRecord {
        /// `list:id` of the entity the record should hold.
        key: String,
        /// The content hash the record should have.
        hash: ContentHash,
        /// What is wrong.
        reason: String,
    },

    /// Stored data of a publication (its metadata, member list or warnings) cannot be decoded.
    #[error("corrupt publication {id}: {reason}")]
    CorruptPublication {
        /// The publication.
        id: PublicationId,
        /// What is wrong.
        reason: String,
    },

    /// A notice cannot be recorded as given.
    #[error("invalid notice {id}: {reason}")]
    InvalidNotice {
        /// The notice id.
        id: String,
        /// What is wrong.
        reason: String,
    },

    /// A stored notice version cannot be decoded, or no longer matches its hash.
    #[error("corrupt notice {id} version {version}: {reason}")]
    CorruptNotice {
        /// The notice id.
        id: String,
        /// The version.
        version: u32,
        /// What is wrong.
        reason: String,
    },

    /// An audit entry cannot be appended or read as given (a kind that is not an identifier, a
    /// payload that does not serialise, a damaged last entry).
    #[error("audit log: {0}")]
    InvalidAudit(String),

    /// An API key cannot be created or revoked as asked (no name, no such key).
    #[error("API key: {0}")]
    InvalidApiKey(String),

    /// No alert has this id.
    #[error("no alert with id {0}")]
    NoSuchAlert(crate::AlertId),

    /// A monitoring write or a decision cannot be applied as given (a decision without a
    /// reason, a state naming a publication of another list).
    #[error("monitoring: {0}")]
    InvalidMonitoring(String),

    /// Another monitoring run moved what the book was screened against while this one
    /// screened; nothing was written, and running again screens what is left.
    #[error("monitoring state changed during the run ({0}); run it again")]
    MonitorStale(String),

    /// Stored monitoring data (a customer, a posting list, an alert) cannot be decoded.
    #[error("corrupt monitoring data: {0}")]
    CorruptMonitoring(String),

    /// Any other SQLite failure (disk full, I/O error, database locked for too long).
    #[error("registry database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// Result with [`RegistryError`].
pub type Result<T, E = RegistryError> = std::result::Result<T, E>;
