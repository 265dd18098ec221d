//! Designation notices: recording them, every version kept, and reading them as of a date.
//!
//! A notice ([`interdict_model::Notice`]) is stored as its canonical JSON, named by its SHA-256
//! like entity records. Recording a notice whose content equals its latest version writes
//! nothing; any other content becomes the next version, and earlier versions stay readable
//! ([`Registry::notice_versions`]): a compliance team must be able to show what the registry
//! said before a correction.
//!
//! **Which date governs "as of".** A list publication counts from its publication date. A notice
//! counts from the first day any of its designations was certainly public: the earliest of its
//! announcement, notification, publication and effective dates
//! ([`Notice::known_from`](interdict_model::Notice::known_from)) — for the Cartel de los Soles,
//! the 2025-11-16 announcement, so the registry "as of 2025-11-20" knows it. Not the day it was
//! recorded: notices are typically recorded after the fact (and the seed cases years after), and
//! the question asked of them is what the authority had made public by then. As of a date, the
//! *latest* version of each notice is used: versions correct what was known of the events, and
//! each event carries its own date, so the newest version gives the best answer for any day.
//! What the registry held on a given day is in the audit log, which records every version with
//! its time.

use crate::{audit, ContentHash, Registry, RegistryError, Result};
use interdict_model::Notice;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::Serialize;

/// One stored version of a notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoticeVersion {
    /// The notice as recorded.
    pub notice: Notice,
    /// 1 for the first recording of this notice id, then 2, 3, …
    pub version: u32,
    /// SHA-256 of its canonical JSON.
    pub hash: ContentHash,
    /// The day it counts from in "as of" questions (see the module docs).
    pub known_from: jiff::civil::Date,
    /// When it was recorded.
    pub recorded_at: jiff::Timestamp,
    /// The file it was read from, as given when recording.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// What recording a notice did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoticeOutcome {
    /// A new notice, or new content for a known one: stored as the next version.
    Recorded(NoticeVersion),
    /// The latest version already has exactly this content: nothing was written.
    Unchanged(NoticeVersion),
}

impl NoticeOutcome {
    /// The version stored now or before.
    pub fn version(&self) -> &NoticeVersion {
        match self {
            NoticeOutcome::Recorded(v) | NoticeOutcome::Unchanged(v) => v,
        }
    }

    /// True when this call stored something.
    pub fn is_new(&self) -> bool {
        matches!(self, NoticeOutcome::Recorded(_))
    }
}

/// Columns of `notice`, in the order [`Registry::notice_row`] reads them.
const NOTICE_COLUMNS: &str = "notice_id, version, hash, known_from, recorded_at, source, body";

impl Registry {
    /// Records a notice, stamped with the current time. See [`Registry::add_notice_at`].
    pub fn add_notice(&mut self, notice: &Notice, source: Option<&str>) -> Result<NoticeOutcome> {
        self.add_notice_at(notice, source, jiff::Timestamp::now())
    }

    /// Records a notice as of `recorded_at`: a new version unless the latest version of the
    /// same notice id has the same content. The version and its audit entry are one
    /// transaction.
    ///
    /// Refused ([`RegistryError::InvalidNotice`]) when no event of the notice is dated, since it
    /// could then never be placed in time.
    pub fn add_notice_at(
        &mut self,
        notice: &Notice,
        source: Option<&str>,
        recorded_at: jiff::Timestamp,
    ) -> Result<NoticeOutcome> {
        let invalid = |reason: String| RegistryError::InvalidNotice {
            id: notice.id.clone(),
            reason,
        };
        let known_from = notice
            .known_from()
            .ok_or_else(|| invalid("no event of the notice is dated".into()))?;
        if !(1..=9999).contains(&known_from.year()) {
            return Err(invalid(format!("date {known_from} is not in years 1-9999")));
        }
        let body = serde_json::to_string(notice).map_err(|e| RegistryError::Encode {
            key: notice.key(),
            reason: e.to_string(),
        })?;
        let hash = ContentHash::of(body.as_bytes());

        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let latest: Option<(u32, Vec<u8>)> = tx
            .query_row(
                "SELECT version, hash FROM notice WHERE notice_id = ?1 \
                 ORDER BY version DESC LIMIT 1",
                [&notice.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((version, stored)) = &latest {
            if stored.as_slice() == hash.as_bytes() {
                drop(tx);
                let existing = self.notice_version(&notice.id, *version)?.ok_or_else(|| {
                    invalid(format!("version {version} vanished while reading it"))
                })?;
                return Ok(NoticeOutcome::Unchanged(existing));
            }
        }
        let version = latest.map_or(1, |(v, _)| v + 1);
        tx.execute(
            "INSERT INTO notice (notice_id, version, hash, known_from, recorded_at, source, body) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                notice.id,
                version,
                hash.as_bytes(),
                known_from.to_string(),
                recorded_at.to_string(),
                source,
                body
            ],
        )?;
        audit::append(
            &tx,
            recorded_at,
            "notice",
            &serde_json::json!({
                "notice": notice.id,
                "version": version,
                "hash": hash.to_hex(),
                "known_from": known_from.to_string(),
                "source": source,
                "supersedes": (version > 1).then(|| version - 1),
            }),
        )?;
        tx.commit()?;
        Ok(NoticeOutcome::Recorded(NoticeVersion {
            notice: notice.clone(),
            version,
            hash,
            known_from,
            recorded_at,
            source: source.map(str::to_string),
        }))
    }

    /// The latest version of every notice, by notice id; with `as_of`, only those that count
    /// by then (`known_from` on or before it; see the module docs).
    pub fn notices(&self, as_of: Option<jiff::civil::Date>) -> Result<Vec<NoticeVersion>> {
        let sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM notice AS n \
             WHERE version = (SELECT max(version) FROM notice WHERE notice_id = n.notice_id) \
             AND (?1 IS NULL OR known_from <= ?1) \
             ORDER BY notice_id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map([as_of.map(|d| d.to_string())], RawNotice::read)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(RawNotice::decode).collect()
    }

    /// The latest version of one notice, `None` when no notice has this id or, with `as_of`,
    /// when it does not count yet by then.
    pub fn notice(
        &self,
        id: &str,
        as_of: Option<jiff::civil::Date>,
    ) -> Result<Option<NoticeVersion>> {
        let sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM notice WHERE notice_id = ?1 \
             ORDER BY version DESC LIMIT 1"
        );
        let row = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], RawNotice::read)
            .optional()?;
        let Some(version) = row.map(RawNotice::decode).transpose()? else {
            return Ok(None);
        };
        Ok(match as_of {
            Some(day) if version.known_from > day => None,
            _ => Some(version),
        })
    }

    /// Every version of one notice, oldest first.
    pub fn notice_versions(&self, id: &str) -> Result<Vec<NoticeVersion>> {
        let sql =
            format!("SELECT {NOTICE_COLUMNS} FROM notice WHERE notice_id = ?1 ORDER BY version");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map([id], RawNotice::read)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(RawNotice::decode).collect()
    }

    fn notice_version(&self, id: &str, version: u32) -> Result<Option<NoticeVersion>> {
        let sql =
            format!("SELECT {NOTICE_COLUMNS} FROM notice WHERE notice_id = ?1 AND version = ?2");
        let row = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![id, version], RawNotice::read)
            .optional()?;
        row.map(RawNotice::decode).transpose()
    }
}

/// A `notice` row as stored, before validation.
struct RawNotice {
    id: String,
    version: u32,
    hash: Vec<u8>,
    known_from: String,
    recorded_at: String,
    source: Option<String>,
    body: String,
}

impl RawNotice {
    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawNotice> {
        Ok(RawNotice {
            id: row.get(0)?,
            version: row.get(1)?,
            hash: row.get(2)?,
            known_from: row.get(3)?,
            recorded_at: row.get(4)?,
            source: row.get(5)?,
            body: row.get(6)?,
        })
    }

    /// Checks the body against its hash (damage is an error, never data) and parses it.
    fn decode(self) -> Result<NoticeVersion> {
        let bad = |reason: String| RegistryError::CorruptNotice {
            id: self.id.clone(),
            version: self.version,
            reason,
        };
        let hash = ContentHash::from_slice(&self.hash)
            .ok_or_else(|| bad(format!("stored hash has {} bytes", self.hash.len())))?;
        let actual = ContentHash::of(self.body.as_bytes());
        if actual != hash {
            return Err(bad(format!("content hashes to {actual}, not {hash}")));
        }
        let notice: Notice = serde_json::from_str(&self.body)
            .map_err(|e| bad(format!("body does not parse: {e}")))?;
        if notice.id != self.id {
            return Err(bad(format!("body is notice {:?}", notice.id)));
        }
        Ok(NoticeVersion {
            version: self.version,
            hash,
            known_from: self
                .known_from
                .parse()
                .map_err(|e| bad(format!("date {:?}: {e}", self.known_from)))?,
            recorded_at: self
                .recorded_at
                .parse()
                .map_err(|e| bad(format!("time {:?}: {e}", self.recorded_at)))?,
            source: self.source.clone(),
            notice,
        })
    }
}
