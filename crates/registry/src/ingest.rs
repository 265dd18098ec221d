//! Storing a publication.

use crate::hash::publication_hash;
use crate::record::{self, Record, CHUNK_RECORDS};
use crate::{membership, parallel, IngestOutcome, PublicationId, PublicationInfo, Registry};
use crate::{RegistryError, Result};
use interdict_model::{ListId, Publication};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use std::collections::HashSet;

impl Registry {
    /// Stores a publication, stamped with the current time. See [`Registry::ingest_at`].
    pub fn ingest(&mut self, publication: &Publication) -> Result<IngestOutcome> {
        self.ingest_at(publication, jiff::Timestamp::now())
    }

    /// Stores a publication as ingested at `ingested_at` (for reproducible registries: test
    /// fixtures, replays of an archive).
    ///
    /// The publication is identified by its hash (list id and source file hashes): if one with
    /// the same hash is stored, nothing is written and [`IngestOutcome::AlreadyIngested`] names
    /// it. Otherwise entities whose exact content is already stored reuse that record; only new
    /// content is written.
    ///
    /// All or nothing: the whole ingest is one transaction, so on any error the registry is
    /// exactly as it was. A publication is refused before anything is written when two
    /// entities share an id ([`RegistryError::DuplicateEntity`]) or an entity names another
    /// list ([`RegistryError::ForeignEntity`]).
    pub fn ingest_at(
        &mut self,
        publication: &Publication,
        ingested_at: jiff::Timestamp,
    ) -> Result<IngestOutcome> {
        let list = publication.list;
        validate(publication)?;
        let records: Vec<Record> = parallel::map(&publication.entities, 256, record::encode)?;
        let hashes: Vec<_> = records.iter().map(|r| r.hash).collect();
        let hash = publication_hash(list, &publication.files, &hashes);

        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM publication WHERE hash = ?1",
                [hash.as_bytes()],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = existing {
            drop(tx);
            let publication = self.require_publication(PublicationId(id))?;
            return Ok(IngestOutcome::AlreadyIngested { publication });
        }

        // Which entities are stored already, with exactly this content? Looked up by entity
        // id (the index every query needs anyway) and compared by hash: equal content implies
        // equal list and id, so this finds every existing record without an index on hashes
        // (which would cost 40 bytes a record).
        let mut members: Vec<i64> = vec![0; records.len()];
        let mut new: Vec<usize> = Vec::new();
        {
            let mut find = tx.prepare_cached("SELECT id, hash FROM record WHERE entity_id = ?1")?;
            for (i, (entity, rec)) in publication.entities.iter().zip(&records).enumerate() {
                let mut rows = find.query([&entity.id])?;
                let mut found = None;
                while let Some(row) = rows.next()? {
                    let stored: Vec<u8> = row.get(1)?;
                    if stored.as_slice() == rec.hash.as_bytes() {
                        found = Some(row.get(0)?);
                        break;
                    }
                }
                match found {
                    Some(id) => members[i] = id,
                    None => new.push(i),
                }
            }
        }

        {
            let mut insert_chunk = tx.prepare_cached("INSERT INTO chunk (data) VALUES (?1)")?;
            let mut insert_record = tx.prepare_cached(
                "INSERT INTO record (entity_id, hash, chunk_id, slot) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for group in new.chunks(CHUNK_RECORDS) {
                let data =
                    record::compress_chunk(group.iter().map(|&i| records[i].json.as_slice()));
                let chunk_id = insert_chunk.insert([data])?;
                for (slot, &i) in group.iter().enumerate() {
                    members[i] = insert_record.insert(params![
                        publication.entities[i].id,
                        records[i].hash.as_bytes(),
                        chunk_id,
                        slot as i64,
                    ])?;
                }
            }
        }

        let published = publication.published.map(|d| d.to_string());
        tx.execute(
            "INSERT INTO publication \
             (list, published, hash, ingested_at, entity_count, warning_count) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                list.as_str(),
                published,
                hash.as_bytes(),
                ingested_at.to_string(),
                records.len() as i64,
                publication.warnings.len() as i64,
            ],
        )?;
        let id = PublicationId(tx.last_insert_rowid());
        {
            let mut insert_file = tx.prepare_cached(
                "INSERT INTO source_file (publication_id, position, name, sha256, size) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (position, f) in publication.files.iter().enumerate() {
                // SQLite integers are signed; no real file reaches 2^63 bytes.
                let size = i64::try_from(f.size).unwrap_or(i64::MAX);
                insert_file.execute(params![id.0, position as i64, f.name, f.sha256, size])?;
            }
        }
        tx.execute(
            "INSERT INTO membership (publication_id, records) VALUES (?1, ?2)",
            params![id.0, membership::encode(&members)],
        )?;
        if !publication.warnings.is_empty() {
            tx.execute(
                "INSERT INTO warning_set (publication_id, warnings) VALUES (?1, ?2)",
                params![id.0, encode_warnings(publication)?],
            )?;
        }
        // The audit entry is part of the ingest: both are stored or neither is.
        crate::audit::append(
            &tx,
            ingested_at,
            "ingest",
            &serde_json::json!({
                "publication": id.0,
                "list": list.as_str(),
                "published": published,
                "hash": hash.to_hex(),
                "files": publication.files.iter()
                    .map(|f| serde_json::json!({ "name": f.name, "sha256": f.sha256 }))
                    .collect::<Vec<_>>(),
                "entities": records.len(),
                "new_records": new.len(),
                "warnings": publication.warnings.len(),
            }),
        )?;
        tx.commit()?;

        Ok(IngestOutcome::Ingested {
            publication: PublicationInfo {
                id,
                list,
                published: publication.published,
                hash,
                ingested_at,
                files: publication.files.clone(),
                entity_count: records.len(),
                warning_count: publication.warnings.len(),
            },
            new_records: new.len(),
        })
    }
}

/// Refuses publications the registry could not answer about unambiguously.
fn validate(publication: &Publication) -> Result<()> {
    let list = publication.list;
    if list == ListId::Notice {
        return Err(RegistryError::InvalidPublication {
            list,
            reason: "notices are recorded one by one (Registry::add_notice), not as a publication"
                .into(),
        });
    }
    if let Some(date) = publication.published {
        // Dates are stored as ISO text and compared as text, which orders correctly for
        // four-digit years only.
        if !(1..=9999).contains(&date.year()) {
            return Err(RegistryError::InvalidPublication {
                list,
                reason: format!("publication date {date} is not in years 1-9999"),
            });
        }
    }
    let mut ids = HashSet::with_capacity(publication.entities.len());
    for entity in &publication.entities {
        if entity.list != list.as_str() {
            return Err(RegistryError::ForeignEntity {
                list,
                entity_list: entity.list.clone(),
                id: entity.id.clone(),
            });
        }
        if !ids.insert(entity.id.as_str()) {
            return Err(RegistryError::DuplicateEntity {
                list,
                id: entity.id.clone(),
            });
        }
    }
    Ok(())
}

/// Warnings are stored as one deflated JSON array per publication: they are only ever read all
/// together, and parsers repeat the same message for many rows, which compresses well.
fn encode_warnings(publication: &Publication) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(&publication.warnings).map_err(|e| RegistryError::Encode {
        key: format!("{}:warnings", publication.list),
        reason: e.to_string(),
    })?;
    Ok(record::deflate(&json))
}
