//! Candidate index, scoring and explanations.
//!
//! Layout of the index (all flat vectors, so it serialises as is and loads without rebuilding):
//!
//! - `entities`: what scoring and explaining need of each entity (list, id, kind, primary name,
//!   dates of birth, normalised countries and identifiers, its range of `names`);
//! - `names`: every name of every entity with its kind, its run of `name_tokens` and its total
//!   token weight;
//! - `terms`: the vocabulary (distinct token texts) with their keys (variant family, phonetic
//!   key, skeleton), rarity weight and run of `postings` (the names containing the term);
//! - `keys`: one hash table from salted keys (exact text, family, phonetic, skeleton, deletion
//!   variants) to terms, see [`keys`];
//! - `identifiers`: normalised identifier values → entities.
//!
//! A query resolves each token to candidate *terms* through `keys` (a few dozen hash lookups),
//! then reads only those terms' postings — see `search` for retrieval and `score` for the
//! `name-v16` formula.

mod attrs;
mod build;
mod distance;
mod explain;
pub(crate) mod keys;
mod persist;
mod readings;
pub use persist::analysis_fingerprint;
#[cfg(feature = "fuzzing")]
pub use persist::decode_body;
mod reuse;
mod reverse;
mod score;
mod search;
mod table;

pub use attrs::{AttributeWeights, ATTRIBUTES_V1};
pub use explain::{
    Agreement, Attribute, AttributeEffect, Discount, Explanation, MatchedNameKind, Method,
    TokenPair, UnmatchedToken,
};
pub use readings::name_readings;
pub use reverse::{
    name_terms, normalize_identifier, query_reading, QueryReading, Term, WeightedToken,
};
pub use score::{compare, NameAlgorithm, NAME_ALGORITHM, NAME_V14};
pub use search::{is_own_acronym, korean_query_reading};

use crate::TokenClass;
use interdict_model::{Entity, EntityKind, NameKind, PartialDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::{Read, Write};

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MatchingError {
    /// Reading or writing an index file failed.
    #[error("index file: {0}")]
    Io(#[from] std::io::Error),
    /// An index file is not an interdict index, is damaged, or is of another version.
    #[error("index file: {0}")]
    Format(String),
}

/// What to screen.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Query {
    /// The name.
    pub name: String,
    /// Entity type, when known: a different type lowers the score.
    pub kind: Option<EntityKind>,
    /// Date of birth (or incorporation), when known: agreement raises, conflict lowers.
    pub dob: Option<PartialDate>,
    /// Country (nationality, citizenship, address), name or ISO code, when known.
    pub country: Option<String>,
    /// Identifier values (passport, IMO, BIC...), when known: an exact match is evidence on its
    /// own.
    pub identifiers: Vec<String>,
}

impl Query {
    /// A query with only a name.
    pub fn name(name: impl Into<String>) -> Query {
        Query {
            name: name.into(),
            ..Query::default()
        }
    }
}

/// The default alert threshold, calibrated so that about 1% of real non-sanctioned names alert
/// against the bundled lists while the name variants screening must catch (typos, dropped and
/// reordered tokens, initials, transliterations) still score above it.
///
/// Measured with `name-v16` on the eval decks (`eval/decks/`, names and entity types only): at
/// 0.81, 1.1% of 6,300 common person names (69) and 1.0% of 7,844 SEC registrants (81) alert
/// — the same rate for both since organisations' scores are calibrated to the persons' scale
/// (the threshold at which at most 1% of either alerts is 0.818; Arabic-script person names
/// score as their Latin spellings do, `حسين عطيه` as `Hussein Atiyeh`, and common Arabic names
/// such as `أحمد` are known by their usual spelling); recall is 100% on legal-form changes,
/// 99.9% on reordered names, 99.8% on transliteration-rule variants (conventions the spelling
/// key folds), 99.6% on aliases, 98.7% on initials, 97.7% on dropped tokens, 98.2% on names cut
/// short inside their last word, 96.3% on original-script names, 95.6% on typos, 91.8% on
/// Wikidata transliterations (given names in other languages among them), and 90.8% on other
/// authorities' spellings.
pub const DEFAULT_THRESHOLD: f64 = 0.81;

/// Search options.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchOptions {
    /// Maximum matches returned.
    pub limit: usize,
    /// Minimum score; 0 returns the top `limit` candidates whatever their score.
    pub threshold: f64,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            threshold: DEFAULT_THRESHOLD,
        }
    }
}

/// One match.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Match {
    /// List id (`ofac-sdn`).
    pub list: String,
    /// Entity id on that list.
    pub id: String,
    /// The entity's primary name.
    pub name: String,
    /// The name of the entity that matched.
    pub matched_name: String,
    /// Score in [0, 1].
    pub score: f64,
    /// Why.
    pub explanation: Explanation,
}

/// Sizes of an index, for reports and capacity planning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct IndexStats {
    /// Entities.
    pub entities: usize,
    /// Names (all kinds).
    pub names: usize,
    /// Distinct tokens.
    pub terms: usize,
    /// Entries of the key table (term keys and deletion variants).
    pub keys: usize,
    /// Approximate heap bytes held.
    pub heap_bytes: usize,
}

/// What scoring and explaining need of one entity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct EntityRec {
    list: u16,
    id: String,
    kind: EntityKind,
    primary: String,
    dobs: Vec<attrs::Dob>,
    countries: Vec<String>,
    identifiers: Vec<String>,
    /// `names[start..end]` are this entity's.
    names: (u32, u32),
}

/// One name of an entity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct NameRec {
    entity: u32,
    kind: NameKind,
    original_script: bool,
    text: String,
    tokens_start: u32,
    token_count: u8,
    rules: Vec<u16>,
    /// Σ rarity × class factor of its tokens (the name side of the retrieval estimate).
    weight: f32,
    /// Bit `c - 'a'` set for each first letter `c` of its tokens (initials in the estimate).
    letters: u32,
}

impl NameRec {
    /// The name's run of `all` (the index's `name_tokens`); empty if the run is out of range.
    fn tokens_in<'a>(&self, all: &'a [NameToken]) -> &'a [NameToken] {
        let s = self.tokens_start as usize;
        all.get(s..s + self.token_count as usize).unwrap_or(&[])
    }
}

/// One token of a listed name.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
struct NameToken {
    term: u32,
    class: TokenClass,
    /// It continues a compound of the name ([`crate::AnalyzedName::compounds`]).
    compound: bool,
}

/// One vocabulary term.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct TermRec {
    keys: score::TokenKeys,
    /// Rarity in [min_rarity, 1].
    weight: f32,
    postings_start: u32,
    postings_len: u32,
}

/// The screening index over a set of entities: self-contained (no registry access), immutable
/// once built, `Send + Sync` (searches share it across threads).
#[derive(Default, PartialEq, Serialize, Deserialize)]
pub struct MatchIndex {
    lists: Vec<String>,
    entities: Vec<EntityRec>,
    names: Vec<NameRec>,
    name_tokens: Vec<NameToken>,
    terms: Vec<TermRec>,
    postings: Vec<u32>,
    keys: table::KeyTable,
    identifiers: table::KeyTable,
    rules: Vec<String>,
    /// Per-term retrieval cache, filled as queries use terms; not stored in index files.
    #[serde(skip)]
    neighbours: search::NeighbourCache,
    /// Resolutions of query tokens the vocabulary lacks, filled as queries use them; not
    /// stored in index files.
    #[serde(skip)]
    unknown: search::UnknownCache,
    /// What retrieval reads of every name it touches, derived from `names`
    /// ([`NameHot::of`]); not stored in index files.
    #[serde(skip)]
    hot: Vec<NameHot>,
    /// What scoring reads of every candidate name, derived from `names` and `entities`
    /// ([`NameScoring::of`]); not stored in index files.
    #[serde(skip)]
    scoring: Vec<NameScoring>,
    /// What scoring reads of every token of a candidate name, derived from `terms`
    /// ([`TermHot::of`]); not stored in index files.
    #[serde(skip)]
    term_hot: Vec<TermHot>,
    /// Where each term's postings are, derived from `terms` ([`PostingsSpan::of`]); not
    /// stored in index files.
    #[serde(skip)]
    spans: Vec<PostingsSpan>,
    /// Term ids in the order of their texts, for the words a word cut short may begin
    /// ([`MatchIndex::beginning`]); derived from `terms`, not stored in index files.
    #[serde(skip)]
    by_text: Vec<u32>,
    /// Which derivation of the fields above this is; not stored in index files.
    #[serde(skip)]
    derivation: Derivation,
}

/// The fields of a [`NameRec`] that retrieval's estimate reads for every name a query touches
/// (thousands per query), packed apart from the rest: read from the records themselves they
/// were a cache miss each, a third of retrieval's time in a batch profile. Each search thread
/// copies them beside its accumulators (see `search::Scratch`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct NameHot {
    weight: f32,
    letters: u32,
}

impl NameHot {
    fn of(names: &[NameRec]) -> Vec<NameHot> {
        names
            .iter()
            .map(|n| NameHot {
                weight: n.weight,
                letters: n.letters,
            })
            .collect()
    }
}

/// Tells apart the states of the fields an index derives ([`MatchIndex::derive`]) for
/// per-thread copies of them: a fresh number each time they are derived, never reused in the
/// process. Not part of the index's value.
#[derive(Debug, Default)]
pub(crate) struct Derivation(u64);

impl Derivation {
    fn fresh() -> Derivation {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Derivation(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

impl PartialEq for Derivation {
    fn eq(&self, _: &Derivation) -> bool {
        true
    }
}

/// The fields of a name that scoring reads for each of the few dozen candidates of a query,
/// packed in 12 bytes apart from the name and entity records: read from those (the name's
/// kind, its entity's kind) they were two cache misses per candidate, a tenth of a batch's CPU
/// time in a profile of the throughput deck of `bench/throughput.sh`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct NameScoring {
    entity: u32,
    tokens_start: u32,
    token_count: u8,
    kind: NameKind,
    /// Its entity's kind: single letters of the name are initials when it is a person (or
    /// unknown), and an organisation's name scores are calibrated ([`NameAlgorithm::calibrated`]).
    entity_kind: Option<EntityKind>,
    /// Two tokens of the name have one text (`KANYAMA CELESTIN CISHIKU CELESTIN`): only then
    /// does scoring look for a repeated word ([`score::repeats`]).
    repeats: bool,
}

impl NameScoring {
    fn of(
        names: &[NameRec],
        entities: &[EntityRec],
        name_tokens: &[NameToken],
        terms: &[TermRec],
    ) -> Vec<NameScoring> {
        let text = |t: &NameToken| terms.get(t.term as usize).map(|r| r.keys.text.as_str());
        names
            .iter()
            .map(|n| {
                let start = n.tokens_start as usize;
                let toks = name_tokens
                    .get(start..start + n.token_count as usize)
                    .unwrap_or(&[]);
                NameScoring {
                    entity: n.entity,
                    tokens_start: n.tokens_start,
                    token_count: n.token_count,
                    kind: n.kind,
                    entity_kind: entities.get(n.entity as usize).map(|e| e.kind),
                    repeats: score::repeats(toks.len(), |i, k| text(&toks[i]) == text(&toks[k]))
                        != 0,
                }
            })
            .collect()
    }
}

/// The fields of a term that scoring reads for every token of a candidate name, packed apart
/// from the term records, whose keys span two cache lines: the term's text length decides
/// whether the token is a single letter and whether a concatenation can correspond at all,
/// before any text is read.
#[derive(Clone, Copy, Debug, PartialEq)]
struct TermHot {
    weight: f32,
    len: u32,
    class: TokenClass,
    /// The term names the kind of body an organisation is ([`crate::is_descriptor`]).
    descriptor: bool,
    /// The term is a patronymic ([`score::is_patronymic`]).
    patronymic: bool,
}

impl TermHot {
    fn of(terms: &[TermRec]) -> Vec<TermHot> {
        terms
            .iter()
            .map(|t| TermHot {
                weight: t.weight,
                len: u32::try_from(t.keys.text.len()).unwrap_or(u32::MAX),
                class: t.keys.class,
                descriptor: crate::is_descriptor(&t.keys.text),
                patronymic: score::is_patronymic(&t.keys.text),
            })
            .collect()
    }
}

/// Where a term's run of `postings` is, packed apart from the term records: retrieval reads it
/// for every candidate term of a query (a few dozen), first to weigh each source by its volume
/// and then to read the run. From the records (whose keys span two cache lines) each read was
/// a cache miss: 8 bytes a term keep the spans of a query's candidates in few lines.
#[derive(Clone, Copy, Debug, PartialEq)]
struct PostingsSpan {
    start: u32,
    len: u32,
}

impl PostingsSpan {
    fn of(terms: &[TermRec]) -> Vec<PostingsSpan> {
        terms
            .iter()
            .map(|t| PostingsSpan {
                start: t.postings_start,
                len: t.postings_len,
            })
            .collect()
    }
}

impl fmt::Debug for MatchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MatchIndex")
            .field("entities", &self.entities.len())
            .field("names", &self.names.len())
            .field("terms", &self.terms.len())
            .finish()
    }
}

impl MatchIndex {
    /// Builds the index (names analysed in parallel).
    pub fn build(entities: &[Entity]) -> MatchIndex {
        MatchIndex::build_from(&entities.iter().collect::<Vec<_>>())
    }

    /// [`build`](Self::build) over entities held in several places (the same index as over
    /// them copied into one slice in this order), so a caller need not copy them together.
    pub fn build_refs(entities: &[&Entity]) -> MatchIndex {
        MatchIndex::build_from(entities)
    }

    /// The index [`build_refs`](Self::build_refs) makes of `entities`, made from `previous`, an
    /// index of mostly the same entities: each entity `unchanged` accepts that `previous` holds
    /// (same list and id, once) is taken from it as it is — records, analysed names, term keys,
    /// key-table entries — and only the others are analysed. For a list that changed a few
    /// dozen of its entities, a fraction of a build from scratch.
    ///
    /// `unchanged` must accept only entities exactly as they were when `previous` was built
    /// (a registry's record hashes tell), and `previous` must come from this program (an index
    /// file is refused on load otherwise): a taken entity is not analysed again.
    pub fn rebuild(
        previous: MatchIndex,
        entities: &[&Entity],
        unchanged: &dyn Fn(&Entity) -> bool,
    ) -> MatchIndex {
        let previous = reuse::Previous::of(previous);
        let sources = previous.sources(entities, unchanged);
        MatchIndex::assemble(entities, Some((previous, sources)))
    }

    /// Fills what is derived from the index's value and not stored in its files: the caches
    /// (empty), the packed fields of names and terms, the key table's filter.
    fn derive(&mut self) {
        // Three independent parts on the pool: a loaded index derives these while the other
        // thread may still parse the analyser's tables (see `persist::load`), and is idle
        // once it has.
        let keys = std::mem::take(&mut self.keys);
        let ((hot, scoring), ((term_hot, spans, by_text), keys)) = rayon::join(
            || {
                (
                    NameHot::of(&self.names),
                    NameScoring::of(&self.names, &self.entities, &self.name_tokens, &self.terms),
                )
            },
            || {
                rayon::join(
                    || {
                        (
                            TermHot::of(&self.terms),
                            PostingsSpan::of(&self.terms),
                            search::by_text(&self.terms),
                        )
                    },
                    || keys.with_filter(),
                )
            },
        );
        self.neighbours = search::NeighbourCache::new(self.terms.len());
        (self.hot, self.scoring, self.term_hot) = (hot, scoring, term_hot);
        (self.spans, self.by_text, self.keys) = (spans, by_text, keys);
        self.derivation = Derivation::fresh();
    }

    /// Number of entities indexed.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Finds the entities a query may be, best first: at most `limit`, each scoring at least
    /// `threshold` (with threshold 0, the best `limit` candidates whatever their score). One
    /// match per entity, through its best-scoring name.
    pub fn search(&self, query: &Query, options: &SearchOptions) -> Vec<Match> {
        self.search_impl(query, options, false)
    }

    /// Like [`search`](Self::search), but scores every name in the index instead of the
    /// retrieved candidates: the reference the candidate retrieval is tested against (it must
    /// find the same matches). Thousands of times slower; not for screening.
    pub fn search_exhaustive(&self, query: &Query, options: &SearchOptions) -> Vec<Match> {
        self.search_impl(query, options, true)
    }

    /// Sizes of the index.
    pub fn stats(&self) -> IndexStats {
        let strings: usize = self
            .names
            .iter()
            .map(|n| n.text.capacity() + n.rules.capacity() * 2)
            .sum::<usize>()
            + self
                .terms
                .iter()
                .map(|t| {
                    t.keys.text.capacity()
                        + t.keys.phonetic.capacity()
                        + t.keys.skeleton.capacity()
                        + t.keys.spelling.capacity()
                        + t.keys.canonical.as_ref().map_or(0, |c| c.capacity())
                })
                .sum::<usize>()
            + self
                .entities
                .iter()
                .map(|e| {
                    e.id.capacity()
                        + e.primary.capacity()
                        + e.countries.iter().map(|c| c.capacity() + 24).sum::<usize>()
                        + e.identifiers
                            .iter()
                            .map(|c| c.capacity() + 24)
                            .sum::<usize>()
                        + e.dobs.capacity() * std::mem::size_of::<attrs::Dob>()
                })
                .sum::<usize>();
        IndexStats {
            entities: self.entities.len(),
            names: self.names.len(),
            terms: self.terms.len(),
            keys: self.keys.value_count(),
            heap_bytes: strings
                + self.entities.capacity() * std::mem::size_of::<EntityRec>()
                + self.names.capacity() * std::mem::size_of::<NameRec>()
                + self.hot.capacity() * std::mem::size_of::<NameHot>()
                + self.scoring.capacity() * std::mem::size_of::<NameScoring>()
                + self.term_hot.capacity() * std::mem::size_of::<TermHot>()
                + self.spans.capacity() * std::mem::size_of::<PostingsSpan>()
                + self.name_tokens.capacity() * std::mem::size_of::<NameToken>()
                + self.terms.capacity() * std::mem::size_of::<TermRec>()
                + self.postings.capacity() * 4
                + self.keys.heap_bytes()
                + self.identifiers.heap_bytes(),
        }
    }

    /// Writes the index to one file (see [`load`](Self::load) for the format).
    pub fn save(&self, writer: impl Write) -> Result<(), MatchingError> {
        persist::save(self, writer)
    }

    /// Reads an index written by [`save`](Self::save). A file that is not an index, is
    /// truncated or damaged, or comes from another format version is an error, never a panic.
    pub fn load(reader: impl Read) -> Result<MatchIndex, MatchingError> {
        persist::load(reader)
    }
}
