//! A serialisable multimap from 64-bit keys to runs of `u32` values.
//!
//! Hand-written instead of a `HashMap<u64, Vec<u32>>` for two reasons. Loading: the table is
//! two flat vectors, so an index file loads with no re-hashing and no per-key allocation (a
//! `HashMap` of ~400k keys takes tens of milliseconds to rebuild, paid by every CLI run).
//! Lookup: open addressing with linear probing over a table at most half full touches one or
//! two cache lines per lookup, which matters because a query makes up to ~100 lookups (one per
//! deletion variant of each token).

use serde::{Deserialize, Serialize};

/// One slot: a key (0 = empty) and its run: `values[start..start + len]`, or, when the run
/// is one value (`len == 1`), that value itself in `start`.
///
/// In place because most runs are one term (70% of the runs the deletion variants of a batch
/// find, bench/throughput.sh's deck), and each run elsewhere is another read from a
/// table of megabytes, mostly a cache miss: held in the slot, the value comes with the key.
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
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct KeyTable {
    slots: Vec<Slot>,
    values: Vec<u32>,
    /// A filter of the keys present ([`KeyTable::with_filter`]), derived from `slots`; not
    /// stored in index files. Empty: every lookup probes the slots.
    #[serde(skip)]
    filter: Vec<u64>,
}

/// Two tables are equal when their slots and values are (the filter follows from them).
impl PartialEq for KeyTable {
    fn eq(&self, other: &KeyTable) -> bool {
        self.slots == other.slots && self.values == other.values
    }
}

impl Eq for KeyTable {}

/// Filter bits per key: 16, with two bits set per key in one 64-bit word, lets about 1.5% of
/// absent keys through (by count: of 4.2 million deletion-variant lookups, 88% absent).
const FILTER_BITS_PER_KEY: usize = 16;

/// The filter word of a key and the two bits the key sets in it. The key is already a
/// finished hash (see [`super::keys::Hasher::finish`]): its high bits choose the word (by
/// `shift`), its low twelve the bits.
#[inline]
fn filter_pos(key: u64, shift: u32) -> (usize, u64) {
    let word = (key >> shift) as usize;
    let bits = (1u64 << (key & 63)) | (1u64 << ((key >> 6) & 63));
    (word, bits)
}

impl Slot {
    /// The slot of `key` whose run is `values[start..]`, the run's last values: taken back
    /// out of `values` when it is one value (held in place).
    fn of_run(key: u64, values: &mut Vec<u32>, start: usize) -> Slot {
        let len = values.len() - start;
        if len == 1 {
            let value = values.pop().unwrap_or_default();
            return Slot {
                key,
                start: value,
                len: 1,
            };
        }
        Slot {
            key,
            start: start as u32,
            len: len as u32,
        }
    }

    /// Whether the run is the one value held in `start`.
    #[inline]
    fn in_place(&self) -> bool {
        self.len == 1
    }
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
            slots[at] = Slot::of_run(key, &mut values, start);
        }
        KeyTable {
            slots,
            values,
            filter: Vec::new(),
        }
    }

    /// The table with a filter of its keys in front of its slots: a lookup of an absent key
    /// then usually reads one word of the filter instead of probing the slots. Retrieval looks
    /// up every deletion variant of the query's unknown words and of its adjacent words joined
    /// (about 42 lookups per name of the throughput deck of `bench/throughput.sh`), and 88% of
    /// them find nothing; each was a cache miss into a table of 11 MB. The filter (16 bits a
    /// key, 1 MB for the bundled lists) mostly stays in the cache: on that deck it saved 22
    /// of 500 cache misses per name (cachegrind, 1 MB last-level cache) and 3–5% of the
    /// search time over six alternating runs.
    pub(crate) fn with_filter(mut self) -> KeyTable {
        let keys = self.slots.iter().filter(|s| s.key != 0).count();
        let words = (keys * FILTER_BITS_PER_KEY / 64).max(2).next_power_of_two();
        let mut filter = vec![0u64; words];
        let shift = 64 - words.trailing_zeros();
        for slot in &self.slots {
            if slot.key != 0 {
                let (w, bits) = filter_pos(slot.key, shift);
                filter[w] |= bits;
            }
        }
        self.filter = filter;
        self
    }

    /// The values stored under `key` (empty when absent).
    #[inline]
    pub(crate) fn get(&self, key: u64) -> &[u32] {
        if self.slots.is_empty() {
            return &[];
        }
        if !self.filter.is_empty() {
            let shift = 64 - self.filter.len().trailing_zeros();
            let (w, bits) = filter_pos(key, shift);
            if self.filter[w] & bits != bits {
                return &[];
            }
        }
        let capacity = self.slots.len();
        let mut at = home(key, capacity);
        loop {
            let slot = &self.slots[at];
            if slot.key == key {
                if slot.in_place() {
                    return std::slice::from_ref(&slot.start);
                }
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

    /// The table [`build`](Self::build) makes of this table's pairs with their values renumbered
    /// by `remap` (a value mapped to `u32::MAX`, or past its end, leaves) and the `added` pairs,
    /// whose values must be ones no kept value is renumbered to. Made in place: a few thousand
    /// slots change instead of the whole table being sorted and laid out again (a third of an
    /// index build). A key whose run empties keeps its slot, found with an empty run (as an
    /// absent key is), and a run that grows moves to the end of the values.
    ///
    /// `None` when the table would be more than three quarters full, or when moved runs would
    /// leave more dead values than live ones: then build it afresh.
    pub(crate) fn patch(mut self, remap: &[u32], mut added: Vec<(u64, u32)>) -> Option<KeyTable> {
        // The filter knows the old keys only.
        self.filter = Vec::new();
        for v in &mut self.values {
            *v = remap.get(*v as usize).copied().unwrap_or(u32::MAX);
        }
        let mut occupied = 0;
        let mut live = 0;
        for slot in &mut self.slots {
            if slot.key == 0 {
                continue;
            }
            occupied += 1;
            if slot.in_place() {
                match remap.get(slot.start as usize) {
                    Some(&v) if v != u32::MAX => slot.start = v,
                    _ => (slot.start, slot.len) = (0, 0),
                }
                continue;
            }
            let start = slot.start as usize;
            let run = self.values.get_mut(start..start + slot.len as usize)?;
            let mut kept = 0;
            for i in 0..run.len() {
                if run[i] != u32::MAX {
                    run[kept] = run[i];
                    kept += 1;
                }
            }
            run[..kept].sort_unstable();
            if kept == 1 {
                // Now one value: held in place, its old place dead.
                (slot.start, slot.len) = (run[0], 1);
                run[0] = u32::MAX;
                continue;
            }
            slot.len = kept as u32;
            live += kept;
        }
        // Values outside runs are never read; zeroed, they pass a file's validation.
        for v in &mut self.values {
            if *v == u32::MAX {
                *v = 0;
            }
        }
        added.sort_unstable();
        added.dedup();
        let new_keys = added.windows(2).filter(|w| w[0].0 != w[1].0).count() + 1;
        let capacity = self.slots.len();
        if (occupied + new_keys) * 4 > capacity * 3
            || self.values.len() + added.len() > 2 * (live + added.len()) + 4096
        {
            return None;
        }
        let mut i = 0;
        while i < added.len() {
            let key = added[i].0;
            let mut at = home(key, capacity);
            while self.slots[at].key != 0 && self.slots[at].key != key {
                at = if at + 1 == capacity { 0 } else { at + 1 };
            }
            let slot = self.slots[at];
            let start = self.values.len();
            if slot.key == key && slot.in_place() {
                self.values.push(slot.start);
            } else if slot.key == key {
                let old = slot.start as usize..(slot.start + slot.len) as usize;
                self.values.extend_from_within(old);
            }
            while i < added.len() && added[i].0 == key {
                self.values.push(added[i].1);
                i += 1;
            }
            self.values[start..].sort_unstable();
            self.slots[at] = Slot::of_run(key, &mut self.values, start);
        }
        Some(self)
    }

    /// Number of stored values (in runs: a patched table holds dead ones besides).
    pub(crate) fn value_count(&self) -> usize {
        self.slots.iter().map(|s| s.len as usize).sum()
    }

    /// Number of slots.
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// Every key with a non-empty run, and the run: what lookups can see, whatever the layout.
    #[cfg(test)]
    pub(crate) fn runs(&self) -> std::collections::BTreeMap<u64, Vec<u32>> {
        self.slots
            .iter()
            .filter(|s| s.key != 0 && s.len > 0)
            .map(|s| (s.key, self.get(s.key).to_vec()))
            .collect()
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
            if s.key != 0 && s.in_place() && s.start as usize >= bound {
                return Err("key table value out of range".into());
            }
            if s.key != 0 && !s.in_place() && s.start as usize + s.len as usize > self.values.len()
            {
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
    fn a_patched_table_has_the_runs_of_one_built_afresh() {
        let pairs: Vec<(u64, u32)> = (1..2000u64)
            .map(|k| (k * 7919 % 1013 + 1, (k % 50) as u32))
            .collect();
        let table = KeyTable::build(pairs.clone());
        // Values 0..50 renumbered: evens keep id/2, odds leave; 100 and 101 arrive.
        let remap: Vec<u32> = (0..50u32)
            .map(|v| if v % 2 == 0 { v / 2 } else { u32::MAX })
            .collect();
        let added = vec![(5, 100), (99_999, 101), (5, 101), (7, 100)];
        let mut expected: Vec<(u64, u32)> = pairs
            .iter()
            .filter(|p| p.1 % 2 == 0)
            .map(|&(k, v)| (k, v / 2))
            .chain(added.iter().copied())
            .collect();
        expected.sort();
        let fresh = KeyTable::build(expected);
        let patched = table.patch(&remap, added).expect("room");
        assert_eq!(patched.runs(), fresh.runs());
        assert_eq!(patched.get(5), fresh.get(5));
        assert!(patched.get(12_345).is_empty());
        assert_eq!(patched.value_count(), fresh.value_count());
        assert!(patched.validate(102).is_ok());
    }

    #[test]
    fn a_patch_that_would_crowd_the_table_is_refused() {
        let table = KeyTable::build((1..100u64).map(|k| (k, 0)).collect());
        let added: Vec<(u64, u32)> = (1000..1200u64).map(|k| (k, 1)).collect();
        assert!(table.patch(&[0], added).is_none());
    }
}
