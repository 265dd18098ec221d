//! Reading publications and entities back.

use crate::record::{self, Chunk};
use crate::{
    membership, parallel, ContentHash, EntityVersion, PublicationId, PublicationInfo, Registry,
};
use crate::{RegistryError, Result};
use interdict_model::{Entity, ListId, SourceFile, Warning};
use rusqlite::{params, OptionalExtension, Row};
use std::collections::{BTreeMap, HashMap};

/// Columns of `publication`, in the order [`PublicationRow::read`] expects.
const PUBLICATION_COLUMNS: &str =
    "id, list, published, hash, ingested_at, entity_count, warning_count";

/// Publications of a list from oldest to newest: by publication date, then in ingest order
/// (a re-issue on the same day supersedes). SQLite sorts NULL first, so an undated publication
/// counts as older than every dated one.
const PUBLICATION_ORDER: &str = "published, id";

/// A `publication` row as stored, before validation.
struct PublicationRow {
    id: i64,
    list: String,
    published: Option<String>,
    hash: Vec<u8>,
    ingested_at: String,
    entity_count: i64,
    warning_count: i64,
}

impl PublicationRow {
    fn read(row: &Row<'_>) -> rusqlite::Result<PublicationRow> {
        Ok(PublicationRow {
            id: row.get(0)?,
            list: row.get(1)?,
            published: row.get(2)?,
            hash: row.get(3)?,
            ingested_at: row.get(4)?,
            entity_count: row.get(5)?,
            warning_count: row.get(6)?,
        })
    }
}

/// A `record` row: where an entity's record is stored.
#[derive(Clone, Copy)]
struct StoredRecord {
    id: i64,
    hash: ContentHash,
    chunk_id: i64,
    slot: i64,
}

impl Registry {
    /// All stored publications, or those of one list: grouped by list, oldest first (by
    /// publication date, then ingest order; undated ones first).
    pub fn publications(&self, list: Option<ListId>) -> Result<Vec<PublicationInfo>> {
        let rows = match list {
            Some(list) => self.publication_rows(
                &format!(
                    "SELECT {PUBLICATION_COLUMNS} FROM publication WHERE list = ?1 \
                     ORDER BY {PUBLICATION_ORDER}"
                ),
                params![list.as_str()],
            )?,
            None => self.publication_rows(
                &format!(
                    "SELECT {PUBLICATION_COLUMNS} FROM publication \
                     ORDER BY list, {PUBLICATION_ORDER}"
                ),
                params![],
            )?,
        };
        rows.into_iter().map(|r| self.publication_info(r)).collect()
    }

    /// One publication, `None` when no publication has this id.
    pub fn publication(&self, id: PublicationId) -> Result<Option<PublicationInfo>> {
        let row = self.publication_rows(
            &format!("SELECT {PUBLICATION_COLUMNS} FROM publication WHERE id = ?1"),
            params![id.0],
        )?;
        row.into_iter()
            .next()
            .map(|r| self.publication_info(r))
            .transpose()
    }

    /// The newest publication of `list`, or the newest published on or before `as_of`.
    ///
    /// "Newest" is by publication date, then by ingest order. With `as_of`, undated
    /// publications are never chosen: nothing says they were out by then.
    pub fn latest_publication(
        &self,
        list: ListId,
        as_of: Option<jiff::civil::Date>,
    ) -> Result<Option<PublicationInfo>> {
        let rows = match as_of {
            None => self.publication_rows(
                &format!(
                    "SELECT {PUBLICATION_COLUMNS} FROM publication WHERE list = ?1 \
                     ORDER BY published DESC, id DESC LIMIT 1"
                ),
                params![list.as_str()],
            )?,
            Some(date) => self.publication_rows(
                &format!(
                    "SELECT {PUBLICATION_COLUMNS} FROM publication \
                     WHERE list = ?1 AND published IS NOT NULL AND published <= ?2 \
                     ORDER BY published DESC, id DESC LIMIT 1"
                ),
                params![list.as_str(), date.to_string()],
            )?,
        };
        rows.into_iter()
            .next()
            .map(|r| self.publication_info(r))
            .transpose()
    }

    /// An entity as the list stands: as in [`latest_publication`](Self::latest_publication)
    /// `(list, as_of)`, with that publication.
    ///
    /// `None` when that publication does not hold it, even if an older one did: a party no
    /// longer listed is not listed. [`entity_versions`](Self::entity_versions) tells its past.
    pub fn entity(
        &self,
        list: ListId,
        id: &str,
        as_of: Option<jiff::civil::Date>,
    ) -> Result<Option<(PublicationInfo, Entity)>> {
        let Some(publication) = self.latest_publication(list, as_of)? else {
            return Ok(None);
        };
        Ok(self
            .entity_in(publication.id, id)?
            .map(|entity| (publication, entity)))
    }

    /// An entity as one publication states it, `None` when the publication does not hold it.
    pub fn entity_in(&self, publication: PublicationId, id: &str) -> Result<Option<Entity>> {
        let info = self.require_publication(publication)?;
        let candidates = self.records_of(info.list, id)?;
        if candidates.is_empty() {
            return Ok(None);
        }
        let members = self.members(publication)?;
        let Some(found) = candidates.iter().find(|c| members.contains(&c.id)) else {
            return Ok(None);
        };
        self.load_record(info.list, id, found).map(Some)
    }

    /// Every publication of `list` that holds the entity, oldest first, with the hash of the
    /// record it holds. Empty when the entity was never stored.
    ///
    /// Costs one member-list decode per publication of the list (well under a millisecond
    /// each); the entity's records themselves are not decoded.
    pub fn entity_versions(&self, list: ListId, id: &str) -> Result<Vec<EntityVersion>> {
        let candidates = self.records_of(list, id)?;
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let mut versions = Vec::new();
        for publication in self.publications(Some(list))? {
            let members = self.members(publication.id)?;
            if let Some(found) = candidates.iter().find(|c| members.contains(&c.id)) {
                versions.push(EntityVersion {
                    publication,
                    record: found.hash,
                });
            }
        }
        Ok(versions)
    }

    /// One stored version of an entity, by the record hash that
    /// [`entity_versions`](Self::entity_versions) gives. `None` when no such record is stored.
    pub fn entity_record(
        &self,
        list: ListId,
        id: &str,
        record: &ContentHash,
    ) -> Result<Option<Entity>> {
        let candidates = self.records_of(list, id)?;
        let Some(found) = candidates.iter().find(|c| c.hash == *record) else {
            return Ok(None);
        };
        // Records carry no list column: the content tells, and the hash vouches for it.
        let entity = self.load_record(list, id, found)?;
        Ok((entity.list == list.as_str()).then_some(entity))
    }

    /// All entities of a publication, in the order they were ingested.
    ///
    /// Reads each needed chunk once and decodes the records in it that the publication holds;
    /// every record is checked against its hash.
    pub fn entities(&self, publication: PublicationId) -> Result<Vec<Entity>> {
        let info = self.require_publication(publication)?;
        let members = self.members(publication)?;
        if members.is_empty() {
            return Ok(Vec::new());
        }
        // Position of each record in the publication.
        let position: HashMap<i64, usize> =
            members.iter().enumerate().map(|(i, &r)| (r, i)).collect();
        let (lo, hi) = members
            .iter()
            .fold((i64::MAX, i64::MIN), |(lo, hi), &r| (lo.min(r), hi.max(r)));

        // The publication's records, grouped by chunk. One range scan over the record table
        // in id order beats one lookup per record.
        let mut by_chunk: BTreeMap<i64, Vec<(StoredRecord, String)>> = BTreeMap::new();
        {
            let mut scan = self.conn.prepare_cached(
                "SELECT id, hash, chunk_id, slot, entity_id FROM record \
                 WHERE id BETWEEN ?1 AND ?2",
            )?;
            let mut rows = scan.query(params![lo, hi])?;
            while let Some(row) = rows.next()? {
                let id: i64 = row.get(0)?;
                if !position.contains_key(&id) {
                    continue;
                }
                let hash: Vec<u8> = row.get(1)?;
                let entity_id: String = row.get(4)?;
                let hash = ContentHash::from_slice(&hash).ok_or_else(|| {
                    RegistryError::CorruptPublication {
                        id: publication,
                        reason: format!("record {id} has a {}-byte hash", hash.len()),
                    }
                })?;
                let stored = StoredRecord {
                    id,
                    hash,
                    chunk_id: row.get(2)?,
                    slot: row.get(3)?,
                };
                by_chunk
                    .entry(stored.chunk_id)
                    .or_default()
                    .push((stored, entity_id));
            }
        }

        // Reading is sequential (one connection); inflating, hashing and parsing are not.
        let mut groups = Vec::with_capacity(by_chunk.len());
        for (chunk_id, records) in by_chunk {
            let blob: Option<Vec<u8>> = self
                .conn
                .prepare_cached("SELECT data FROM chunk WHERE id = ?1")?
                .query_row([chunk_id], |r| r.get(0))
                .optional()?;
            groups.push((chunk_id, blob, records));
        }
        let list = info.list;
        let decoded = parallel::map(&groups, 4, |(chunk_id, blob, records)| {
            let (first, first_id) = &records[0];
            let chunk = match blob {
                Some(blob) => Chunk::inflate(blob),
                None => Err(format!("chunk {chunk_id} is missing")),
            }
            .map_err(|reason| corrupt(list, first_id, first, reason))?;
            records
                .iter()
                .map(|(stored, entity_id)| {
                    chunk
                        .get(stored.slot)
                        .and_then(|json| record::decode(json, &stored.hash))
                        .map(|entity| (position[&stored.id], entity))
                        .map_err(|reason| corrupt(list, entity_id, stored, reason))
                })
                .collect::<Result<Vec<_>>>()
        })?;

        let mut out: Vec<Option<Entity>> = vec![None; members.len()];
        for (at, entity) in decoded.into_iter().flatten() {
            out[at] = Some(entity);
        }
        let count = out.len();
        out.into_iter()
            .collect::<Option<Vec<Entity>>>()
            .ok_or_else(|| RegistryError::CorruptPublication {
                id: publication,
                reason: format!("some of its {count} records are missing"),
            })
    }

    /// The warnings reading a publication produced.
    pub fn warnings(&self, publication: PublicationId) -> Result<Vec<Warning>> {
        self.require_publication(publication)?;
        let blob: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT warnings FROM warning_set WHERE publication_id = ?1")?
            .query_row([publication.0], |r| r.get(0))
            .optional()?;
        let Some(blob) = blob else {
            return Ok(Vec::new());
        };
        let bad = |reason: String| RegistryError::CorruptPublication {
            id: publication,
            reason,
        };
        let json =
            record::inflate(&blob).map_err(|e| bad(format!("warnings do not inflate: {e}")))?;
        serde_json::from_slice(&json).map_err(|e| bad(format!("warnings do not parse: {e}")))
    }

    /// [`publication`](Self::publication), with a missing one an error.
    pub(crate) fn require_publication(&self, id: PublicationId) -> Result<PublicationInfo> {
        self.publication(id)?
            .ok_or(RegistryError::NoSuchPublication(id))
    }

    fn publication_rows(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<PublicationRow>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params, PublicationRow::read)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Validates a row and adds the publication's files.
    fn publication_info(&self, row: PublicationRow) -> Result<PublicationInfo> {
        let id = PublicationId(row.id);
        let bad = |reason: String| RegistryError::CorruptPublication { id, reason };
        let list =
            ListId::parse(&row.list).ok_or_else(|| bad(format!("unknown list {:?}", row.list)))?;
        let published = row
            .published
            .map(|s| {
                s.parse()
                    .map_err(|e| bad(format!("publication date {s:?}: {e}")))
            })
            .transpose()?;
        let hash = ContentHash::from_slice(&row.hash)
            .ok_or_else(|| bad(format!("{}-byte publication hash", row.hash.len())))?;
        let ingested_at = row
            .ingested_at
            .parse()
            .map_err(|e| bad(format!("ingest time {:?}: {e}", row.ingested_at)))?;
        let count =
            |n: i64, what: &str| usize::try_from(n).map_err(|_| bad(format!("{what} count {n}")));
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, sha256, size FROM source_file WHERE publication_id = ?1 \
             ORDER BY position",
        )?;
        let files = stmt
            .query_map([row.id], |r| {
                Ok(SourceFile {
                    name: r.get(0)?,
                    sha256: r.get(1)?,
                    size: r.get::<_, i64>(2)?.max(0) as u64,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(PublicationInfo {
            id,
            list,
            published,
            hash,
            ingested_at,
            files,
            entity_count: count(row.entity_count, "entity")?,
            warning_count: count(row.warning_count, "warning")?,
        })
    }

    /// The record ids of a publication, in its order.
    fn members(&self, publication: PublicationId) -> Result<Vec<i64>> {
        let blob: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT records FROM membership WHERE publication_id = ?1")?
            .query_row([publication.0], |r| r.get(0))
            .optional()?;
        let bad = |reason: String| RegistryError::CorruptPublication {
            id: publication,
            reason,
        };
        let blob = blob.ok_or_else(|| bad("its member list is missing".into()))?;
        membership::decode(&blob).map_err(bad)
    }

    /// The record ids of a publication, in its order (for diffs inside the crate).
    pub(crate) fn member_ids(&self, publication: PublicationId) -> Result<Vec<i64>> {
        self.members(publication)
    }

    /// Entities by record id, in the order of `ids`: for diffs, which touch only the records
    /// that differ between two publications.
    pub(crate) fn records_by_id(&self, list: ListId, ids: &[i64]) -> Result<Vec<Entity>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT hash, chunk_id, slot, entity_id FROM record WHERE id = ?1")?;
        let mut out = Vec::with_capacity(ids.len());
        for &rid in ids {
            let (hash, chunk_id, slot, entity_id): (Vec<u8>, i64, i64, String) =
                stmt.query_row([rid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            let hash =
                ContentHash::from_slice(&hash).ok_or_else(|| RegistryError::CorruptRecord {
                    key: format!("{list}:{entity_id}"),
                    hash: ContentHash::of(&hash),
                    reason: format!("stored hash has {} bytes", hash.len()),
                })?;
            let stored = StoredRecord {
                id: rid,
                hash,
                chunk_id,
                slot,
            };
            out.push(self.load_record(list, &entity_id, &stored)?);
        }
        Ok(out)
    }

    /// Every stored record with this entity id (one per distinct content it has had). May
    /// include records of other lists with the same id; membership in a publication of `list`,
    /// or a hash match, sorts them out.
    fn records_of(&self, list: ListId, id: &str) -> Result<Vec<StoredRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, hash, chunk_id, slot FROM record WHERE entity_id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(rid, hash, chunk_id, slot)| {
                let hash =
                    ContentHash::from_slice(&hash).ok_or_else(|| RegistryError::CorruptRecord {
                        key: format!("{list}:{id}"),
                        hash: ContentHash::of(&hash),
                        reason: format!("stored hash has {} bytes", hash.len()),
                    })?;
                Ok(StoredRecord {
                    id: rid,
                    hash,
                    chunk_id,
                    slot,
                })
            })
            .collect()
    }

    fn load_record(&self, list: ListId, id: &str, stored: &StoredRecord) -> Result<Entity> {
        let chunk = self
            .chunk(stored.chunk_id)?
            .map_err(|reason| corrupt(list, id, stored, reason))?;
        chunk
            .get(stored.slot)
            .and_then(|json| record::decode(json, &stored.hash))
            .map_err(|reason| corrupt(list, id, stored, reason))
    }

    /// A chunk, inflated. The outer error is SQLite's; the inner one describes damage (a
    /// missing or undecodable chunk).
    fn chunk(&self, chunk_id: i64) -> Result<Result<Chunk, String>> {
        let blob: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT data FROM chunk WHERE id = ?1")?
            .query_row([chunk_id], |r| r.get(0))
            .optional()?;
        Ok(match blob {
            Some(blob) => Chunk::inflate(&blob),
            None => Err(format!("chunk {chunk_id} is missing")),
        })
    }
}

fn corrupt(list: ListId, id: &str, stored: &StoredRecord, reason: String) -> RegistryError {
    RegistryError::CorruptRecord {
        key: format!("{list}:{id}"),
        hash: stored.hash,
        reason,
    }
}
