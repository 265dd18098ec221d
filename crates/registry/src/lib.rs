//! The registry: a versioned store of sanctions list publications, in one SQLite file.
//!
//! Every publication of a list that is ingested is kept, so that screening can be run against
//! the list as it stood on any date, and an entity's history (when it was listed, when its
//! record changed, when it was removed) can be told. Lists change little between releases, so
//! storage is content-addressed: each distinct entity record is stored once, and a publication
//! is a list of references to records.
//!
//! Invariants:
//! - **A publication is stored whole or not at all.** An ingest is one SQLite transaction; any
//!   error leaves the registry exactly as it was.
//! - **A publication is identified by its files.** Its hash covers the list id and the sorted
//!   SHA-256s of its source files; ingesting the same files again writes nothing and reports
//!   [`IngestOutcome::AlreadyIngested`].
//! - **Records are immutable and named by their content.** A record is the canonical JSON of a
//!   model [`Entity`](interdict_model::Entity); its SHA-256 is checked on every read, so
//!   damage is reported as [`RegistryError::CorruptRecord`], never returned as data.
//! - **A publication reads back as it was ingested**: same entities, same order, same
//!   warnings.
//! - **Within a publication, an entity id is unique**, and every entity belongs to the
//!   publication's list; publications breaking this are refused.
//! - **Notices are versioned, never overwritten.** Recording a notice
//!   ([`Registry::add_notice`]) stores a new version unless the latest one has the same content;
//!   every version stays readable. As of a date, a notice counts from its first public event
//!   (`notice.rs` tells why that date governs).
//! - **The audit log is append-only and hash-chained.** Every ingest and every notice appends
//!   an entry inside its own transaction; [`Registry::append_audit`] appends others (screening
//!   decisions). [`Registry::audit_verify`] names the first entry that was altered, removed or
//!   forged (`audit.rs` gives the canonical form hashed).
//! - **A monitoring run is one transaction.** The customer book, the alerts raised, refreshed
//!   and closed, and what the book is now screened against are written together by
//!   [`Registry::apply_monitoring`], which refuses a run that read a state another run has
//!   since moved; a decision on an alert and its `alert.decision` audit entry are likewise one
//!   transaction ([`Registry::decide_alert`]). The registry stores these; which customer may be
//!   which entity is decided by `screening` (`monitor.rs` says why the book's index lives here).
//! - **The schema only moves forward.** The file carries its schema version; older files are
//!   migrated on open, newer ones are refused ([`RegistryError::TooNew`]), files that are not
//!   registries are never written to ([`RegistryError::NotARegistry`]).
//!
//! Storage, in brief (details and measurements in the module comments): records are the
//! canonical JSON of entities, deflated in chunks of 64 (`record.rs`); which records a
//! publication holds is one compressed blob of record ids per publication (`membership.rs`).
//! The 60 SDN publications 2021-08 → 2024-05 (188 MB of CSV, 753,244 listings, 16,970
//! distinct records) take a 2.8 MB registry; ingesting a 14k-entity publication takes about
//! 0.2 s when every record is new and 0.05 s for a typical update, and reading all its
//! entities back under 0.1 s.
//!
//! Modules: `schema` (tables, migrations, [`SCHEMA_VERSION`]), `store` (opening, the
//! [`Registry`] handle), `ingest` and `query` (the writing and reading halves of it), `notice`
//! (designation notices and their versions), `audit` (the hash-chained log), `monitor` and
//! `alert` (the customer book, its retrieval vocabulary, monitoring state; alerts and decisions),
//! `record` and `membership` (the two encodings above), `hash` ([`ContentHash`] and the
//! publication hash), `parallel` (the CPU-bound work of ingest and bulk reads on all cores).
//!
//! ```
//! use interdict_model::{Entity, EntityKind, ListId, Name, NameKind, Publication};
//! use interdict_registry::Registry;
//!
//! let mut maduro = Entity::new("ofac-sdn", "22790", EntityKind::Person);
//! maduro.names.push(Name::new("MADURO MOROS, Nicolas", NameKind::Primary));
//! let publication = Publication {
//!     list: ListId::OfacSdn,
//!     published: Some(jiff::civil::date(2024, 5, 3)),
//!     files: vec![],
//!     entities: vec![maduro.clone()],
//!     warnings: vec![],
//! };
//!
//! let mut registry = Registry::open_in_memory()?;
//! let outcome = registry.ingest(&publication)?;
//! assert!(outcome.is_new());
//! assert!(!registry.ingest(&publication)?.is_new()); // same publication: nothing written
//!
//! let (info, entity) = registry.entity(ListId::OfacSdn, "22790", None)?.expect("listed");
//! assert_eq!((info.id, entity), (outcome.publication().id, maduro));
//! # Ok::<(), interdict_registry::RegistryError>(())
//! ```
//!
//! This crate depends on the model only: it stores what parsers produce without knowing any
//! source format, and knows nothing of matching or presentation.
#![deny(missing_docs)]

mod alert;
mod audit;
mod diff;
mod error;
mod hash;
mod ingest;
mod keys;
mod membership;
mod monitor;
mod notice;
mod parallel;
mod publication;
mod query;
mod record;
mod schema;
mod store;

pub use alert::{Alert, AlertId, AlertStatus, CloseReason, Decision, NewAlert, Trigger};
pub use audit::{AuditEntry, AuditFault, AuditReport};
pub use diff::{
    field_changes, EntityChange, FieldChange, HistoryEvent, ProgramChange, ProgramEvent,
    PublicationDiff,
};
pub use error::{RegistryError, Result};
pub use hash::ContentHash;
pub use keys::{token_hash, ApiKey, NewApiKey, Role};
pub use monitor::{
    record_hash, BookTerm, BookTermId, BookUpdate, Customer, CustomerRef, FiledCustomer,
    MonitorApplied, MonitorWrite, NewTerm, Posting, StoredCustomer, POSTING_WEIGHT_RESOLUTION,
};
pub use notice::{NoticeOutcome, NoticeVersion};
pub use publication::{
    EntityVersion, IngestOutcome, PublicationId, PublicationInfo, RegistryStats,
};
pub use schema::SCHEMA_VERSION;
pub use store::Registry;
