//! Text → lower-case ASCII words separated by single spaces.
//!
//! One pass over the characters: ASCII letters and digits are lower-cased; apostrophes (and
//! the signs romanisations use for ʿayn and hamza) are deleted, so `QA'IDA` is `qaida`; every
//! other non-letter (spaces, hyphens, dots, commas, brackets) separates words, so `AL-QA'IDA`
//! is `al qaida` and `MADURO MOROS, Nicolás` is `maduro moros nicolas`. Latin letters lose
//! their diacritics through compatibility decomposition (NFKD: `é` → `e`, `ﬁ` → `fi`,
//! fullwidth `Ａ` → `a`), with a table for the letters that have no decomposition (`ß`, `æ`,
//! `ø`, `ł`, `đ`, `þ`, `ı`…). Words of other scripts are romanised by [`super::script_translit`]
//! (Cyrillic, Arabic, Greek, Hebrew, Hangul) or by `any_ascii` (everything else). Hangul and Han
//! are cut into syllables the way their names are romanised: each Hangul syllable is a word
//! (`김정은` → `kim jong un`, as lists write KIM Jong Un), and in Han the first character
//! (the surname) is a word and the rest another (`习近平` → `xi jinping`); a longer Han run is
//! an organisation's name, whose generic words are written in English
//! (`data/han_org_words.tsv`) and the rest romanised and joined.

use super::script_translit::{self, Hit};

/// A rule was applied: bits of [`Normalized::rules`].
pub(crate) mod rule {
    /// Latin letters lost diacritics or were decomposed.
    pub const FOLD: u16 = 1;
    /// Cyrillic romanised by table.
    pub const CYRL: u16 = 2;
    /// Arabic-script romanised by table.
    pub const ARAB: u16 = 4;
    /// Greek romanised by table.
    pub const GREK: u16 = 8;
    /// Hebrew romanised by table.
    pub const HEBR: u16 = 16;
    /// Another script romanised by `any_ascii`.
    pub const ANY: u16 = 32;
    /// Hangul romanised syllable by syllable, one word a syllable.
    pub const HANG: u16 = 64;
    /// Han romanised by `any_ascii`, surname apart.
    pub const HANI: u16 = 128;
    /// A dictionary hit gave a Cyrillic word its usual Latin spelling.
    pub const CYRL_DICT: u16 = 256;
    /// A dictionary hit gave an Arabic word its usual Latin spelling.
    pub const ARAB_DICT: u16 = 512;

    /// The names recorded in `AnalyzedName::rules`.
    pub const NAMES: [(u16, &str); 10] = [
        (FOLD, "fold:Latn-ASCII"),
        (CYRL, "translit:Cyrl-Latn"),
        (CYRL_DICT, "dictionary:Cyrl-Latn"),
        (ARAB, "translit:Arab-Latn"),
        (ARAB_DICT, "dictionary:Arab-Latn"),
        (GREK, "translit:Grek-Latn"),
        (HEBR, "translit:Hebr-Latn"),
        (HANG, "translit:Hang-Latn"),
        (HANI, "translit:Hani-Latn"),
        (ANY, "translit:Any-Latn"),
    ];
}

/// The normalised text of a name.
#[derive(Default)]
pub(crate) struct Normalized {
    /// Lower-case ASCII letters and digits, words separated by one space, no leading or
    /// trailing space.
    pub text: String,
    /// Dictionary hits: byte ranges of `text` that romanise a known word.
    pub hits: Vec<Hit>,
    /// Bits of [`rule`].
    pub rules: u16,
    /// The words (by index in `text`, the first 64) that a hyphen joins to the word before
    /// (`bek` of `Yunus-Bek`): one part of a compound, which an initial may stand for whole.
    pub hyphenated: u64,
}

/// Apostrophes and the letters romanisations use for ʿayn and hamza: deleted, not separators.
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '`'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201B}'
            | '\u{2032}'
            | '\u{00B4}'
            | '\u{02BB}'
            | '\u{02BC}'
            | '\u{02BD}'
            | '\u{02BE}'
            | '\u{02BF}'
            | '\u{02C8}'
            | '\u{FF07}'
            | '\u{05F3}'
    )
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Latin letters with no compatibility decomposition to ASCII.
fn special_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        'ħ' | 'Ħ' => "h",
        'ŧ' | 'Ŧ' => "t",
        'ŋ' | 'Ŋ' => "n",
        'ĸ' => "k",
        'ſ' => "s",
        'ƒ' => "f",
        'ǝ' => "e",
        // The schwa of Azerbaijani (Əliyev, Məmmədov) is written `a` in every Latin
        // transcription of those names (Aliyev, Mammadov).
        'ə' | 'Ə' => "a",
        _ => return None,
    })
}

struct Writer {
    out: Normalized,
    key: String,
    word: Vec<char>,
    /// Where a word a hyphen joins to the word before would begin: byte offsets of `text`
    /// (none for most names).
    hyphens: Vec<usize>,
}

impl Writer {
    #[inline]
    fn sep(&mut self) {
        if !self.out.text.is_empty() && !self.out.text.ends_with(' ') {
            self.out.text.push(' ');
        }
    }

    /// A hyphen: a separator, and, right after a word, the join of a compound.
    fn hyphen(&mut self) {
        let after_word = !self.out.text.is_empty() && !self.out.text.ends_with(' ');
        self.sep();
        if after_word {
            self.hyphens.push(self.out.text.len());
        }
    }

    /// Trims the text and marks the words the hyphens seen join ([`Normalized::hyphenated`]):
    /// those that begin where a hyphen left the text, right after it.
    fn finish(mut self) -> Normalized {
        trim_end(&mut self.out.text);
        let text = self.out.text.as_bytes();
        for &at in &self.hyphens {
            if at < text.len() && at > 0 && text[at - 1] == b' ' && text[at] != b' ' {
                let word = text[..at].iter().filter(|&&b| b == b' ').count();
                if word < 64 {
                    self.out.hyphenated |= 1u64 << word;
                }
            }
        }
        self.out
    }

    /// A compatibility-decomposable or otherwise foldable character (not of a script we
    /// romanise by table).
    fn fold(&mut self, c: char) {
        if let Some(s) = special_latin(c) {
            self.out.text.push_str(s);
            self.out.rules |= rule::FOLD;
            return;
        }
        let mut pushed = false;
        let mut other = false;
        unicode_normalization::char::decompose_compatible(c, |d| {
            if d.is_ascii_alphanumeric() {
                self.out.text.push(d.to_ascii_lowercase());
                pushed = true;
            } else if !d.is_ascii() && !is_combining(d) {
                other = true;
            }
        });
        if pushed && !other {
            self.out.rules |= rule::FOLD;
            return;
        }
        if pushed {
            return;
        }
        let a = any_ascii::any_ascii_char(c);
        let mut any = false;
        for x in a.chars() {
            if x.is_ascii_alphanumeric() {
                self.out.text.push(x.to_ascii_lowercase());
                any = true;
            } else if x == '\'' {
            } else {
                self.sep();
            }
        }
        if any {
            self.out.rules |= rule::ANY;
        } else if a.is_empty() && !c.is_alphanumeric() {
            self.sep();
        }
    }
}

/// Han runs of this many characters or more are organisations' names: persons' names have two
/// to four. A shorter run that is a word of `han_org_words.tsv`, or that ends with one of two
/// characters or more (`華信船務`, Huaxin Shipping, before a parenthesis), is one too.
const HAN_ORGANISATION: usize = 5;

/// The longest word of `han_org_words.tsv`, in characters.
const HAN_WORD_MAX: usize = 6;

/// The words of Chinese organisation names the lists write in English
/// (`data/han_org_words.tsv`).
fn han_words() -> &'static rustc_hash::FxHashMap<&'static str, &'static str> {
    static WORDS: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        super::tables::rows(include_str!("../../data/han_org_words.tsv"))
            .filter_map(|row| Some((*row.first()?, row.get(1).copied().unwrap_or(""))))
            .collect()
    })
}

/// The English of `run` when it is a whole word of `han_org_words.tsv` (`香港`, or `有限公司`
/// apart in parentheses).
fn han_word(run: &[char]) -> Option<&'static str> {
    if run.len() > HAN_WORD_MAX {
        return None;
    }
    let key: String = run.iter().collect();
    han_words().get(key.as_str()).copied()
}

/// An organisation's name in Han characters: the generic words of `han_org_words.tsv` in
/// English, longest first, and the characters between them romanised and joined into one word
/// (the company's own name, or a place: `深圳` → `shenzhen`). A one-character word (`市`,
/// city) counts only after two characters or more of a name, so that it is no part of one.
fn han_organisation(w: &mut Writer, run: &[char]) {
    let words = han_words();
    let mut key = String::with_capacity(HAN_WORD_MAX * 4);
    let mut pending = 0usize;
    let mut k = 0;
    while k < run.len() {
        let found = (1..=HAN_WORD_MAX.min(run.len() - k)).rev().find_map(|len| {
            if len == 1 && pending < 2 {
                return None;
            }
            key.clear();
            key.extend(&run[k..k + len]);
            words.get(key.as_str()).map(|&english| (len, english))
        });
        match found {
            Some((len, english)) => {
                w.sep();
                w.out.text.push_str(english);
                w.sep();
                pending = 0;
                k += len;
            }
            None => {
                w.fold(run[k]);
                pending += 1;
                k += 1;
            }
        }
    }
}

/// Parses the table of [`han_words`] now rather than on first use.
pub(crate) fn preload() {
    han_words();
}

fn script_of(c: char) -> u8 {
    match c as u32 {
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => 1,
        0x621..=0x64A
        | 0x64B..=0x65F
        | 0x66E..=0x6D3
        | 0x6D5
        | 0x6FA..=0x6FF
        | 0x750..=0x77F
        | 0x8A0..=0x8FF => 2,
        0x370..=0x3FF | 0x1F00..=0x1FFF => 3,
        0x5D0..=0x5EA => 4,
        0xAC00..=0xD7AF => 5,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F => 6,
        _ => 0,
    }
}

/// Normalises a whole name.
pub(crate) fn normalize(name: &str) -> Normalized {
    let mut w = Writer {
        out: Normalized {
            text: String::with_capacity(name.len() + 8),
            ..Normalized::default()
        },
        key: String::new(),
        word: Vec::new(),
        hyphens: Vec::new(),
    };
    if name.is_ascii() {
        for b in name.bytes() {
            if b.is_ascii_alphanumeric() {
                w.out.text.push(b.to_ascii_lowercase() as char);
            } else if b == b'-' {
                w.hyphen();
            } else if b != b'\'' && b != b'`' {
                w.sep();
            }
        }
        return w.finish();
    }
    // Presentation forms (Arabic and Hebrew ligatures and contextual forms, Latin ligatures)
    // become their base letters first, so the script tables see ordinary letters.
    let mut chars: Vec<char> = Vec::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c as u32, 0xFB00..=0xFDFF | 0xFE70..=0xFEFF) {
            unicode_normalization::char::decompose_compatible(c, |d| chars.push(d));
        } else {
            chars.push(c);
        }
    }
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                w.out.text.push(c.to_ascii_lowercase());
            } else if c == '-' {
                w.hyphen();
            } else if c != '\'' && c != '`' {
                w.sep();
            }
            i += 1;
            continue;
        }
        // The hyphens of Unicode, and the Hebrew maqaf.
        if matches!(c, '\u{2010}' | '\u{2011}' | '\u{05BE}') {
            w.hyphen();
            i += 1;
            continue;
        }
        if is_apostrophe(c) || is_combining(c) || matches!(c, '\u{200C}' | '\u{200D}' | '\u{00AD}')
        {
            i += 1;
            continue;
        }
        match script_of(c) {
            0 => {
                if c.is_alphanumeric() {
                    w.fold(c);
                } else {
                    w.sep();
                }
                i += 1;
            }
            5 => {
                // Hangul: one word a syllable.
                let before = w.out.rules;
                w.sep();
                if !script_translit::hangul(c, &mut w.out.text) {
                    w.fold(c);
                }
                w.sep();
                w.out.rules = before | rule::HANG;
                i += 1;
            }
            6 => {
                let start = i;
                let before = w.out.rules;
                w.sep();
                while i < chars.len() && script_of(chars[i]) == 6 {
                    i += 1;
                }
                let run = &chars[start..i];
                let organisation = run.len() >= HAN_ORGANISATION
                    || han_word(run).is_some()
                    || (2..run.len().min(HAN_WORD_MAX + 1))
                        .any(|len| han_word(&run[run.len() - len..]).is_some());
                if organisation {
                    han_organisation(&mut w, run);
                } else {
                    // A person's name: the first character apart (the surname), the rest
                    // joined.
                    for (k, &c) in chars[start..i].iter().enumerate() {
                        w.fold(c);
                        if k == 0 {
                            w.sep();
                        }
                    }
                }
                w.out.rules = before | rule::HANI;
            }
            s => {
                // A word of one table script: gather it, lower-cased, marks dropped.
                w.word.clear();
                while i < chars.len() {
                    let d = chars[i];
                    if script_of(d) == s {
                        if s == 3 {
                            // Greek: accents are combining marks after decomposition.
                            unicode_normalization::char::decompose_canonical(d, |x| {
                                if !is_combining(x) {
                                    w.word.extend(x.to_lowercase());
                                }
                            });
                        } else if !(s == 2 && (d == '\u{640}')) {
                            w.word.extend(d.to_lowercase());
                        }
                    } else if !(is_combining(d)
                        || is_hebrew_point(d)
                        || matches!(d, '\u{200C}' | '\u{200D}'))
                    {
                        break;
                    }
                    i += 1;
                }
                if w.word.is_empty() {
                    continue;
                }
                let word = std::mem::take(&mut w.word);
                let hits = w.out.hits.len();
                match s {
                    1 => {
                        script_translit::cyrillic(
                            &word,
                            &mut w.out.text,
                            &mut w.out.hits,
                            &mut w.key,
                        );
                        w.out.rules |= rule::CYRL;
                        if w.out.hits.len() > hits {
                            w.out.rules |= rule::CYRL_DICT;
                        }
                    }
                    2 => {
                        script_translit::arabic(
                            &word,
                            &mut w.out.text,
                            &mut w.out.hits,
                            &mut w.key,
                        );
                        w.out.rules |= rule::ARAB;
                        if w.out.hits.len() > hits {
                            w.out.rules |= rule::ARAB_DICT;
                        }
                    }
                    3 => {
                        script_translit::greek(&word, &mut w.out.text);
                        w.out.rules |= rule::GREK;
                    }
                    _ => {
                        script_translit::hebrew(&word, &mut w.out.text);
                        w.out.rules |= rule::HEBR;
                    }
                }
                w.word = word;
            }
        }
    }
    w.finish()
}

/// Hebrew points and cantillation marks (not the maqaf, U+05BE, which is a hyphen).
fn is_hebrew_point(c: char) -> bool {
    matches!(c as u32, 0x591..=0x5BD | 0x5BF..=0x5C7)
}

fn trim_end(s: &mut String) {
    while s.ends_with(' ') {
        s.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize(s).text
    }

    #[test]
    fn punctuation_and_apostrophes() {
        assert_eq!(n("AL-QA'IDA"), "al qaida");
        assert_eq!(n("AL QAIDA"), "al qaida");
        assert_eq!(n("MADURO MOROS, Nicolás"), "maduro moros nicolas");
        assert_eq!(n("  O’Brien  "), "obrien");
        assert_eq!(n("Co.,Ltd."), "co ltd");
        assert_eq!(n("ʿAbd al-Raḥmān"), "abd al rahman");
        assert_eq!(n(""), "");
        assert_eq!(n("--"), "");
    }

    #[test]
    fn latin_letters_fold_to_ascii() {
        assert_eq!(n("Straße Øresund Łódź Ærø"), "strasse oresund lodz aero");
        assert_eq!(n("ﬁrm ＡＢＣ Ⅳ"), "firm abc iv");
        assert_eq!(n("Şahin Gökçe İlkay"), "sahin gokce ilkay");
        assert_eq!(n("Heydər Əliyev"), "heydar aliyev");
    }

    #[test]
    fn scripts_are_romanised() {
        assert_eq!(n("Николас Мадуро"), "nikolas maduro");
        assert_eq!(n("ООО «Роснефть»"), "ooo rosneft");
        assert_eq!(n("Αλέξης Τσίπρας"), "alexis tsipras");
        assert_eq!(n("김정은"), "kim jong un");
        assert_eq!(n("최룡해"), "choe ryong hae");
        assert_eq!(n("태영호"), "thae yong ho");
        assert_eq!(n("박봉주"), "pak pong ju");
        assert_eq!(n("习近平"), "xi jinping");
        assert_eq!(n("მიხეილ სააკაშვილი"), "mikheil saakashvili");
        let r = normalize("Николас Мадуро").rules;
        assert!(r & rule::CYRL != 0);
    }
}
