//! Explanations: why a name scored what it did, in a form a reviewer can check by hand.
//!
//! Every number in the score comes from something listed here: each aligned token pair with its
//! similarity, method and weight; each token left unmatched with the penalty it cost; the factor
//! for the kind of name that matched; each secondary attribute with the amount it moved the
//! score. Recomputing `name_score` from `pairs`, `unmatched_query` and `unmatched_name` with the
//! formula of [`NAME_ALGORITHM`](crate::NAME_ALGORITHM) gives the stated value (for an
//! organisation's name, `uncalibrated_name_score`, which the calibration takes to `name_score`).

use crate::TokenClass;
use serde::{Deserialize, Serialize};

/// How two tokens were found to correspond.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Same normalised text.
    Exact,
    /// Members of the same variant family (same canonical form: Mohammed/Muhammad, LLC/OOO).
    Variant,
    /// Same spelling once romanisation conventions are folded (Waheed/Wahid, Ionow/Ionov:
    /// see `analyze::spelling_key`).
    Spelling,
    /// Same phonetic key.
    Phonetic,
    /// Same consonant skeleton (vowel-less transliterations, vowel changes).
    Skeleton,
    /// An initial and a word starting with that letter.
    Initial,
    /// Two adjacent tokens of one side written as one token on the other (AL QAIDA / ALQAIDA).
    Concatenation,
    /// Within the tolerated edit distance; similarity blends Jaro-Winkler and Levenshtein.
    Fuzzy,
    /// Within the tolerated edit distance of a query word that is neither a word of the lists
    /// nor a known name spelling: of seven letters or more, or of four to six that is nobody's
    /// name (`analyze::is_name_word`; then also when less similar than real words must be,
    /// `Xuka`/`LUKA`), or of two or three letters one letter changed, swapped, added or
    /// dropped from a listed word (`Tma`/`TAM`, `CVA`/`CIA`). Most likely a typo of the listed
    /// word, so the similarity counts as it is (see `NameAlgorithm::similarity_exponent`;
    /// except in an organisation's name, where a word of three letters is mostly an acronym).
    Typo,
    /// A query word written in a script without short vowels (Arabic, Persian, Hebrew) and a
    /// listed word with the same consonants and the vowels the script left out (`bshar` for
    /// بشار / `bashar`).
    Consonants,
    /// The query's last word cut short, the start of a longer listed word (`SHIPPING LIN` for
    /// LINES): a name field of fixed width, or a line of a payment message, ends inside the
    /// word. Only a word of three letters or more that is nobody's name or word.
    Truncated,
    /// A word of a name written in Cyrillic, declined (`Вагнера`, "of Wagner"; `Нудельмана`),
    /// and the listed word its stem spells (WAGNER, NUDELMAN): the same word without its case
    /// ending (see `analyze::inflection`). Only a word that is nobody's name or word.
    Inflection,
}

/// The standing of the name that matched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedNameKind {
    /// The primary name.
    #[default]
    Primary,
    /// A strong alias.
    Alias,
    /// A weak alias (OFAC weak a.k.a., UN low-quality alias): worth less.
    WeakAlias,
    /// A former name.
    FormerName,
    /// A now-known-as name.
    NowKnownAs,
    /// The other side of a [`compare`](crate::compare) call (no list name involved).
    Compared,
}

/// One aligned pair of tokens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenPair {
    /// The query token(s) (two joined by a space for a concatenation).
    pub query: String,
    /// The listed name's token(s).
    pub name: String,
    /// Similarity in [0, 1].
    pub similarity: f64,
    /// What the pair counts in the score: its similarity, or for approximate pairs (fuzzy,
    /// phonetic, skeleton, inexact concatenation) the similarity raised to
    /// `NameAlgorithm::similarity_exponent`.
    pub credit: f64,
    /// How the correspondence was found.
    pub method: Method,
    /// The pair's weight in the score (rarity × class).
    pub weight: f64,
    /// For an initial, the penalty charged for the rest of the word it stands for (added to
    /// the denominator like an unmatched token's penalty); 0 otherwise.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub residual_penalty: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// A token with no counterpart on the other side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnmatchedToken {
    /// The token.
    pub token: String,
    /// Its class.
    pub class: TokenClass,
    /// Its weight (rarity × class).
    pub weight: f64,
    /// What it added to the denominator of the score (weight × the side's penalty factor).
    pub penalty: f64,
    /// Why it cost less than the side's usual penalty, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<Discount>,
}

/// Why an unmatched token cost less than its side's usual penalty (see the module docs of
/// `index::score` for each rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Discount {
    /// An East Slavic patronymic (`-ovich`, `-evna`), which one list writes and another leaves
    /// out: `patronymic` of the penalty.
    Patronymic,
    /// A word of a person's name between two matched query words when every word of the
    /// listed name is matched: `middle_name` of the penalty.
    MiddleName,
    /// The same word matched elsewhere on its side: nothing.
    Repeated,
    /// A word naming the kind of body an organisation is, against another such word of the
    /// other name: `descriptor` of the penalty.
    Descriptor,
    /// A listed organisation's own acronym (`SIG` in `SPECIAL INDUSTRIES GROUP (SIG)`), which
    /// repeats its other words: `own_acronym` of the penalty.
    Acronym,
    /// A further part of a person's compound name whose first part an initial of the other
    /// name stands for (`francis` of `Jean-Francis` against `J.`): `initial_residual` of the
    /// penalty, as the rest of a word an initial stands for.
    Compound,
}

/// A secondary attribute compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    /// Person, organisation, vessel, aircraft.
    EntityType,
    /// Date of birth or incorporation.
    DateOfBirth,
    /// Country of nationality, citizenship or address.
    Country,
    /// A document or registration number.
    Identifier,
}

/// What comparing an attribute found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Agreement {
    /// Same value (same full date, same country, same identifier).
    Exact,
    /// Compatible at the precision both state (same year and month, same year).
    Partial,
    /// Close but not equal (a year apart, inside a circa window).
    Near,
    /// Different values.
    Conflict,
}

/// One secondary attribute and its effect.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttributeEffect {
    /// Which attribute.
    pub attribute: Attribute,
    /// The query's value.
    pub query: String,
    /// The listed value it was compared with (the closest one).
    pub listed: String,
    /// What the comparison found.
    pub agreement: Agreement,
    /// How much it moved the score (added; negative lowers).
    pub effect: f64,
}

/// Why a name matched: serialisable, for `--explain` and JSON output.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The versioned name-scoring algorithm (`name-v16`).
    pub algorithm: String,
    /// The final score.
    pub score: f64,
    /// The name score before the name-kind factor and the secondary attributes.
    pub name_score: f64,
    /// For the name of an organisation, its name score before calibration: `name_score` is
    /// `1 − (1 − this)^γ`, γ the algorithm's `organization_calibration`, so that a score means
    /// the same rate of chance alerts for organisations as for persons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncalibrated_name_score: Option<f64>,
    /// The listed name that matched (as the list writes it).
    pub matched_name: String,
    /// Its standing.
    pub name_kind: MatchedNameKind,
    /// True when it is an original-script form (UN `NAME_ORIGINAL_SCRIPT`).
    pub original_script: bool,
    /// The factor applied for the name's standing (weak aliases count less).
    pub name_kind_factor: f64,
    /// Transliteration and variant rules applied to the query.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query_rules: Vec<String>,
    /// Transliteration and variant rules applied to the listed name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name_rules: Vec<String>,
    /// Aligned token pairs, best first.
    pub pairs: Vec<TokenPair>,
    /// Query tokens with no counterpart in the listed name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmatched_query: Vec<UnmatchedToken>,
    /// Listed-name tokens the query lacks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmatched_name: Vec<UnmatchedToken>,
    /// The factor for too little matched evidence (1 when the matched tokens are rare enough to
    /// identify a party; see `NameAlgorithm::min_evidence`).
    pub evidence_factor: f64,
    /// Tokens ignored (honorifics and titles).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
    /// Secondary attributes compared, with their effect.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<AttributeEffect>,
}
