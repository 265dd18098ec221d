//! What the registry tells about a stored publication.

use crate::ContentHash;
use interdict_model::{ListId, SourceFile};
use std::fmt;

/// The id of a stored publication: assigned at ingest, in ingest order, never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicationId(pub i64);

impl fmt::Display for PublicationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One stored publication, without its entities.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicationInfo {
    /// Its id in this registry.
    pub id: PublicationId,
    /// The list it is a release of.
    pub list: ListId,
    /// The publication date, when known.
    pub published: Option<jiff::civil::Date>,
    /// Its identity: see [`ContentHash`] and `Registry::ingest`.
    pub hash: ContentHash,
    /// When it was ingested.
    pub ingested_at: jiff::Timestamp,
    /// The files it was read from, in the order given at ingest.
    pub files: Vec<SourceFile>,
    /// How many entities it holds.
    pub entity_count: usize,
    /// How many warnings reading it produced.
    pub warning_count: usize,
}

/// One version of an entity: a publication that holds it and the record it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityVersion {
    /// The publication.
    pub publication: PublicationInfo,
    /// The content hash of the entity's record in it. Consecutive versions with the same hash
    /// are unchanged.
    pub record: ContentHash,
}

/// The result of an ingest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IngestOutcome {
    /// The publication was new and is now stored.
    Ingested {
        /// The stored publication.
        publication: PublicationInfo,
        /// How many of its records were not stored before (new or changed entities).
        new_records: usize,
    },
    /// A publication with the same hash was stored before; nothing was written.
    AlreadyIngested {
        /// The publication stored before.
        publication: PublicationInfo,
    },
}

impl IngestOutcome {
    /// The stored publication, new or not.
    pub fn publication(&self) -> &PublicationInfo {
        match self {
            IngestOutcome::Ingested { publication, .. }
            | IngestOutcome::AlreadyIngested { publication } => publication,
        }
    }

    /// True when this ingest stored the publication.
    pub fn is_new(&self) -> bool {
        matches!(self, IngestOutcome::Ingested { .. })
    }
}

/// Row counts and stored sizes, for `lists --verbose`-style reporting and for tests of
/// deduplication.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegistryStats {
    /// Stored publications.
    pub publications: u64,
    /// Distinct entity records.
    pub records: u64,
    /// Compressed chunks holding those records.
    pub chunks: u64,
    /// Bytes of compressed record data.
    pub record_bytes: u64,
    /// Bytes of encoded member lists.
    pub membership_bytes: u64,
}
