//! Name analysis: text → normalised Latin tokens with their class and canonical variant.
//!
//! [`analyze`] runs, in order:
//! 1. [`normalize`]: one pass over the characters — ASCII folding of Latin letters (NFKD,
//!    diacritics dropped), case folding, apostrophes deleted inside words (`QA'IDA` → `qaida`),
//!    every other punctuation a word break (`AL-QA'IDA` → `al qaida`, `MADURO MOROS, Nicolás`
//!    → `maduro moros nicolas`), and romanisation of other scripts ([`script_translit`]:
//!    Cyrillic, Arabic, Greek, Hebrew by BGN/PCGN-based tables, others by `any_ascii`), and a
//!    Korean name in South Korea's romanisation respelt in the DPRK's, as the lists write
//!    North Korean names ([`korean`]: `Kim Jeong Eun` → `kim jong un`).
//! 2. Tokenisation and classification from the word tables ([`lexicon`]), the name ending
//!    before a note of its bearer's birth (`Mohammad Ishaq Akhund born in 1963`): multi-word and dotted
//!    legal forms collapse into one [`TokenClass::LegalForm`] token with a canonical (`Limited
//!    Liability Company`, `L.L.C.`, `OOO`, `ООО` → `llc`; a name cut off inside the form that
//!    ends it too: `Limited Liability Com`); titles opening a name are
//!    honorifics; particles (`al`, `bin`, `de`, `van`…) are marked; single letters are
//!    initials and digit runs numbers; `abd al`/`abd el`/`abd ul` join into one word.
//! 3. Variants: a word of a known variant group gets the group's canonical spelling
//!    (`mohamed`, `mohammed` → `muhammad`); a Cyrillic or Arabic word found in the dictionary of
//!    known words gets the canonical of its usual Latin spelling (`محمد` → `muhammad`); a
//!    generic word of organisation names takes its English translation as canonical, whole
//!    or by stem (`predpriyatiye` → `enterprise`, `gosudarstvennoye` → `state`).
//!
//!
//! Two readings are left to search, which knows the lists: a name's last word may be cut short
//! ([`cut_short`]), and a word of a name written in Cyrillic may be declined ([`declinable`],
//! its stems by [`inflection`]: `Вагнера`, "of Wagner").
//!
//! Token order is kept, but scoring is order-insensitive, so `SURNAME, Given` needs nothing
//! special, but for one thing: a surname that is also a title (`SHEIKH, Umair Naeem`) is a
//! word, not a title, when a comma follows it. Every other decision depends only on the token
//! texts and their order, which makes the analysis idempotent: analysing the space-joined token
//! texts gives the same tokens (with the same texts, and the same classes unless a comma made
//! a title a surname).
//!
//! Speed: the tables are parsed once (on first use, or by [`preload`]); a name costs one pass
//! over its characters, one hash lookup per token and a handful of small allocations (the
//! output strings). ASCII names skip Unicode decomposition entirely.

use interdict_model::{PartialDate, Script};
use serde::{Deserialize, Serialize};

mod common_words;
mod hanja;
mod inflection;
pub mod keys;
mod korean;
mod lexicon;
mod name_words;
mod normalize;
mod script_translit;
mod tables;

pub use common_words::zipf_frequency;
pub use hanja::korean_reading;
pub use keys::{phonetic_key, skeleton, spelling_key};
pub(crate) use korean::is_syllable;
use lexicon::{lexicon, Lexicon, Place};
pub use name_words::is_name_word;
pub(crate) use script_translit::could_be_abjad;

/// What a token is, for weighting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenClass {
    /// An ordinary name word.
    Word,
    /// A single letter (an initial).
    Initial,
    /// A legal form (LLC, JSC, GmbH...), canonicalised.
    LegalForm,
    /// An honorific or title (Mr, Dr, General, Sheikh...).
    Honorific,
    /// A name particle (al, bin, de, van...).
    Particle,
    /// Digits.
    Number,
}

/// One token of an analysed name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Token {
    /// Normalised Latin form: lower-case ASCII letters and digits.
    pub text: String,
    /// Its class.
    pub class: TokenClass,
    /// A canonical form shared by variants (`muhammad` for Mohammed/Mohamed; `llc` for
    /// Limited Liability Company/OOO), when a table knows one.
    pub canonical: Option<String>,
}

impl Token {
    /// The text to compare for exact agreement: the canonical when there is one, else the text.
    pub fn key(&self) -> &str {
        self.canonical.as_deref().unwrap_or(&self.text)
    }
}

/// A name after analysis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyzedName {
    /// The input text.
    pub original: String,
    /// Its script.
    pub script: Script,
    /// The transliteration or variant rules applied, for explanations.
    pub rules: Vec<String>,
    /// The tokens, in order.
    pub tokens: Vec<Token>,
    /// The tokens (by index, the first 64) that continue a compound of words of a name: a word
    /// written after a hyphen right after another word (`bek` of `Yunus-Bek`, `lee` of
    /// `Brandon-Lee`), and a particle so written after a word with the word after it (`al`
    /// and `din` of `Nasir-al-Din`). An initial stands for such a compound whole (`Y. EVKUROV`
    /// for `EVKUROV, Yunus-Bek`, `M A N` for `Muhammad Ayman Nasir-al-Din`), so scoring
    /// charges its further parts as it charges the rest of a word an initial stands for.
    /// Particles begin none (`A.` for `AL-JONES` says nothing of `jones`), and no legal form
    /// or initial is part of one.
    #[serde(default)]
    pub compounds: u64,
}

/// Whether `word` (normalised) is a title or honorific (`sheikh`, `haji`, `general`) in the
/// tables, wherever it may stand: a listed word a query may have dropped as one.
pub fn is_title(word: &str) -> bool {
    lexicon().get(word).honorific.is_some()
}

/// The English words of `org_words.tsv` that say what kind of body an organisation is, not
/// what it does or whose it is: authorities name one body with different ones (`MARINE
/// INDUSTRIES ORGANIZATION` is the UK's `MARINE INDUSTRIES FACTORY`; `SHAHID HEMMAT
/// INDUSTRIAL GROUP` its `... INDUSTRIAL COMPLEX`).
const DESCRIPTORS: [&str; 17] = [
    "enterprise",
    "institute",
    "center",
    "group",
    "concern",
    "association",
    "union",
    "plant",
    "bureau",
    "organization",
    "fund",
    "foundation",
    "academy",
    "committee",
    "holding",
    "complex",
    "combine",
];

/// Whether `word` (normalised) names the kind of body an organisation is, in any language
/// the tables know (`factory`, `zavod`, `gruppa`, `organizatsiya`, `complex`): see
/// [`DESCRIPTORS`].
pub fn is_descriptor(word: &str) -> bool {
    let canonical = lexicon().org_canonical(word).unwrap_or(word);
    DESCRIPTORS.contains(&canonical)
}

/// Parses every table now rather than on the first call of [`analyze`], so that the first
/// analysis is not slower than the others (timing, latency-sensitive servers).
pub fn preload() {
    lexicon();
    script_translit::preload();
    name_words::preload();
    normalize::preload();
}

/// The article forms that join a preceding `abd` into one word (`abd al` → `abdal`).
const ABD_ARTICLES: [&str; 3] = ["al", "el", "ul"];

/// The name of the name line of a structured party field of a SWIFT payment message (fields 50F
/// and 59F of an MT103: `1/NICOLAS MADURO MOROS`, then `2/` the address, `3/` country and
/// town): its line number `1/` is no part of the name, which screening payments reads with it.
/// Read as a word, the number cost a match a word's penalty (0.96 → 0.80).
fn name_line(name: &str) -> Option<&str> {
    name.trim_start()
        .strip_prefix("1/")
        .filter(|rest| !rest.starts_with('/') && rest.chars().any(char::is_alphabetic))
}

/// The name a party field of several lines holds, when `name` is one (a listed name's line
/// breaks are spaces by then: `index::readings::name_readings`): the lines numbered `1/` of a
/// structured field (50F, 59F: a long name goes on over several), else the first line that is
/// no account (`/DE89370400440532013000`) of an unstructured one (50K, 59: the name, then the
/// address). Screened whole, the address lines
/// were words of the name, each unmatched (`NICOLAS MADURO MOROS` and a line `CARACAS
/// VENEZUELA`: 0.58).
fn field_name(name: &str) -> Option<String> {
    if !name.contains(['\n', '\r']) {
        return None;
    }
    let lines: Vec<&str> = name
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let numbered: Vec<&str> = lines.iter().filter_map(|l| name_line(l)).collect();
    let name = if numbered.is_empty() {
        lines
            .iter()
            .find(|l| !l.starts_with('/') && l.chars().any(char::is_alphabetic))?
            .to_string()
    } else {
        numbered.join(" ")
    };
    Some(name)
}

/// `name` without the dates it writes (`23/11/1962`, `23.11.1962`, `1962-11-23`: a day, a
/// month and a year of four digits, in either order, joined by `/`, `.` or `-`), and the dates,
/// when it writes some and letters remain beside them. A customer file or a payment's name
/// line that runs the date of birth into the name (`MADURO MOROS NICOLAS 23/11/1962`) had three
/// more words read into it, each unmatched (0.46 against `MADURO MOROS, Nicolas`); no name
/// writes a date. Written by
/// hand rather than with a regular expression: one pass over the bytes, which most names
/// (without a digit) leave at once.
fn without_dates(name: &str) -> Option<(String, Vec<&str>)> {
    let b = name.as_bytes();
    if !b.iter().any(u8::is_ascii_digit) {
        return None;
    }
    // A run of 1–4 digits at `i`, and where it ends.
    let digits = |i: usize| {
        let n = b[i.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        (1..=4).contains(&n).then_some(i + n)
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        let date = starts.then(|| {
            let e1 = digits(i)?;
            let sep = *b.get(e1)?;
            if !matches!(sep, b'/' | b'.' | b'-') {
                return None;
            }
            let e2 = digits(e1 + 1)?;
            if b.get(e2) != Some(&sep) {
                return None;
            }
            let e3 = digits(e2 + 1)?;
            if b.get(e3).is_some_and(u8::is_ascii_alphanumeric) {
                return None;
            }
            let (p1, p2, p3) = (&name[i..e1], &name[e1 + 1..e2], &name[e2 + 1..e3]);
            let day_month = |d: &str, m: &str| {
                let (d, m) = (d.parse::<u32>().unwrap_or(0), m.parse::<u32>().unwrap_or(0));
                (1..=31).contains(&d) && (1..=31).contains(&m) && (d <= 12 || m <= 12)
            };
            let plausible = if p3.len() == 4 {
                p1.len() <= 2 && p2.len() <= 2 && day_month(p1, p2)
            } else {
                p1.len() == 4 && p2.len() <= 2 && p3.len() <= 2 && day_month(p3, p2)
            };
            plausible.then_some(e3)
        });
        match date.flatten() {
            Some(end) => {
                found.push((i, end));
                i = end;
            }
            None => i += 1,
        }
    }
    if found.is_empty() {
        return None;
    }
    let mut rest = name.to_string();
    for &(s, e) in found.iter().rev() {
        rest.replace_range(s..e, " ");
    }
    rest.chars()
        .any(char::is_alphabetic)
        .then(|| (rest, found.iter().map(|&(s, e)| &name[s..e]).collect()))
}

/// The date of birth a name field writes into the name (`MADURO MOROS NICOLAS 23/11/1962`),
/// when it writes exactly one date ([`without_dates`]): a customer file or a payment that puts
/// it there has no other place for it, and screened as the query's date of birth it counts as
/// one given apart would. Day and month are told apart when one of them cannot be a month, or
/// the year comes first (`1962-11-23`, ISO 8601); otherwise (`11/12/1962`) only the year is
/// taken.
pub fn date_in_name(name: &str) -> Option<PartialDate> {
    let field = field_name(name);
    let name = field.as_deref().unwrap_or(name);
    let (_, dates) = without_dates(name_line(name).unwrap_or(name))?;
    let [date] = dates[..] else {
        return None;
    };
    let parts: Vec<u32> = date
        .split(['/', '.', '-'])
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let &[a, b, c] = &parts[..] else {
        return None;
    };
    let (year, day, month) = if a >= 1000 {
        (a, c, b)
    } else if a > 12 {
        (c, a, b)
    } else if b > 12 {
        (c, b, a)
    } else {
        return PartialDate::new(i16::try_from(c).ok()?, None, None);
    };
    let year = i16::try_from(year).ok()?;
    PartialDate::new(year, u8::try_from(month).ok(), u8::try_from(day).ok())
}

/// The abbreviations shipping documents put before a vessel's name, written with a slash:
/// motor vessel, motor tanker, motor ship (`M/V ADRIAN DARYA 1` on a bill of lading). Without
/// the slash they are titles of `honorifics.tsv` (`MV`, `MT`); with dots (`M.T.`) they are as
/// likely a person's initials, and stay.
const VESSEL_PREFIXES: [&str; 3] = ["m/v", "m/t", "m/s"];

/// `name` without a leading vessel prefix ([`VESSEL_PREFIXES`]), and the prefix (lower case),
/// when a name follows it.
fn vessel_prefix(name: &str) -> Option<(&'static str, &str)> {
    let t = name.trim_start();
    let head = t.get(..3)?;
    let prefix = VESSEL_PREFIXES
        .into_iter()
        .find(|p| head.eq_ignore_ascii_case(p))?;
    let rest = t.get(3..)?.trim_start_matches('.');
    (rest.starts_with(char::is_whitespace) && rest.chars().any(char::is_alphanumeric))
        .then_some((prefix, rest))
}

/// Analyses a name: normalisation, romanisation, tokens with class and canonical, and the rules
/// applied (for explanations).
///
/// Never panics; any string (empty, punctuation only, any script) gives a valid result, with no
/// tokens when there is nothing to read.
pub fn analyze(name: &str) -> AnalyzedName {
    let lines = field_name(name);
    let name = lines.as_deref().unwrap_or(name);
    let field = name_line(name);
    let name = field.unwrap_or(name);
    let dated = without_dates(name);
    let name = dated.as_ref().map_or(name, |(rest, _)| rest.as_str());
    let vessel = vessel_prefix(name);
    let name = vessel.map_or(name, |(_, rest)| rest);
    let script = Script::detect(name);
    let mut norm = normalize::normalize(name);
    let lex = lexicon();
    let mut rules: Vec<String> = Vec::new();
    if field.is_some() {
        rules.push("field:1/".to_string());
    }
    if lines.is_some() {
        rules.push("field:name line".to_string());
    }
    for date in dated.iter().flat_map(|(_, dates)| dates) {
        push_rule(&mut rules, "date", date, "dropped");
    }
    if let Some((prefix, _)) = vessel {
        rules.push(format!("vessel:{prefix}"));
    }
    for (bit, rule) in normalize::rule::NAMES {
        if norm.rules & bit != 0 {
            rules.push(rule.to_string());
        }
    }

    // A Korean name in South Korea's romanisation, spelt as the lists spell the DPRK's.
    // Decided on the romanised text alone, whatever script it came from, so that analysing the
    // output again decides alike; the respelt words are no longer the dictionary's.
    let korean = korean::from_revised(&norm.text);
    if korean.is_some() {
        norm.hits.clear();
    }
    if let Some((_, changed)) = &korean {
        for (from, to) in changed {
            push_rule(&mut rules, "korean", from, to);
        }
    }

    // Word boundaries as byte ranges of the normalised text.
    let text = korean.as_ref().map_or(norm.text.as_str(), |k| k.0.as_str());
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(8);
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b' ' {
            if i > start {
                spans.push((start, i));
            }
            start = i + 1;
        }
    }
    if text.len() > start {
        spans.push((start, text.len()));
    }
    // A name the lists wrote with its bearer's birth (`Mohammad Ishaq Akhund born in 1963`,
    // `Safia Farkash Mohammed Al-Hadad, born 1 Jan. 1953 (Oman passport no. …)`: UN aliases) ends
    // before `born`; its date and place are no part of the name.
    if let Some(k) = birth_note(text, &spans) {
        push_rule(&mut rules, "birth_note", &text[spans[k].0..], "dropped");
        spans.truncate(k);
    }
    let n = spans.len();
    let word = |k: usize| &text[spans[k].0..spans[k].1];

    // A title abbreviated to three letters or fewer (`Dr`, `Mr`, `Lt`, `Gen`, `Adm`) is one
    // only in Latin letters: a name written in another script writes its titles whole, and a
    // romanisation that spells such an abbreviation is a name (`ادم`, Adam, is `adm`).
    // A word romanised by the dictionary is a title when its usual spelling is one (`شيخ`,
    // romanised `shikh`, is Sheikh).
    let abbreviations = matches!(script, Script::Latin | Script::Other);
    let title = |k: usize| {
        let w = word(k);
        lex.get(w)
            .honorific
            .filter(|_| abbreviations || w.len() > 3)
            .or_else(|| {
                let (s, e) = spans[k];
                let hit = norm.hits.iter().find(|h| h.start == s && h.end == e)?;
                lex.get(hit.latin).honorific
            })
    };

    // Leading titles: the run of honorifics at the start, when a non-title follows. The UK
    // list opens the names of bodies whose names it disputes with `So-called` (`So-called
    // 'Luhansk People's Republic'`), which no other list or customer file writes: a title too.
    let mut leading = if n > 2 && word(0) == "so" && word(1) == "called" {
        2
    } else {
        0
    };
    // (An article does not join a title: `El-Hajj` and `Al-Sheikh` are family names as often
    // as titles.)
    while leading < n && title(leading).is_some() {
        leading += 1;
    }
    if leading > 0 && surname_before_comma(name, leading) {
        leading = 0;
    }

    let fuzzy = fuzzy_forms(lex, n, &word);

    // The tokens, with `leading` words read as titles.
    // Each reading gives its tokens and the word each begins at.
    let read = |leading: usize, rules: &mut Vec<String>| -> (Vec<Token>, Vec<usize>) {
        let mut tokens: Vec<Token> = Vec::with_capacity(n);
        let mut starts: Vec<usize> = Vec::with_capacity(n);
        let mut k = 0;
        while k < n {
            let w = word(k);
            let entry = lex.get(w);

            // Multi-token legal forms, longest first.
            if entry.starts_form {
                let mut matched = None;
                for form in lex.forms(w) {
                    let len = form.tokens.len();
                    if k + len <= n
                        && form
                            .tokens
                            .iter()
                            .enumerate()
                            .all(|(j, t)| word(k + j) == *t)
                        && form.place.allows(k, k + len, n)
                    {
                        matched = Some((len, form.canonical));
                        break;
                    }
                }
                if let Some((len, canonical)) = matched {
                    let joined: String = (k..k + len).map(word).collect();
                    push_rule(rules, "legal_form", &joined, canonical);
                    tokens.push(Token {
                        text: joined,
                        class: TokenClass::LegalForm,
                        canonical: Some(canonical.to_string()),
                    });
                    starts.push(k);
                    k += len;
                    continue;
                }
                if let Some(form) = cut_form(lex, w, k, n, &word) {
                    let written: String = (k..n).map(word).collect();
                    push_rule(rules, "legal_form", &written, form.canonical);
                    tokens.push(Token {
                        text: form.tokens.concat(),
                        class: TokenClass::LegalForm,
                        canonical: Some(form.canonical.to_string()),
                    });
                    starts.push(k);
                    k = n;
                    continue;
                }
            }
            if let Some((len, canonical, spelled)) =
                fuzzy.iter().find(|f| f.0 == k).map(|f| f.1.clone())
            {
                let joined: String = (k..k + len).map(word).collect();
                push_rule(rules, "legal_form", &joined, canonical);
                tokens.push(Token {
                    text: spelled,
                    class: TokenClass::LegalForm,
                    canonical: Some(canonical.to_string()),
                });
                starts.push(k);
                k += len;
                continue;
            }
            if let Some((canonical, place)) = entry.legal {
                if place.allows(k, k + 1, n) {
                    if w != canonical {
                        push_rule(rules, "legal_form", w, canonical);
                    }
                    tokens.push(Token {
                        text: w.to_string(),
                        class: TokenClass::LegalForm,
                        canonical: Some(canonical.to_string()),
                    });
                    starts.push(k);
                    k += 1;
                    continue;
                }
            }
            // `abd al rahman` → `abdal rahman`: one word, as `abdul rahman` and `abdelrahman`.
            if w == "abd" && k + 2 < n && ABD_ARTICLES.contains(&word(k + 1)) {
                let joined = format!("abd{}", word(k + 1));
                let canonical = lex.get(&joined).variant;
                if let Some(c) = canonical {
                    push_rule(rules, "variant", &joined, c);
                }
                tokens.push(Token {
                    text: joined,
                    class: TokenClass::Word,
                    canonical: canonical.map(str::to_string),
                });
                starts.push(k);
                k += 2;
                continue;
            }
            // A title that only opens a name (`Lt.` for lieutenant) is none at its end, where
            // `NEW AHMADI LT.` has dropped the `d` of `LTD`.
            let title_here = title(k).is_some_and(|p| p != Place::Leading);
            if k + 1 == n && n > 1 && entry.variant.is_none() && !title_here {
                if let Some((spelled, canonical)) =
                    fuzzy_word(lex, w).or_else(|| short_form_typo(lex, w))
                {
                    push_rule(rules, "legal_form", w, canonical);
                    tokens.push(Token {
                        text: spelled.to_string(),
                        class: TokenClass::LegalForm,
                        canonical: Some(canonical.to_string()),
                    });
                    starts.push(k);
                    k += 1;
                    continue;
                }
            }
            let bytes = w.as_bytes();
            let class = if bytes.iter().all(u8::is_ascii_digit) {
                TokenClass::Number
            } else if bytes.len() == 1 {
                TokenClass::Initial
            } else if k < leading || title(k) == Some(Place::Any) && !(k == 0 && n == 1) {
                TokenClass::Honorific
            } else if entry.particle && n > 1 {
                TokenClass::Particle
            } else {
                TokenClass::Word
            };
            let mut canonical = None;
            if class == TokenClass::Word {
                let (s, e) = spans[k];
                let hit = norm.hits.iter().find(|h| h.start == s && h.end == e);
                if let Some(c) = patronymic_canonical(lex, w) {
                    push_rule(rules, "patronymic", w, &c);
                    canonical = Some(c);
                } else if let Some(h) = hit {
                    let c = lex
                        .get(h.latin)
                        .variant
                        .or_else(|| lex.stem_variant(h.latin))
                        .unwrap_or(h.latin);
                    push_rule(rules, "dictionary", w, c);
                    // A patronymic the tables know by its usual spelling takes that spelling's
                    // patronymic canonical, as the other spellings of it do.
                    canonical = Some(patronymic_canonical(lex, c).unwrap_or_else(|| c.to_string()));
                } else if let Some(c) = entry.variant {
                    if c != w {
                        push_rule(rules, "variant", w, c);
                    }
                    canonical = Some(patronymic_canonical(lex, c).unwrap_or_else(|| c.to_string()));
                } else if let Some(c) = lex.stem_variant(w) {
                    push_rule(rules, "translation", w, c);
                    canonical = Some(c.to_string());
                }
            }
            tokens.push(Token {
                text: w.to_string(),
                class,
                canonical,
            });
            starts.push(k);
            k += 1;
        }
        (tokens, starts)
    };
    // The rules of a reading: those it pushed come after `kept`.
    let kept = rules.len();
    let (mut tokens, mut starts) = read(leading, &mut rules);
    // Titles lead a name, so a word of the name must follow them, not only initials, numbers
    // or legal forms (the vessels LADY D and LADY R); and an organisation's name, which a legal
    // form of three letters or more marks, opens with none (GENERAL TECHNOLOGY LIMITED;
    // two-letter forms are also syllables of persons' names). Decided on the tokens, so that
    // `S.A.` and `SA` decide alike.
    if leading > 0 {
        let named = tokens.iter().any(|t| t.class == TokenClass::Word);
        let organisation = tokens
            .iter()
            .any(|t| t.class == TokenClass::LegalForm && t.text.len() > 2);
        if !named || organisation {
            rules.truncate(kept);
            (tokens, starts) = read(0, &mut rules);
        }
    }

    // A name of letters only is an acronym written with dots or spaces (`T.D.G.`, an alias of
    // OOO TORGOVY DOM ASBEST): one word, as `TDG` is, or nothing could find it (initials do
    // not retrieve).
    if tokens.len() >= 2 && tokens.iter().all(|t| t.class == TokenClass::Initial) {
        let text: String = tokens.iter().map(|t| t.text.as_str()).collect();
        let spaced: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        push_rule(&mut rules, "acronym", &spaced.join(" "), &text);
        let canonical = lex.get(&text).variant.map(str::to_string);
        tokens = vec![Token {
            text,
            class: TokenClass::Word,
            canonical,
        }];
        starts = vec![0];
    }

    // A word a hyphen joins to the word before continues its compound, as does a particle a
    // hyphen joins to a word and the word after it (`nasir-al-din`); no legal form or initial
    // does.
    let mut compounds = 0u64;
    for t in 1..tokens.len().min(64) {
        let (this, before) = (tokens[t].class, tokens[t - 1].class);
        // A particle continues a compound a word began (`nasir-al-din`), never begins one:
        // `A.` for `AL-JONES` says nothing of `jones`.
        let after_compound_particle =
            before == TokenClass::Particle && compounds & (1u64 << (t - 1)) != 0;
        if starts[t] < 64
            && norm.hyphenated & (1u64 << starts[t]) != 0
            && (this == TokenClass::Word && (before == TokenClass::Word || after_compound_particle)
                || this == TokenClass::Particle && before == TokenClass::Word)
        {
            compounds |= 1u64 << t;
        }
    }

    AnalyzedName {
        original: name.to_string(),
        script,
        rules,
        tokens,
        compounds,
    }
}

/// The fewest initials in a row that [`acronym_reading`] reads as an acronym.
const ACRONYM_LETTERS: usize = 3;

/// A name's reading with each run of three initials or more that something follows written as
/// the one word of the acronym it spells (`A.I.C. COMPREHENSIVE RESEARCH INSTITUTE` →
/// `aic comprehensive research institute`), or `None` when it has no such run.
///
/// Another list or a customer writes the acronym of an organisation's name in one word (`AIC`);
/// read as three initials it found no counterpart and cost the name a whole word. The index
/// files a listed organisation's, vessel's or aircraft's name under this reading too, and a
/// query typed as an organisation is read so; the first reading stays as it was, so that a
/// name written with its initials, and a person's initials (`J.R.R. Tolkien`), still pair
/// letter by letter. Two initials (those of a person an organisation is named after, `V.V.
/// BAKHIREV`) stay initials, and so does a run that ends the name, which is mostly a legal form
/// the tables lack (`Y CIA. S.C.S.`).
pub fn acronym_reading(name: &str) -> Option<String> {
    acronyms(name).map(|(reading, _)| reading)
}

/// [`acronym_reading`], with the runs it joined as rules (`acronym:a i c→aic`).
pub(crate) fn acronyms(name: &str) -> Option<(String, Vec<String>)> {
    // Most names have no three single letters in a row (`S.A. DE C.V.` has two and two): told
    // from the text before any analysis, as build reads every listed organisation's name
    // through here.
    let (mut run, mut longest, mut letters) = (0usize, 0usize, 0usize);
    for c in name.chars().chain(std::iter::once(' ')) {
        if c.is_alphabetic() {
            letters += 1;
        } else if letters > 0 {
            run = if letters == 1 { run + 1 } else { 0 };
            longest = longest.max(run);
            letters = 0;
        }
    }
    if longest < ACRONYM_LETTERS {
        return None;
    }
    let tokens = analyze(name).tokens;
    let mut words: Vec<String> = Vec::with_capacity(tokens.len());
    let mut rules = Vec::new();
    let mut t = 0;
    while t < tokens.len() {
        let run = tokens[t..]
            .iter()
            .take_while(|x| x.class == TokenClass::Initial)
            .count();
        if run >= ACRONYM_LETTERS && t + run < tokens.len() {
            let letters: Vec<&str> = tokens[t..t + run].iter().map(|x| x.text.as_str()).collect();
            let word = letters.concat();
            push_rule(&mut rules, "acronym", &letters.join(" "), &word);
            words.push(word);
            t += run;
        } else {
            words.push(tokens[t].text.clone());
            t += 1;
        }
    }
    (!rules.is_empty()).then(|| (words.join(" "), rules))
}

/// Whether `a` is `b` with a typo: within the edit budget scoring allows a token of that
/// length (none for three letters or fewer, one up to seven, two beyond).
fn typo_of(a: &str, b: &str) -> Option<usize> {
    let budget = crate::index::keys::max_edits(a.len().max(b.len()));
    if budget == 0 || a.len().abs_diff(b.len()) > budget {
        return None;
    }
    crate::index::keys::osa_within_bytes(a.as_bytes(), b.as_bytes(), budget)
}

/// Legal forms of several words written with typos (`Joint Stok Company`, `Limited Liabilty
/// Company`), with a word left out (`Joint Company`), or in a spelling the table lacks (`Obshchestvo s Ogranichennoi
/// Otvetstvennostyu`, the table having `-oy`/`-iu` and `-oi`/`-iu`): found from one word of the
/// form written exactly, the others each within the typo budget of its length (words of three
/// letters or fewer exact), two edits at most in all. Without this the misspelt words stay
/// ordinary words at full weight, and the listed name's legal form finds no counterpart.
///
/// Returns, per start position, the longest such form: (start, (words, canonical, the form's
/// own spelling as one token)). The token takes the table's spelling so that analysing the
/// analysed text again gives the same token.
fn fuzzy_forms<'a>(
    lex: &Lexicon,
    n: usize,
    word: &impl Fn(usize) -> &'a str,
) -> Vec<(usize, (usize, &'static str, String))> {
    let mut out: Vec<(usize, (usize, &'static str, String))> = Vec::new();
    for j in 0..n {
        let w = word(j);
        // Looked up once for the three readings below (three hash lookups a word were 0.6% of
        // a batch's instructions).
        let forms = lex.form_words(w);
        // A form of four words or more with one edit in one of its words, however short
        // (`S.A. DE J.V.`, `S.A. DOE C.V.`, `S.NA. DE C.V.` for `S.A. de C.V.`): the three or
        // more other words, exact and in order, leave no doubt about the form.
        for (form, o) in forms.clone() {
            let len = form.tokens.len();
            if len < 4 || o > j || j - o + len > n || !form.place.allows(j - o, j - o + len, n) {
                continue;
            }
            let s = j - o;
            let mut differ = 0;
            let ok = form.tokens.iter().enumerate().all(|(i, t)| {
                let q = word(s + i);
                if q == *t {
                    return true;
                }
                differ += 1;
                !q.is_empty() && crate::index::keys::osa(q, t) == 1
            });
            if ok && differ == 1 {
                keep_longest(&mut out, s, len, form);
            }
        }
        if w.len() < 4 {
            continue;
        }
        for (form, o) in forms.clone() {
            let len = form.tokens.len();
            if o > j || j - o + len > n || !form.place.allows(j - o, j - o + len, n) {
                continue;
            }
            let s = j - o;
            let mut edits = 0;
            let ok = form.tokens.iter().enumerate().all(|(i, t)| {
                let q = word(s + i);
                if q == *t {
                    return true;
                }
                match typo_of(q, t) {
                    Some(d) => {
                        edits += d;
                        true
                    }
                    None => false,
                }
            });
            if !ok || edits == 0 || edits > 2 {
                continue;
            }
            keep_longest(&mut out, s, len, form);
        }
        // A word of a form of three or more words left out (`Joint Company` for `Joint Stock
        // Company`, `Obshchestvo s Ogranichennoi` without `Otvetstvennostyu`): the other words
        // exact and in order, the word left out a long one when two are left. Not a word
        // before the last when every word left is a generic word of organisation names
        // (`org_words.tsv`), which then says what it says: `FEDERAL STATE ENTERPRISE` is no
        // `FEDERAL STATE UNITARY ENTERPRISE` with a word missing but another kind of body,
        // while `NAUCHNO PROIZVODSTVENNOYE` is `NAUCHNO PROIZVODSTVENNOYE OBYEDINENIYE` cut
        // short.
        for (form, o) in forms.clone() {
            let len = form.tokens.len();
            if len < 3 {
                continue;
            }
            // Of a form of four words or more, a short word too: the three or more left, exact
            // and in order, leave no doubt (`Sociedad Acciones Simplificada`, `Obshchestvo
            // Ogranichennoy Otvetstvennostyu`: the short word is the one most often left out);
            // but not a letter of a form written in letters (`S. de C.V.` is no `S.A. de C.V.`).
            let letters = form.tokens.iter().filter(|t| t.len() == 1).count();
            let may_leave = |m: usize| {
                let t = form.tokens[m].len();
                t >= 4 || len >= 4 && (t >= 2 || letters == 1)
            };
            for m in (0..len).filter(|&m| m != o && may_leave(m)) {
                let mut left = form.tokens.iter().enumerate().filter(|&(i, _)| i != m);
                if m + 1 < len && left.all(|(_, t)| lex.org_canonical(t).is_some()) {
                    continue;
                }
                let at = if m < o { o - 1 } else { o };
                if at > j || j - at + len - 1 > n {
                    continue;
                }
                let s = j - at;
                if !form.place.allows(s, s + len - 1, n) {
                    continue;
                }
                let ok = form
                    .tokens
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != m)
                    .enumerate()
                    .all(|(q, (_, t))| word(s + q) == *t);
                if ok {
                    keep_longest(&mut out, s, len - 1, form);
                }
            }
        }
    }
    // A later form overlapping an earlier one loses (the main loop consumes left to right).
    out.sort_by_key(|f| f.0);
    let mut end = 0;
    out.retain(|f| {
        let keep = f.0 >= end;
        if keep {
            end = f.0 + f.1 .0;
        }
        keep
    });
    out
}

/// Records a form found at `start` over `words` words, unless one over as many words or more
/// starts there already.
fn keep_longest(
    out: &mut Vec<(usize, (usize, &'static str, String))>,
    start: usize,
    words: usize,
    form: &lexicon::Form,
) {
    match out.iter().position(|f| f.0 == start) {
        Some(i) if out[i].1 .0 >= words => return,
        Some(i) => {
            out.remove(i);
        }
        None => {}
    }
    out.push((start, (words, form.canonical, form.tokens.concat())));
}

/// A one-word legal form of `LONG_FORM` (seven) letters or more written with one typo
/// (`compnay`, `limtied`): its spelling and canonical. Only the last word of a name is tried,
/// where legal forms stand, so that a name word one letter from `limited` stays a name word.
fn fuzzy_word(lex: &Lexicon, w: &str) -> Option<(&'static str, &'static str)> {
    if w.len() < 6 {
        return None;
    }
    lex.long_words()
        .iter()
        .filter(|(spelling, _, place)| *place != Place::Leading && *spelling != w)
        // One edit exactly: `osa_within` rejects most spellings by their letter counts before
        // computing a distance. The whole distance to each of the long forms was 2% of a
        // batch's instructions (callgrind, throughput deck of `bench/throughput.sh`).
        .find(|(spelling, _, _)| {
            let (a, b) = (w.as_bytes(), spelling.as_bytes());
            // One edit of a word of three letters or more leaves its first or its last letter
            // as it was (an edit at one end does not reach the other): a byte compare, before
            // the distance.
            a.len().abs_diff(b.len()) <= 1
                && (a.first() == b.first() || a.last() == b.last())
                && crate::index::keys::osa_within_bytes(a, b, 1) == Some(1)
        })
        .map(|&(spelling, canonical, _)| (spelling, canonical))
}

/// Common one-word legal forms too short for [`fuzzy_word`]'s one-typo rule.
const SHORT_FORMS: [&str; 6] = ["ltd", "llc", "inc", "plc", "corp", "gmbh"];

/// One of [`SHORT_FORMS`] written with a letter dropped or two neighbours swapped (`TD`, `LT`
/// and `LDT` for `LTD`, `LC` for `LLC`, `IC` for `INC`): its spelling and canonical. Only the
/// last word of a name is tried, as for [`fuzzy_word`], and only these two kinds of typo: a
/// letter changed would make a legal form of `LTO` or `INO`.
fn short_form_typo(lex: &Lexicon, w: &str) -> Option<(&'static str, &'static str)> {
    if !(2..=4).contains(&w.len()) {
        return None;
    }
    // One edit that is no substitution: a letter more in the form (dropped from `w`), or the
    // same letters (two of them swapped).
    let same_letters = |f: &str| {
        let (mut a, mut b) = (w.as_bytes().to_vec(), f.as_bytes().to_vec());
        a.sort_unstable();
        b.sort_unstable();
        a == b
    };
    SHORT_FORMS
        .iter()
        .find(|f| crate::index::keys::osa(w, f) == 1 && (f.len() == w.len() + 1 || same_letters(f)))
        .and_then(|&f| lex.get(f).legal.map(|(canonical, _)| (f, canonical)))
}

/// East Slavic patronymic endings, longest first, with the marker of the patronymic's gender:
/// Russian (`-ovich`, `-evich`, `-yevich`; `-ovna`, `-evna`), Ukrainian (`-ovych`, `-iyovych`;
/// `-ivna`, `-iyivna`), Belarusian (`-avich`; `-auna`) and German spellings of the Russian
/// ones (`-ewitsch`, `-jewitsch`; `-owna`) and French ones (`-ovitch`, `-ijevitch`: BOUT,
/// Viktor Anatolijevitch), as romanised by the usual systems.
const PATRONYMIC_ENDINGS: [(&str, &str); 32] = [
    ("ijevitch", "vich"),
    ("jewitsch", "vich"),
    ("jevitch", "vich"),
    ("ievitch", "vich"),
    ("ewitsch", "vich"),
    ("owitsch", "vich"),
    ("evitch", "vich"),
    ("ovitch", "vich"),
    ("jewna", "vna"),
    ("owna", "vna"),
    ("iyovych", "vich"),
    ("iiovych", "vich"),
    ("iyovich", "vich"),
    ("yovych", "vich"),
    ("iovych", "vich"),
    ("yovich", "vich"),
    ("ievich", "vich"),
    ("yevich", "vich"),
    ("iyivna", "vna"),
    ("ovych", "vich"),
    ("evych", "vich"),
    ("ovich", "vich"),
    ("evich", "vich"),
    ("avich", "vich"),
    ("iivna", "vna"),
    ("yivna", "vna"),
    ("ievna", "vna"),
    ("yevna", "vna"),
    ("ivna", "vna"),
    ("ovna", "vna"),
    ("evna", "vna"),
    ("auna", "vna"),
];

/// How a given name's stem ends before a patronymic ending: `sergey` → `serge|evich`,
/// `nikolai` → `nikola|evich`, `mykola` → `mykola|iovych`, `dmytro` → `dmytr|ovych`,
/// `grigoriy` → `grigor|ievich`.
/// Longer names first: the stem `nikola` of Nikolaevich is Nikolai, not the Serbian Nikola.
const STEM_ENDINGS: [&str; 9] = ["iy", "ii", "ei", "ey", "y", "i", "o", "", "a"];

/// The canonical of a patronymic built on a known given name: the name's variant canonical
/// and the gender (`sergeivich` for Sergeyevich, Sergeevich, Serhiyovych and Siarheevich), so
/// that the Russian, Ukrainian and Belarusian forms of one patronymic are variants as their
/// names are. `None` when the word has no patronymic ending or its stem is no known name.
fn patronymic_canonical(lex: &Lexicon, w: &str) -> Option<String> {
    // Every ending ends in `ch` or `na` (checked by a test): most words are out without
    // trying the 32 endings (callgrind, throughput deck of `bench/throughput.sh`: 740
    // instructions a call, 1.6% of a batch, before this test).
    if w.len() < 7 || !(w.ends_with("ch") || w.ends_with("na")) {
        return None;
    }
    let mut name = String::with_capacity(w.len());
    for (ending, gender) in PATRONYMIC_ENDINGS {
        let Some(stem) = w.strip_suffix(ending) else {
            continue;
        };
        if stem.len() < 3 {
            continue;
        }
        for end in STEM_ENDINGS {
            name.clear();
            name.push_str(stem);
            name.push_str(end);
            if let Some(c) = lex.get(&name).variant {
                return Some(format!("{c}{gender}"));
            }
        }
    }
    None
}

/// Whether `token`, a token of `name`, is a word of a name written in an abjad (Arabic,
/// Persian, Hebrew letters) romanised letter by letter, with no usual spelling from the
/// dictionary of known words: a word whose short vowels the script did not write (`bshar` for
/// بشار), which scoring compares by its consonants.
pub(crate) fn unvocalised(name: &AnalyzedName, token: &Token) -> bool {
    matches!(name.script, Script::Arabic | Script::Hebrew)
        && token.class == TokenClass::Word
        && !name.rules.iter().any(|r| {
            r.strip_prefix("dictionary:")
                .and_then(|r| r.strip_prefix(token.text.as_str()))
                .is_some_and(|r| r.starts_with('→'))
        })
}

/// Whether `token` of `name` may be a declined word ([`inflection`]): a plain word of a name
/// written in Cyrillic that no variant table knows (a table's word is a name of its own:
/// `Mariya`, `Ivana`).
pub(crate) fn declinable(name: &AnalyzedName, token: &Token) -> bool {
    name.script == Script::Cyrillic && token.class == TokenClass::Word && token.canonical.is_none()
}

/// The spelling keys ([`spelling_key`]) of the stems a declined word may have
/// ([`inflection::inflection_stems`]): a listed word with one of them is the word undeclined.
pub(crate) fn stem_keys(word: &str) -> Vec<String> {
    let mut keys: Vec<String> = inflection::inflection_stems(word)
        .map(spelling_key)
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Fewest letters of a word a name may end cut short in ([`cut_short`]): two letters begin
/// too many words.
pub const CUT_SHORT_MIN_LEN: usize = 3;

/// Whether `token` may be a word cut short: the last of `name`'s tokens, where the name, typed
/// in Latin letters, ends inside a word (its last character a letter). Name fields of fixed
/// width and the 35-character lines of payment messages cut names off mid-word
/// (`ISLAMIC REPUBLIC OF IRAN SHIPPING LIN`). Only a plain word of [`CUT_SHORT_MIN_LEN`]
/// letters or more. Pure function of the name's text and analysis, so the index, `compare`
/// and the monitoring book agree on it.
pub(crate) fn cut_short(name: &AnalyzedName, token: &Token) -> bool {
    name.script == Script::Latin
        && name.tokens.len() >= 2
        && name.tokens.last().is_some_and(|t| std::ptr::eq(t, token))
        && token.class == TokenClass::Word
        && token.text.len() >= CUT_SHORT_MIN_LEN
        && token.text.bytes().all(|b| b.is_ascii_lowercase())
        && name
            .original
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic)
}

/// The multi-token legal form the name's last words `k..n` are the start of, cut off inside
/// the last of them: the words before it written whole, the last the start (of
/// [`CUT_SHORT_MIN_LEN`] letters or more) of the form's word, any further words of the form
/// cut off with it (`COMPANY LIMI`, `LIMITED LIABILITY COM`, `SOCIEDAD POR ACCI`: a name field
/// of fixed width or a payment message's 35-character line ends there). Told from the words
/// alone, whatever ends the name, so that analysis stays idempotent: the form's whole words
/// joined are the token.
fn cut_form<'l, 'w>(
    lex: &'l Lexicon,
    first: &str,
    k: usize,
    n: usize,
    word: &impl Fn(usize) -> &'w str,
) -> Option<&'l lexicon::Form> {
    let have = n - k;
    let last = word(n - 1);
    if have < 2 || last.len() < CUT_SHORT_MIN_LEN {
        return None;
    }
    lex.forms(first).iter().find(|form| {
        have <= form.tokens.len()
            && (0..have - 1).all(|j| word(k + j) == form.tokens[j])
            && form.tokens[have - 1].len() > last.len()
            && form.tokens[have - 1].starts_with(last)
            && form.place.allows(k, n, n)
    })
}

/// Records `kind:from→to` once.
/// Whether the words before the name's first comma are at most the `leading` titles: then they
/// are the surname of a `SURNAME, Given` name, not titles (`SHEIKH, Umair Naeem`, `HAJJI,
/// Muhammad Fawzi`, `SAYYED, Jamil`: OFAC lists fourteen such names), while in `Dr. SMITH,
/// John` the title stays one.
fn surname_before_comma(name: &str, leading: usize) -> bool {
    name.split_once(',').is_some_and(|(before, _)| {
        let words = normalize::normalize(before)
            .text
            .split(' ')
            .filter(|w| !w.is_empty())
            .count();
        words > 0 && words <= leading
    })
}

/// The word that opens a note of birth after a name: `born` after two words of name at least,
/// followed by a day or year (`born 1 jan 1953`), or by `in` or `on` and one within three
/// words (`born in 1963`, `born on 22 aug 1973`, `born in kandahar on 01 jan 1967`). A `Born`
/// of a name (Max Born, `Gustav Adolf Born Trading 1990`) has neither after it.
fn birth_note(text: &str, spans: &[(usize, usize)]) -> Option<usize> {
    let word = |k: usize| spans.get(k).map_or("", |s| &text[s.0..s.1]);
    let number = |k: usize| {
        let w = word(k);
        !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())
    };
    (2..spans.len()).find(|&k| {
        word(k) == "born"
            && (number(k + 1) || matches!(word(k + 1), "in" | "on") && (k + 2..k + 5).any(number))
    })
}

fn push_rule(rules: &mut Vec<String>, kind: &str, from: &str, to: &str) {
    // Joined by hand: through `format!` a rule cost about 1,400 instructions (callgrind).
    let mut rule = String::with_capacity(kind.len() + from.len() + to.len() + 4);
    rule.push_str(kind);
    rule.push(':');
    rule.push_str(from);
    rule.push('→');
    rule.push_str(to);
    if !rules.contains(&rule) {
        rules.push(rule);
    }
}

#[cfg(test)]
mod tests {
    use super::PATRONYMIC_ENDINGS;

    /// `patronymic_canonical` rejects a word that ends in neither `ch` nor `na` before trying
    /// the endings: that is only right while every ending ends so.
    #[test]
    fn every_patronymic_ending_ends_in_ch_or_na() {
        for (ending, _) in PATRONYMIC_ENDINGS {
            assert!(ending.ends_with("ch") || ending.ends_with("na"), "{ending}");
        }
    }

    /// The line number of a payment message's name line goes, and only it: `1/` must open the
    /// name and be followed by the name.
    #[test]
    fn the_name_line_of_a_payment_message_is_the_name() {
        let a = super::analyze(" 1/NICOLAS MADURO MOROS");
        let texts: Vec<&str> = a.tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["nicolas", "maduro", "moros"]);
        assert!(a.rules.iter().any(|r| r == "field:1/"));
        for name in ["1/", "1//X", "11/ABC", "SEA STAR 1/2", "1 / ABC"] {
            assert_eq!(super::name_line(name), None, "{name}");
        }
    }

    /// A party field of several lines is read for its name: the `1/` lines of a structured
    /// field, else the first line that is no account.
    #[test]
    fn a_party_field_of_several_lines_is_read_for_its_name() {
        for field in [
            "NICOLAS MADURO MOROS\nCARACAS VENEZUELA",
            "/VE1234567890\r\nNICOLAS MADURO MOROS\r\nPALACIO DE MIRAFLORES\r\nCARACAS",
            "/VE1234567890\n1/NICOLAS MADURO\n1/MOROS\n2/PALACIO DE MIRAFLORES\n3/VE/CARACAS",
            "NIDN/VE/12345678\n1/NICOLAS MADURO MOROS\n3/VE/CARACAS",
        ] {
            let a = super::analyze(field);
            let texts: Vec<&str> = a.tokens.iter().map(|t| t.text.as_str()).collect();
            assert_eq!(texts, ["nicolas", "maduro", "moros"], "{field}");
            assert!(a.rules.iter().any(|r| r == "field:name line"), "{field}");
        }
        assert_eq!(super::field_name("NICOLAS MADURO MOROS"), None);
        assert_eq!(super::field_name("/123\n/456"), None);
    }

    /// A date of birth run into the name goes, in any of its usual forms; numbers that are no
    /// date (a vessel's, a fraction, an impossible day) and a name that is only a date stay.
    #[test]
    fn dates_are_no_part_of_a_name() {
        for name in [
            "MADURO MOROS NICOLAS 23/11/1962",
            "MADURO MOROS NICOLAS 23.11.1962",
            "1962-11-23 MADURO MOROS NICOLAS",
            "MADURO MOROS 11/23/1962 NICOLAS",
        ] {
            let a = super::analyze(name);
            let texts: Vec<&str> = a.tokens.iter().map(|t| t.text.as_str()).collect();
            assert_eq!(texts, ["maduro", "moros", "nicolas"], "{name}");
            assert!(a.rules.iter().any(|r| r.starts_with("date:")), "{name}");
        }
        for name in [
            "FU YUAN YU 7884",
            "24/7 LOGISTICS",
            "ACME 12/34/5678",
            "ACME 1.2.3",
            "BOEING 747-400",
            "A12/11/1962",
            "23/11/1962",
        ] {
            assert!(super::without_dates(name).is_none(), "{name}");
        }
    }

    /// A vessel's name after `M/V`, `M/T` or `M/S` is the name; `M.T.` (a person's initials as
    /// well) and a prefix alone stay.
    #[test]
    fn vessel_prefixes_are_no_part_of_the_name() {
        let a = super::analyze("M/V ADRIAN DARYA 1");
        let texts: Vec<&str> = a.tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["adrian", "darya", "1"]);
        assert!(a.rules.iter().any(|r| r == "vessel:m/v"));
        assert_eq!(
            super::vessel_prefix("m/t. Grace 1").map(|p| p.0),
            Some("m/t")
        );
        for name in ["M/V", "M.T. AHMED", "M/VADRIAN", "SEA M/V"] {
            assert_eq!(super::vessel_prefix(name), None, "{name}");
        }
    }

    /// Three initials or more that something follows are read as the acronym they spell, dotted
    /// or spaced; two (a person's an organisation is named after) and a run that ends the name
    /// are not, and a name without such a run has no such reading.
    #[test]
    fn acronym_readings() {
        let r = |s: &str| super::acronym_reading(s);
        assert_eq!(
            r("A.I.C. COMPREHENSIVE RESEARCH INSTITUTE").as_deref(),
            Some("aic comprehensive research institute")
        );
        assert_eq!(
            r("I P C INTERNATIONAL LIMITED").as_deref(),
            Some("ipc international limited")
        );
        assert_eq!(
            r("ARCHI CENTRE I.C.E. LIMITED").as_deref(),
            Some("archi centre ice limited")
        );
        assert_eq!(r("J.R.R. Tolkien").as_deref(), Some("jrr tolkien"));
        assert_eq!(r("V.V. BAKHIREV INSTITUTE"), None);
        assert_eq!(r("MONTOYA LUNA E HIJOS Y CIA. S.C.S."), None);
        assert_eq!(r("GULF OIL FZE"), None);
        // The reading analyses as the acronym's word.
        let a = super::analyze("aic comprehensive research institute");
        assert_eq!(a.tokens[0].text, "aic");
        assert_eq!(a.tokens[0].class, super::TokenClass::Word);
    }
}
