//! Case endings of Russian, Ukrainian and Belarusian words, romanised: the stems a word written
//! in Cyrillic may have, for the names the lists write in the nominative.
//!
//! Cyrillic text declines proper names: `Группа Вагнера` is "the group of Wagner" (genitive),
//! `КБ точного машиностроения им. А.Э. Нудельмана` "named after Nudelman". The lists write the
//! name itself, WAGNER, NUDELMAN, so the declined word, romanised `vagnera`, `nudelmana`, is no
//! spelling of it that a fuzzy comparison forgives in every case (`vagnera`/`wagner` is 0.82
//! similar, a skeleton match at best). Its stem, the word without its ending, is the name.
//!
//! Only endings of the oblique cases: `-a`/`-ya` (genitive of masculine and neuter nouns), `-u`/
//! `-yu` (dative), `-om`/`-em`/`-yem` (instrumental), `-e` (prepositional), `-y`/`-i`/`-oy`/`-ey`
//! (feminine genitive and instrumental, plural). Not the plural genitive `-ov`/`-ev`, which is
//! also how most Russian surnames end (`Ivanov` is no declined `Ivan`), nor the adjective endings
//! (`-ogo`, `-ykh`), whose words the organisation-word stems of `org_words.tsv` already cover.
//! A stem keeps four letters at least: shorter ones are other words as often as not.

/// Endings, longest first, as the transliteration tables romanise them.
const ENDINGS: [&str; 12] = [
    "yem", "oy", "ey", "om", "em", "ya", "yu", "a", "u", "e", "y", "i",
];

/// Least letters a stem keeps.
const MIN_STEM: usize = 4;

/// The stems `word` (romanised from Cyrillic, lower-case) may have, one per ending it has:
/// `vagnera` → `vagner`; `nudelmana` → `nudelman`; `kompaniy` → `kompani`. Empty for words of
/// other letters than ASCII ones.
pub fn inflection_stems(word: &str) -> impl Iterator<Item = &str> {
    let ascii = word.bytes().all(|b| b.is_ascii_lowercase());
    ENDINGS.iter().filter_map(move |e| {
        word.strip_suffix(e)
            .filter(|stem| ascii && stem.len() >= MIN_STEM)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_the_word_without_a_case_ending() {
        fn stems(w: &str) -> Vec<&str> {
            inflection_stems(w).collect()
        }
        assert_eq!(stems("vagnera"), ["vagner"]);
        assert_eq!(stems("nudelmana"), ["nudelman"]);
        assert_eq!(stems("kompaniy"), ["kompani"]);
        assert_eq!(stems("ivanovoy"), ["ivanov", "ivanovo"]);
        // Surnames in `-ov` are no plural genitive; short stems are left alone.
        assert!(stems("ivanov").is_empty());
        assert!(stems("anna").is_empty());
        assert!(stems("вагнера").is_empty());
    }
}
