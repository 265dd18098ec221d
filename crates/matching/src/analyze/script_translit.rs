//! Romanisation of the scripts sanctions lists write names in: Cyrillic, Arabic (with Persian
//! and Urdu letters), Greek and Hebrew from the tables in `data/translit_*.tsv`, plus a
//! dictionary of known words (`data/script_words.tsv.gz`, generated, and
//! `data/script_words_manual.tsv`) that gives the usual Latin spelling of common Cyrillic and
//! Arabic names.
//!
//! Why tables and not ICU4X: ICU4X's transliterators (`icu_experimental` 0.5, compiled data)
//! were measured for this purpose. Its Cyrillic (`ru-Latn-t-ru-m0-bgn`) output is good but took
//! 14–32 µs for one short name (a whole query's budget is 50 µs), its Arabic BGN transform left
//! Arabic letters untransliterated (`ٔيmn mḩmd`) and the generic one produces scholarly marks
//! (`mḥmd rbyʿ`) that need folding again; the crate is marked unstable, adds ~2.5 minutes to a
//! clean build and ~2.5 MB of rule data. The tables here are the same BGN/PCGN systems, written
//! for names (no diacritics, `-iy` endings, `ye` at word starts), run in well under a
//! microsecond per word, and can be read and corrected by anyone.
//!
//! Each function takes one word (a run of letters of its script, lower-cased, combining marks
//! removed), appends its romanisation (lower-case ASCII, possibly several words separated by
//! spaces) to `out`, and records dictionary hits in `hits`.

use super::tables::{gunzip, rows, LetterTable};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// A word the dictionary knows: the byte range of its romanisation in the output and its usual
/// Latin spelling.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub latin: &'static str,
}

struct Tables {
    cyrl: LetterTable,
    arab: LetterTable,
    /// Whole Arabic words read as units (`بن` → `bin`).
    arab_words: FxHashMap<&'static str, &'static str>,
    grek: LetterTable,
    grek_pairs: FxHashMap<(char, char), &'static str>,
    hebr: LetterTable,
    hebr_initial: LetterTable,
    /// Known Cyrillic and Arabic words → usual Latin spelling.
    words: FxHashMap<&'static str, &'static str>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let arab_text = include_str!("../../data/translit_arab.tsv");
        let grek_text = include_str!("../../data/translit_grek.tsv");
        let hebr_text = include_str!("../../data/translit_hebr.tsv");
        let mut arab_words = FxHashMap::default();
        for row in rows(arab_text) {
            if row[0].chars().count() > 1 {
                arab_words.insert(row[0], row.get(1).copied().unwrap_or(""));
            }
        }
        let mut grek_pairs = FxHashMap::default();
        for row in rows(grek_text) {
            let mut cs = row[0].chars();
            if let (Some(a), Some(b), None) = (cs.next(), cs.next(), cs.next()) {
                grek_pairs.insert((a, b), row.get(1).copied().unwrap_or(""));
            }
        }
        let mut hebr_initial_text = String::new();
        for row in rows(hebr_text) {
            if let Some(initial) = row.get(2) {
                hebr_initial_text.push_str(&format!("{}\t{}\n", row[0], initial));
            }
        }
        let hebr_initial_text: &'static str = Box::leak(hebr_initial_text.into_boxed_str());
        let mut words = FxHashMap::default();
        for row in rows(gunzip(include_bytes!("../../data/script_words.tsv.gz"))) {
            if let [word, latin] = row[..] {
                words.insert(word, latin);
            }
        }
        // Common Arabic and Persian words the generated table lacks (`أحمد`, `علي`, `بشار`).
        for row in rows(include_str!("../../data/script_words_manual.tsv")) {
            if let [word, latin] = row[..] {
                words.insert(word, latin);
            }
        }
        Tables {
            cyrl: LetterTable::new(0x400, 0x130, include_str!("../../data/translit_cyrl.tsv")),
            arab: LetterTable::new(0x600, 0x100, arab_text),
            arab_words,
            grek: LetterTable::new(0x370, 0x90, grek_text),
            grek_pairs,
            hebr: LetterTable::new(0x5D0, 0x20, hebr_text),
            hebr_initial: LetterTable::new(0x5D0, 0x20, hebr_initial_text),
            words,
        }
    })
}

/// Loads every table now (the index builder calls this before timing or spawning threads).
pub(crate) fn preload() {
    tables();
}

/// Falls back to `any_ascii` for a letter a table lacks, keeping only letters and digits.
fn fallback(c: char, out: &mut String) {
    for a in any_ascii::any_ascii_char(c).chars() {
        if a.is_ascii_alphanumeric() {
            out.push(a.to_ascii_lowercase());
        }
    }
}

fn is_cyrillic_vowel(c: char) -> bool {
    matches!(
        c,
        'а' | 'е' | 'ё' | 'и' | 'о' | 'у' | 'ы' | 'э' | 'ю' | 'я' | 'і' | 'ї' | 'є'
    )
}

/// One Cyrillic word (lower case). Context rules of `translit_cyrl.tsv`: `е` is `ye` at the
/// start, after a vowel or a hard/soft sign; `ё` is `e` after ж ч ш щ; a final `ый` is `y`.
pub(crate) fn cyrillic(word: &[char], out: &mut String, hits: &mut Vec<Hit>, key: &mut String) {
    let t = tables();
    let start = out.len();
    let mut i = 0;
    while i < word.len() {
        let c = word[i];
        let prev = if i == 0 { None } else { Some(word[i - 1]) };
        match c {
            'е' => {
                let y = match prev {
                    None => true,
                    Some(p) => is_cyrillic_vowel(p) || p == 'ъ' || p == 'ь',
                };
                out.push_str(if y { "ye" } else { "e" });
            }
            'ё' if matches!(prev, Some('ж' | 'ч' | 'ш' | 'щ')) => out.push('e'),
            'ы' if i + 2 == word.len() && word[i + 1] == 'й' => {
                out.push('y');
                i += 1;
            }
            _ => match t.cyrl.get(c) {
                Some(l) => out.push_str(l),
                None => fallback(c, out),
            },
        }
        i += 1;
    }
    // The dictionary is keyed without ё (Wikidata writes it inconsistently).
    key.clear();
    key.extend(word.iter().map(|&c| if c == 'ё' { 'е' } else { c }));
    if let Some(latin) = t.words.get(key.as_str()).copied() {
        if out.len() > start {
            hits.push(Hit {
                start,
                end: out.len(),
                latin,
            });
        }
    }
}

/// The letter as the dictionary keys it: hamza and madda forms of alef, alef maqsura, Persian
/// ya/kaf and Urdu heh unified (writers vary between them for the same name).
fn arabic_key_letter(c: char) -> char {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' | 'ی' => 'ي',
        'ک' => 'ك',
        'ہ' | 'ھ' => 'ه',
        _ => c,
    }
}

fn is_arabic_mark(c: char) -> bool {
    matches!(c as u32, 0x64B..=0x65F | 0x670)
}

fn is_alef(c: char) -> bool {
    matches!(c, 'ا' | 'أ' | 'إ' | 'آ' | 'ٱ')
}

/// One Arabic-script word (letters and vowel marks). See `translit_arab.tsv` for the rules.
pub(crate) fn arabic(word: &[char], out: &mut String, hits: &mut Vec<Hit>, key: &mut String) {
    let letters = word.iter().filter(|c| !is_arabic_mark(**c)).count();
    // The article: ال + at least two letters is `al` and a word of its own.
    if letters > 3 && is_alef(word[0]) && word.get(1) == Some(&'ل') {
        let rest = &word[2..];
        // الله stays whole.
        if !matches!(rest, ['ل', 'ه']) {
            out.push_str("al ");
            arabic(rest, out, hits, key);
            return;
        }
    }
    // عبدال + name: `abd al` and the name (عبدالرحمن), unless the whole word is known.
    if letters > 6
        && word.starts_with(&['ع', 'ب', 'د'])
        && is_alef(word[3])
        && word.get(4) == Some(&'ل')
        && lookup_arabic(word, key).is_none()
    {
        out.push_str("abd ");
        arabic(&word[3..], out, hits, key);
        return;
    }
    let t = tables();
    key.clear();
    key.extend(word.iter().filter(|c| !is_arabic_mark(**c)));
    if let Some(w) = t.arab_words.get(key.as_str()) {
        out.push_str(w);
        return;
    }
    let start = out.len();
    let n = word.len();
    for (i, &c) in word.iter().enumerate() {
        let prev = if i == 0 { None } else { Some(word[i - 1]) };
        let next = word.get(i + 1).copied();
        let next_is_vowel = next.is_some_and(|n| is_alef(n) || matches!(n, 'َ' | 'ِ' | 'ُ'));
        match c {
            'و' => {
                let consonant = prev.is_none()
                    || prev.is_some_and(is_alef)
                    || next_is_vowel
                    || prev == Some('و');
                out.push(if consonant { 'w' } else { 'u' });
            }
            'ي' | 'ی' => {
                let consonant = prev.is_none() || prev.is_some_and(is_alef) || next_is_vowel;
                out.push(if consonant { 'y' } else { 'i' });
            }
            // Initial ʿayn carries a vowel; before alef, the alef writes it (عادل → adl).
            'ع' if prev.is_none() && !next.is_some_and(is_alef) => out.push('a'),
            'ّ' => {
                // Shadda: the previous consonant again.
                if let Some(last) = out[start..].chars().last() {
                    out.push(last);
                }
            }
            'ة' if i + 1 < n => out.push('t'), // construct state inside a compound
            _ => match t.arab.get(c) {
                Some(l) => out.push_str(l),
                None if is_arabic_mark(c) => {}
                None if ('\u{660}'..='\u{669}').contains(&c)
                    || ('\u{6F0}'..='\u{6F9}').contains(&c) =>
                {
                    out.push(char::from(b'0' + (c as u32 % 16) as u8));
                }
                None => fallback(c, out),
            },
        }
    }
    if let Some(latin) = lookup_arabic(word, key) {
        if out.len() > start {
            hits.push(Hit {
                start,
                end: out.len(),
                latin,
            });
        }
    }
}

fn lookup_arabic(word: &[char], key: &mut String) -> Option<&'static str> {
    key.clear();
    key.extend(
        word.iter()
            .filter(|c| !is_arabic_mark(**c))
            .map(|&c| arabic_key_letter(c)),
    );
    tables().words.get(key.as_str()).copied()
}

/// Whether `word` (lower-case ASCII) could be what [`arabic`] or [`hebrew`] write for a word of
/// their scripts letter by letter: they write no `x`, an `e` only in a final `eh` (Persian ۀ),
/// and an `o` only for Hebrew ו, in romanisations with no `a` or `u`.
/// Reverse retrieval, which does not know the script a customer's word was typed in, pairs a
/// word by its consonants only when it could be one (`ivan` could, `stefan` could not).
pub(crate) fn could_be_abjad(word: &str) -> bool {
    let b = word.as_bytes();
    let body = b.strip_suffix(b"eh").unwrap_or(b);
    let has = |c: u8| body.contains(&c);
    !(has(b'x') || has(b'e')) && (!has(b'o') || !(has(b'a') || has(b'u')))
}

/// Initial consonants of a Hangul syllable, in Unicode's order (ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ
/// ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ), as the DPRK's romanisation writes them without marks.
const HANGUL_INITIALS: [&str; 19] = [
    "k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th",
    "ph", "h",
];
/// Vowels (ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ): ㅓ and ㅡ are `o` and `u`,
/// McCune-Reischauer's ŏ and ŭ without their breves.
const HANGUL_VOWELS: [&str; 21] = [
    "a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "u", "ui", "i",
];
/// Final consonants (none, ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ
/// ㅎ), as they sound at the end of a syllable.
const HANGUL_FINALS: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];

/// Romanises one Hangul syllable (U+AC00–U+D7A3) onto `out` as the sanctions lists write Korean
/// names: the DPRK's own system without diacritics (McCune-Reischauer's vowels, `j` for ㅈ,
/// `r` for an initial ㄹ, `th`/`kh`/`ph` for the aspirates), so `김정은` is `kim jong un`
/// (KIM, Jong Un), `최룡해` `choe ryong hae` and `태영호` `thae yong ho`. `false` for any
/// other character.
///
/// Why not `any_ascii`: it writes South Korea's Revised Romanization (`gim jeong eun`), which
/// no list uses for the DPRK's nationals, who are most of the Koreans listed. The syllable is
/// decomposed arithmetically, as the Unicode standard defines Hangul syllables (§3.12), so no
/// table of 11,172 syllables is needed.
pub(crate) fn hangul(c: char, out: &mut String) -> bool {
    let Some(index) = (c as u32).checked_sub(0xAC00).filter(|&i| i < 11_172) else {
        return false;
    };
    let (initial, vowel, last) = (index / 588, index % 588 / 28, index % 28);
    for part in [
        HANGUL_INITIALS[initial as usize],
        HANGUL_VOWELS[vowel as usize],
        HANGUL_FINALS[last as usize],
    ] {
        out.push_str(part);
    }
    true
}

/// One Greek word (lower case, accents removed). `μπ ντ γκ` are `b d g` at the start of a word.
pub(crate) fn greek(word: &[char], out: &mut String) {
    let t = tables();
    let mut i = 0;
    while i < word.len() {
        let c = word[i];
        if let Some(&n) = word.get(i + 1) {
            if i == 0 {
                let initial = match (c, n) {
                    ('μ', 'π') => Some("b"),
                    ('ν', 'τ') => Some("d"),
                    ('γ', 'κ') => Some("g"),
                    _ => None,
                };
                if let Some(l) = initial {
                    out.push_str(l);
                    i += 2;
                    continue;
                }
            }
            if let Some(l) = t.grek_pairs.get(&(c, n)) {
                out.push_str(l);
                i += 2;
                continue;
            }
        }
        match t.grek.get(c) {
            Some(l) => out.push_str(l),
            None => fallback(c, out),
        }
        i += 1;
    }
}

/// One Hebrew word (points removed). ו and י inside a word are read as the vowels o and i, a
/// doubled וו / יי as the consonants v and y; the letters with two sounds (ב כ פ) take their
/// plosive value at the start of the word.
pub(crate) fn hebrew(word: &[char], out: &mut String) {
    let t = tables();
    let mut i = 0;
    while i < word.len() {
        let c = word[i];
        if (c == 'ו' || c == 'י') && word.get(i + 1) == Some(&c) {
            out.push(if c == 'ו' { 'v' } else { 'y' });
            i += 2;
            continue;
        }
        let l = if i == 0 {
            t.hebr_initial.get(c).or_else(|| t.hebr.get(c))
        } else {
            t.hebr.get(c)
        };
        match l {
            Some(l) => out.push_str(l),
            None => fallback(c, out),
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(&[char], &mut String, &mut Vec<Hit>, &mut String), s: &str) -> String {
        let mut out = String::new();
        for w in s.split(' ') {
            let chars: Vec<char> = w.chars().collect();
            f(&chars, &mut out, &mut Vec::new(), &mut String::new());
            out.push(' ');
        }
        out.trim_end().to_string()
    }

    #[test]
    fn cyrillic_names_follow_bgn_pcgn() {
        assert_eq!(run(cyrillic, "николас мадуро"), "nikolas maduro");
        assert_eq!(run(cyrillic, "евгений пригожин"), "yevgeniy prigozhin");
        assert_eq!(run(cyrillic, "пётр горбачёв"), "pyotr gorbachev");
        assert_eq!(run(cyrillic, "грозный щукин"), "grozny shchukin");
        assert_eq!(run(cyrillic, "ооо роснефть"), "ooo rosneft");
    }

    #[test]
    fn arabic_names_keep_consonants_and_long_vowels() {
        assert_eq!(
            run(arabic, "أيمن محمد ربيع الظواهري"),
            "aymn mhmd rbi al zwahri"
        );
        assert_eq!(run(arabic, "يوسف حسين"), "yusf hsin");
        assert_eq!(run(arabic, "علي عمر"), "ali amr");
        assert_eq!(run(arabic, "بن لادن"), "bin ladn");
        assert_eq!(run(arabic, "عبدالرحمن"), "abd al rhmn");
    }

    #[test]
    fn romanisations_of_abjads_could_be_abjad() {
        for text in [
            include_str!("../../data/translit_arab.tsv"),
            include_str!("../../data/translit_hebr.tsv"),
        ] {
            for row in rows(text) {
                for out in row.iter().skip(1) {
                    for word in out.split(' ') {
                        assert!(could_be_abjad(word), "{row:?}");
                    }
                }
            }
        }
        let run = |f: fn(&[char], &mut String, &mut Vec<Hit>, &mut String), s: &str| {
            let mut out = String::new();
            for w in s.split(' ') {
                f(
                    &w.chars().collect::<Vec<_>>(),
                    &mut out,
                    &mut Vec::new(),
                    &mut String::new(),
                );
                out.push(' ');
            }
            out
        };
        for word in run(arabic, "أيمن محمد ربيع الظواهري إسماعيل هنية پژوهشگاه").split(' ')
        {
            assert!(could_be_abjad(word), "{word}");
        }
        assert!(!could_be_abjad("stefan"));
        assert!(!could_be_abjad("alex"));
        assert!(!could_be_abjad("oumar"));
    }

    #[test]
    fn dictionary_hits_cover_the_romanised_word() {
        let mut out = String::new();
        let mut hits = Vec::new();
        let w: Vec<char> = "محمد".chars().collect();
        arabic(&w, &mut out, &mut hits, &mut String::new());
        assert_eq!(out, "mhmd");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].latin, "mohammed");
        assert_eq!((hits[0].start, hits[0].end), (0, 4));
    }

    #[test]
    fn the_manual_dictionary_knows_common_names_the_generated_one_lacks() {
        let hit = |word: &str| {
            let mut hits = Vec::new();
            let w: Vec<char> = word.chars().collect();
            arabic(&w, &mut String::new(), &mut hits, &mut String::new());
            hits.first().map(|h| h.latin)
        };
        assert_eq!(hit("أحمد"), Some("ahmad"));
        assert_eq!(hit("احمد"), Some("ahmad"));
        assert_eq!(hit("علي"), Some("ali"));
        assert_eq!(hit("علی"), Some("ali"));
        assert_eq!(hit("بشار"), Some("bashar"));
        // عامر and عمر romanise alike (`amr`); the dictionary tells them apart.
        assert_eq!(hit("عامر"), Some("amer"));
        assert_eq!(hit("عمر"), Some("umar"));
        assert_eq!(hit("رضایی"), Some("rezaei"));
        // Every key is written as lookups key words, or it could never be found.
        for row in rows(include_str!("../../data/script_words_manual.tsv")) {
            let key: String = row[0].chars().map(arabic_key_letter).collect();
            assert_eq!(key, row[0]);
            assert_eq!(row.len(), 2, "{row:?}");
        }
    }

    #[test]
    fn greek_and_hebrew() {
        let mut out = String::new();
        greek(&"αλεξης".chars().collect::<Vec<_>>(), &mut out);
        out.push(' ');
        greek(&"μπακογιαννης".chars().collect::<Vec<_>>(), &mut out);
        assert_eq!(out, "alexis bakogiannis");
        let mut out = String::new();
        hebrew(&"בנימין".chars().collect::<Vec<_>>(), &mut out);
        assert_eq!(out, "bnimin");
    }
}
