//! How common a word is in English text (`data/common_words.tsv.gz`, made by
//! `data/gen_common_words.py` from wordfreq): its Zipf frequency, for the words seen at least
//! about once in 300,000 words.
//!
//! A list's rarity of a word says how many of the listed parties share it, not how many of a
//! bank's customers do. `ORANGE`, `TARGET`, `SOUTHERN` or `PREMIER` are each in one or two
//! listed organisations' names, and so weighed as rare surnames are; but businesses name
//! themselves with such words all the time, and `Target Corp` or `Orange` alerted on
//! `TARGET ELECTRONICS` and `ORANGE VOLUNTEERS`. Build lowers the weight of such a word (see
//! `index::build`).

use super::tables::{gunzip, rows};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

fn table() -> &'static FxHashMap<&'static str, f32> {
    static TABLE: OnceLock<FxHashMap<&'static str, f32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        rows(gunzip(include_bytes!("../../data/common_words.tsv.gz")))
            .filter_map(|r| Some((*r.first()?, r.get(1)?.parse().ok()?)))
            .collect()
    })
}

/// The Zipf frequency of `word` (normalised: lower-case ASCII) in English text, `None` when it
/// is rarer than the table goes.
pub fn zipf_frequency(word: &str) -> Option<f32> {
    table().get(word).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_are_known_and_names_of_businesses_are_not() {
        assert!(table().len() > 10_000);
        assert!(zipf_frequency("the").is_some_and(|z| z > 7.0));
        assert!(zipf_frequency("orange").is_some_and(|z| (4.0..5.0).contains(&z)));
        for w in ["griffon", "tidewater", "rosneft", ""] {
            assert_eq!(zipf_frequency(w), None, "{w}");
        }
    }
}
