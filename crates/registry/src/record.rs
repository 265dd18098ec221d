//! Entity records: canonical encoding, content hash, and the compressed chunks they are
//! stored in.
//!
//! A record is an [`Entity`] serialised by `serde_json` in compact form. The model's field
//! order is fixed and its collections keep source order, so equal entities give equal bytes:
//! the SHA-256 of those bytes is the record's content address. Compact JSON never contains a
//! raw newline (serde_json escapes control characters in strings), which lets a chunk be the
//! newline-joined records, deflated.
//!
//! Records are compressed in chunks rather than one by one because single records (300–1,500
//! bytes of JSON) are too short for deflate to find their redundancy: the key names, program
//! names and legal authorities repeat across records, not within one. Measured on the 16,970
//! distinct records of the 60 SDN publications 2021-08 → 2024-05 (10.8 MB of JSON):
//!
//! | storage                                                  | bytes     |
//! |----------------------------------------------------------|-----------|
//! | deflate, one record at a time                            | 6,527,561 |
//! | deflate, one record, 32 KiB preset dictionary            | 2,076,939 |
//! | zstd level 19, one record, trained 32 KiB dictionary     | 1,997,572 |
//! | deflate, chunks of 32 records                            | 1,360,733 |
//! | deflate, chunks of 64 records (chosen)                   | 1,206,993 |
//! | deflate, chunks of 128 records                           | 1,122,195 |
//! | deflate, all records as one stream                       |   987,795 |
//!
//! Chunks of 64 come within a fifth of the one-stream bound with no dictionary to build, keep
//! or version, and compress fast: a preset dictionary must be primed again for every record,
//! which made storing 15k new records take over a second. Reading one entity inflates its
//! chunk (≈ 40 KB of JSON), tens of microseconds. A chunk holds records first seen in the same
//! publication, in source order, so the records of a publication sit in few chunks.

use crate::{ContentHash, RegistryError, Result};
use flate2::bufread::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use interdict_model::Entity;
use std::io::{Read, Write};

/// How many records one chunk holds at most.
pub(crate) const CHUNK_RECORDS: usize = 64;

/// An entity in its stored form.
pub(crate) struct Record {
    /// The canonical JSON.
    pub json: Vec<u8>,
    /// Its SHA-256.
    pub hash: ContentHash,
}

/// Serialises an entity canonically and hashes it.
pub(crate) fn encode(entity: &Entity) -> Result<Record> {
    let json = serde_json::to_vec(entity).map_err(|e| RegistryError::Encode {
        key: entity.key(),
        reason: e.to_string(),
    })?;
    if json.contains(&b'\n') {
        // Impossible with serde_json's compact writer; checked because chunk framing relies
        // on it.
        return Err(RegistryError::Encode {
            key: entity.key(),
            reason: "canonical JSON contains a newline".into(),
        });
    }
    let hash = ContentHash::of(&json);
    Ok(Record { json, hash })
}

/// Deflates records into one chunk, newline-separated.
pub(crate) fn compress_chunk<'a>(records: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
    for (i, json) in records.into_iter().enumerate() {
        // Writing into a Vec cannot fail.
        if i > 0 {
            let _ = enc.write_all(b"\n");
        }
        let _ = enc.write_all(json);
    }
    enc.finish().unwrap_or_default()
}

/// A chunk inflated, with its records split out.
pub(crate) struct Chunk {
    text: Vec<u8>,
    /// `(start, end)` of each record in `text`.
    slots: Vec<(usize, usize)>,
}

impl Chunk {
    /// Inflates a chunk. Errors describe the damage, for [`RegistryError::CorruptRecord`].
    pub(crate) fn inflate(data: &[u8]) -> Result<Chunk, String> {
        let mut text = Vec::with_capacity(data.len() * 8);
        DeflateDecoder::new(data)
            .read_to_end(&mut text)
            .map_err(|e| format!("chunk does not inflate: {e}"))?;
        let mut slots = Vec::with_capacity(CHUNK_RECORDS);
        let mut start = 0;
        for (i, &b) in text.iter().enumerate() {
            if b == b'\n' {
                slots.push((start, i));
                start = i + 1;
            }
        }
        slots.push((start, text.len()));
        Ok(Chunk { text, slots })
    }

    /// The record at `slot`.
    pub(crate) fn get(&self, slot: i64) -> Result<&[u8], String> {
        usize::try_from(slot)
            .ok()
            .and_then(|s| self.slots.get(s))
            .map(|&(a, b)| &self.text[a..b])
            .ok_or_else(|| format!("chunk has no slot {slot} (it holds {})", self.slots.len()))
    }
}

/// Decodes a record, checking it still has the content its hash names.
pub(crate) fn decode(json: &[u8], hash: &ContentHash) -> Result<Entity, String> {
    let actual = ContentHash::of(json);
    if actual != *hash {
        return Err(format!("content hashes to {actual}"));
    }
    serde_json::from_slice(json).map_err(|e| format!("record does not parse: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::{EntityKind, Name, NameKind};

    #[test]
    fn chunks_round_trip_and_damage_is_an_error() {
        let mut a = Entity::new("ofac-sdn", "22790", EntityKind::Person);
        a.names
            .push(Name::new("MADURO MOROS, Nicolas", NameKind::Primary));
        a.remarks.push("line one\nline two".into());
        let b = Entity::new("ofac-sdn", "1", EntityKind::Organization);
        let (ra, rb) = (encode(&a).unwrap(), encode(&b).unwrap());
        let blob = compress_chunk([ra.json.as_slice(), rb.json.as_slice()]);
        let chunk = Chunk::inflate(&blob).unwrap();
        assert_eq!(decode(chunk.get(0).unwrap(), &ra.hash).unwrap(), a);
        assert_eq!(decode(chunk.get(1).unwrap(), &rb.hash).unwrap(), b);
        assert!(chunk.get(2).is_err());
        assert!(chunk.get(-1).is_err());
        assert!(decode(chunk.get(0).unwrap(), &rb.hash).is_err());
        assert!(Chunk::inflate(&[0xff; 10]).is_err());
    }

    #[test]
    fn equal_entities_have_equal_hashes() {
        let a = Entity::new("un", "QDi.006", EntityKind::Person);
        assert_eq!(encode(&a).unwrap().hash, encode(&a.clone()).unwrap().hash);
        let mut b = a.clone();
        b.positions.push("x".into());
        assert_ne!(encode(&a).unwrap().hash, encode(&b).unwrap().hash);
    }
}
