//! Words somebody is known to be called: every Latin spelling of four to twelve letters in the
//! Wikidata name-token pairs (`data/name_words.txt.gz`, made by `data/gen_variants.py`).
//!
//! Search reads a query word the lists lack, that no table knows, as a typo of a listed word
//! within its edit budget ([`crate::index`]'s `Method::Typo`) only when it is not one of
//! these: `Xuka` is nobody's name and most likely `Luka` mistyped, whereas `Shani` is a name
//! of its own that happens to be one letter from `SHAMI`.

use super::tables::gunzip;
use rustc_hash::FxHashSet;
use std::sync::OnceLock;

/// The words, in a hash set: a word is found with one or two cache misses, where a binary
/// search over the sorted list took about seventeen (`is_name_word` was 2.4% of a batch's CPU
/// time in a `perf` profile of the throughput deck of `bench/throughput.sh`, for 1% of its
/// instructions).
fn words() -> &'static FxHashSet<&'static str> {
    static WORDS: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let text = gunzip(include_bytes!("../../data/name_words.txt.gz"));
        text.lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// True when `word` (a normalised token) is a known spelling of somebody's name.
pub fn is_name_word(word: &str) -> bool {
    words().contains(word)
}

/// Loads the table now rather than at the first query that needs it.
pub(crate) fn preload() {
    words();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_names_are_known_and_typos_are_not() {
        assert!(words().len() > 100_000);
        for w in ["luka", "shani", "nair", "salma", "vladimir", "mohammed"] {
            assert!(is_name_word(w), "{w}");
        }
        for w in ["xuka", "pnte", "hukov", "mvulaai", ""] {
            assert!(!is_name_word(w), "{w}");
        }
    }
}
