//! Ongoing monitoring, stored: the customer book, the book's retrieval vocabulary, what the
//! book was last screened against, and (in `alert.rs`) the alerts screening raised.
//!
//! The registry stores and does not decide: which customer may be which listed entity is the
//! `screening` crate's business (it knows matching). This module keeps the inputs and outputs
//! of that decision as plain tables, and applies each monitoring run — book changes, alerts
//! raised, refreshed and closed, the new state, its audit entry — as one transaction.
//!
//! # The book
//!
//! `customer` holds one row per customer id, with the fields as given (name, type, date of
//! birth, country, identifiers) and the SHA-256 of their canonical JSON ([`Customer::hash`]):
//! a re-added customer with the same hash is unchanged and is not screened again; alerts keep
//! the hash they were raised on, so a decision can be tied to the customer as it then was.
//! `book_change` records each add or remove (when, from which file); a customer row names the
//! change that last wrote it.
//!
//! # The book's vocabulary
//!
//! After a list update only the entities that changed need screening, but against the whole
//! book: the question is "which customers may this new listed name be". The book keeps, for
//! that, an inverted index that lives in the registry and is updated with the book, so no run
//! has to build or load an index over a million names (measured: 4 s to build, 2.7 s to load
//! such a `MatchIndex`, against well under a second for a whole update here):
//!
//! - `book_term`: each distinct token of the customers' names (text, class and variant
//!   canonical as analysis made them, and its weight as a screening query token when it was
//!   filed), with its posting list: the customers whose names have it, each with the total
//!   weight of its filed tokens — what retrieval needs to bound a customer's score without
//!   reading the customer (see `screening`'s `monitor::retrieve`);
//! - `book_key`: the retrieval keys of each term (`interdict_matching::Term::keys`: exact text,
//!   variant family, phonetic key, skeleton, deletion neighbourhood), so that a listed token's
//!   keys find every book term it corresponds to with point lookups;
//! - `book_identifier`: the customers' identifiers, normalised as matching compares them.
//!
//! A term whose last customer leaves keeps its row (with an empty posting list): its keys are
//! not known here to remove them, and an empty term costs a few bytes and finds nothing.
//!
//! # State
//!
//! `monitor_state` holds, per list, the publication the book was last screened against. A run
//! screens what differs between that publication and the latest one, then moves the state, in
//! the same transaction as its alerts: an interrupted run is caught up by the next, ingesting an
//! older publication (a backfill) changes nothing, and two runs cannot both apply the same
//! update ([`MonitorWrite::expected_state`]).

use crate::alert::{self, AlertId, CloseReason, NewAlert};
use crate::{record, ContentHash, PublicationId, Registry, RegistryError, Result};
use interdict_model::{Entity, ListId};
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Version 5: how the book's vocabulary was filed (at most one row). The registry stores the
/// name the `screening` crate gives its way of filing; a book filed otherwise (or before this
/// table, with no row) is filed afresh by the next monitoring run.
pub(crate) const V5: &str = "
CREATE TABLE book_filing (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT    NOT NULL                  -- screening's name for how terms were filed
);
";

/// Version 3: the customer book and its vocabulary, monitoring state, alerts and decisions.
pub(crate) const V3: &str = "
CREATE TABLE book_change (
    id       INTEGER PRIMARY KEY,
    at       TEXT    NOT NULL,                -- RFC 3339 UTC timestamp
    source   TEXT,                            -- the file the customers came from, as given
    added    INTEGER NOT NULL,
    updated  INTEGER NOT NULL,
    removed  INTEGER NOT NULL
);

CREATE TABLE customer (
    id          INTEGER PRIMARY KEY,          -- internal; posting lists refer to it
    customer_id TEXT    NOT NULL UNIQUE,      -- the book's own id
    name        TEXT    NOT NULL,
    kind        TEXT,                         -- type as given: person, organization...
    dob         TEXT,
    country     TEXT,
    identifiers TEXT,                         -- JSON array of strings, NULL when none
    hash        BLOB    NOT NULL,             -- SHA-256 of the canonical customer JSON
    terms       BLOB    NOT NULL,             -- its book_term ids (sorted varint deltas)
    change_id   INTEGER NOT NULL REFERENCES book_change (id)
);

CREATE TABLE book_term (
    id        INTEGER PRIMARY KEY,
    text      TEXT    NOT NULL UNIQUE,        -- normalised token
    class     TEXT    NOT NULL,               -- token class (word, particle, legal_form...)
    canonical TEXT,                           -- variant canonical, when analysis knows one
    weight    REAL    NOT NULL,               -- weight as a query token when filed
    customers BLOB    NOT NULL                -- (customer id delta varint, weight byte)...
);

CREATE TABLE book_key (
    key  INTEGER NOT NULL,                    -- retrieval key (64-bit, as a signed integer)
    term INTEGER NOT NULL REFERENCES book_term (id),
    PRIMARY KEY (key, term)
) WITHOUT ROWID;

CREATE TABLE book_identifier (
    value    TEXT    NOT NULL,                -- normalised identifier
    customer INTEGER NOT NULL REFERENCES customer (id),
    PRIMARY KEY (value, customer)
) WITHOUT ROWID;
CREATE INDEX book_identifier_by_customer ON book_identifier (customer);

CREATE TABLE monitor_state (
    list           TEXT    PRIMARY KEY,       -- ListId string form
    publication_id INTEGER NOT NULL REFERENCES publication (id)
);

CREATE TABLE alert (
    id             INTEGER PRIMARY KEY,
    status         TEXT    NOT NULL,          -- open, escalated, false_positive, true_match, closed
    customer_id    TEXT    NOT NULL,          -- the book's id (the customer may since be gone)
    customer_name  TEXT    NOT NULL,          -- as screened
    customer_hash  BLOB    NOT NULL,          -- Customer::hash as screened
    list           TEXT    NOT NULL,
    entity_id      TEXT    NOT NULL,
    entity_name    TEXT    NOT NULL,          -- primary name as screened
    matched_name   TEXT    NOT NULL,
    record_hash    BLOB    NOT NULL,          -- content hash of the entity record as screened
    score          REAL    NOT NULL,
    explanation    TEXT    NOT NULL,          -- JSON, as matching explained the score
    trigger        TEXT    NOT NULL,          -- ingest, customer, notice
    publication_id INTEGER REFERENCES publication (id), -- the list release screened against
    raised_at      TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    closed_reason  TEXT                       -- delisted, entity_changed, customer_changed...
);
CREATE INDEX alert_by_pair ON alert (customer_id, list, entity_id);
CREATE INDEX alert_by_entity ON alert (list, entity_id);
CREATE INDEX alert_by_status ON alert (status);

CREATE TABLE alert_decision (
    alert_id   INTEGER NOT NULL REFERENCES alert (id),
    seq        INTEGER NOT NULL,              -- 1, 2, ... per alert
    status     TEXT    NOT NULL,
    decided_by TEXT    NOT NULL,
    decided_at TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    PRIMARY KEY (alert_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER alert_decision_no_update BEFORE UPDATE ON alert_decision
BEGIN SELECT RAISE(ABORT, 'decisions are never changed: record a new one'); END;
CREATE TRIGGER alert_decision_no_delete BEFORE DELETE ON alert_decision
BEGIN SELECT RAISE(ABORT, 'decisions are never deleted'); END;
";

/// One customer of the book, as given: fields trimmed, blanks absent.
///
/// The field order is part of [`Customer::hash`], which alerts store: changing it changes every
/// customer hash (and so re-raises decided alerts), so it needs a migration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// The book's id of the customer (unique in the book).
    pub id: String,
    /// The name to screen.
    pub name: String,
    /// Entity type as given (`person`, `organization`…).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Date of birth or incorporation as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dob: Option<String>,
    /// Country as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Identifier values as given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<String>,
}

impl Customer {
    /// The SHA-256 of the customer's canonical (compact, fixed field order) JSON: equal
    /// customers have equal hashes, and any change to any field changes it.
    pub fn hash(&self) -> ContentHash {
        // A struct of strings always serialises; should that ever fail, hashing the debug form
        // still distinguishes customers.
        let json = serde_json::to_vec(self).unwrap_or_else(|_| format!("{self:?}").into_bytes());
        ContentHash::of(&json)
    }
}

/// A customer's row in the registry: opaque outside it, but stable while the customer is in
/// the book (posting lists name customers by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomerRef(i64);

/// A customer as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCustomer {
    /// Its row.
    pub reference: CustomerRef,
    /// The customer.
    pub customer: Customer,
    /// [`Customer::hash`] as stored.
    pub hash: ContentHash,
    /// When it was last added or changed.
    pub updated_at: jiff::Timestamp,
}

/// A term of the book's vocabulary: one distinct token of customer names, as analysis made it.
#[derive(Clone, Debug, PartialEq)]
pub struct BookTerm {
    /// Normalised text.
    pub text: String,
    /// Token class, in matching's serde form (`word`, `particle`, `legal_form`…).
    pub class: String,
    /// Variant canonical, when analysis knows one.
    pub canonical: Option<String>,
    /// Its weight as a screening query token (rarity in the lists × class factor) when it was
    /// first filed. Lists change slowly, so it stays a good estimate; retrieval allows for the
    /// drift.
    pub weight: f32,
}

/// One entry of a term's posting list: a customer whose name has the term.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Posting {
    /// The customer.
    pub customer: CustomerRef,
    /// The total weight of the customer's filed tokens when it was filed (or the term's own
    /// weight for the customer, [`FiledCustomer::weighted_terms`]), rounded down to
    /// [`POSTING_WEIGHT_RESOLUTION`] (so never above it, and less than that below it).
    pub weight: f32,
}

/// The resolution of stored posting weights: a weight read back is at most this much below
/// the weight filed.
pub const POSTING_WEIGHT_RESOLUTION: f32 = 1.0 / WEIGHT_STEPS;

/// A stored term's row id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BookTermId(pub i64);

/// A term a book update refers to, with its retrieval keys (stored when the term is new).
#[derive(Clone, Debug, PartialEq)]
pub struct NewTerm {
    /// The term.
    pub term: BookTerm,
    /// Its retrieval keys.
    pub keys: Vec<u64>,
}

/// A customer to add or replace, filed for retrieval.
#[derive(Clone, Debug, PartialEq)]
pub struct FiledCustomer {
    /// The customer.
    pub customer: Customer,
    /// The terms of its name: positions in [`BookUpdate::terms`].
    pub terms: Vec<usize>,
    /// Its identifiers, normalised as matching compares them.
    pub identifiers: Vec<String>,
    /// The total weight of its filed tokens as screening query tokens (the sum of the
    /// [`BookTerm::weight`]s of its terms), stored with each of its postings.
    pub weight: f32,
    /// Terms filed with a posting weight of their own rather than [`weight`](Self::weight):
    /// positions in [`BookUpdate::terms`] with the weight to store. Retrieval files a
    /// customer's initials this way, one term per letter carrying the weight of its initials
    /// of that letter, which its bound needs per customer and letter.
    pub weighted_terms: Vec<(usize, f32)>,
}

/// Changes to the book.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BookUpdate {
    /// Customers to add, or to replace when their id is in the book.
    pub upsert: Vec<FiledCustomer>,
    /// The vocabulary `upsert` refers to.
    pub terms: Vec<NewTerm>,
    /// Ids of customers to remove (ids not in the book are ignored).
    pub remove: Vec<String>,
    /// Where the customers came from (a file name), for the book's change log.
    pub source: Option<String>,
    /// The whole book filed afresh: every term, key and posting is dropped first and `upsert`
    /// must hold every customer of the book, none new (checked: the run fails otherwise).
    /// What a change to how names are filed (keys, weights, initials) needs, since a term's
    /// keys are stored once, when the term is first filed.
    pub refile: bool,
    /// How the vocabulary is filed after this update, recorded when set
    /// ([`Registry::book_filing`]). Set it with a refile, or with changes to a book already
    /// filed that way.
    pub filing: Option<String>,
}

impl BookUpdate {
    fn is_empty(&self) -> bool {
        self.upsert.is_empty() && self.remove.is_empty()
    }
}

/// Everything one monitoring run writes, applied as one transaction by
/// [`Registry::apply_monitoring`].
#[derive(Clone, Debug, PartialEq)]
pub struct MonitorWrite {
    /// The time to stamp the run with.
    pub at: jiff::Timestamp,
    /// The state the run read ([`Registry::monitor_state`]). If the stored state differs when
    /// the run writes, another run moved it in between, and nothing is written
    /// ([`RegistryError::MonitorStale`]).
    pub expected_state: BTreeMap<ListId, PublicationId>,
    /// The state after the run: per list, the publication the book is now screened against.
    pub state: BTreeMap<ListId, PublicationId>,
    /// Changes to the book.
    pub book: BookUpdate,
    /// Alerts to raise.
    pub raise: Vec<NewAlert>,
    /// Pending alerts screened again: their score, explanation and hashes are brought up to
    /// date (the alert itself, its status and decisions stay).
    pub refresh: Vec<(AlertId, NewAlert)>,
    /// Alerts to close, and why.
    pub close: Vec<(AlertId, CloseReason)>,
    /// The audit entry of the run: kind and payload (the run's summary). `None` writes none.
    pub audit: Option<(String, serde_json::Value)>,
}

/// What [`Registry::apply_monitoring`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonitorApplied {
    /// Customers new to the book.
    pub added: usize,
    /// Customers replaced.
    pub updated: usize,
    /// Customers removed.
    pub removed: usize,
    /// The alerts raised, in the order given.
    pub raised: Vec<AlertId>,
    /// Alerts refreshed.
    pub refreshed: usize,
    /// Alerts closed.
    pub closed: usize,
}

/// The content hash of an entity's record, as the registry names the record (the same hash
/// `entity_versions` reports): what an alert keeps to know whether the entity has changed since.
pub fn record_hash(entity: &Entity) -> Result<ContentHash> {
    Ok(record::encode(entity)?.hash)
}

impl Registry {
    /// Runs `f` in one read transaction: every read in it sees the same state of the registry,
    /// and they share one lock of the write-ahead log instead of taking it per statement (a
    /// monitoring run makes thousands of point lookups; measured, the per-statement locking
    /// cost a fifth of it). Writes are not allowed in `f`; nested calls are an error.
    pub fn reading<T, E: From<RegistryError>>(
        &self,
        f: impl FnOnce(&Registry) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(|e| E::from(RegistryError::from(e)))?;
        let out = f(self);
        // Nothing was written: ending the transaction either way releases the snapshot.
        tx.rollback().map_err(|e| E::from(RegistryError::from(e)))?;
        out
    }

    /// Per list, the publication the customer book was last screened against. Lists the book
    /// was never screened against are absent.
    pub fn monitor_state(&self) -> Result<BTreeMap<ListId, PublicationId>> {
        read_state(&self.conn)
    }

    /// How the book's vocabulary was filed ([`BookUpdate::filing`]); `None` for a book filed
    /// before filings were recorded, or never filed.
    pub fn book_filing(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT version FROM book_filing WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// True when the book holds no customer. Cheaper than `book_len() == 0`: counting a
    /// million customers reads the whole id index (7 ms warm, seconds cold), this reads one row.
    pub fn book_is_empty(&self) -> Result<bool> {
        let any: bool = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM customer)", [], |r| r.get(0))?;
        Ok(!any)
    }

    /// How many customers the book holds: the customers every change of the book added, less
    /// those it removed. Counting the customers themselves reads the whole of an index of the
    /// book (10 ms for a million customers, on every ingest that reports on monitoring).
    pub fn book_len(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row(
            "SELECT coalesce(sum(added) - sum(removed), 0) FROM book_change",
            [],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as u64)
    }

    /// Every customer of the book, by id.
    pub fn customers(&self) -> Result<Vec<StoredCustomer>> {
        self.customer_rows(&format!("{CUSTOMER_SELECT} ORDER BY c.customer_id"), [])
    }

    /// One customer by the book's id.
    pub fn customer(&self, id: &str) -> Result<Option<StoredCustomer>> {
        Ok(self
            .customer_rows(&format!("{CUSTOMER_SELECT} WHERE c.customer_id = ?1"), [id])?
            .pop())
    }

    /// Customers by row, in the order given (rows no longer in the book are skipped).
    pub fn customers_by_ref(&self, refs: &[CustomerRef]) -> Result<Vec<StoredCustomer>> {
        let sql = format!("{CUSTOMER_SELECT} WHERE c.id = ?1");
        let mut out = Vec::with_capacity(refs.len());
        for r in refs {
            out.extend(self.customer_rows(&sql, [r.0])?);
        }
        Ok(out)
    }

    /// The hash of every customer of the book, by id: what a re-add compares with.
    pub fn customer_hashes(&self) -> Result<HashMap<String, ContentHash>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT customer_id, hash FROM customer")?;
        let mut rows = stmt.query([])?;
        let mut out = HashMap::new();
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let hash: Vec<u8> = row.get(1)?;
            let hash = ContentHash::from_slice(&hash).ok_or_else(|| {
                RegistryError::CorruptMonitoring(format!("customer {id:?} has a bad hash"))
            })?;
            out.insert(id, hash);
        }
        Ok(out)
    }

    /// The book terms filed under any of `keys`, each once, by id.
    pub fn book_terms_by_keys(&self, keys: &[u64]) -> Result<Vec<(BookTermId, BookTerm)>> {
        let mut ids = BTreeSet::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT term FROM book_key WHERE key = ?1")?;
            for &k in keys {
                let mut rows = stmt.query([k as i64])?;
                while let Some(row) = rows.next()? {
                    ids.insert(row.get::<_, i64>(0)?);
                }
            }
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, text, class, canonical, weight FROM book_term WHERE id = ?1",
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(stmt.query_row([id], read_id_term).optional()?);
        }
        Ok(out)
    }

    /// The book term with exactly this text.
    pub fn book_term(&self, text: &str) -> Result<Option<(BookTermId, BookTerm)>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, text, class, canonical, weight FROM book_term WHERE text = ?1",
            )?
            .query_row([text], read_id_term)
            .optional()?)
    }

    /// The book terms of at most `len` bytes (the short words — legal forms, particles — that a
    /// customer may write apart from the word they belong to).
    pub fn book_short_terms(&self, len: usize) -> Result<Vec<(BookTermId, BookTerm)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, text, class, canonical, weight FROM book_term WHERE length(text) <= ?1",
        )?;
        let rows = stmt.query_map([len as i64], read_id_term)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The customers whose names have the term, by customer row.
    pub fn book_postings(&self, term: BookTermId) -> Result<Vec<Posting>> {
        let blob: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT customers FROM book_term WHERE id = ?1")?
            .query_row([term.0], |r| r.get(0))
            .optional()?;
        let Some(blob) = blob else {
            return Ok(Vec::new());
        };
        decode_postings(&blob).map_err(|e| {
            RegistryError::CorruptMonitoring(format!("posting list of book term {}: {e}", term.0))
        })
    }

    /// The customers with any of these (normalised) identifiers, with the identifier.
    pub fn book_identifiers(&self, values: &[String]) -> Result<Vec<(String, CustomerRef)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT customer FROM book_identifier WHERE value = ?1")?;
        let mut out = Vec::new();
        for v in values {
            let mut rows = stmt.query([v])?;
            while let Some(row) = rows.next()? {
                out.push((v.clone(), CustomerRef(row.get(0)?)));
            }
        }
        Ok(out)
    }

    /// Applies a monitoring run: book changes, alerts raised, refreshed and closed, the new
    /// state and the run's audit entry, all in one transaction (all or nothing).
    ///
    /// Refused with nothing written when the stored state is not
    /// [`expected_state`](MonitorWrite::expected_state) ([`RegistryError::MonitorStale`]), or
    /// when a state names a publication of another list, or a missing one.
    pub fn apply_monitoring(&mut self, write: &MonitorWrite) -> Result<MonitorApplied> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let stored = read_state(&tx)?;
        if stored != write.expected_state {
            return Err(RegistryError::MonitorStale(format!(
                "the book was screened against {} when this run read {}",
                describe_state(&stored),
                describe_state(&write.expected_state)
            )));
        }
        let at = write.at.to_string();
        let mut applied = MonitorApplied::default();
        if !write.book.is_empty() {
            apply_book(&tx, &write.book, &at, &mut applied)?;
        }
        for alert in &write.raise {
            applied.raised.push(alert::insert(&tx, alert, &at)?);
        }
        for (id, alert) in &write.refresh {
            alert::refresh(&tx, *id, alert, &at)?;
            applied.refreshed += 1;
        }
        for (id, reason) in &write.close {
            if alert::close(&tx, *id, *reason, &at)? {
                applied.closed += 1;
            }
        }
        if write.state != stored {
            tx.execute("DELETE FROM monitor_state", [])?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO monitor_state (list, publication_id) VALUES (?1, ?2)",
            )?;
            let mut list_of = tx.prepare_cached("SELECT list FROM publication WHERE id = ?1")?;
            for (list, publication) in &write.state {
                let actual: Option<String> = list_of
                    .query_row([publication.0], |r| r.get(0))
                    .optional()?;
                if actual.as_deref() != Some(list.as_str()) {
                    return Err(RegistryError::InvalidMonitoring(format!(
                        "state for {list} names publication {publication}, which is {}",
                        actual.map_or("not stored".into(), |l| format!("of {l}"))
                    )));
                }
                insert.execute(params![list.as_str(), publication.0])?;
            }
        }
        if let Some((kind, payload)) = &write.audit {
            crate::audit::append(&tx, write.at, kind, payload)?;
        }
        tx.commit()?;
        Ok(applied)
    }

    fn customer_rows(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<StoredCustomer>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt
            .query_map(params, |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Vec<u8>>(7)?,
                    r.get::<_, String>(8)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(
                |(rowid, id, name, kind, dob, country, identifiers, hash, at)| {
                    let bad = |what: &str| {
                        RegistryError::CorruptMonitoring(format!("customer {id:?} has {what}"))
                    };
                    let identifiers = match identifiers {
                        Some(json) => serde_json::from_str(&json)
                            .map_err(|_| bad("identifiers that are not a JSON array"))?,
                        None => Vec::new(),
                    };
                    let hash = ContentHash::from_slice(&hash).ok_or_else(|| bad("a bad hash"))?;
                    let updated_at = at.parse().map_err(|_| bad("a bad change time"))?;
                    Ok(StoredCustomer {
                        reference: CustomerRef(rowid),
                        customer: Customer {
                            id,
                            name,
                            kind,
                            dob,
                            country,
                            identifiers,
                        },
                        hash,
                        updated_at,
                    })
                },
            )
            .collect()
    }
}

const CUSTOMER_SELECT: &str =
    "SELECT c.id, c.customer_id, c.name, c.kind, c.dob, c.country, c.identifiers, c.hash, b.at \
     FROM customer c JOIN book_change b ON b.id = c.change_id";

/// A book term read from the columns `id, text, class, canonical, weight`.
fn read_id_term(r: &rusqlite::Row<'_>) -> rusqlite::Result<(BookTermId, BookTerm)> {
    Ok((
        BookTermId(r.get(0)?),
        BookTerm {
            text: r.get(1)?,
            class: r.get(2)?,
            canonical: r.get(3)?,
            weight: r.get::<_, f64>(4)? as f32,
        },
    ))
}

fn read_state(conn: &rusqlite::Connection) -> Result<BTreeMap<ListId, PublicationId>> {
    let mut stmt = conn.prepare_cached("SELECT list, publication_id FROM monitor_state")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(list, id)| {
            let list = ListId::parse(&list).ok_or_else(|| {
                RegistryError::CorruptMonitoring(format!(
                    "monitoring state of unknown list {list:?}"
                ))
            })?;
            Ok((list, PublicationId(id)))
        })
        .collect()
}

fn describe_state(state: &BTreeMap<ListId, PublicationId>) -> String {
    if state.is_empty() {
        return "no publication".into();
    }
    state
        .iter()
        .map(|(l, p)| format!("{l} publication {p}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the book changes of a run: removals, then upserts, then the posting lists of every
/// term touched (each read and written once, however many customers changed it).
fn apply_book(
    tx: &Transaction<'_>,
    book: &BookUpdate,
    at: &str,
    applied: &mut MonitorApplied,
) -> Result<()> {
    tx.execute(
        "INSERT INTO book_change (at, source, added, updated, removed) VALUES (?1, ?2, 0, 0, 0)",
        params![at, book.source],
    )?;
    let change = tx.last_insert_rowid();
    if book.refile {
        let customers: i64 = tx.query_row("SELECT count(*) FROM customer", [], |r| r.get(0))?;
        if customers as usize != book.upsert.len() || !book.remove.is_empty() {
            return Err(RegistryError::InvalidMonitoring(format!(
                "a refile must file every customer of the book and no other: {} filed, {} in \
                 the book, {} removed",
                book.upsert.len(),
                customers,
                book.remove.len()
            )));
        }
        tx.execute_batch(
            "DELETE FROM book_key; DELETE FROM book_term; UPDATE customer SET terms = x'';",
        )?;
    }
    if let Some(filing) = &book.filing {
        tx.execute(
            "INSERT OR REPLACE INTO book_filing (id, version) VALUES (1, ?1)",
            [filing],
        )?;
    }
    // Per term: customers leaving and joining its posting list.
    let mut postings: BTreeMap<i64, (Vec<i64>, Vec<Posting>)> = BTreeMap::new();

    {
        let mut find =
            tx.prepare_cached("SELECT id, terms FROM customer WHERE customer_id = ?1")?;
        let mut delete = tx.prepare_cached("DELETE FROM customer WHERE id = ?1")?;
        let mut delete_ids =
            tx.prepare_cached("DELETE FROM book_identifier WHERE customer = ?1")?;
        for id in &book.remove {
            let Some((rowid, terms)) = find
                .query_row([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
                .optional()?
            else {
                continue;
            };
            for term in decode_customer_terms(id, &terms)? {
                postings.entry(term).or_default().0.push(rowid);
            }
            delete_ids.execute([rowid])?;
            delete.execute([rowid])?;
            applied.removed += 1;
        }
    }

    if !book.upsert.is_empty() {
        let term_ids = resolve_terms(tx, &book.terms)?;
        let mut find =
            tx.prepare_cached("SELECT id, terms FROM customer WHERE customer_id = ?1")?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO customer \
             (customer_id, name, kind, dob, country, identifiers, hash, terms, change_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let mut update = tx.prepare_cached(
            "UPDATE customer SET name = ?2, kind = ?3, dob = ?4, country = ?5, \
             identifiers = ?6, hash = ?7, terms = ?8, change_id = ?9 WHERE id = ?1",
        )?;
        let mut delete_ids =
            tx.prepare_cached("DELETE FROM book_identifier WHERE customer = ?1")?;
        let mut insert_id = tx.prepare_cached(
            "INSERT OR IGNORE INTO book_identifier (value, customer) VALUES (?1, ?2)",
        )?;
        for filed in &book.upsert {
            let c = &filed.customer;
            let term_id = |t: usize| {
                term_ids.get(t).copied().ok_or_else(|| {
                    RegistryError::InvalidMonitoring(format!(
                        "customer {:?} refers to term {t} of {}",
                        c.id,
                        term_ids.len()
                    ))
                })
            };
            // Each term once, with the weight its posting carries (an own weight wins).
            let mut weighted: BTreeMap<i64, f32> = BTreeMap::new();
            for &t in &filed.terms {
                weighted.insert(term_id(t)?, filed.weight);
            }
            for &(t, w) in &filed.weighted_terms {
                weighted.insert(term_id(t)?, w);
            }
            let terms: Vec<i64> = weighted.keys().copied().collect();
            let identifiers = if c.identifiers.is_empty() {
                None
            } else {
                serde_json::to_string(&c.identifiers).ok()
            };
            let hash = c.hash();
            let encoded_terms = encode_ids(&terms);
            let existing = find
                .query_row([&c.id], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
                })
                .optional()?;
            let rowid = match existing {
                Some((rowid, old_terms)) => {
                    for term in decode_customer_terms(&c.id, &old_terms)? {
                        postings.entry(term).or_default().0.push(rowid);
                    }
                    delete_ids.execute([rowid])?;
                    update.execute(params![
                        rowid,
                        c.name,
                        c.kind,
                        c.dob,
                        c.country,
                        identifiers,
                        hash.as_bytes(),
                        encoded_terms,
                        change
                    ])?;
                    if !book.refile {
                        applied.updated += 1;
                    }
                    rowid
                }
                None if book.refile => {
                    return Err(RegistryError::InvalidMonitoring(format!(
                        "a refile must not add customers: {:?} is not in the book",
                        c.id
                    )))
                }
                None => {
                    let rowid = insert.insert(params![
                        c.id,
                        c.name,
                        c.kind,
                        c.dob,
                        c.country,
                        identifiers,
                        hash.as_bytes(),
                        encoded_terms,
                        change
                    ])?;
                    applied.added += 1;
                    rowid
                }
            };
            for (term, weight) in weighted {
                postings.entry(term).or_default().1.push(Posting {
                    customer: CustomerRef(rowid),
                    weight,
                });
            }
            for v in &filed.identifiers {
                insert_id.execute(params![v, rowid])?;
            }
        }
    }

    {
        let mut read = tx.prepare_cached("SELECT customers FROM book_term WHERE id = ?1")?;
        let mut write = tx.prepare_cached("UPDATE book_term SET customers = ?2 WHERE id = ?1")?;
        for (term, (leaving, joining)) in postings {
            let blob: Vec<u8> = read.query_row([term], |r| r.get(0))?;
            let mut list = decode_postings(&blob).map_err(|e| {
                RegistryError::CorruptMonitoring(format!("posting list of book term {term}: {e}"))
            })?;
            let leaving: BTreeSet<i64> = leaving.into_iter().collect();
            list.retain(|p| !leaving.contains(&p.customer.0));
            list.extend(joining);
            list.sort_by_key(|p| p.customer);
            list.dedup_by_key(|p| p.customer);
            write.execute(params![term, encode_postings(&list)])?;
        }
    }
    tx.execute(
        "UPDATE book_change SET added = ?2, updated = ?3, removed = ?4 WHERE id = ?1",
        params![
            change,
            applied.added as i64,
            applied.updated as i64,
            applied.removed as i64
        ],
    )?;
    Ok(())
}

/// The row id of every term of an update, inserting the new ones with their keys.
fn resolve_terms(tx: &Transaction<'_>, terms: &[NewTerm]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(terms.len());
    let mut new_keys: Vec<(i64, i64)> = Vec::new();
    {
        let mut find = tx.prepare_cached("SELECT id FROM book_term WHERE text = ?1")?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO book_term (text, class, canonical, weight, customers) \
             VALUES (?1, ?2, ?3, ?4, x'')",
        )?;
        for t in terms {
            let found: Option<i64> = find.query_row([&t.term.text], |r| r.get(0)).optional()?;
            let id = match found {
                Some(id) => id,
                None => {
                    let id = insert.insert(params![
                        t.term.text,
                        t.term.class,
                        t.term.canonical,
                        t.term.weight as f64
                    ])?;
                    new_keys.extend(t.keys.iter().map(|&k| (k as i64, id)));
                    id
                }
            };
            ids.push(id);
        }
    }
    // In key order, so that a bulk load appends to the key b-tree instead of splitting pages
    // all over it.
    new_keys.sort_unstable();
    new_keys.dedup();
    let mut insert_key =
        tx.prepare_cached("INSERT OR IGNORE INTO book_key (key, term) VALUES (?1, ?2)")?;
    for (key, term) in new_keys {
        insert_key.execute(params![key, term])?;
    }
    Ok(ids)
}

fn decode_customer_terms(id: &str, blob: &[u8]) -> Result<Vec<i64>> {
    decode_ids(blob)
        .map_err(|e| RegistryError::CorruptMonitoring(format!("terms of customer {id:?}: {e}")))
}

/// Sorted ids as varint deltas: a posting list of a common term is a long run of small steps,
/// one or two bytes each.
fn encode_ids(ids: &[i64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(ids.len() * 2);
    let mut prev = 0i64;
    for &id in ids {
        push_varint(&mut out, id.wrapping_sub(prev) as u64);
        prev = id;
    }
    out
}

fn decode_ids(blob: &[u8]) -> std::result::Result<Vec<i64>, String> {
    let mut out = Vec::with_capacity(blob.len());
    let (mut prev, mut at) = (0i64, 0);
    while at < blob.len() {
        prev = prev.wrapping_add(read_varint(blob, &mut at)? as i64);
        out.push(prev);
    }
    Ok(out)
}

/// Steps of a customer weight in a posting: 1/32, so a byte holds weights up to ~8 (a name of
/// eight rare words) and rounding down loses at most 0.03.
const WEIGHT_STEPS: f32 = 32.0;

/// Postings sorted by customer: the id delta as a varint, then the weight in one byte.
fn encode_postings(list: &[Posting]) -> Vec<u8> {
    let mut out = Vec::with_capacity(list.len() * 3);
    let mut prev = 0i64;
    for p in list {
        push_varint(&mut out, p.customer.0.wrapping_sub(prev) as u64);
        prev = p.customer.0;
        out.push((p.weight.max(0.0) * WEIGHT_STEPS).floor().min(255.0) as u8);
    }
    out
}

fn decode_postings(blob: &[u8]) -> std::result::Result<Vec<Posting>, String> {
    let mut out = Vec::with_capacity(blob.len() / 2);
    let (mut prev, mut at) = (0i64, 0);
    while at < blob.len() {
        prev = prev.wrapping_add(read_varint(blob, &mut at)? as i64);
        let w = *blob.get(at).ok_or("truncated posting")?;
        at += 1;
        out.push(Posting {
            customer: CustomerRef(prev),
            weight: w as f32 / WEIGHT_STEPS,
        });
    }
    Ok(out)
}

fn push_varint(out: &mut Vec<u8>, mut d: u64) {
    loop {
        let byte = (d & 0x7f) as u8;
        d >>= 7;
        if d == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn read_varint(blob: &[u8], at: &mut usize) -> std::result::Result<u64, String> {
    let (mut d, mut shift) = (0u64, 0u32);
    loop {
        let byte = *blob.get(*at).ok_or("truncated varint")?;
        *at += 1;
        if shift > 63 {
            return Err("over-long varint".into());
        }
        d |= ((byte & 0x7f) as u64) << shift;
        if byte & 0x80 == 0 {
            return Ok(d);
        }
        shift += 7;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::{AlertStatus, Trigger};

    fn customer(id: &str, name: &str) -> Customer {
        Customer {
            id: id.into(),
            name: name.into(),
            kind: None,
            dob: None,
            country: None,
            identifiers: Vec::new(),
        }
    }

    fn term(text: &str, keys: &[u64]) -> NewTerm {
        NewTerm {
            term: BookTerm {
                text: text.into(),
                class: "word".into(),
                canonical: None,
                weight: 1.0,
            },
            keys: keys.to_vec(),
        }
    }

    fn write(book: BookUpdate) -> MonitorWrite {
        MonitorWrite {
            at: "2026-01-01T00:00:00Z".parse().unwrap(),
            expected_state: BTreeMap::new(),
            state: BTreeMap::new(),
            book,
            raise: Vec::new(),
            refresh: Vec::new(),
            close: Vec::new(),
            audit: None,
        }
    }

    #[test]
    fn ids_and_postings_round_trip() {
        for ids in [vec![], vec![1], vec![1, 2, 3, 1000, 1_000_000_000_000]] {
            assert_eq!(decode_ids(&encode_ids(&ids)).unwrap(), ids);
        }
        assert!(decode_ids(&[0x80]).is_err());
        let list: Vec<Posting> = [(1, 0.0), (7, 1.5), (300, 2.999), (301, 100.0)]
            .into_iter()
            .map(|(id, weight)| Posting {
                customer: CustomerRef(id),
                weight,
            })
            .collect();
        let back = decode_postings(&encode_postings(&list)).unwrap();
        let weights: Vec<f32> = back.iter().map(|p| p.weight).collect();
        assert_eq!(weights, [0.0, 1.5, 2.96875, 255.0 / 32.0]);
        assert!(back
            .iter()
            .zip(&list)
            .all(|(a, b)| a.customer == b.customer));
        assert!(decode_postings(&[0x01]).is_err());
    }

    #[test]
    fn the_book_files_customers_under_their_terms_and_keys() {
        let mut r = Registry::open_in_memory().unwrap();
        let book = BookUpdate {
            upsert: vec![
                FiledCustomer {
                    customer: customer("c1", "Segunda Marquetalia"),
                    terms: vec![0, 1],
                    identifiers: vec!["AB12345".into()],
                    weight: 2.0,
                    weighted_terms: vec![],
                },
                FiledCustomer {
                    customer: customer("c2", "Juan Segunda J"),
                    terms: vec![2, 0],
                    identifiers: vec![],
                    weight: 2.0,
                    // A term with a posting weight of its own (how retrieval files initials).
                    weighted_terms: vec![(3, 0.3)],
                },
            ],
            terms: vec![
                term("segunda", &[1, 2]),
                term("marquetalia", &[3]),
                term("juan", &[4, 2]),
                term("initial:j", &[]),
            ],
            remove: vec![],
            source: Some("book.csv".into()),
            refile: false,
            filing: None,
        };
        assert!(r.book_is_empty().unwrap());
        let applied = r.apply_monitoring(&write(book)).unwrap();
        assert_eq!((applied.added, applied.updated), (2, 0));
        assert_eq!(r.book_len().unwrap(), 2);
        assert!(!r.book_is_empty().unwrap());

        let found = r.book_terms_by_keys(&[2, 99]).unwrap();
        let texts: Vec<&str> = found.iter().map(|(_, t)| t.text.as_str()).collect();
        assert_eq!(texts, ["segunda", "juan"]);
        let (segunda, _) = r.book_term("segunda").unwrap().unwrap();
        let refs = r.book_postings(segunda).unwrap();
        assert_eq!(refs[0].weight, 2.0);
        let refs: Vec<CustomerRef> = refs.iter().map(|p| p.customer).collect();
        let ids: Vec<String> = r
            .customers_by_ref(&refs)
            .unwrap()
            .into_iter()
            .map(|c| c.customer.id)
            .collect();
        assert_eq!(ids, ["c1", "c2"]);
        assert_eq!(r.book_identifiers(&["AB12345".into()]).unwrap().len(), 1);
        let (j, _) = r.book_term("initial:j").unwrap().unwrap();
        let own = r.book_postings(j).unwrap();
        assert_eq!(own.len(), 1);
        assert!(own[0].weight <= 0.3 && own[0].weight > 0.3 - POSTING_WEIGHT_RESOLUTION);

        // Renaming c1 moves it off `segunda`; removing c2 empties the posting list.
        let book = BookUpdate {
            upsert: vec![FiledCustomer {
                customer: customer("c1", "Marquetalia"),
                terms: vec![0],
                identifiers: vec![],
                weight: 1.0,
                weighted_terms: vec![],
            }],
            terms: vec![term("marquetalia", &[3])],
            remove: vec!["c2".into(), "nobody".into()],
            source: None,
            refile: false,
            filing: None,
        };
        let applied = r.apply_monitoring(&write(book)).unwrap();
        assert_eq!((applied.updated, applied.removed), (1, 1));
        let counted: i64 = r
            .conn
            .query_row("SELECT count(*) FROM customer", [], |r| r.get(0))
            .unwrap();
        assert_eq!((r.book_len().unwrap(), counted), (1, 1));
        assert!(r.book_postings(segunda).unwrap().is_empty());
        assert!(r.book_postings(j).unwrap().is_empty());
        assert!(r.book_identifiers(&["AB12345".into()]).unwrap().is_empty());
        let c1 = r.customer("c1").unwrap().unwrap();
        assert_eq!(c1.hash, customer("c1", "Marquetalia").hash());
        assert_eq!(r.customer_hashes().unwrap().len(), 1);
    }

    #[test]
    fn a_refile_must_file_the_whole_book() {
        let mut r = Registry::open_in_memory().unwrap();
        let filed = |id: &str, name: &str, terms: Vec<usize>| FiledCustomer {
            customer: customer(id, name),
            terms,
            identifiers: vec![],
            weight: 1.0,
            weighted_terms: vec![],
        };
        let book = BookUpdate {
            upsert: vec![
                filed("c1", "Segunda", vec![0]),
                filed("c2", "Juan", vec![1]),
            ],
            terms: vec![term("segunda", &[1]), term("juan", &[2])],
            ..BookUpdate::default()
        };
        r.apply_monitoring(&write(book)).unwrap();
        // One customer short, or one not in the book: refused, nothing written.
        for upsert in [
            vec![filed("c1", "Segunda", vec![0])],
            vec![
                filed("c1", "Segunda", vec![0]),
                filed("c9", "Juan", vec![0]),
            ],
        ] {
            let book = BookUpdate {
                upsert,
                terms: vec![term("segunda2", &[7])],
                refile: true,
                ..BookUpdate::default()
            };
            let err = r.apply_monitoring(&write(book)).unwrap_err();
            assert!(err.to_string().contains("refile"), "{err}");
            assert!(r.book_term("segunda2").unwrap().is_none());
        }
        // The whole book: old terms and keys go, the new ones are filed.
        let book = BookUpdate {
            upsert: vec![
                filed("c1", "Segunda", vec![0]),
                filed("c2", "Juan", vec![0]),
            ],
            terms: vec![term("segunda2", &[7])],
            refile: true,
            ..BookUpdate::default()
        };
        assert_eq!(r.book_filing().unwrap(), None);
        let book = BookUpdate {
            filing: Some("v2".into()),
            ..book
        };
        let applied = r.apply_monitoring(&write(book)).unwrap();
        assert_eq!((applied.added, applied.updated), (0, 0));
        assert_eq!(r.book_filing().unwrap().as_deref(), Some("v2"));
        assert!(r.book_term("segunda").unwrap().is_none());
        assert!(r.book_terms_by_keys(&[1, 2]).unwrap().is_empty());
        let (id, _) = r.book_term("segunda2").unwrap().unwrap();
        assert_eq!(r.book_postings(id).unwrap().len(), 2);
    }

    #[test]
    fn a_stale_run_writes_nothing() {
        let mut r = Registry::open_in_memory().unwrap();
        let mut w = write(BookUpdate::default());
        w.expected_state.insert(ListId::OfacSdn, PublicationId(1));
        w.raise.push(NewAlert {
            customer: "c1".into(),
            customer_name: "x".into(),
            customer_hash: ContentHash::of(b"c"),
            list: "ofac-sdn".into(),
            entity_id: "1".into(),
            entity_name: "X".into(),
            matched_name: "X".into(),
            record_hash: ContentHash::of(b"e"),
            score: 0.9,
            explanation: serde_json::json!({}),
            trigger: Trigger::Customer,
            publication: None,
        });
        let err = r.apply_monitoring(&w).unwrap_err();
        assert!(matches!(err, RegistryError::MonitorStale(_)), "{err}");
        assert!(r.alerts(Some(AlertStatus::Open)).unwrap().is_empty());
    }
}
