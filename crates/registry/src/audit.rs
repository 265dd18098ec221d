//! The audit trail: an append-only, hash-chained log of everything that changed what the
//! registry answers (ingests, notices, screening decisions).
//!
//! Why a hash chain: a compliance team must be able to show, months later, what the registry
//! held and decided on a given day, and that nobody rewrote it since. Triggers already refuse
//! updates and deletes of the log, but a file can be edited with any SQLite tool; the chain makes
//! such an edit detectable. Each entry carries the SHA-256 of the previous entry, and its own
//! hash covers that, so changing, removing or reordering any entry breaks verification at that
//! entry. (It proves integrity relative to the last hash you kept elsewhere, not against someone
//! who rewrites the whole chain: publish or archive [`AuditReport::head`] to pin it.)
//!
//! The canonical form hashed for entry *n* is, in bytes:
//!
//! ```text
//! "interdict audit v1\n" seq "\n" at "\n" kind "\n" len(payload) "\n" payload prev_hash
//! ```
//!
//! where `seq` and `len(payload)` are decimal, `at` is the RFC 3339 timestamp as stored,
//! `payload` the compact JSON text as stored (the hash covers the stored bytes, so no JSON
//! re-serialisation can change it) and `prev_hash` the 32 raw bytes of the previous entry's hash
//! (zeros for entry 1). The payload is length-prefixed and `kind` cannot hold a newline, so two
//! different entries never share a canonical form.
//!
//! Entries start with schema version 2: publications ingested into an older registry have none.

use crate::{ContentHash, Registry, RegistryError, Result};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash the first entry chains to.
const GENESIS: [u8; 32] = [0; 32];

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Its position: 1, 2, 3, … without gaps.
    pub seq: i64,
    /// When it was appended.
    pub at: jiff::Timestamp,
    /// What happened: `ingest`, `notice`, or a kind another part of interdict defines
    /// (lower-case letters, digits, `.`, `_`, `-`).
    pub kind: String,
    /// The details, as compact JSON.
    pub payload: serde_json::Value,
    /// The hash of the previous entry (zeros for the first).
    pub prev_hash: ContentHash,
    /// This entry's hash, over its canonical form (see the module docs).
    pub hash: ContentHash,
}

/// The result of checking the whole chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// How many entries the log holds.
    pub entries: u64,
    /// The hash of the last entry (`None` for an empty log): keep it elsewhere to detect a
    /// rewrite of the whole chain later.
    pub head: Option<ContentHash>,
    /// The first entry that does not verify, `None` when the chain is intact. Entries after it
    /// are not trusted either.
    pub first_bad: Option<AuditFault>,
}

impl AuditReport {
    /// True when every entry verifies.
    pub fn is_intact(&self) -> bool {
        self.first_bad.is_none()
    }
}

/// Where and how the chain breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditFault {
    /// The position of the entry (the `seq` it should have, when entries are missing).
    pub seq: i64,
    /// What is wrong with it.
    pub reason: String,
}

/// Kinds are identifiers, never free text: the canonical form relies on them holding no
/// newline, and consumers filter on them.
fn valid_kind(kind: &str) -> bool {
    !kind.is_empty()
        && kind.len() <= 64
        && kind.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
}

/// The hash of an entry's canonical form.
fn entry_hash(seq: i64, at: &str, kind: &str, payload: &str, prev: &[u8]) -> ContentHash {
    let mut h = Sha256::new();
    h.update(b"interdict audit v1\n");
    h.update(seq.to_string().as_bytes());
    h.update(b"\n");
    h.update(at.as_bytes());
    h.update(b"\n");
    h.update(kind.as_bytes());
    h.update(b"\n");
    h.update(payload.len().to_string().as_bytes());
    h.update(b"\n");
    h.update(payload.as_bytes());
    h.update(prev);
    ContentHash::from_digest(h.finalize().into())
}

/// Appends an entry on `conn`, which must be inside a write transaction (so that the entry is
/// part of the change it records, and no other writer can append between reading the last hash
/// and writing the next entry).
pub(crate) fn append(
    conn: &Connection,
    at: jiff::Timestamp,
    kind: &str,
    payload: &serde_json::Value,
) -> Result<AuditEntry> {
    if !valid_kind(kind) {
        return Err(RegistryError::InvalidAudit(format!(
            "audit kind {kind:?} is not lower-case letters, digits, '.', '_' and '-'"
        )));
    }
    let text = serde_json::to_string(payload)
        .map_err(|e| RegistryError::InvalidAudit(format!("payload does not serialise: {e}")))?;
    let last: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_vec()),
    };
    let prev_hash = ContentHash::from_slice(&prev).ok_or_else(|| {
        RegistryError::InvalidAudit(format!(
            "entry {} has a {}-byte hash; run `audit verify`",
            seq - 1,
            prev.len()
        ))
    })?;
    let at_text = at.to_string();
    let hash = entry_hash(seq, &at_text, kind, &text, &prev);
    conn.prepare_cached(
        "INSERT INTO audit_log (seq, at, kind, payload, prev_hash, hash) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        seq,
        at_text,
        kind,
        text,
        prev_hash.as_bytes(),
        hash.as_bytes()
    ])?;
    Ok(AuditEntry {
        seq,
        at,
        kind: kind.to_string(),
        payload: payload.clone(),
        prev_hash,
        hash,
    })
}

/// A stored row, as text and bytes: verification works on exactly what is stored.
struct RawEntry {
    seq: i64,
    at: String,
    kind: String,
    payload: String,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
}

impl Registry {
    /// Appends an entry to the audit log, in its own transaction, stamped with the current time.
    ///
    /// For decisions and events recorded outside the registry's own writes (an analyst clearing
    /// an alert). `kind` names what happened (`alert.decision`); `payload` holds the details
    /// and is stored as compact JSON. Ingests and notices append their own entries, inside
    /// their transactions.
    pub fn append_audit(&mut self, kind: &str, payload: &serde_json::Value) -> Result<AuditEntry> {
        self.append_audit_at(kind, payload, jiff::Timestamp::now())
    }

    /// [`append_audit`](Self::append_audit) with a given time (for reproducible registries).
    pub fn append_audit_at(
        &mut self,
        kind: &str,
        payload: &serde_json::Value,
        at: jiff::Timestamp,
    ) -> Result<AuditEntry> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let entry = append(&tx, at, kind, payload)?;
        tx.commit()?;
        Ok(entry)
    }

    /// The audit log, oldest first, from entry `from_seq` on (1 for all of it).
    ///
    /// Entries are returned as stored, without verification; see
    /// [`audit_verify`](Self::audit_verify).
    pub fn audit_entries(&self, from_seq: i64) -> Result<Vec<AuditEntry>> {
        self.raw_audit(from_seq)?
            .into_iter()
            .map(|raw| {
                let bad = |what: &str| {
                    RegistryError::InvalidAudit(format!(
                        "entry {} has {what}; run `audit verify`",
                        raw.seq
                    ))
                };
                Ok(AuditEntry {
                    seq: raw.seq,
                    at: raw.at.parse().map_err(|_| bad("a bad timestamp"))?,
                    kind: raw.kind.clone(),
                    payload: serde_json::from_str(&raw.payload)
                        .map_err(|_| bad("a payload that is not JSON"))?,
                    prev_hash: ContentHash::from_slice(&raw.prev_hash)
                        .ok_or_else(|| bad("a bad previous hash"))?,
                    hash: ContentHash::from_slice(&raw.hash).ok_or_else(|| bad("a bad hash"))?,
                })
            })
            .collect()
    }

    /// Checks the whole audit chain: entries numbered 1…N without gaps, each chaining to the
    /// previous one's stored hash, each stored hash equal to the hash of the entry's canonical
    /// form, timestamps that parse and payloads that are JSON. Reports the first entry that
    /// fails; an `Err` only for a database that cannot be read at all.
    pub fn audit_verify(&self) -> Result<AuditReport> {
        let raws = self.raw_audit(1)?;
        let entries = raws.len() as u64;
        let mut prev: Vec<u8> = GENESIS.to_vec();
        let mut first_bad = None;
        for (i, raw) in raws.iter().enumerate() {
            let expected_seq = i as i64 + 1;
            let fault = |reason: String| {
                Some(AuditFault {
                    seq: expected_seq,
                    reason,
                })
            };
            first_bad = if raw.seq != expected_seq {
                fault(format!(
                    "entry {expected_seq} is missing (the next entry is {})",
                    raw.seq
                ))
            } else if raw.prev_hash != prev {
                fault("does not chain to the previous entry (its previous hash differs)".into())
            } else if entry_hash(raw.seq, &raw.at, &raw.kind, &raw.payload, &raw.prev_hash)
                .as_bytes()
                .as_slice()
                != raw.hash.as_slice()
            {
                fault("its content does not match its hash (altered)".into())
            } else if raw.at.parse::<jiff::Timestamp>().is_err() {
                fault(format!("timestamp {:?} does not parse", raw.at))
            } else if !valid_kind(&raw.kind) {
                fault(format!("kind {:?} is not a valid kind", raw.kind))
            } else if serde_json::from_str::<serde_json::Value>(&raw.payload).is_err() {
                fault("payload is not JSON".into())
            } else {
                None
            };
            if first_bad.is_some() {
                break;
            }
            prev.clone_from(&raw.hash);
        }
        let head = match first_bad {
            Some(_) => None,
            None => raws.last().and_then(|r| ContentHash::from_slice(&r.hash)),
        };
        Ok(AuditReport {
            entries,
            head,
            first_bad,
        })
    }

    fn raw_audit(&self, from_seq: i64) -> Result<Vec<RawEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, at, kind, payload, prev_hash, hash FROM audit_log \
             WHERE seq >= ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([from_seq], |r| {
            Ok(RawEntry {
                seq: r.get(0)?,
                at: r.get(1)?,
                kind: r.get(2)?,
                payload: r.get(3)?,
                prev_hash: r.get(4)?,
                hash: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_chain_verifies_and_names_the_first_altered_entry() {
        let mut reg = Registry::open_in_memory().unwrap();
        assert_eq!(reg.audit_verify().unwrap().entries, 0);
        for i in 0..5 {
            reg.append_audit("test", &json!({ "i": i })).unwrap();
        }
        let report = reg.audit_verify().unwrap();
        assert!(report.is_intact(), "{report:?}");
        assert_eq!(report.entries, 5);
        let entries = reg.audit_entries(1).unwrap();
        assert_eq!(report.head, Some(entries[4].hash));
        assert_eq!(entries[3].prev_hash, entries[2].hash);

        reg.conn
            .execute_batch(
                "DROP TRIGGER audit_log_no_update;
                 UPDATE audit_log SET payload = '{\"i\":99}' WHERE seq = 3;",
            )
            .unwrap();
        let report = reg.audit_verify().unwrap();
        let bad = report.first_bad.unwrap();
        assert_eq!(bad.seq, 3, "{}", bad.reason);
        assert!(bad.reason.contains("altered"), "{}", bad.reason);
    }

    #[test]
    fn bad_kinds_are_refused() {
        let mut reg = Registry::open_in_memory().unwrap();
        for kind in ["", "Ingest", "a\nb", "alert decision"] {
            assert!(reg.append_audit(kind, &json!({})).is_err(), "{kind:?}");
        }
        assert!(reg.append_audit("alert.decision", &json!({})).is_ok());
    }
}
