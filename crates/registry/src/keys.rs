//! API keys of the HTTP server: who may call it, with which role.
//!
//! A key is a random token shown once, when it is created; the registry keeps only its SHA-256
//! (and the first characters, so that people can tell their keys apart), so a copy of the
//! registry file gives no one a working key. Keys are revoked, never deleted: the table, like
//! the audit log entries written with every creation and revocation, says who could call the
//! server when.

use crate::{audit, ContentHash, Registry, RegistryError, Result};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use std::fmt;

/// Version 4 of the schema: API keys.
pub(crate) const V4: &str = "
CREATE TABLE api_key (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    role       TEXT    NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    hash       BLOB    NOT NULL UNIQUE,  -- SHA-256 of the token
    prefix     TEXT    NOT NULL,         -- the token's first characters, for people
    created_at TEXT    NOT NULL,         -- RFC 3339 UTC
    revoked_at TEXT                      -- RFC 3339 UTC, NULL while valid
);
";

/// What a key may do. Each role may do everything the roles before it may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Screen, search and read.
    Viewer,
    /// A viewer who may also decide alerts.
    Analyst,
    /// An analyst who may also ingest publications, record notices and manage keys.
    Admin,
}

impl Role {
    /// Every role, least privileged first.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Analyst, Role::Admin];

    /// `viewer`, `analyst`, `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    /// The role named `text` (as [`as_str`](Self::as_str) writes it).
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored key (never its token).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    /// Its id, for revoking it.
    pub id: i64,
    /// Whose or what it is for.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// SHA-256 of the token.
    pub hash: ContentHash,
    /// The token's first characters (`idk_3f9a`), to tell keys apart.
    pub prefix: String,
    /// When it was created.
    pub created_at: jiff::Timestamp,
    /// When it was revoked; `None` while it is valid.
    pub revoked_at: Option<jiff::Timestamp>,
}

/// A key just created, with its token: the only time the token is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewApiKey {
    /// The stored key.
    pub key: ApiKey,
    /// The token to give to its holder (`idk_` and 64 hex digits).
    pub token: String,
}

/// Characters of the token kept in clear.
const PREFIX_LEN: usize = 8;

/// The SHA-256 a token is stored as.
pub fn token_hash(token: &str) -> ContentHash {
    ContentHash::of(token.as_bytes())
}

fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| RegistryError::InvalidApiKey(format!("no randomness for a token: {e}")))?;
    let mut token = String::from("idk_");
    for b in bytes {
        token.push_str(&format!("{b:02x}"));
    }
    Ok(token)
}

const KEY_COLUMNS: &str = "id, name, role, hash, prefix, created_at, revoked_at";

fn read_key(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawKey> {
    Ok(RawKey {
        id: row.get(0)?,
        name: row.get(1)?,
        role: row.get(2)?,
        hash: row.get(3)?,
        prefix: row.get(4)?,
        created_at: row.get(5)?,
        revoked_at: row.get(6)?,
    })
}

struct RawKey {
    id: i64,
    name: String,
    role: String,
    hash: Vec<u8>,
    prefix: String,
    created_at: String,
    revoked_at: Option<String>,
}

impl RawKey {
    fn into_key(self) -> Result<ApiKey> {
        let bad = |what: &str| RegistryError::InvalidApiKey(format!("key {}: bad {what}", self.id));
        let time = |t: &str| t.parse::<jiff::Timestamp>();
        Ok(ApiKey {
            id: self.id,
            role: Role::parse(&self.role).ok_or_else(|| bad("role"))?,
            hash: ContentHash::from_slice(&self.hash).ok_or_else(|| bad("hash"))?,
            created_at: time(&self.created_at).map_err(|_| bad("creation time"))?,
            revoked_at: match &self.revoked_at {
                Some(t) => Some(time(t).map_err(|_| bad("revocation time"))?),
                None => None,
            },
            name: self.name,
            prefix: self.prefix,
        })
    }
}

impl Registry {
    /// Creates a key with a fresh random token, appending a `key.created` entry (name, role,
    /// prefix; never the token) to the audit log in the same transaction.
    pub fn add_api_key(&mut self, name: &str, role: Role) -> Result<NewApiKey> {
        let name = name.trim();
        if name.is_empty() {
            return Err(RegistryError::InvalidApiKey(
                "a key needs a name (whose or what it is for)".into(),
            ));
        }
        let token = new_token()?;
        let hash = token_hash(&token);
        let prefix: String = token.chars().take(PREFIX_LEN).collect();
        let now = jiff::Timestamp::now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO api_key (name, role, hash, prefix, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, role.as_str(), hash.as_bytes(), prefix, now.to_string()],
        )?;
        let id = tx.last_insert_rowid();
        audit::append(
            &tx,
            now,
            "key.created",
            &serde_json::json!({"id": id, "name": name, "role": role.as_str(), "prefix": prefix}),
        )?;
        tx.commit()?;
        Ok(NewApiKey {
            key: ApiKey {
                id,
                name: name.to_string(),
                role,
                hash,
                prefix,
                created_at: now,
                revoked_at: None,
            },
            token,
        })
    }

    /// Every key, valid and revoked, oldest first.
    pub fn api_keys(&self) -> Result<Vec<ApiKey>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {KEY_COLUMNS} FROM api_key ORDER BY id"))?;
        let rows = stmt.query_map([], read_key)?;
        rows.map(|r| r?.into_key()).collect()
    }

    /// The key whose token this is, valid or revoked; `None` for a token never issued.
    pub fn api_key_by_token(&self, token: &str) -> Result<Option<ApiKey>> {
        let hash = token_hash(token);
        let raw = self
            .conn
            .prepare_cached(&format!(
                "SELECT {KEY_COLUMNS} FROM api_key WHERE hash = ?1"
            ))?
            .query_row([hash.as_bytes()], read_key)
            .optional()?;
        raw.map(RawKey::into_key).transpose()
    }

    /// Revokes key `id` (a key revoked before stays as it was), appending a `key.revoked`
    /// entry to the audit log in the same transaction.
    pub fn revoke_api_key(&mut self, id: i64) -> Result<ApiKey> {
        let now = jiff::Timestamp::now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let key = tx
            .prepare_cached(&format!("SELECT {KEY_COLUMNS} FROM api_key WHERE id = ?1"))?
            .query_row([id], read_key)
            .optional()?
            .ok_or_else(|| RegistryError::InvalidApiKey(format!("no API key with id {id}")))?
            .into_key()?;
        if key.revoked_at.is_some() {
            return Ok(key);
        }
        tx.execute(
            "UPDATE api_key SET revoked_at = ?1 WHERE id = ?2",
            params![now.to_string(), id],
        )?;
        audit::append(
            &tx,
            now,
            "key.revoked",
            &serde_json::json!({"id": id, "name": key.name, "role": key.role.as_str(), "prefix": key.prefix}),
        )?;
        tx.commit()?;
        Ok(ApiKey {
            revoked_at: Some(now),
            ..key
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stored_hashed_and_revoked_with_audit_entries() {
        let mut reg = Registry::open_in_memory().unwrap();
        assert!(reg.api_keys().unwrap().is_empty());
        let new = reg.add_api_key("onboarding service", Role::Viewer).unwrap();
        assert!(new.token.starts_with("idk_") && new.token.len() == 68);
        assert_eq!(new.key.hash, token_hash(&new.token));
        assert!(new.token.starts_with(&new.key.prefix));
        let found = reg.api_key_by_token(&new.token).unwrap().unwrap();
        assert_eq!(found, new.key);
        assert!(reg.api_key_by_token("idk_00").unwrap().is_none());

        let other = reg.add_api_key("ops", Role::Admin).unwrap();
        assert_ne!(other.token, new.token);
        let revoked = reg.revoke_api_key(new.key.id).unwrap();
        assert!(revoked.revoked_at.is_some());
        assert_eq!(reg.revoke_api_key(new.key.id).unwrap(), revoked);
        let keys = reg.api_keys().unwrap();
        assert_eq!(keys.len(), 2);
        assert!(keys[0].revoked_at.is_some() && keys[1].revoked_at.is_none());

        let kinds: Vec<String> = reg
            .audit_entries(1)
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, ["key.created", "key.created", "key.revoked"]);
        assert!(reg.audit_verify().unwrap().is_intact());
        assert!(reg.add_api_key("  ", Role::Admin).is_err());
        assert!(reg.revoke_api_key(99).is_err());
    }
}
