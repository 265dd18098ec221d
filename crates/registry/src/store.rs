//! The registry handle: opening the database file and its settings.

use crate::schema;
use crate::{RegistryError, RegistryStats, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a writer waits for another process holding the registry's write lock (a second
/// `interdict ingest` running) before giving up with a "database is locked" error.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// An open registry.
///
/// One handle is one SQLite connection: cheap to keep open, `Send`, not `Sync`. Several
/// processes may open the same file; writes are serialised by SQLite's lock.
pub struct Registry {
    pub(crate) conn: Connection,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("path", &self.path)
            .finish()
    }
}

impl Registry {
    /// Opens the registry at `path`, creating it (and its parent directories) when missing, and
    /// migrating it to the current schema.
    ///
    /// Fails with [`RegistryError::NotARegistry`] for a file that is not an interdict registry
    /// (leaving it untouched) and with [`RegistryError::TooNew`] for a registry written by a
    /// newer interdict.
    pub fn open(path: impl AsRef<Path>) -> Result<Registry> {
        let path = path.as_ref();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| RegistryError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|source| RegistryError::Open {
                path: path.to_path_buf(),
                source,
            })?;
        Registry::setup(conn, Some(path.to_path_buf()))
    }

    /// Opens a registry that lives in memory only: for tests, and for screening a file without
    /// keeping it.
    pub fn open_in_memory() -> Result<Registry> {
        let conn = Connection::open_in_memory()?;
        Registry::setup(conn, None)
    }

    fn setup(mut conn: Connection, path: Option<PathBuf>) -> Result<Registry> {
        let shown = path.clone().unwrap_or_else(|| PathBuf::from(":memory:"));
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Identify the file before changing anything: `journal_mode` would write to it.
        schema::migrate(&mut conn, &shown)?;
        // WAL lets readers (a screening run) go on while an ingest writes, and with
        // synchronous=NORMAL a commit costs no fsync of the main file: an ingest is fast and a
        // crash loses at most the last commit, never consistency.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // Reads through a memory map cost no system call per page: monitoring looks up
        // thousands of keys scattered over a customer book of hundreds of MB (measured: a third
        // of an update's time went to read calls). The map only covers what is read.
        conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
        Ok(Registry { conn, path })
    }

    /// The registry file, `None` for an in-memory registry.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// True when no publication is stored.
    pub fn is_empty(&self) -> Result<bool> {
        let any: bool =
            self.conn
                .query_row("SELECT EXISTS (SELECT 1 FROM publication)", [], |r| {
                    r.get(0)
                })?;
        Ok(!any)
    }

    /// Row counts and stored sizes.
    pub fn stats(&self) -> Result<RegistryStats> {
        let count = |sql: &str| -> Result<u64> {
            let n: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
            Ok(n.max(0) as u64)
        };
        Ok(RegistryStats {
            publications: count("SELECT count(*) FROM publication")?,
            records: count("SELECT count(*) FROM record")?,
            chunks: count("SELECT count(*) FROM chunk")?,
            record_bytes: count("SELECT coalesce(sum(length(data)), 0) FROM chunk")?,
            membership_bytes: count("SELECT coalesce(sum(length(records)), 0) FROM membership")?,
        })
    }
}
