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
//!
//! An outdated cache is still worth reading: lists change a few dozen entities a day, and the
//! file also says which publications its index was built from. [`IndexBase`] reads it as the
//! base of [`MatchIndex::rebuild`], which takes from it every entity the registry's diff
//! between those publications and today's leaves alone: a fraction of a build from scratch.
//!
//! ```text
//! "IDXCACH2"  32-byte fingerprint  u32 LE header length  header (JSON)  index file
//! ```
//!
//! The header names the build (version and algorithm) and, per list, the publication (id and
//! content hash) the index was built from.

use crate::lists::{index_of, latest_entities, latest_publications};
use crate::ScreeningError;
use interdict_matching::{MatchIndex, NAME_ALGORITHM};
use interdict_model::{Entity, ListId};
use interdict_registry::{ContentHash, PublicationId, PublicationInfo, Registry};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// First bytes of a cache file, then the 32-byte fingerprint, the header and the index file.
const MAGIC: &[u8; 8] = b"IDXCACH2";
/// Headers are a few hundred bytes; a larger length is a damaged file.
const MAX_HEADER: u32 = 1 << 20;

/// What a cache file says of its index.
#[derive(Serialize, Deserialize)]
struct Header {
    /// [`build_id`] of the program that wrote it.
    build: String,
    /// The publication each list's entities came from.
    publications: Vec<BasePublication>,
}

#[derive(Clone, Serialize, Deserialize)]
struct BasePublication {
    list: String,
    id: i64,
    hash: String,
}

/// The program's version and name algorithm: an index of another build is never a base.
fn build_id() -> String {
    format!(
        "interdict {} index cache 2, {NAME_ALGORITHM}",
        env!("CARGO_PKG_VERSION")
    )
}

/// Whether the index came from the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheUse {
    /// Loaded from the cache file.
    Loaded,
    /// Built (no cache file, or an unreadable one), and the cache written.
    Built,
    /// Built from the index of an outdated cache file, taking every entity today's lists
    /// left as they were ([`IndexBase`]), and the cache written.
    Rebuilt,
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
    if peek_fingerprint(&path) == Some(fingerprint) {
        if let Some(base) = IndexBase::read(&path).filter(|b| b.fingerprint == fingerprint) {
            return Ok((base.index, publications, CacheUse::Loaded));
        }
    }
    // Outdated (or absent): the old index loads on another thread while the lists' entities
    // are read back, which take about as long. Read again: the fingerprint written must be
    // that of what the index is built from, should a publication have been ingested in
    // between.
    let (base, read) = std::thread::scope(|scope| {
        let loading = scope.spawn(|| IndexBase::read(&path));
        let read = latest_entities(registry, None);
        (loading.join().ok().flatten(), read)
    });
    let (entities, publications) = read?;
    let notices: Vec<_> = entities
        .iter()
        .filter(|e| e.list == ListId::Notice.as_str())
        .cloned()
        .collect();
    let fingerprint = self::fingerprint(&publications, &notices);
    let (index, built) = match base {
        Some(base) => {
            let reuse = base.plan(registry, &publications);
            let refs: Vec<&Entity> = entities.iter().collect();
            (base.rebuild(&refs, &reuse), CacheUse::Rebuilt)
        }
        None => (index_of(&entities), CacheUse::Built),
    };
    let used = match write(&path, &fingerprint, &publications, &index) {
        Ok(()) => built,
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
    let mut text = build_id();
    text.push('\n');
    for p in publications {
        text.push_str(&format!("{} {} {}\n", p.list, p.id.0, p.hash));
    }
    for e in notices {
        text.push_str(&serde_json::to_string(e).unwrap_or_default());
        text.push('\n');
    }
    ContentHash::of(text.as_bytes())
}

/// An index read from the cache file whatever today's lists are, with the publications it was
/// built from: the base of a [`rebuild`](IndexBase::rebuild).
pub struct IndexBase {
    index: MatchIndex,
    fingerprint: ContentHash,
    publications: Vec<BasePublication>,
}

/// Which entities a rebuild may take from its base ([`IndexBase::plan`]).
#[derive(Debug, Default)]
pub struct Reuse {
    /// Lists whose base publication is in the registry as the base knew it.
    lists: HashSet<String>,
    /// Entities of those lists added, removed or changed since.
    changed: HashSet<(String, String)>,
}

impl Reuse {
    /// True when the base holds `entity` as it is today.
    pub fn unchanged(&self, entity: &Entity) -> bool {
        self.lists.contains(&entity.list)
            && !self
                .changed
                .contains(&(entity.list.clone(), entity.id.clone()))
    }
}

/// The fingerprint at the head of the cache file at `path`, if it is one.
fn peek_fingerprint(path: &Path) -> Option<ContentHash> {
    let mut head = [0u8; 8 + 32];
    File::open(path).ok()?.read_exact(&mut head).ok()?;
    if &head[..8] != MAGIC {
        return None;
    }
    ContentHash::from_slice(&head[8..])
}

impl IndexBase {
    /// Reads the cache file at `path`: `None` when there is none, or it is damaged, of another
    /// format or of another build. Reads only the file, so it can run on any thread while
    /// the registry is busy (an ingest loads it while parsing).
    pub fn read(path: &Path) -> Option<IndexBase> {
        let mut r = BufReader::with_capacity(1 << 20, File::open(path).ok()?);
        let mut head = [0u8; 8 + 32 + 4];
        r.read_exact(&mut head).ok()?;
        if &head[..8] != MAGIC {
            return None;
        }
        let fingerprint = ContentHash::from_slice(&head[8..40])?;
        let length = u32::from_le_bytes(head[40..44].try_into().ok()?);
        if length > MAX_HEADER {
            return None;
        }
        let mut header = vec![0u8; length as usize];
        r.read_exact(&mut header).ok()?;
        let header: Header = serde_json::from_slice(&header).ok()?;
        if header.build != build_id() {
            return None;
        }
        let index = MatchIndex::load(r).ok()?;
        Some(IndexBase {
            index,
            fingerprint,
            publications: header.publications,
        })
    }

    /// What of the lists of `target` (the publications the new index is built from, one per
    /// list) the base holds unchanged: for each list whose base publication the registry still
    /// has with the same content, every entity but those added, removed or changed from it to
    /// the target's ([`Registry::changed_entity_ids`], which decodes no record). A list the
    /// base lacks, or a publication gone or different (another registry in the same place),
    /// leaves its entities to be analysed.
    pub fn plan(&self, registry: &Registry, target: &[PublicationInfo]) -> Reuse {
        let mut reuse = Reuse::default();
        for p in target {
            let Some(base) = self.publications.iter().find(|b| b.list == p.list.as_str()) else {
                continue;
            };
            let id = PublicationId(base.id);
            let known = registry.publication(id).ok().flatten();
            if known.is_none_or(|k| k.list != p.list || k.hash.to_string() != base.hash) {
                continue;
            }
            if id != p.id {
                let Ok(ids) = registry.changed_entity_ids(id, p.id) else {
                    continue;
                };
                let list = p.list.as_str();
                reuse
                    .changed
                    .extend(ids.into_iter().map(|e| (list.to_string(), e)));
            }
            reuse.lists.insert(p.list.as_str().to_string());
        }
        reuse
    }

    /// The index of `entities`, taking from the base what `reuse` allows
    /// ([`MatchIndex::rebuild`]): the same index as built from scratch.
    pub fn rebuild(self, entities: &[&Entity], reuse: &Reuse) -> MatchIndex {
        MatchIndex::rebuild(self.index, entities, &|e| reuse.unchanged(e))
    }
}

/// Writes the index of `publications` (and the notices that `fingerprint` counts) as the cache
/// file of `registry`, aside and renamed over the old one. Nothing to do for a registry in
/// memory.
pub fn save(
    registry: &Registry,
    publications: &[PublicationInfo],
    notices: &[Entity],
    index: &MatchIndex,
) -> std::io::Result<()> {
    let Some(path) = cache_path(registry) else {
        return Ok(());
    };
    write(
        &path,
        &fingerprint(publications, notices),
        publications,
        index,
    )
}

/// Writes the cache aside and renames it over the old one.
fn write(
    path: &Path,
    fingerprint: &ContentHash,
    publications: &[PublicationInfo],
    index: &MatchIndex,
) -> std::io::Result<()> {
    let header = serde_json::to_vec(&Header {
        build: build_id(),
        publications: publications
            .iter()
            .map(|p| BasePublication {
                list: p.list.as_str().to_string(),
                id: p.id.0,
                hash: p.hash.to_string(),
            })
            .collect(),
    })
    .map_err(std::io::Error::other)?;
    let mut aside = path.as_os_str().to_os_string();
    aside.push(format!(".{}.tmp", std::process::id()));
    let aside = PathBuf::from(aside);
    let result = (|| {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&aside)?);
        w.write_all(MAGIC)?;
        w.write_all(fingerprint.as_bytes())?;
        w.write_all(&(header.len() as u32).to_le_bytes())?;
        w.write_all(&header)?;
        index.save(&mut w).map_err(std::io::Error::other)?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&aside, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&aside);
    }
    result
}
