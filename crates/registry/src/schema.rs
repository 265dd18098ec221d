//! The database schema and its forward migrations.
//!
//! The schema version lives in SQLite's `PRAGMA user_version`; `PRAGMA application_id` marks
//! the file as an interdict registry. [`MIGRATIONS`] lists every schema change in order:
//! migration *n* (1-based) takes a database from version *n − 1* to *n*. Opening a registry
//! applies the pending ones in one transaction, so a registry is always at some exact version,
//! never between two.
//!
//! To change the schema: append a migration (never edit a released one), then write the
//! fixture of the new version as `tests/compat.rs` explains. The compatibility test keeps
//! opening the fixture of every older version, which proves each migration path works on a
//! real file.

use crate::{RegistryError, Result};
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

/// `PRAGMA application_id` of interdict registries: ASCII "IDCT".
pub(crate) const APPLICATION_ID: i32 = 0x4944_4354;

/// One schema change.
pub(crate) struct Migration {
    /// What it changes, for humans reading this list.
    #[allow(dead_code)]
    pub summary: &'static str,
    /// The SQL that applies it.
    pub sql: &'static str,
}

/// Every schema version, oldest first.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        summary: "publications, their files, members and warnings; content-addressed records in \
                  compressed chunks",
        sql: V1,
    },
    Migration {
        summary: "designation notices (every version kept) and the hash-chained audit log",
        sql: V2,
    },
    Migration {
        summary: "ongoing monitoring: the customer book and its retrieval vocabulary, \
                  monitoring state, alerts and decisions",
        sql: crate::monitor::V3,
    },
    Migration {
        summary: "API keys of the HTTP server (SHA-256 of the token, role, revocation)",
        sql: crate::keys::V4,
    },
    Migration {
        summary: "how the customer book's vocabulary was filed, so that a book filed by an \
                  older build is filed afresh",
        sql: crate::monitor::V5,
    },
];

/// The schema version this build writes: that of the last migration.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Version 1. `record.rs` tells why records live in chunks, `membership.rs` why member lists
/// are blobs.
const V1: &str = "
CREATE TABLE publication (
    id            INTEGER PRIMARY KEY,
    list          TEXT    NOT NULL,          -- ListId string form, e.g. 'ofac-sdn'
    published     TEXT,                      -- ISO 8601 date, NULL when unknown
    hash          BLOB    NOT NULL UNIQUE,   -- 32-byte publication hash
    ingested_at   TEXT    NOT NULL,          -- RFC 3339 UTC timestamp
    entity_count  INTEGER NOT NULL,
    warning_count INTEGER NOT NULL
);
CREATE INDEX publication_by_date ON publication (list, published, id);

CREATE TABLE source_file (
    publication_id INTEGER NOT NULL REFERENCES publication (id),
    position       INTEGER NOT NULL,
    name           TEXT    NOT NULL,
    sha256         TEXT    NOT NULL,
    size           INTEGER NOT NULL,
    PRIMARY KEY (publication_id, position)
) WITHOUT ROWID;

-- The records of a publication, in source order: deflated zigzag-varint deltas of record ids.
CREATE TABLE membership (
    publication_id INTEGER PRIMARY KEY REFERENCES publication (id),
    records        BLOB    NOT NULL
);

-- The warnings of a publication that has any: deflated JSON array of model Warnings.
CREATE TABLE warning_set (
    publication_id INTEGER PRIMARY KEY REFERENCES publication (id),
    warnings       BLOB    NOT NULL
);

-- Up to 64 records first seen in the same publication: their canonical JSON joined by
-- newlines, deflated.
CREATE TABLE chunk (
    id   INTEGER PRIMARY KEY,
    data BLOB    NOT NULL
);

-- One row per distinct entity content. No list column: the list is part of the content, so a
-- matching hash implies a matching list, and a publication's member list only ever names
-- records of its own list. Leaving it out saves a fifth of the table and its index.
CREATE TABLE record (
    id        INTEGER PRIMARY KEY,
    entity_id TEXT    NOT NULL,
    hash      BLOB    NOT NULL,              -- SHA-256 of the canonical JSON
    chunk_id  INTEGER NOT NULL REFERENCES chunk (id),
    slot      INTEGER NOT NULL               -- line number within the chunk
);
CREATE INDEX record_by_entity ON record (entity_id);
";

/// Version 2: designation notices and the audit log.
///
/// A notice is what an authority announced before (or besides) any list file carrying it.
/// Notices change (a Federal Register citation becomes known, a designation is revoked), and a
/// compliance team must be able to show what the registry said before the change, so a changed
/// notice is a new row with the next `version`, never an update. `known_from` is the date the
/// notice counts from for "as of" questions: the earliest date any of its designations is known
/// to have been announced, notified, published or taken effect (`notice.rs` tells why).
///
/// The audit log is a hash chain: each entry stores the SHA-256 of the previous one, so
/// altering, removing or reordering any entry breaks the chain from there on (`audit.rs` has
/// the canonical form that is hashed). Triggers refuse updates and deletes of both tables, so
/// that only deliberate tampering (dropping the triggers first) can change history, and
/// `audit verify` finds it.
const V2: &str = "
CREATE TABLE notice (
    id          INTEGER PRIMARY KEY,
    notice_id   TEXT    NOT NULL,            -- the notice's own id, e.g. 'cartel-de-los-soles'
    version     INTEGER NOT NULL,            -- 1, 2, ... per notice_id, in recording order
    hash        BLOB    NOT NULL,            -- SHA-256 of body
    known_from  TEXT    NOT NULL,            -- ISO 8601 date governing 'as of'
    recorded_at TEXT    NOT NULL,            -- RFC 3339 UTC timestamp
    source      TEXT,                        -- the file it was read from, as given
    body        TEXT    NOT NULL,            -- canonical JSON of the model Notice
    UNIQUE (notice_id, version)
);
CREATE INDEX notice_by_date ON notice (known_from, notice_id);

CREATE TRIGGER notice_no_update BEFORE UPDATE ON notice
BEGIN SELECT RAISE(ABORT, 'notice versions are never changed: record a new version'); END;
CREATE TRIGGER notice_no_delete BEFORE DELETE ON notice
BEGIN SELECT RAISE(ABORT, 'notice versions are never deleted'); END;

CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,           -- 1, 2, 3, ... without gaps
    at        TEXT    NOT NULL,              -- RFC 3339 UTC timestamp
    kind      TEXT    NOT NULL,              -- 'ingest', 'notice', ... ([a-z0-9._-]+)
    payload   TEXT    NOT NULL,              -- compact JSON, hashed as stored
    prev_hash BLOB    NOT NULL,              -- hash of entry seq - 1; 32 zero bytes for seq 1
    hash      BLOB    NOT NULL               -- SHA-256 of this entry's canonical form
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
";

/// Checks that `conn` is an interdict registry (or an empty database) no newer than this
/// build, and brings it to [`SCHEMA_VERSION`].
///
/// Nothing is written unless the file is empty or an older interdict registry, so pointing the
/// tool at the wrong file never damages it.
pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    migrate_with(conn, path, MIGRATIONS)
}

/// [`migrate`] with a given migration list (tests try future versions with it).
fn migrate_with(conn: &mut Connection, path: &Path, migrations: &[Migration]) -> Result<()> {
    let latest = migrations.len() as u32;
    let (version, app_id) = read_header(conn, path)?;
    check_header(conn, path, version, app_id, latest)?;
    if version == latest {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another process may have migrated between our check and our write lock.
    let (version, app_id) = read_header(&tx, path)?;
    check_header(&tx, path, version, app_id, latest)?;
    for migration in &migrations[version as usize..] {
        tx.execute_batch(migration.sql)?;
    }
    tx.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {latest};"
    ))?;
    tx.commit()?;
    Ok(())
}

/// `(user_version, application_id)`. The first read of the file: a file that is not SQLite
/// fails here, and is reported as such.
fn read_header(conn: &Connection, path: &Path) -> Result<(u32, i32)> {
    let read = || -> rusqlite::Result<(i64, i32)> {
        let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let app_id = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        Ok((version, app_id))
    };
    match read() {
        Ok((version, app_id)) => {
            let version = u32::try_from(version).map_err(|_| RegistryError::NotARegistry {
                path: path.to_path_buf(),
                reason: format!("schema version {version} is not a registry version"),
            })?;
            Ok((version, app_id))
        }
        Err(e) if is_not_a_database(&e) => Err(RegistryError::NotARegistry {
            path: path.to_path_buf(),
            reason: format!("not an SQLite database ({e})"),
        }),
        Err(e) => Err(RegistryError::Open {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

fn check_header(
    conn: &Connection,
    path: &Path,
    version: u32,
    app_id: i32,
    latest: u32,
) -> Result<()> {
    let not_ours = |reason: String| RegistryError::NotARegistry {
        path: path.to_path_buf(),
        reason,
    };
    if app_id != APPLICATION_ID && app_id != 0 {
        return Err(not_ours(format!(
            "SQLite database of another application (application_id {app_id:#x})"
        )));
    }
    if version > latest {
        return Err(RegistryError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: latest,
        });
    }
    if version == 0 {
        let objects: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        if objects > 0 {
            return Err(not_ours(
                "SQLite database with tables of its own and no interdict schema".into(),
            ));
        }
    } else if app_id != APPLICATION_ID {
        return Err(not_ours(format!(
            "SQLite database with schema version {version} but no interdict application id"
        )));
    }
    Ok(())
}

/// True for SQLite's "file is not a database" (and "database disk image is malformed", which
/// a truncated or overwritten header yields).
pub(crate) fn is_not_a_database(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase) | Some(rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_reach_the_schema_version_and_are_idempotent() {
        let mut conn = Connection::open_in_memory().unwrap();
        let path = Path::new(":memory:");
        migrate(&mut conn, path).unwrap();
        migrate(&mut conn, path).unwrap();
        assert_eq!(user_version(&conn), SCHEMA_VERSION);
    }

    fn user_version(conn: &Connection) -> u32 {
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_next_version_applies_on_top_and_a_failing_one_changes_nothing() {
        let path = Path::new("test.db");
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, path).unwrap();
        conn.execute_batch("INSERT INTO chunk (data) VALUES (x'00')")
            .unwrap();

        // The current migrations plus one more, as a future build would have them.
        let with_next = |sql: &'static str| -> Vec<Migration> {
            MIGRATIONS
                .iter()
                .map(|m| Migration {
                    summary: m.summary,
                    sql: m.sql,
                })
                .chain([Migration {
                    summary: "next",
                    sql,
                }])
                .collect()
        };
        let broken =
            with_next("ALTER TABLE chunk ADD COLUMN codec INTEGER; SELECT * FROM no_such_table;");
        assert!(migrate_with(&mut conn, path, &broken).is_err());
        assert_eq!(user_version(&conn), SCHEMA_VERSION);
        let columns: i64 = conn
            .query_row("SELECT count(*) FROM pragma_table_info('chunk')", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(columns, 2, "the failed migration left a column behind");

        let next = with_next("ALTER TABLE chunk ADD COLUMN codec INTEGER NOT NULL DEFAULT 0;");
        migrate_with(&mut conn, path, &next).unwrap();
        assert_eq!(user_version(&conn), SCHEMA_VERSION + 1);
        let codec: i64 = conn
            .query_row("SELECT codec FROM chunk", [], |r| r.get(0))
            .unwrap();
        assert_eq!(codec, 0);

        // This build's own list is now too old for the file.
        let err = migrate(&mut conn, path).unwrap_err();
        assert!(
            matches!(
                err,
                RegistryError::TooNew { found, supported, .. }
                    if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION
            ),
            "{err}"
        );
    }

    #[test]
    fn the_v2_logs_refuse_updates_and_deletes() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        conn.execute_batch(
            "INSERT INTO audit_log (seq, at, kind, payload, prev_hash, hash) \
             VALUES (1, '2025-11-16T00:00:00Z', 'test', '{}', x'00', x'00');
             INSERT INTO notice (notice_id, version, hash, known_from, recorded_at, body) \
             VALUES ('n', 1, x'00', '2025-11-16', '2025-11-16T00:00:00Z', '{}');",
        )
        .unwrap();
        for sql in [
            "UPDATE audit_log SET kind = 'x'",
            "DELETE FROM audit_log",
            "UPDATE notice SET body = '[]'",
            "DELETE FROM notice",
        ] {
            let err = conn.execute_batch(sql).unwrap_err();
            assert!(
                err.to_string().contains("never") || err.to_string().contains("append-only"),
                "{sql}: {err}"
            );
        }
    }

    #[test]
    fn foreign_databases_are_left_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (x)").unwrap();
        let err = migrate(&mut conn, Path::new("other.db")).unwrap_err();
        assert!(matches!(err, RegistryError::NotARegistry { .. }), "{err}");

        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA application_id = 42").unwrap();
        let err = migrate(&mut conn, Path::new("other.db")).unwrap_err();
        assert!(err.to_string().contains("another application"), "{err}");
    }
}
