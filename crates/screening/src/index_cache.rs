//! The screening index of today's lists, kept in a file beside the registry so that a command
//! loads it instead of building it.
//!
//! Building the index reads every entity of the latest publications back from the registry and
//! analyses every name: about 0.3 s for OFAC SDN and the UN list, the whole start-up of a
//! one-name `screen` and a tenth of a 100,000-name batch. Loading the saved index takes a
//! fraction of that. The file (`<registry>.index`) starts with a fingerprint of everything the
//! index is built from — this build's version and algorithm, the id and content hash of each
//! list's latest publication, and the notice entities counted today — and is used only when
//! the fingerprint is the current one; otherwise the index is built and the file replaced
//! (written aside and renamed, so a reader never sees half a file). The cache is an
//! optimisation only: any failure to read or write it falls back to building the index.

use crate::lists::{index_of, latest_entities, latest_publications};
use crate::ScreeningError;
use interdict_matching::{MatchIndex, NAME_ALGORITHM};
use interdict_model::ListId;
use interdict_registry::{ContentHash, PublicationInfo, Registry};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// First bytes of a cache file, then the 32-byte fingerprint, then the index file.
const MAGIC: &[u8; 8] = b"IDXCACHE";

/// Whether the index came from the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheUse {
    /// Loaded from the cache file.
    Loaded,
    /// Built (no cache file, an outdated or unreadable one), and the cache written.
    Built,
    /// Built, and no cache written (a registry in memory, or the file could not be written:
    /// a read-only directory, a full disk).
    BuiltNotSaved,
}

/// The cache file of a registry: `<registry file>.index`; `None` for a registry in memory.
pub fn cache_path(registry: &Registry) -> Option<PathBuf> {
    let path = registry.path()?;
    let mut name = path.file_name()?.to_os_string();
    name.push(".index");
    Some(path.with_file_name(name))
}

/// [`index_from_registry`](crate::index_from_registry) for today's lists, through the cache
/// file of the registry (none for a registry in memory).
pub fn index_from_registry_cached(
    registry: &Registry,
) -> Result<(MatchIndex, Vec<PublicationInfo>, CacheUse), ScreeningError> {
    let Some(path) = cache_path(registry) else {
        let (entities, publications) = latest_entities(registry, None)?;
        return Ok((index_of(&entities), publications, CacheUse::BuiltNotSaved));
    };
    // The fingerprint needs the publications and the notices, not the lists' entities: a
    // cache hit reads none of them back.
    let publications = latest_publications(registry, None)?;
    if publications.is_empty() {
        return Err(ScreeningError::NoLists { as_of: None });
    }
    let notices = crate::NoticeSet::from_registry(registry, None)?.entities();
    let fingerprint = fingerprint(&publications, &notices);
    if let Some(index) = read(&path, &fingerprint) {
        return Ok((index, publications, CacheUse::Loaded));
    }
    // Read again: the fingerprint written must be that of what the index is built from,
    // should a publication have been ingested in between.
    let (entities, publications) = latest_entities(registry, None)?;
    let notices: Vec<_> = entities
        .iter()
        .filter(|e| e.list == ListId::Notice.as_str())
        .cloned()
        .collect();
    let fingerprint = self::fingerprint(&publications, &notices);
    let index = index_of(&entities);
    let used = match write(&path, &fingerprint, &index) {
        Ok(()) => CacheUse::Built,
        Err(_) => CacheUse::BuiltNotSaved,
    };
    Ok((index, publications, used))
}

/// What the index is built from, hashed. Notice entities enter whole (they are few, and which
/// of them count depends on the day).
fn fingerprint(
    publications: &[PublicationInfo],
    notices: &[interdict_model::Entity],
) -> ContentHash {
    let mut text = format!(
        "interdict {} index cache 1, {NAME_ALGORITHM}\n",
        env!("CARGO_PKG_VERSION")
    );
    for p in publications {
        text.push_str(&format!("{} {} {}\n", p.list, p.id.0, p.hash));
    }
    for e in notices {
        text.push_str(&serde_json::to_string(e).unwrap_or_default());
        text.push('\n');
    }
    ContentHash::of(text.as_bytes())
}

/// The cached index, if the file holds one with this fingerprint.
fn read(path: &Path, fingerprint: &ContentHash) -> Option<MatchIndex> {
    let mut r = BufReader::with_capacity(1 << 20, File::open(path).ok()?);
    let mut head = [0u8; 8 + 32];
    r.read_exact(&mut head).ok()?;
    if &head[..8] != MAGIC || head[8..] != fingerprint.as_bytes()[..] {
        return None;
    }
    MatchIndex::load(r).ok()
}

/// Writes the cache aside and renames it over the old one.
fn write(path: &Path, fingerprint: &ContentHash, index: &MatchIndex) -> std::io::Result<()> {
    let mut aside = path.as_os_str().to_os_string();
    aside.push(format!(".{}.tmp", std::process::id()));
    let aside = PathBuf::from(aside);
    let result = (|| {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&aside)?);
        w.write_all(MAGIC)?;
        w.write_all(fingerprint.as_bytes())?;
        index.save(&mut w).map_err(std::io::Error::other)?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&aside, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&aside);
    }
    result
}
