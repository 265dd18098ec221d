//! Content hashes: the names of records and publications.

use interdict_model::{ListId, SourceFile};
use sha2::{Digest, Sha256};
use std::fmt;

/// A SHA-256 digest naming stored content: an entity record (the hash of its canonical JSON) or
/// a publication (over its list id and source file hashes; see
/// [`Registry::ingest_at`](crate::Registry::ingest_at)).
///
/// Displayed as 64 lower-case hex digits, the form users see in `lists` and `history`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash([u8; 32]);

impl ContentHash {
    /// The SHA-256 of `bytes`.
    pub fn of(bytes: &[u8]) -> ContentHash {
        ContentHash(Sha256::digest(bytes).into())
    }

    /// A hash from a digest computed elsewhere in the crate.
    pub(crate) fn from_digest(digest: [u8; 32]) -> ContentHash {
        ContentHash(digest)
    }

    /// The raw digest.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A hash from its raw bytes, `None` unless there are exactly 32.
    pub fn from_slice(bytes: &[u8]) -> Option<ContentHash> {
        bytes.try_into().ok().map(ContentHash)
    }

    /// Parses 64 hex digits (either case).
    pub fn from_hex(hex: &str) -> Option<ContentHash> {
        let hex = hex.as_bytes();
        if hex.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
            let digit = |c: u8| (c as char).to_digit(16);
            *byte = (digit(pair[0])? * 16 + digit(pair[1])?) as u8;
        }
        Some(ContentHash(out))
    }

    /// The 64-digit lower-case hex form.
    pub fn to_hex(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Serialised as its hex form, as users see it.
impl serde::Serialize for ContentHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Debug for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentHash({self})")
    }
}

/// The identity of a publication: SHA-256 over its list id and the sorted SHA-256s of its source
/// files.
///
/// Files, not parsed entities, decide identity, so that re-reading the same official files is
/// recognised as the same publication whatever the parser made of them (the registry keeps what
/// was first stored). The file hashes are sorted because the set of files, not their order, is
/// the publication, and lower-cased so that hex spelling does not matter.
///
/// A publication with no source files (built in memory) has no file identity; it is named by
/// the hashes of its records in order instead, under a different prefix so the two kinds can
/// never collide.
pub(crate) fn publication_hash(
    list: ListId,
    files: &[SourceFile],
    records: &[ContentHash],
) -> ContentHash {
    let mut h = Sha256::new();
    h.update(b"interdict publication\0");
    h.update(list.as_str().as_bytes());
    h.update(b"\0");
    if files.is_empty() {
        h.update(b"records\0");
        for r in records {
            h.update(r.as_bytes());
        }
    } else {
        h.update(b"files\0");
        let mut shas: Vec<String> = files.iter().map(|f| f.sha256.to_lowercase()).collect();
        shas.sort_unstable();
        for sha in shas {
            h.update(sha.as_bytes());
            h.update(b"\n");
        }
    }
    ContentHash(h.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, sha: &str) -> SourceFile {
        SourceFile {
            name: name.into(),
            sha256: sha.into(),
            size: 1,
        }
    }

    #[test]
    fn hex_round_trip() {
        let h = ContentHash::of(b"MADURO MOROS, Nicolas");
        assert_eq!(ContentHash::from_hex(&h.to_hex()), Some(h));
        assert_eq!(ContentHash::from_hex(&h.to_hex().to_uppercase()), Some(h));
        assert_eq!(ContentHash::from_hex("zz"), None);
        assert_eq!(ContentHash::from_hex(&"g".repeat(64)), None);
        assert_eq!(ContentHash::from_slice(&[0; 31]), None);
    }

    #[test]
    fn publication_hash_ignores_file_order_and_names_but_not_list() {
        let a = [file("sdn.csv", "AA"), file("alt.csv", "bb")];
        let b = [file("x", "bb"), file("y", "aa")];
        let h = publication_hash(ListId::OfacSdn, &a, &[]);
        assert_eq!(h, publication_hash(ListId::OfacSdn, &b, &[]));
        assert_ne!(h, publication_hash(ListId::OfacCons, &a, &[]));
        // Without files, the records decide.
        let r = [ContentHash::of(b"1")];
        assert_ne!(
            publication_hash(ListId::Un, &[], &r),
            publication_hash(ListId::Un, &[], &[])
        );
    }
}
