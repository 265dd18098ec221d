//! Reading the data tables of `crates/matching/data/` (compiled into the binary).
//!
//! Tables are parsed once, on first use, into process-wide values (`OnceLock` in each user).
//! Their strings borrow from the `include_str!` text; the two gzip tables are inflated once and
//! the inflated text is kept for the life of the process (leaked on purpose: it backs a
//! `static`, so it would never be freed anyway, and borrowing from it saves ~30k small
//! allocations).

use std::io::Read;

/// The rows of a TSV table: tab-separated columns, `#` comments and blank lines skipped.
pub(crate) fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.trim_end_matches('\r').split('\t').collect())
}

/// The text of a gzip-compressed table, inflated once and kept for the process.
///
/// The tables are build inputs checked by tests, so a corrupt one is a build defect; it still
/// degrades to an empty table rather than panicking inside name analysis.
pub(crate) fn gunzip(bytes: &'static [u8]) -> &'static str {
    let mut text = String::new();
    if flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .is_err()
    {
        text.clear();
    }
    Box::leak(text.into_boxed_str())
}

/// Characters of one contiguous Unicode block mapped to Latin strings, indexed by code point.
pub(crate) struct LetterTable {
    base: u32,
    map: Vec<Option<&'static str>>,
}

impl LetterTable {
    /// A table for the block starting at `base` of `len` code points, filled from the one-letter
    /// rows of `text` (`letter<TAB>latin`).
    pub(crate) fn new(base: u32, len: usize, text: &'static str) -> LetterTable {
        let mut map = vec![None; len];
        for row in rows(text) {
            let mut chars = row[0].chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                if let Some(slot) = (c as u32)
                    .checked_sub(base)
                    .and_then(|i| map.get_mut(i as usize))
                {
                    *slot = Some(row.get(1).copied().unwrap_or(""));
                }
            }
        }
        LetterTable { base, map }
    }

    /// The romanisation of `c`, if the table has it.
    #[inline]
    pub(crate) fn get(&self, c: char) -> Option<&'static str> {
        (c as u32)
            .checked_sub(self.base)
            .and_then(|i| self.map.get(i as usize))
            .copied()
            .flatten()
    }
}
