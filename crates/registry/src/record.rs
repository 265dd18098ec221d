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
use flate2::write::DeflateEncoder;
use flate2::{Compression, Decompress, FlushDecompress, Status};
use interdict_model::Entity;
use std::cell::RefCell;
use std::io::Write;

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

/// Deflates one blob (member lists, warnings).
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    compress_chunk([data])
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
        let text = inflate(data).map_err(|e| format!("chunk does not inflate: {e}"))?;
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

/// Inflates a raw deflate stream (the one codec of every blob the registry writes). Errors
/// describe the damage.
///
/// Reading a publication inflates hundreds of chunks, so this avoids the two costs that
/// dominated doing it through `std::io::Read`: a fresh 40 KB inflater state per stream (each
/// thread keeps one and resets it) and an output buffer grown in small steps (this one starts
/// at JSON's usual 8–12× ratio).
pub(crate) fn inflate(data: &[u8]) -> Result<Vec<u8>, String> {
    thread_local! {
        static INFLATER: RefCell<Decompress> = RefCell::new(Decompress::new(false));
    }
    INFLATER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut inflater) => {
            inflater.reset(false);
            inflate_with(&mut inflater, data)
        }
        // Not reentrant in practice; a nested call just pays for its own state.
        Err(_) => inflate_with(&mut Decompress::new(false), data),
    })
}

fn inflate_with(inflater: &mut Decompress, data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(data.len().saturating_mul(12).max(256));
    loop {
        if out.len() == out.capacity() {
            out.reserve(out.capacity());
        }
        let (read, written) = (inflater.total_in(), inflater.total_out());
        let rest = usize::try_from(read)
            .ok()
            .and_then(|r| data.get(r..))
            .unwrap_or_default();
        let status = inflater
            .decompress_vec(rest, &mut out, FlushDecompress::None)
            .map_err(|e| e.to_string())?;
        if status == Status::StreamEnd {
            return Ok(out);
        }
        if (inflater.total_in(), inflater.total_out()) == (read, written) {
            // Room to write, yet no progress: the input ran out before the end of the stream.
            return Err("deflate stream is truncated".into());
        }
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
        assert!(Chunk::inflate(&blob[..blob.len() / 2]).is_err());
        assert!(Chunk::inflate(&[]).is_err());
    }

    #[test]
    fn inflate_grows_past_its_first_guess() {
        let big = vec![b'x'; 1_000_000];
        let blob = compress_chunk([big.as_slice()]);
        assert!(blob.len() * 12 < big.len());
        assert_eq!(inflate(&blob).unwrap(), big);
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
