//! Name analysis: text → normalised Latin tokens with their class and canonical variant.
//!
//! [`analyze`] runs, in order:
//! 1. [`normalize`]: one pass over the characters — ASCII folding of Latin letters (NFKD,
//!    diacritics dropped), case folding, apostrophes deleted inside words (`QA'IDA` → `qaida`),
//!    every other punctuation a word break (`AL-QA'IDA` → `al qaida`, `MADURO MOROS, Nicolás`
//!    → `maduro moros nicolas`), and romanisation of other scripts ([`script_translit`]:
//!    Cyrillic, Arabic, Greek, Hebrew by BGN/PCGN-based tables, others by `any_ascii`).
//! 2. Tokenisation and classification from the word tables ([`lexicon`]): multi-word and dotted
//!    legal forms collapse into one [`TokenClass::LegalForm`] token with a canonical (`Limited
//!    Liability Company`, `L.L.C.`, `OOO`, `ООО` → `llc`); titles opening a name are
//!    honorifics; particles (`al`, `bin`, `de`, `van`…) are marked; single letters are
//!    initials and digit runs numbers; `abd al`/`abd el`/`abd ul` join into one word.
//! 3. Variants: a word of a known variant group gets the group's canonical spelling
//!    (`mohamed`, `mohammed` → `muhammad`); a Cyrillic or Arabic word found in the dictionary of
//!    known words gets the canonical of its usual Latin spelling (`محمد` → `muhammad`).
//!
//! Token order is kept, but scoring is order-insensitive, so `SURNAME, Given` needs nothing
//! special. Every decision depends only on the token texts and their order, which makes the
//! analysis idempotent: analysing the space-joined token texts gives the same tokens.
//!
//! Speed: the tables are parsed once (on first use, or by [`preload`]); a name costs one pass
//! over its characters, one hash lookup per token and a handful of small allocations (the
//! output strings). ASCII names skip Unicode decomposition entirely.

use interdict_model::Script;
use serde::{Deserialize, Serialize};

pub mod keys;
mod lexicon;
mod normalize;
mod script_translit;
mod tables;

pub use keys::{phonetic_key, skeleton};
use lexicon::{lexicon, Place};

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
}

/// Parses every table now rather than on the first call of [`analyze`], so that the first
/// analysis is not slower than the others (timing, latency-sensitive servers).
pub fn preload() {
    lexicon();
    script_translit::preload();
}

/// The article forms that join a preceding `abd` into one word (`abd al` → `abdal`).
const ABD_ARTICLES: [&str; 3] = ["al", "el", "ul"];

/// Analyses a name: normalisation, romanisation, tokens with class and canonical, and the rules
/// applied (for explanations).
///
/// Never panics; any string (empty, punctuation only, any script) gives a valid result, with no
/// tokens when there is nothing to read.
pub fn analyze(name: &str) -> AnalyzedName {
    let script = Script::detect(name);
    let norm = normalize::normalize(name);
    let lex = lexicon();
    let mut rules: Vec<String> = Vec::new();
    for (bit, rule) in normalize::rule::NAMES {
        if norm.rules & bit != 0 {
            rules.push(rule.to_string());
        }
    }

    // Word boundaries as byte ranges of the normalised text.
    let text = norm.text.as_str();
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
    let n = spans.len();
    let word = |k: usize| &text[spans[k].0..spans[k].1];

    // Leading titles: the run of honorifics at the start, when a non-title follows.
    let mut leading = 0;
    while leading < n && lex.get(word(leading)).honorific.is_some() {
        leading += 1;
    }
    if leading == n {
        leading = 0;
    }

    let mut tokens: Vec<Token> = Vec::with_capacity(n);
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
                push_rule(&mut rules, "legal_form", &joined, canonical);
                tokens.push(Token {
                    text: joined,
                    class: TokenClass::LegalForm,
                    canonical: Some(canonical.to_string()),
                });
                k += len;
                continue;
            }
        }
        if let Some((canonical, place)) = entry.legal {
            if place.allows(k, k + 1, n) {
                if w != canonical {
                    push_rule(&mut rules, "legal_form", w, canonical);
                }
                tokens.push(Token {
                    text: w.to_string(),
                    class: TokenClass::LegalForm,
                    canonical: Some(canonical.to_string()),
                });
                k += 1;
                continue;
            }
        }
        // `abd al rahman` → `abdal rahman`: one word, as `abdul rahman` and `abdelrahman`.
        if w == "abd" && k + 2 < n && ABD_ARTICLES.contains(&word(k + 1)) {
            let joined = format!("abd{}", word(k + 1));
            let canonical = lex.get(&joined).variant;
            if let Some(c) = canonical {
                push_rule(&mut rules, "variant", &joined, c);
            }
            tokens.push(Token {
                text: joined,
                class: TokenClass::Word,
                canonical: canonical.map(str::to_string),
            });
            k += 2;
            continue;
        }
        let bytes = w.as_bytes();
        let class = if bytes.iter().all(u8::is_ascii_digit) {
            TokenClass::Number
        } else if bytes.len() == 1 {
            TokenClass::Initial
        } else if k < leading || entry.honorific == Some(Place::Any) && !(k == 0 && n == 1) {
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
            if let Some(h) = hit {
                let c = lex.get(h.latin).variant.unwrap_or(h.latin);
                push_rule(&mut rules, "dictionary", w, c);
                canonical = Some(c);
            } else if let Some(c) = entry.variant {
                if c != w {
                    push_rule(&mut rules, "variant", w, c);
                }
                canonical = Some(c);
            }
        }
        tokens.push(Token {
            text: w.to_string(),
            class,
            canonical: canonical.map(str::to_string),
        });
        k += 1;
    }

    AnalyzedName {
        original: name.to_string(),
        script,
        rules,
        tokens,
    }
}

/// Records `kind:from→to` once.
fn push_rule(rules: &mut Vec<String>, kind: &str, from: &str, to: &str) {
    let rule = format!("{kind}:{from}→{to}");
    if !rules.contains(&rule) {
        rules.push(rule);
    }
}
