//! Alerts raised by monitoring, and the decisions analysts record on them.
//!
//! An alert says: this customer may be this listed entity, with this score and explanation,
//! found when screening against this publication. It keeps the hash of the customer and of the
//! entity record as screened, because a decision is about *those* two records: a false positive
//! cleared today stays cleared while neither changes, and is raised afresh when either does
//! (the rule itself lives in `screening`, which decides what to raise; these are its inputs).
//!
//! Decisions are history: each is a row of `alert_decision` (triggers refuse changing or
//! deleting one) and an `alert.decision` entry of the audit log, written in the same
//! transaction; the alert's status is the latest decision's, or what monitoring set
//! (open when raised, closed when the entity is delisted).

use crate::{ContentHash, PublicationId, Registry, RegistryError, Result};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use serde::Serialize;
use std::fmt;

/// The id of an alert: assigned when raised, never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct AlertId(pub i64);

impl fmt::Display for AlertId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where an alert stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Raised, not reviewed yet.
    Open,
    /// Under further review.
    Escalated,
    /// Reviewed: the customer is not the listed party.
    FalsePositive,
    /// Reviewed: the customer is the listed party.
    TrueMatch,
    /// Closed by monitoring: the entity was delisted, a change of the entity or customer (or a
    /// full re-screen) means the pair no longer matches, or the customer left the book.
    Closed,
}

impl AlertStatus {
    /// Every status.
    pub const ALL: [AlertStatus; 5] = [
        AlertStatus::Open,
        AlertStatus::Escalated,
        AlertStatus::FalsePositive,
        AlertStatus::TrueMatch,
        AlertStatus::Closed,
    ];

    /// The stored and displayed form (`false_positive`).
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Open => "open",
            AlertStatus::Escalated => "escalated",
            AlertStatus::FalsePositive => "false_positive",
            AlertStatus::TrueMatch => "true_match",
            AlertStatus::Closed => "closed",
        }
    }

    /// Parses [`as_str`](Self::as_str)'s form.
    pub fn parse(s: &str) -> Option<AlertStatus> {
        AlertStatus::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// True while the alert waits for a decision (open or escalated).
    pub fn is_pending(self) -> bool {
        matches!(self, AlertStatus::Open | AlertStatus::Escalated)
    }

    /// True for an analyst's verdict (false positive or true match).
    pub fn is_verdict(self) -> bool {
        matches!(self, AlertStatus::FalsePositive | AlertStatus::TrueMatch)
    }
}

impl fmt::Display for AlertStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why monitoring closed an alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// The entity is no longer on its list.
    Delisted,
    /// The entity's record changed and the customer no longer matches it.
    EntityChanged,
    /// The customer changed and no longer matches the entity.
    CustomerChanged,
    /// The customer was removed from the book.
    CustomerRemoved,
    /// A full re-screen of the book no longer finds the pair at or above the threshold (the
    /// lists' statistics moved its score).
    NoLongerMatches,
}

impl CloseReason {
    /// The stored and displayed form.
    pub fn as_str(self) -> &'static str {
        match self {
            CloseReason::Delisted => "delisted",
            CloseReason::EntityChanged => "entity_changed",
            CloseReason::CustomerChanged => "customer_changed",
            CloseReason::CustomerRemoved => "customer_removed",
            CloseReason::NoLongerMatches => "no_longer_matches",
        }
    }

    fn parse(s: &str) -> Option<CloseReason> {
        [
            CloseReason::Delisted,
            CloseReason::EntityChanged,
            CloseReason::CustomerChanged,
            CloseReason::CustomerRemoved,
            CloseReason::NoLongerMatches,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// What made monitoring screen the pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A list publication was ingested and the entity was new or had changed.
    Ingest,
    /// The customer was added to the book or changed.
    Customer,
    /// A designation notice announced the entity.
    Notice,
    /// A full re-screen of the book, run to reconcile alerts with today's scores.
    Rescreen,
}

impl Trigger {
    /// The stored and displayed form.
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Ingest => "ingest",
            Trigger::Customer => "customer",
            Trigger::Notice => "notice",
            Trigger::Rescreen => "rescreen",
        }
    }

    fn parse(s: &str) -> Option<Trigger> {
        [
            Trigger::Ingest,
            Trigger::Customer,
            Trigger::Notice,
            Trigger::Rescreen,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// An alert to raise (or the new content of a pending alert screened again).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewAlert {
    /// The book's customer id.
    pub customer: String,
    /// The customer's name as screened.
    pub customer_name: String,
    /// [`Customer::hash`](crate::Customer::hash) as screened.
    pub customer_hash: ContentHash,
    /// The entity's list (`ofac-sdn`).
    pub list: String,
    /// The entity's id on it.
    pub entity_id: String,
    /// The entity's primary name.
    pub entity_name: String,
    /// The entity's name that matched.
    pub matched_name: String,
    /// [`record_hash`](crate::record_hash) of the entity as screened.
    pub record_hash: ContentHash,
    /// The score.
    pub score: f64,
    /// The explanation of the score, as matching gives it.
    pub explanation: serde_json::Value,
    /// What made monitoring screen the pair.
    pub trigger: Trigger,
    /// The publication of the entity's list screened against (none for a notice).
    #[serde(serialize_with = "publication_number")]
    pub publication: Option<PublicationId>,
}

fn publication_number<S: serde::Serializer>(
    p: &Option<PublicationId>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match p {
        Some(p) => s.serialize_some(&p.0),
        None => s.serialize_none(),
    }
}

/// One recorded decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The status decided.
    pub status: AlertStatus,
    /// Who decided.
    pub by: String,
    /// When.
    pub at: jiff::Timestamp,
    /// Why.
    pub reason: String,
}

/// A stored alert.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alert {
    /// Its id.
    pub id: AlertId,
    /// Where it stands.
    pub status: AlertStatus,
    /// What it found, as screened (kept as raised, or as last refreshed while pending).
    #[serde(flatten)]
    pub found: NewAlert,
    /// When it was raised.
    pub raised_at: jiff::Timestamp,
    /// When it last changed (refreshed, decided, closed).
    pub updated_at: jiff::Timestamp,
    /// Why monitoring closed it, when it did.
    pub closed_reason: Option<CloseReason>,
    /// The decisions recorded on it, oldest first.
    pub decisions: Vec<Decision>,
}

/// Columns of `alert`, in the order [`read_alert`] expects.
const ALERT_COLUMNS: &str = "id, status, customer_id, customer_name, customer_hash, list, \
     entity_id, entity_name, matched_name, record_hash, score, explanation, trigger, \
     publication_id, raised_at, updated_at, closed_reason";

/// An alert row, before validation.
struct AlertRow {
    id: i64,
    status: String,
    customer: String,
    customer_name: String,
    customer_hash: Vec<u8>,
    list: String,
    entity_id: String,
    entity_name: String,
    matched_name: String,
    record_hash: Vec<u8>,
    score: f64,
    explanation: String,
    trigger: String,
    publication: Option<i64>,
    raised_at: String,
    updated_at: String,
    closed_reason: Option<String>,
}

fn read_alert(r: &Row<'_>) -> rusqlite::Result<AlertRow> {
    Ok(AlertRow {
        id: r.get(0)?,
        status: r.get(1)?,
        customer: r.get(2)?,
        customer_name: r.get(3)?,
        customer_hash: r.get(4)?,
        list: r.get(5)?,
        entity_id: r.get(6)?,
        entity_name: r.get(7)?,
        matched_name: r.get(8)?,
        record_hash: r.get(9)?,
        score: r.get(10)?,
        explanation: r.get(11)?,
        trigger: r.get(12)?,
        publication: r.get(13)?,
        raised_at: r.get(14)?,
        updated_at: r.get(15)?,
        closed_reason: r.get(16)?,
    })
}

impl AlertRow {
    fn into_alert(self, decisions: Vec<Decision>) -> Result<Alert> {
        let id = self.id;
        let bad = |what: String| RegistryError::CorruptMonitoring(format!("alert {id}: {what}"));
        let hash = |b: &[u8], what: &str| {
            ContentHash::from_slice(b).ok_or_else(|| bad(format!("bad {what} hash")))
        };
        let time = |s: &str| {
            s.parse::<jiff::Timestamp>()
                .map_err(|_| bad(format!("bad time {s:?}")))
        };
        Ok(Alert {
            id: AlertId(id),
            status: AlertStatus::parse(&self.status)
                .ok_or_else(|| bad(format!("unknown status {:?}", self.status)))?,
            found: NewAlert {
                customer_hash: hash(&self.customer_hash, "customer")?,
                record_hash: hash(&self.record_hash, "record")?,
                explanation: serde_json::from_str(&self.explanation)
                    .map_err(|_| bad("explanation is not JSON".into()))?,
                trigger: Trigger::parse(&self.trigger)
                    .ok_or_else(|| bad(format!("unknown trigger {:?}", self.trigger)))?,
                publication: self.publication.map(PublicationId),
                customer: self.customer,
                customer_name: self.customer_name,
                list: self.list,
                entity_id: self.entity_id,
                entity_name: self.entity_name,
                matched_name: self.matched_name,
                score: self.score,
            },
            raised_at: time(&self.raised_at)?,
            updated_at: time(&self.updated_at)?,
            closed_reason: match self.closed_reason {
                Some(r) => Some(
                    CloseReason::parse(&r)
                        .ok_or_else(|| bad(format!("unknown close reason {r:?}")))?,
                ),
                None => None,
            },
            decisions,
        })
    }
}

/// Inserts a new open alert.
pub(crate) fn insert(conn: &Connection, a: &NewAlert, at: &str) -> Result<AlertId> {
    let explanation = explanation_text(a)?;
    conn.prepare_cached(
        "INSERT INTO alert (status, customer_id, customer_name, customer_hash, list, entity_id, \
         entity_name, matched_name, record_hash, score, explanation, trigger, publication_id, \
         raised_at, updated_at) \
         VALUES ('open', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
    )?
    .execute(params![
        a.customer,
        a.customer_name,
        a.customer_hash.as_bytes(),
        a.list,
        a.entity_id,
        a.entity_name,
        a.matched_name,
        a.record_hash.as_bytes(),
        a.score,
        explanation,
        a.trigger.as_str(),
        a.publication.map(|p| p.0),
        at,
    ])?;
    Ok(AlertId(conn.last_insert_rowid()))
}

/// Brings a pending alert up to date with a new screening of its pair.
pub(crate) fn refresh(conn: &Connection, id: AlertId, a: &NewAlert, at: &str) -> Result<()> {
    let explanation = explanation_text(a)?;
    let n = conn
        .prepare_cached(
            "UPDATE alert SET customer_name = ?2, customer_hash = ?3, entity_name = ?4, \
             matched_name = ?5, record_hash = ?6, score = ?7, explanation = ?8, \
             publication_id = ?9, updated_at = ?10 \
             WHERE id = ?1 AND status IN ('open', 'escalated')",
        )?
        .execute(params![
            id.0,
            a.customer_name,
            a.customer_hash.as_bytes(),
            a.entity_name,
            a.matched_name,
            a.record_hash.as_bytes(),
            a.score,
            explanation,
            a.publication.map(|p| p.0),
            at,
        ])?;
    if n == 0 {
        return Err(RegistryError::InvalidMonitoring(format!(
            "alert {id} cannot be refreshed: it is not pending"
        )));
    }
    Ok(())
}

/// Closes a pending alert; false (and nothing written) when it is not pending.
pub(crate) fn close(conn: &Connection, id: AlertId, reason: CloseReason, at: &str) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE alert SET status = 'closed', closed_reason = ?2, updated_at = ?3 \
             WHERE id = ?1 AND status IN ('open', 'escalated')",
        )?
        .execute(params![id.0, reason.as_str(), at])?;
    Ok(n > 0)
}

fn explanation_text(a: &NewAlert) -> Result<String> {
    serde_json::to_string(&a.explanation).map_err(|e| {
        RegistryError::InvalidMonitoring(format!(
            "explanation of {}:{} for {} does not serialise: {e}",
            a.list, a.entity_id, a.customer
        ))
    })
}

impl Registry {
    /// Alerts, oldest first: all of them, or those with one status.
    pub fn alerts(&self, status: Option<AlertStatus>) -> Result<Vec<Alert>> {
        match status {
            Some(s) => self.alert_rows(
                &format!("SELECT {ALERT_COLUMNS} FROM alert WHERE status = ?1 ORDER BY id"),
                [s.as_str()],
            ),
            None => self.alert_rows(
                &format!("SELECT {ALERT_COLUMNS} FROM alert ORDER BY id"),
                [],
            ),
        }
    }

    /// One alert.
    pub fn alert(&self, id: AlertId) -> Result<Option<Alert>> {
        Ok(self
            .alert_rows(
                &format!("SELECT {ALERT_COLUMNS} FROM alert WHERE id = ?1"),
                [id.0],
            )?
            .pop())
    }

    /// The most recent alert of a (customer, list, entity) pair: what decides whether the pair
    /// may be raised again.
    pub fn latest_alert(
        &self,
        customer: &str,
        list: &str,
        entity_id: &str,
    ) -> Result<Option<Alert>> {
        Ok(self
            .alert_rows(
                &format!(
                    "SELECT {ALERT_COLUMNS} FROM alert \
                     WHERE customer_id = ?1 AND list = ?2 AND entity_id = ?3 \
                     ORDER BY id DESC LIMIT 1"
                ),
                params![customer, list, entity_id],
            )?
            .pop())
    }

    /// Pending (open or escalated) alerts on an entity.
    pub fn pending_alerts_of_entity(&self, list: &str, entity_id: &str) -> Result<Vec<Alert>> {
        self.alert_rows(
            &format!(
                "SELECT {ALERT_COLUMNS} FROM alert WHERE list = ?1 AND entity_id = ?2 \
                 AND status IN ('open', 'escalated') ORDER BY id"
            ),
            params![list, entity_id],
        )
    }

    /// Pending (open or escalated) alerts of a customer.
    pub fn pending_alerts_of_customer(&self, customer: &str) -> Result<Vec<Alert>> {
        self.alert_rows(
            &format!(
                "SELECT {ALERT_COLUMNS} FROM alert WHERE customer_id = ?1 \
                 AND status IN ('open', 'escalated') ORDER BY id"
            ),
            [customer],
        )
    }

    /// Records a decision on an alert, stamped with the current time: see
    /// [`decide_alert_at`](Self::decide_alert_at).
    pub fn decide_alert(
        &mut self,
        id: AlertId,
        status: AlertStatus,
        by: &str,
        reason: &str,
    ) -> Result<Alert> {
        self.decide_alert_at(id, status, by, reason, jiff::Timestamp::now())
    }

    /// Records who decided what about an alert, when and why: the decision is stored, the
    /// alert takes its status, and an `alert.decision` entry (with the customer and record
    /// hashes the decision is about) is appended to the audit log — all in one transaction.
    ///
    /// `closed` is not a decision (monitoring closes alerts); `by` and `reason` must not be
    /// blank. Any alert may be decided again: the history keeps every decision.
    pub fn decide_alert_at(
        &mut self,
        id: AlertId,
        status: AlertStatus,
        by: &str,
        reason: &str,
        at: jiff::Timestamp,
    ) -> Result<Alert> {
        let (by, reason) = (by.trim(), reason.trim());
        if status == AlertStatus::Closed {
            return Err(RegistryError::InvalidMonitoring(
                "`closed` is set by monitoring (entity delisted); decide open, escalated, \
                 false_positive or true_match"
                    .into(),
            ));
        }
        if by.is_empty() || reason.is_empty() {
            return Err(RegistryError::InvalidMonitoring(
                "a decision needs who made it and why".into(),
            ));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let before = {
            let row = tx
                .prepare_cached(&format!("SELECT {ALERT_COLUMNS} FROM alert WHERE id = ?1"))?
                .query_row([id.0], read_alert)
                .optional()?
                .ok_or(RegistryError::NoSuchAlert(id))?;
            row.into_alert(Vec::new())?
        };
        let at_text = at.to_string();
        tx.prepare_cached(
            "INSERT INTO alert_decision (alert_id, seq, status, decided_by, decided_at, reason) \
             VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM alert_decision \
             WHERE alert_id = ?1), ?2, ?3, ?4, ?5)",
        )?
        .execute(params![id.0, status.as_str(), by, at_text, reason])?;
        tx.prepare_cached(
            "UPDATE alert SET status = ?2, closed_reason = NULL, updated_at = ?3 WHERE id = ?1",
        )?
        .execute(params![id.0, status.as_str(), at_text])?;
        crate::audit::append(
            &tx,
            at,
            "alert.decision",
            &serde_json::json!({
                "alert": id.0,
                "from": before.status.as_str(),
                "status": status.as_str(),
                "by": by,
                "reason": reason,
                "customer": before.found.customer,
                "customer_hash": before.found.customer_hash.to_hex(),
                "entity": format!("{}:{}", before.found.list, before.found.entity_id),
                "record_hash": before.found.record_hash.to_hex(),
                "score": before.found.score,
            }),
        )?;
        tx.commit()?;
        self.alert(id)?.ok_or(RegistryError::NoSuchAlert(id))
    }

    fn alert_rows(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Alert>> {
        let rows = {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map(params, read_alert)?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        let mut decisions = self.conn.prepare_cached(
            "SELECT status, decided_by, decided_at, reason FROM alert_decision \
             WHERE alert_id = ?1 ORDER BY seq",
        )?;
        rows.into_iter()
            .map(|row| {
                let id = row.id;
                let raw = decisions
                    .query_map([id], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                        ))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                let list = raw
                    .into_iter()
                    .map(|(status, by, at, reason)| {
                        let bad = || {
                            RegistryError::CorruptMonitoring(format!(
                                "decision on alert {id} has a bad status or time"
                            ))
                        };
                        Ok(Decision {
                            status: AlertStatus::parse(&status).ok_or_else(bad)?,
                            by,
                            at: at.parse().map_err(|_| bad())?,
                            reason,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                row.into_alert(list)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::{BookUpdate, MonitorWrite};
    use std::collections::BTreeMap;

    fn found(customer: &str) -> NewAlert {
        NewAlert {
            customer: customer.into(),
            customer_name: "Segunda Marquetalia".into(),
            customer_hash: ContentHash::of(customer.as_bytes()),
            list: "ofac-sdn".into(),
            entity_id: "33974".into(),
            entity_name: "SEGUNDA MARQUETALIA".into(),
            matched_name: "SEGUNDA MARQUETALIA".into(),
            record_hash: ContentHash::of(b"record"),
            score: 1.0,
            explanation: serde_json::json!({"score": 1.0}),
            trigger: Trigger::Ingest,
            publication: None,
        }
    }

    fn raise(r: &mut Registry, alerts: Vec<NewAlert>) -> Vec<AlertId> {
        r.apply_monitoring(&MonitorWrite {
            at: "2026-01-01T00:00:00Z".parse().unwrap(),
            expected_state: BTreeMap::new(),
            state: BTreeMap::new(),
            book: BookUpdate::default(),
            raise: alerts,
            refresh: Vec::new(),
            close: Vec::new(),
            audit: None,
        })
        .unwrap()
        .raised
    }

    #[test]
    fn decisions_are_kept_and_audited() {
        let mut r = Registry::open_in_memory().unwrap();
        let ids = raise(&mut r, vec![found("c1"), found("c2")]);
        assert_eq!(r.alerts(Some(AlertStatus::Open)).unwrap().len(), 2);

        let at: jiff::Timestamp = "2026-01-02T10:00:00Z".parse().unwrap();
        let a = r
            .decide_alert_at(ids[0], AlertStatus::Escalated, "ana", "check the DOB", at)
            .unwrap();
        assert_eq!(a.status, AlertStatus::Escalated);
        let a = r
            .decide_alert_at(ids[0], AlertStatus::FalsePositive, "bo", "other DOB", at)
            .unwrap();
        assert_eq!(a.status, AlertStatus::FalsePositive);
        assert_eq!(a.decisions.len(), 2);
        assert_eq!(a.decisions[1].by, "bo");
        assert_eq!(
            r.latest_alert("c1", "ofac-sdn", "33974")
                .unwrap()
                .unwrap()
                .id,
            ids[0]
        );

        let audit = r.audit_entries(1).unwrap();
        let decisions: Vec<_> = audit
            .iter()
            .filter(|e| e.kind == "alert.decision")
            .collect();
        assert_eq!(decisions.len(), 2);
        assert_eq!(decisions[1].payload["from"], "escalated");
        assert_eq!(decisions[1].payload["status"], "false_positive");
        assert_eq!(decisions[1].payload["reason"], "other DOB");
        assert!(r.audit_verify().unwrap().is_intact());

        for (status, by, reason) in [
            (AlertStatus::Closed, "ana", "x"),
            (AlertStatus::TrueMatch, " ", "x"),
            (AlertStatus::TrueMatch, "ana", ""),
        ] {
            assert!(r.decide_alert(ids[1], status, by, reason).is_err());
        }
        assert!(matches!(
            r.decide_alert(AlertId(99), AlertStatus::TrueMatch, "ana", "x"),
            Err(RegistryError::NoSuchAlert(AlertId(99)))
        ));
        // Decisions are history: the database refuses to rewrite them.
        assert!(r
            .conn
            .execute("UPDATE alert_decision SET reason = 'x'", [])
            .is_err());
    }
}
