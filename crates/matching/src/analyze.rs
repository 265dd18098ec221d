//! Name analysis: text → normalised Latin tokens (placeholder implementation; being written).

use interdict_model::Script;
use serde::{Deserialize, Serialize};

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

/// Analyses a name (placeholder: ASCII folding and splitting only).
pub fn analyze(name: &str) -> AnalyzedName {
    let script = Script::detect(name);
    let folded = any_ascii::any_ascii(name).to_lowercase();
    let tokens = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| Token {
            text: t.to_string(),
            class: if t.len() == 1 {
                TokenClass::Initial
            } else {
                TokenClass::Word
            },
            canonical: None,
        })
        .collect();
    AnalyzedName {
        original: name.to_string(),
        script,
        rules: Vec::new(),
        tokens,
    }
}
