//! A serialisable multimap from 64-bit keys to runs of `u32` values.
//!
//! Hand-written instead of a `HashMap<u64, Vec<u32>>` for two reasons. Loading: the table is
//! two flat vectors, so an index file loads with no re-hashing and no per-key allocation (a
//! `HashMap` of ~400k keys takes tens of milliseconds to rebuild, paid by every CLI run).
//! Lookup: open addressing with linear probing over a table at most half full touches one or
//! two cache lines per lookup, which matters because a query makes up to ~100 lookups (one per
//! deletion variant of each token).

use serde::{Deserialize, Serialize};

/// One slot: a key (0 = empty) and the run `values[start..start + len]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Slot {
    key: u64,
    start: u32,
    len: u32,
}

/// The home slot of a key: the multiply-shift range reduction (Lemire's "fastrange"), so the
/// table can have any size, not only powers of two.
#[inline]
fn home(key: u64, capacity: usize) -> usize {
    ((key as u128 * capacity as u128) >> 64) as usize
}

/// Sorts `(key, value)` pairs whose keys are hashes (uniform over `u64`): scattered into about
/// `n / 4` buckets by their top bits, then each bucket sorted on its own.
///
/// Hand-written because the keys' uniformity makes one counting pass and one scatter enough:
/// over the 736k pairs of the bundled SDN list it takes 9 ms where rayon's parallel sort took
/// 26 ms on two cores (the largest step of an index build), and it runs on one thread.
fn bucket_sort(pairs: Vec<(u64, u32)>) -> Vec<(u64, u32)> {
    let n = pairs.len();
    if n < 64 {
        let mut pairs = pairs;
        pairs.sort_unstable();
        return pairs;
    }
    let bits = (usize::BITS - (n / 4).leading_zeros()).min(24);
    let shift = 64 - bits;
    let mut starts = vec![0usize; (1usize << bits) + 1];
    for p in &pairs {
        starts[(p.0 >> shift) as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut sorted = vec![(0u64, 0u32); n];
    let mut cursor = starts.clone();
    for p in pairs {
        let at = &mut cursor[(p.0 >> shift) as usize];
        sorted[*at] = p;
        *at += 1;
    }
    for w in starts.windows(2) {
        if w[1] - w[0] > 1 {
            sorted[w[0]..w[1]].sort_unstable();
        }
    }
    sorted
}

/// Keys → runs of values; built once from `(key, value)` pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KeyTable {
    slots: Vec<Slot>,
    values: Vec<u32>,
}

impl KeyTable {
    /// Builds the table from pairs in any order; duplicate pairs are kept once and each key's
    /// values come out sorted.
    pub(crate) fn build(pairs: Vec<(u64, u32)>) -> KeyTable {
        let mut pairs = bucket_sort(pairs);
        pairs.dedup();
        let distinct = pairs.windows(2).filter(|w| w[0].0 != w[1].0).count() + 1;
        // Load factor 0.6: linear probing stays at ~1.5 probes per hit and ~3 per miss, and the
        // table is a third of a power-of-two table at load ≤ 0.5 rounded up (32 MB → 11 MB for
        // the bundled lists), which keeps more of it in cache.
        let capacity = (distinct * 5 / 3).max(16);
        let mut slots = vec![Slot::default(); capacity];
        let mut values = Vec::with_capacity(pairs.len());
        let mut i = 0;
        while i < pairs.len() {
            let key = pairs[i].0;
            let start = values.len();
            while i < pairs.len() && pairs[i].0 == key {
                values.push(pairs[i].1);
                i += 1;
            }
            let mut at = home(key, capacity);
            while slots[at].key != 0 {
                at = if at + 1 == capacity { 0 } else { at + 1 };
            }
            slots[at] = Slot {
                key,
                start: start as u32,
                len: (values.len() - start) as u32,
            };
        }
        KeyTable { slots, values }
    }

    /// The values stored under `key` (empty when absent).
    #[inline]
    pub(crate) fn get(&self, key: u64) -> &[u32] {
        if self.slots.is_empty() {
            return &[];
        }
        let capacity = self.slots.len();
        let mut at = home(key, capacity);
        loop {
            let slot = &self.slots[at];
            if slot.key == key {
                let start = slot.start as usize;
                return self
                    .values
                    .get(start..start + slot.len as usize)
                    .unwrap_or(&[]);
            }
            if slot.key == 0 {
                return &[];
            }
            at = if at + 1 == capacity { 0 } else { at + 1 };
        }
    }

    /// Number of stored values.
    pub(crate) fn value_count(&self) -> usize {
        self.values.len()
    }

    /// Checks the invariants a lookup relies on, for tables read from files:
    /// at least one empty slot (so probing ends), runs inside `values`, every value
    /// `< bound`.
    pub(crate) fn validate(&self, bound: usize) -> Result<(), String> {
        if self.slots.is_empty() {
            return if self.values.is_empty() {
                Ok(())
            } else {
                Err("key table has values but no slots".into())
            };
        }
        if !self.slots.iter().any(|s| s.key == 0) {
            return Err("key table is full".into());
        }
        for s in &self.slots {
            if s.key != 0 && s.start as usize + s.len as usize > self.values.len() {
                return Err("key table run out of range".into());
            }
        }
        if self.values.iter().any(|&v| v as usize >= bound) {
            return Err("key table value out of range".into());
        }
        Ok(())
    }

    /// Heap bytes used.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>() + self.values.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_come_back_sorted_and_deduplicated() {
        let t = KeyTable::build(vec![(7, 3), (9, 1), (7, 1), (7, 3), (u64::MAX, 5)]);
        assert_eq!(t.get(7), &[1, 3]);
        assert_eq!(t.get(9), &[1]);
        assert_eq!(t.get(u64::MAX), &[5]);
        assert!(t.get(8).is_empty());
        assert!(t.validate(6).is_ok());
        assert!(t.validate(5).is_err());
        assert!(KeyTable::default().get(1).is_empty());
    }

    #[test]
    fn bucket_sort_sorts_like_sort() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut pairs = Vec::new();
        for i in 0..5000u32 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Some keys repeat (a deletion variant shared by terms), some cluster.
            let key = if i % 7 == 0 { state & 0xFFFF } else { state };
            pairs.push((key.max(1), i % 97));
        }
        let mut expected = pairs.clone();
        expected.sort_unstable();
        assert_eq!(bucket_sort(pairs), expected);
        assert_eq!(bucket_sort(vec![(3, 1), (1, 2)]), vec![(1, 2), (3, 1)]);
    }
}
