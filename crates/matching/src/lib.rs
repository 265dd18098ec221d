//! Name matching: normalisation, transliteration, a candidate index, scoring and explanations.
//!
//! The flow is `analyze` (text → [`AnalyzedName`]: normalised Latin tokens with their class,
//! variant and phonetic keys, and the rules applied) → [`MatchIndex`] (postings from keys to
//! the names of listed entities; a query touches only its candidates) → scoring (token
//! alignment, rarity weights, secondary attributes) → [`Explanation`].
//!
//! Architecture invariant: the index is a self-contained, `Send + Sync` value that can be saved
//! to and loaded from one file; it holds everything scoring and explaining need (names, dates of
//! birth, countries, identifiers of every entity), so a server, a Python worker or a Spark
//! executor loads it without the registry.
#![deny(missing_docs)]

pub mod analyze;
pub mod country;
mod index;

pub use analyze::{
    analyze, date_in_name, is_descriptor, is_title, korean_reading, preload, AnalyzedName, Token,
    TokenClass, CUT_SHORT_MIN_LEN,
};
/// For the fuzz targets only: the index file's body decoded and validated without the
/// header's checks (magic, version, length, checksum), which random bytes never pass.
#[cfg(feature = "fuzzing")]
pub use index::decode_body;
pub use index::{
    analysis_fingerprint, compare, is_own_acronym, korean_query_reading, name_readings, name_terms,
    normalize_identifier, query_reading, Agreement, Attribute, AttributeEffect, AttributeWeights,
    Discount, Explanation, IndexStats, Match, MatchIndex, MatchedNameKind, MatchingError, Method,
    NameAlgorithm, Query, QueryReading, SearchOptions, Term, TokenPair, UnmatchedToken,
    WeightedToken, ATTRIBUTES_V1, DEFAULT_THRESHOLD, NAME_ALGORITHM, NAME_V14,
};
