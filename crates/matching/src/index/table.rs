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

/// Keys → runs of values; built once from `(key, value)` pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KeyTable {
    slots: Vec<Slot>,
    values: Vec<u32>,
}

impl KeyTable {
    /// Builds the table from pairs in any order; duplicate pairs are kept once and each key's
    /// values come out sorted.
    pub(crate) fn build(mut pairs: Vec<(u64, u32)>) -> KeyTable {
        use rayon::slice::ParallelSliceMut;
        // In place: a bucket sort into a second vector measured no faster over the whole build
        // and held 12 MB more at its peak.
        pairs.par_sort_unstable();
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
}
