//! Query preparation, candidate retrieval and scoring of candidates.
//!
//! # Retrieval
//!
//! Each query token is resolved to *candidate terms* of the vocabulary through the key table:
//! its exact text, its variant family, its phonetic key, its skeleton and its deletion
//! neighbourhood (every term within the edit budget of [`max_edits`](super::keys::max_edits)).
//! Each candidate term is scored against the token once, with the same
//! [`token_similarity`] the final scoring uses, so retrieval and scoring agree on which pairs
//! correspond. Two more sources cover concatenations: adjacent query tokens joined (`AL QAIDA`
//! finds `ALQAIDA`) and a query token split where both halves are terms (`ALQAIDA` finds
//! `AL QAIDA`).
//!
//! The postings of the candidate terms are merged into an accumulator per name (query weight ×
//! similarity, each source counted once per name). A source whose postings exceed a cap is not
//! read when a selective source (a quarter of the cap or less) exists: `mohammed`, `al` or
//! `company` then only re-rank the names the rare tokens found, their share of the estimate
//! taken from each such name's own tokens (they still count in full scoring). When every token
//! is common (`Muhammad Ali H`) all are read, since the names that have them all are the point.
//!
//! The accumulator gives a cheap estimate of the final score with the same formula (matched
//! weight against query and name weights); only the best [`SearchPlan::candidates`] names by
//! that estimate are scored in full.

use super::attrs::{compare_country, compare_dob, compare_kind, inferred_kind, ATTRIBUTES_V1};
use super::explain::{Agreement, Attribute, AttributeEffect, Explanation, MatchedNameKind, Method};
use super::keys::{
    for_each_deletion, for_each_deletion_within, for_each_short_key, key, max_edits,
    normalize_identifier, osa_within_bytes, wide_keys_meet, Hasher, Salt, SHORT_LEN, WIDE_TYPO_LEN,
};
use super::score::{
    acronym_lengths, align, align_bound, align_weighed, better_pair, concat_similarity,
    consonant_concat_similarity, consonant_similarity, dropped_title, fuzzy_parts_at,
    fuzzy_parts_bytes, fuzzy_parts_given, fuzzy_similarity, inflection_similarity, is_patronymic,
    pair_credit, raise, repeats, round, token_similarity, token_similarity_by,
    truncated_similarity, within_fuzzy_budget, AlignmentDetail, ConcatLengths, PairCandidate, Side,
    TokenKeys, MAX_FUZZY_LEN, NAME_V14, NONE,
};
use super::{Match, MatchIndex, Query, SearchOptions};
use crate::analyze::{is_name_word, unvocalised};
use crate::country::normalize_country;
use crate::{analyze, is_descriptor, Token, TokenClass};
use interdict_model::{EntityKind, NameKind, Script};
use rayon::slice::ParallelSliceMut;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::sync::{Arc, Mutex, OnceLock};

/// Most query tokens considered; the rest of a very long query is ignored.
const MAX_QUERY_TOKENS: usize = 32;

/// Whether a query scores `token` when `taken` tokens precede it: honorifics are dropped
/// (their texts are reported as ignored), empty tokens too, and at most [`MAX_QUERY_TOKENS`]
/// are kept. [`name_terms`](super::reverse::name_terms) reads names the same way.
pub(crate) fn scored_query_token(token: &Token, taken: usize) -> bool {
    token.class != TokenClass::Honorific && !token.text.is_empty() && taken < MAX_QUERY_TOKENS
}

/// The tokens of `analysed` that a query scores ([`scored_query_token`]).
pub(crate) fn scored_tokens(analysed: &crate::AnalyzedName) -> impl Iterator<Item = &Token> {
    let mut taken = 0;
    analysed.tokens.iter().filter(move |t| {
        let scored = scored_query_token(t, taken);
        taken += usize::from(scored);
        scored
    })
}

/// The scored tokens of `analysed` ([`scored_tokens`], by their position among those) that
/// continue a compound ([`crate::AnalyzedName::compounds`]).
pub(crate) fn scored_compounds(analysed: &crate::AnalyzedName) -> u64 {
    if analysed.compounds == 0 {
        return 0;
    }
    let mut taken = 0usize;
    let mut out = 0u64;
    for (i, t) in analysed.tokens.iter().enumerate() {
        if !scored_query_token(t, taken) {
            continue;
        }
        if i < 64 && taken < 64 && analysed.compounds & (1u64 << i) != 0 {
            out |= 1u64 << taken;
        }
        taken += 1;
    }
    out
}

/// A query name analysed as a search reads it for a party of a known kind (`None` when
/// unknown): a person has no legal form, so two or three letters read as one (`BURLINOVA,
/// N.V.`, `MALAKHOVA, S.A.`: the Dutch N.V., the Spanish S.A.) are initials; an aircraft's
/// registration mark is one word (`E-IDF` → `eidf`, [`super::readings::registration_mark`]);
/// an organisation's acronym of three initials or more is one word (`A.W.A. ENGINEERING` →
/// `awa engineering`, [`crate::analyze::acronym_reading`]), as the index also files such
/// listed names.
pub(crate) fn analyse_query(name: &str, kind: Option<EntityKind>) -> crate::AnalyzedName {
    if kind == Some(EntityKind::Aircraft) {
        if let Some(mark) = super::readings::registration_mark(name) {
            let mut analysed = analyze(&mark);
            analysed.original = name.to_string();
            return analysed;
        }
    }
    if kind == Some(EntityKind::Organization) {
        if let Some((reading, mut rules)) = crate::analyze::acronyms(name) {
            let mut analysed = analyze(&reading);
            analysed.original = name.to_string();
            rules.append(&mut analysed.rules);
            analysed.rules = rules;
            return analysed;
        }
    }
    let mut analysed = analyze(name);
    if kind == Some(EntityKind::Person) {
        let tokens = std::mem::take(&mut analysed.tokens);
        (analysed.tokens, analysed.compounds) = person_initials(name, tokens, analysed.compounds);
    }
    analysed
}

/// A single letter matches a word's initial rather than a term.
pub(crate) fn is_initial(token: &Token) -> bool {
    token.class == TokenClass::Initial || token.text.len() == 1
}

/// A query token, resolved against the vocabulary.
pub(crate) struct QueryToken<'a> {
    /// Text, class and canonical ([`TokenKeys::unkeyed`]): scoring compares a query token by
    /// its resolved candidates, and by text alone with initials and concatenations.
    pub keys: TokenKeys,
    pub weight: f32,
    pub initial: bool,
    /// Candidate terms, sorted by term id: (term, similarity, method).
    pub candidates: Candidates<'a>,
    /// [`TermFilter`] of the candidates' terms.
    pub filter: TermFilter,
    /// A word naming the kind of body an organisation is ([`crate::is_descriptor`]).
    pub descriptor: bool,
}

/// A 256-bit filter of a few dozen term ids (bit `term % 256`): a term not in it is not in the
/// set, so most lookups of terms outside the set skip the binary search. Scoring looks every
/// token of a candidate name up in every query token's candidates, and most tokens of a name
/// are candidates of no query token.
#[derive(Clone, Copy, Default)]
pub(crate) struct TermFilter([u64; 4]);

impl TermFilter {
    fn of(terms: impl Iterator<Item = u32>) -> TermFilter {
        let mut filter = TermFilter::default();
        for t in terms {
            filter.0[(t as usize >> 6) & 3] |= 1 << (t & 63);
        }
        filter
    }

    /// False when `term` is certainly not in the set.
    #[inline]
    fn may_hold(&self, term: u32) -> bool {
        self.0[(term as usize >> 6) & 3] & (1 << (term & 63)) != 0
    }
}

/// A query token's candidate terms: a vocabulary term's cached ones, an unknown word's
/// (shared with the cache, not copied), or none (an initial).
pub(crate) enum Candidates<'a> {
    None,
    Term(&'a TermNeighbours),
    Unknown(Arc<TermNeighbours>),
}

impl Candidates<'_> {
    /// [`TermFilter`] of the candidates' terms.
    fn filter(&self) -> TermFilter {
        match self {
            Candidates::None => TermFilter::default(),
            Candidates::Term(n) => n.filter,
            Candidates::Unknown(n) => n.filter,
        }
    }

    /// [`TermNeighbours::source`] and [`TermNeighbours::volume`].
    fn source(&self) -> (&[(u32, f32)], usize) {
        match self {
            Candidates::None => (&[], 0),
            Candidates::Term(n) => (&n.source, n.volume),
            Candidates::Unknown(n) => (&n.source, n.volume),
        }
    }

    /// [`TermNeighbours::fragment`].
    fn fragment(&self) -> Option<f32> {
        match self {
            Candidates::None => None,
            Candidates::Term(n) => n.fragment,
            Candidates::Unknown(n) => n.fragment,
        }
    }
}

impl std::ops::Deref for Candidates<'_> {
    type Target = [(u32, f32, Method)];

    fn deref(&self) -> &Self::Target {
        match self {
            Candidates::None => &[],
            Candidates::Term(n) => &n.candidates,
            Candidates::Unknown(n) => &n.candidates,
        }
    }
}

/// What retrieval needs of one vocabulary term when a query token *is* that term: computed on
/// first use and kept for the life of the index (not stored in index files).
pub(crate) struct TermNeighbours {
    candidates: Box<[(u32, f32, Method)]>,
    splits: Box<[u32]>,
    /// [`TermFilter`] of the candidates' terms, made once with them rather than by every
    /// query that has the word.
    filter: TermFilter,
    /// For a word cut short, the least weight of the words it begins: what the fragment
    /// says of a name is what the commonest word it may be says (`compa` of `company`).
    fragment: Option<f32>,
    /// The candidates as a source of retrieval: (term, the credit the estimate gives it),
    /// best first (a stable sort of the candidates), and how many postings they hold. Made
    /// once with the candidates rather than by every query that has the word, which sorted
    /// them and summed their postings (each term's postings span a cache miss): 0.7% fewer
    /// instructions made here (callgrind, 100,000 names of the throughput deck of
    /// `bench/throughput.sh`).
    source: Box<[(u32, f32)]>,
    volume: usize,
    /// For a word the vocabulary lacks ([`UnknownCache`]): its rarity by its candidates
    /// ([`MatchIndex::candidate_rarity`]) and whether it names a kind of body
    /// ([`crate::is_descriptor`]), kept with its resolution instead of recomputed by every
    /// query that has the word. Unused otherwise.
    rarity: f32,
    descriptor: bool,
}

impl TermNeighbours {
    fn new(
        index: &MatchIndex,
        candidates: Vec<(u32, f32, Method)>,
        splits: Vec<u32>,
    ) -> TermNeighbours {
        let mut n = TermNeighbours {
            candidates: Box::default(),
            splits: splits.into(),
            filter: TermFilter::default(),
            fragment: None,
            source: Box::default(),
            volume: 0,
            rarity: 0.0,
            descriptor: false,
        };
        n.set_candidates(index, candidates);
        n
    }

    /// Sets the candidates (sorted by term), and what is derived from them.
    fn set_candidates(&mut self, index: &MatchIndex, candidates: Vec<(u32, f32, Method)>) {
        self.filter = TermFilter::of(candidates.iter().map(|c| c.0));
        let mut source: Vec<(u32, f32)> = candidates
            .iter()
            .map(|c| (c.0, estimate_credit(c.1, c.2)))
            .collect();
        source.sort_by(|a, b| b.1.total_cmp(&a.1));
        self.volume = source.iter().map(|t| index.postings(t.0).len()).sum();
        self.source = source.into();
        self.candidates = candidates.into();
    }
}

/// Most words a word cut short brings to retrieval as candidates: a start that more words
/// share (`com`, `tri`) finds no name by itself; scoring still pairs it with every word of a
/// retrieved name that it begins.
const CUT_CANDIDATES: usize = 64;

/// Term ids in the order of their texts ([`MatchIndex::beginning`]). Sorted on all cores when
/// an index is built or loaded.
pub(crate) fn by_text(terms: &[super::TermRec]) -> Vec<u32> {
    let mut ids: Vec<u32> = (0..terms.len() as u32).collect();
    ids.par_sort_unstable_by(|&a, &b| {
        terms[a as usize]
            .keys
            .text
            .cmp(&terms[b as usize].keys.text)
    });
    ids
}

/// The per-term cache of [`TermNeighbours`]. Resolving a token costs up to ~60 hash lookups
/// (its deletion variants) and a similarity per candidate term — measured as a third of query
/// time — and the same words (`holdings`, `mohammed`, `trading`) recur across queries, so a
/// known token is resolved once per process. `OnceLock` keeps reads lock-free and the index
/// `Sync`.
#[derive(Default)]
pub(crate) struct NeighbourCache(Vec<OnceLock<TermNeighbours>>);

impl NeighbourCache {
    pub(crate) fn new(terms: usize) -> NeighbourCache {
        NeighbourCache((0..terms).map(|_| OnceLock::new()).collect())
    }
}

/// A cache is not part of the index's value.
impl PartialEq for NeighbourCache {
    fn eq(&self, _: &NeighbourCache) -> bool {
        true
    }
}

/// Resolutions of query tokens that are *not* vocabulary terms (a customer's `Jennifer`, a
/// typo), by text: [`NeighbourCache`] keeps those of vocabulary terms (adjacent query tokens
/// joined are not cached: see [`MatchIndex::prepare_as`]). Customer files repeat the same
/// unknown words (given names, trade words) across rows, and each costs the hash probes of its
/// deletion neighbourhood (up to ~80, into a table of tens of megabytes) and a similarity per
/// hit.
///
/// Bounded: each shard holds two generations of at most [`UNKNOWN_SHARD_CAP`] entries; when
/// the newer is full the older is dropped and the newer takes its place, so the cache never
/// holds more than 2 × 16 × [`UNKNOWN_SHARD_CAP`] entries whatever is screened, and an entry
/// used since the last turn (moved back into the newer generation) survives it. Sharded
/// mutexes, held for one hash lookup or insert, keep threads from queueing on each other.
/// Measured on 200,000 customers of `bench/monitor_book.py` (`screen --input`, three
/// alternating runs): 2.28–2.38 s against 2.44–2.55 s without it, the same output byte for
/// byte.
#[derive(Default)]
pub(crate) struct UnknownCache([Mutex<UnknownShard>; UNKNOWN_SHARDS]);

/// One shard of [`UnknownCache`]: the newer and the older generation.
#[derive(Default)]
pub(crate) struct UnknownShard {
    new: FxHashMap<String, Arc<TermNeighbours>>,
    old: FxHashMap<String, Arc<TermNeighbours>>,
}

const UNKNOWN_SHARDS: usize = 16;

/// Entries of one generation of a shard. Two generations of 4096 (at most 131,072 entries,
/// about 20 MB) kept 111,444 of the 328,511 lookups of the throughput deck of
/// `bench/throughput.sh` (every one of its 201,005 distinct words and pairs resolved once
/// would keep 128,159), against about 79k (the 24% measured before) when a shard of 4096 was
/// emptied whenever full. (Measured when the pairs were cached too; the room is now the
/// unknown words'.)
const UNKNOWN_SHARD_CAP: usize = 4096;

impl UnknownCache {
    fn shard(&self, key: &str) -> &Mutex<UnknownShard> {
        let h = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
        });
        &self.0[(h % UNKNOWN_SHARDS as u64) as usize]
    }

    /// The resolution cached under `key`, or `resolve`d now (given the key) and cached.
    fn get_or_insert(
        &self,
        key: String,
        resolve: impl FnOnce(&str) -> TermNeighbours,
    ) -> Arc<TermNeighbours> {
        let shard = self.shard(&key);
        if let Ok(mut s) = shard.lock() {
            if let Some(found) = s.new.get(&key) {
                return found.clone();
            }
            if let Some((k, found)) = s.old.remove_entry(&key) {
                s.insert(k, found.clone());
                return found;
            }
        }
        let value = Arc::new(resolve(&key));
        if let Ok(mut s) = shard.lock() {
            s.insert(key, value.clone());
        }
        value
    }
}

impl UnknownShard {
    /// Files an entry in the newer generation, turning the generations first when it is full.
    fn insert(&mut self, key: String, value: Arc<TermNeighbours>) {
        if self.new.len() >= UNKNOWN_SHARD_CAP {
            // The older generation's table, emptied, becomes the newer: it keeps its room, so
            // the newer does not grow (and rehash) from nothing after every turn.
            std::mem::swap(&mut self.new, &mut self.old);
            self.new.clear();
        }
        self.new.insert(key, value);
    }
}

/// A cache is not part of the index's value.
impl PartialEq for UnknownCache {
    fn eq(&self, _: &UnknownCache) -> bool {
        true
    }
}

/// How a query token that is not a vocabulary term is resolved, besides its text, class and
/// canonical: all its [`unknown_key`] depends on.
#[derive(Clone, Copy)]
struct Resolution {
    /// It is a term after all, with another class or canonical.
    known: bool,
    /// The name was typed in Latin letters.
    typed: bool,
    /// The word is an abjad romanisation.
    abjad: bool,
    /// A word cut short that is no whole word (a fragment).
    cut: bool,
    /// A word of a Cyrillic name that may be declined.
    declined: bool,
}

/// The [`UnknownCache`] key of a query token that is not a vocabulary term: its text, class
/// and canonical, and its [`Resolution`] — everything its resolution depends on. Built by hand: a
/// `format!` of the same fields (with the joined pairs' keys) was 3% of a batch's
/// instructions.
fn unknown_key(text: &str, class: TokenClass, canonical: Option<&str>, r: Resolution) -> String {
    let canonical = canonical.unwrap_or("");
    let mut key = String::with_capacity(text.len() + canonical.len() + 8);
    key.push_str(text);
    key.push('\u{0}');
    key.push(char::from(b'0' + class as u8));
    key.push(if r.known { 'k' } else { 'u' });
    key.push(if r.typed { 't' } else { 'r' });
    key.push(if r.abjad { 'a' } else { 'l' });
    key.push(if r.cut { 'c' } else { 'w' });
    key.push(if r.declined { 'd' } else { 'n' });
    key.push('\u{0}');
    key.push_str(canonical);
    key
}

impl QueryToken<'_> {
    #[inline]
    fn lookup(&self, term: u32) -> Option<(f32, Method)> {
        if !self.filter.may_hold(term) {
            return None;
        }
        self.candidates
            .binary_search_by_key(&term, |c| c.0)
            .ok()
            .map(|i| (self.candidates[i].1, self.candidates[i].2))
    }
}

/// Most term ids [`dedup_terms`] dedupes in its table on the stack (half its slots).
const DEDUP_SMALL: usize = 64;

/// Removes repeated term ids from `raw` (the ids a word's keys gathered: one term is found by
/// several of its deletion variants, its phonetic key and its skeleton), keeping the first of
/// each in place; returns whether `raw` is sorted. Up to [`DEDUP_SMALL`] ids go through a hash
/// set of 128 slots on the stack, leaving their order; more are sorted and deduped. Sorting a
/// few dozen ids was 1.1% of a batch's instructions (callgrind, `screen --input` of 30,000
/// names), while the few candidates kept of them are what needs sorting.
fn dedup_terms(raw: &mut Vec<u32>) -> bool {
    if raw.len() > DEDUP_SMALL {
        raw.sort_unstable();
        raw.dedup();
        return true;
    }
    const SLOTS: usize = 2 * DEDUP_SMALL;
    let mut seen = [u32::MAX; SLOTS];
    raw.retain(|&t| {
        // Fibonacci hashing into the table's 7 bits; linear probing (at most half full).
        let mut at = (t.wrapping_mul(0x9e37_79b9) >> 25) as usize;
        loop {
            let slot = &mut seen[at % SLOTS];
            if *slot == t {
                return false;
            }
            if *slot == u32::MAX {
                *slot = t;
                return true;
            }
            at += 1;
        }
    });
    false
}

/// True when `a` and `b` differ only in a final vowel (`babu`/`baba`, `karim`/`karima`,
/// `ivan`/`ivana`): name endings carry gender and form, so such a pair is more likely two
/// names than one name with a typo, even when the query word is unknown.
fn other_ending(a: &str, b: &str) -> bool {
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a.as_bytes()[common..], &b.as_bytes()[common..]);
    let vowel = |c: &u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    ra.len() <= 1 && rb.len() <= 1 && ra.iter().chain(rb).all(vowel)
}

/// Shortest unknown query word whose near matches count as typos ([`Method::Typo`]). Shorter
/// unknown words are as often real names the lists lack (`Shani`/`SHAMI`, `Nair`/`NAIM`,
/// `Jaume`/`JAIME`) or invented company names (`Arvana`/`CARVANA`): measured on the eval
/// decks, crediting them as typos added as many false alerts as it found typos, while from
/// seven letters on it gained 1.7 points on typos at the same false-alert rate.
const TYPO_MIN_LEN: usize = 7;
/// Shortest unknown query word whose near matches count as typos when it is also nobody's
/// name ([`is_name_word`]): the real names the lists lack, which made shorter unknown words
/// as often names as typos, are those.
const TYPO_MIN_LEN_NOBODY: usize = 4;
/// Least similarity of a typo pair (below the usual `min_similarity`: a first letter changed in
/// a four-letter word, `xuka`/`luka`, is 0.79 similar).
const TYPO_MIN_SIMILARITY: f64 = 0.7;

/// Similarity of an unknown query word and a listed word it may be a typo of: within the edit
/// budget, both of at least [`TYPO_MIN_LEN_NOBODY`] letters (a three-letter listed word one
/// letter from the query, `wai`/`wati`, is as likely another name) and at least
/// [`TYPO_MIN_SIMILARITY`] similar. Reverse retrieval accepts such pairs too
/// ([`super::Term::similarity`]), so monitoring finds what `screen` finds.
pub(crate) fn typo_similarity(query: &str, listed: &str) -> Option<f64> {
    if query.len().min(listed.len()) < TYPO_MIN_LEN_NOBODY {
        return None;
    }
    fuzzy_similarity(query, listed).filter(|&s| s >= TYPO_MIN_SIMILARITY)
}

/// Similarity of a query word nobody is called of two or three letters ([`SHORT_LEN`]) and
/// a listed word it may be a typo of: one letter changed, swapped, added or dropped
/// (`cva`/`cia`, `tma`/`tam`, `vip`/`vp`, `ce`/`cec`, `yl`/`yu`), the listed word of two to
/// four letters. Such words have too few letters for the edit budget of longer ones
/// ([`super::keys::max_edits`]), which keeps real names one letter apart (`ali`/`aly`) apart;
/// a word nobody is called is most likely a typo.
/// Found through [`super::keys::for_each_short_key`] and, against four letters, the listed
/// word's deletion neighbourhood. Not a listed particle's (`Ayu`/`ABU`: a letter of so light a
/// word tells nothing), but by a query word of two letters, which is no name (`DD`/`DE`,
/// `AC-`/`AL-`). Measured on the eval decks at the threshold of 1% false alerts: typos
/// +1.6 points (`Tma`/`TAM`, `POH`/`PHO`, `PUN`/`UN`, `Yl`/`YU`), Wikidata transliterations
/// +0.5 (`Puk`/`PAK`), one person false alert more (`Haider Ail` / `HAIDAR, Ali`, itself a
/// typo).
pub(crate) fn short_typo_similarity(query: &str, listed: &str) -> Option<f64> {
    let (q, l) = (query.as_bytes(), listed.as_bytes());
    if !SHORT_LEN.contains(&q.len()) || !(2..=4).contains(&l.len()) || q.len().abs_diff(l.len()) > 1
    {
        return None;
    }
    (osa_within_bytes(q, l, 1)? == 1).then_some(SHORT_TYPO_SIMILARITY)
}

/// Whether a short query word may be a typo of a listed word of this class: of a word, or
/// of a particle by a word of two letters (`dd`/`de`, `ac`/`al`), which is no name; not by
/// three (`ayu`/`abu`: a letter of so light a word tells nothing, and `Ayu` is a name).
/// Search and reverse retrieval ([`super::Term::similarity`]) ask it alike.
pub(crate) fn short_typo_pairs(query: &str, listed: TokenClass) -> bool {
    listed == TokenClass::Word || listed == TokenClass::Particle && query.len() == 2
}

/// Similarity of a short word's typo ([`short_typo_similarity`]), whatever the edit: the
/// Jaro-Winkler part of [`fuzzy_similarity`] sees no swap in three letters (its matching
/// window is empty), and one letter of three wrong is as much a typo as any.
const SHORT_TYPO_SIMILARITY: f64 = 0.75;

/// Least similarity of a typo pair two edits apart ([`WIDE_TYPO_LEN`]): a letter wrong and one
/// too many in a five-letter word (`sqlaas`/`salas`) is 0.78 similar.
const WIDE_TYPO_MIN_SIMILARITY: f64 = 0.75;

/// [`typo_similarity`] of a query word nobody is called, of [`WIDE_TYPO_LEN`] letters, which
/// also pairs with listed words two edits away that its wider deletion neighbourhood reaches
/// ([`wide_keys_meet`]); `None` for other words.
pub(crate) fn wide_typo_similarity(query: &str, listed: &str) -> Option<f64> {
    if !WIDE_TYPO_LEN.contains(&query.len()) || listed.len() < TYPO_MIN_LEN_NOBODY {
        return None;
    }
    // The bounded distance first: its letter-count test rejects most of the terms the wider
    // neighbourhood finds before anything else is computed (this function was 5.6k
    // instructions a name on the throughput deck, callgrind, testing the keys first).
    let d = osa_within_bytes(query.as_bytes(), listed.as_bytes(), 2)?;
    wide_typo_at(query, listed, d, None)
}

/// [`wide_typo_similarity`] of a query word of [`WIDE_TYPO_LEN`] letters and a listed word of
/// at least [`TYPO_MIN_LEN_NOBODY`], given their OSA distance `d` (at most two) and, when
/// known, their Jaro-Winkler similarity: within the edit budget, [`typo_similarity`] (both
/// words are long enough, and its fuzzy similarity is made of `d`); beyond it, a wide typo.
fn wide_typo_at(query: &str, listed: &str, d: usize, jw: Option<f64>) -> Option<f64> {
    let (q, l) = (query.as_bytes(), listed.as_bytes());
    let least = if d <= max_edits(q.len().max(l.len())) {
        TYPO_MIN_SIMILARITY
    } else if wide_keys_meet(query, listed) {
        WIDE_TYPO_MIN_SIMILARITY
    } else {
        return None;
    };
    Some(fuzzy_parts_at(q, l, d, jw).0).filter(|&s| s >= least)
}

/// The similarity of a query word and a term as retrieval finds it with `typos`:
/// [`token_similarity`], else the typo similarity (`typo_similarity` or
/// [`wide_typo_similarity`]) as a [`Method::Fuzzy`] pair. The same numbers as calling those
/// functions in turn, with the edit distance and Jaro-Winkler similarity of the two words
/// computed once: each recomputed them (callgrind, 100,000 names of the throughput deck of
/// `bench/throughput.sh`: 1.9% fewer instructions computed once).
fn similarity_with_typos(
    keys: &TokenKeys,
    term: &TokenKeys,
    typos: Typos,
) -> Option<(f64, Method)> {
    let (q, l) = (keys.text.as_bytes(), term.text.as_bytes());
    match typos {
        Typos::No => token_similarity(keys, term, false, &NAME_V14),
        Typos::Budget => {
            // `None` until computed: the fuzzy parts within the budget.
            let mut parts = None;
            token_similarity_by(keys, term, false, &NAME_V14, |a, b| {
                *parts.insert(fuzzy_parts_bytes(a.as_bytes(), b.as_bytes()))
            })
            .or_else(|| {
                if term.class == TokenClass::Number || q.len().min(l.len()) < TYPO_MIN_LEN_NOBODY {
                    return None;
                }
                let (s, _) = parts.unwrap_or_else(|| fuzzy_parts_bytes(q, l))?;
                Some((s, Method::Fuzzy)).filter(|&(s, _)| s >= TYPO_MIN_SIMILARITY)
            })
        }
        Typos::Short => {
            let short = || {
                short_typo_pairs(&keys.text, term.class)
                    .then(|| short_typo_similarity(&keys.text, &term.text))
                    .flatten()
            };
            match token_similarity(keys, term, false, &NAME_V14) {
                // A near spelling of a word nobody is called is a typo (not of a particle's).
                Some((s, Method::Fuzzy)) if term.class == TokenClass::Word => {
                    Some((short().map_or(s, |t| t.max(s)), Method::Typo))
                }
                None => short().map(|s| (s, Method::Typo)),
                found => found,
            }
        }
        Typos::Wide => {
            // The distance within two edits (`None` until computed; `Some(None)` beyond), and
            // the Jaro-Winkler similarity when token similarity computed it.
            let mut within_two: Option<Option<usize>> = None;
            let mut jw = None;
            token_similarity_by(keys, term, false, &NAME_V14, |a, b| {
                let (a, b) = (a.as_bytes(), b.as_bytes());
                let d = *within_two.insert(osa_within_bytes(a, b, 2));
                let parts = fuzzy_parts_given(a, b, d, None)?;
                jw = Some(parts.1);
                Some(parts)
            })
            .or_else(|| {
                if term.class == TokenClass::Number
                    || !WIDE_TYPO_LEN.contains(&q.len())
                    || l.len() < TYPO_MIN_LEN_NOBODY
                {
                    return None;
                }
                let d = within_two.unwrap_or_else(|| osa_within_bytes(q, l, 2))?;
                wide_typo_at(&keys.text, &term.text, d, jw).map(|s| (s, Method::Fuzzy))
            })
        }
    }
}

/// Which typos of a query word a lookup also finds, beyond the words that correspond.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Typos {
    /// None: the word is somebody's, or known to the lists.
    No,
    /// Those within the edit budget ([`typo_similarity`]).
    Budget,
    /// Those two edits away too ([`wide_typo_similarity`]).
    Wide,
    /// Those of a short word ([`short_typo_similarity`]).
    Short,
}
/// Rarity of a query token the lists do not have and that resembles none of their terms.
///
/// A long one is most likely a name or word of its own, as telling as the rarest term. A token
/// of two or three letters is not: short tokens of the lists are mostly common (particles,
/// legal forms, short given names), and one the lists lack is more often a mistyped
/// abbreviation (`LTN` for LTD, `EDL` for DEL, `CDO` for CO) than a telling word. Such a token
/// gets the rarity a token of its length typically has in the lists: the median over the
/// occurrences of two-letter terms in OFAC SDN 2023-12-28 is 0.41, of three-letter terms 0.56
/// (four letters: 0.78). Measured on the eval decks at 1% false alerts: typos 87.1% → 87.7%,
/// the false-alert threshold unchanged.
fn unknown_rarity(text: &str) -> f32 {
    match text.len() {
        0..=2 => 0.4,
        3 => 0.55,
        _ => 1.0,
    }
}

/// Weight factor of a query word that is the acronym of the name's other words.
const OWN_ACRONYM: f32 = NAME_V14.own_acronym as f32;

/// Weight factor of a query word written in parentheses after the name proper: an acronym, an
/// alias or a qualifier (`IRAN AIRCRAFT INDUSTRIES (IACI)`, `IRGCAF (PASDARAN)`, `AL-HARAMAIN
/// FOUNDATION (INDONESIA)`) that another list leaves out or writes as a name of its own, so
/// left unmatched it should not cost a whole word's penalty. Matched, it counts as little.
const PARENTHETICAL: f32 = 0.1;

/// The Korean reading of a query name ([`crate::analyze::korean_reading`]) when the query may
/// be a person's: organisations' names in Han characters are read as Chinese, whose generic
/// words the lists write in English.
pub fn korean_query_reading(name: &str, kind: Option<EntityKind>) -> Option<String> {
    matches!(kind, None | Some(EntityKind::Person))
        .then(|| crate::analyze::korean_reading(name))
        .flatten()
}

/// The explanation rule of a name read as Korean: `hanja:金正恩→김정은`.
pub(crate) fn hanja_rule(name: &str, korean: &str) -> String {
    format!("hanja:{}→{korean}", name.trim())
}

/// `name` without what it writes in parentheses (an unclosed one runs to the end); `None` when
/// it has none.
pub(crate) fn outside_parentheses(name: &str) -> Option<String> {
    if !name.contains('(') {
        return None;
    }
    let mut out = String::with_capacity(name.len());
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(' ');
                }
            }
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    Some(out)
}

/// Words an acronym leaves out (`ISIL` for Islamic State *of* Iraq *and the* Levant).
const ACRONYM_SKIPS: [&str; 10] = [
    "of", "and", "the", "for", "de", "al", "el", "la", "in", "on",
];

/// True when word `i` of `texts` (three to eight letters) is the first letters of a run of the
/// other words, in order, skipping only [`ACRONYM_SKIPS`]: `ioi` in `isfahan optics industries
/// ioi`, `glbc` in `great lakes business company glbc`. Names write their acronym after them in
/// parentheses (one list does, another does not).
pub fn is_own_acronym(i: usize, texts: &[&str]) -> bool {
    let a = texts[i].as_bytes();
    if a.len() < 3 || a.len() > 8 || texts.len() <= a.len() || !a.iter().all(u8::is_ascii_lowercase)
    {
        return false;
    }
    (0..texts.len()).any(|start| {
        let (mut j, mut k) = (0, start);
        while j < a.len() && k < texts.len() && k != i {
            if texts[k].as_bytes().first() == Some(&a[j]) {
                j += 1;
            } else if !ACRONYM_SKIPS.contains(&texts[k]) {
                break;
            }
            k += 1;
        }
        j == a.len()
    })
}

/// The tokens of a person's name with legal forms written as two or three separate letters
/// (`N.V.`, `S. A.`) split into initials. A form written as one word (`PAO`, also a Chinese
/// surname) stays a word of the name. The bits of `compounds` ([`crate::AnalyzedName::compounds`])
/// follow their tokens.
pub(crate) fn person_initials(
    name: &str,
    tokens: Vec<crate::Token>,
    compounds: u64,
) -> (Vec<crate::Token>, u64) {
    let letters: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let spelt_out = |text: &str| {
        letters.windows(text.len()).any(|w| {
            w.iter()
                .zip(text.chars())
                .all(|(l, c)| l.len() == 1 && l.starts_with(c))
        })
    };
    let mut out = Vec::with_capacity(tokens.len() + 2);
    let mut moved = 0u64;
    for (i, t) in tokens.into_iter().enumerate() {
        if i < 64 && compounds & (1u64 << i) != 0 && out.len() < 64 {
            moved |= 1u64 << out.len();
        }
        if t.class == TokenClass::LegalForm
            && (2..=3).contains(&t.text.len())
            && t.text.bytes().all(|b| b.is_ascii_lowercase())
            && spelt_out(&t.text)
        {
            out.extend(t.text.chars().map(|c| crate::Token {
                text: c.to_string(),
                class: TokenClass::Initial,
                canonical: None,
            }));
        } else {
            out.push(t);
        }
    }
    (out, moved)
}

/// A query name, analysed and resolved.
pub(crate) struct PreparedQuery<'a> {
    pub tokens: Vec<QueryToken<'a>>,
    /// Adjacent pairs `(i, i + 1)` joined, with their candidate terms (sorted by term). Boxed:
    /// a query's pairs are moved as pointers (0.2k fewer instructions a name than moving
    /// them whole, callgrind).
    pub joined: Vec<(u8, Box<TermNeighbours>)>,
    /// Terms found by splitting a query token in two: (token, term of the rarer half).
    pub splits: Vec<(u8, u32)>,
    pub rules: Vec<String>,
    pub ignored: Vec<String>,
    pub total_weight: f32,
    /// The tokens' weights and classes, as alignment reads them ([`PreparedQuery::weights`],
    /// [`PreparedQuery::classes`]): in place, as a query has at most [`MAX_QUERY_TOKENS`].
    weights: [f32; MAX_QUERY_TOKENS],
    classes: [TokenClass; MAX_QUERY_TOKENS],
    /// Per token (by bit), whether it is a word naming the kind of body an organisation is
    /// ([`crate::is_descriptor`]): asked of every name scored, so asked of the query once.
    pub descriptors: u64,
    /// Per token (by bit), whether it is a patronymic ([`is_patronymic`]).
    pub patronymics: u64,
    /// The tokens (by bit) that continue a compound ([`scored_compounds`]).
    pub compounds: u64,
    /// The tokens (by bit) whose text another query token also has.
    pub repeats: u64,
    /// Initials of the query: (letter bit, weight), for the retrieval estimate.
    pub initials: Vec<(u32, f32)>,
    /// Some token is an initial (compared with every name token, not by its candidates).
    pub has_initials: bool,
    /// The tokens that may be two adjacent listed tokens written together, by their lengths.
    pub concat_lengths: ConcatLengths,
    /// [`TermFilter`] of every token's candidates.
    pub filter: TermFilter,
    /// The last token, when it may be a word cut short ([`crate::analyze::cut_short`]), and
    /// whether it is a whole word (of the lists or of a variant table): it also pairs with
    /// the listed words it begins ([`Method::Truncated`]) in every name scored; a fragment
    /// that is no whole word also brings a few of them to retrieval
    /// ([`MatchIndex::add_begun`]).
    pub cut: Option<(u8, bool)>,
    /// The tokens (by bit) romanised from a script without short vowels
    /// ([`crate::analyze::unvocalised`]): such a word may also be two adjacent listed words
    /// written together ([`consonant_concat_similarity`]).
    pub abjad: u64,
}

impl PreparedQuery<'_> {
    /// The tokens' weights.
    pub(crate) fn weights(&self) -> &[f32] {
        &self.weights[..self.tokens.len().min(MAX_QUERY_TOKENS)]
    }

    /// The tokens' classes.
    pub(crate) fn classes(&self) -> &[TokenClass] {
        &self.classes[..self.tokens.len().min(MAX_QUERY_TOKENS)]
    }

    /// The query's side of an alignment, its tokens' texts read by `text`.
    fn side<'a>(&'a self, text: &'a dyn Fn(usize) -> &'a str) -> Side<'a> {
        Side {
            text,
            class: self.classes(),
            weight: self.weights(),
            descriptors: self.descriptors,
            patronymics: self.patronymics,
            acronyms: 0,
            repeats: self.repeats,
            compounds: self.compounds,
        }
    }
}

/// Reusable buffers of [`MatchIndex::score_name`].
#[derive(Default)]
pub(crate) struct ScoreBuf {
    cands: Vec<PairCandidate>,
    /// (query token, first of two adjacent name tokens) that may correspond as a
    /// concatenation, by their lengths.
    concats: Vec<(u8, u8)>,
    /// The same for a query word romanised from an abjad, compared by its consonants.
    abjad_concats: Vec<(u8, u8)>,
    weights: Vec<f32>,
    classes: Vec<TokenClass>,
    /// The listed side's token masks of the last name aligned (descriptors, patronymics,
    /// acronyms, repeats, compounds), with `cands`, `weights` and `classes` what
    /// [`SavedAlignments`] keeps.
    masks: [u64; 5],
    /// Whether the last [`MatchIndex::score_name_above`] aligned its name (and so left its
    /// alignment in the buffers).
    aligned: bool,
}

/// The alignments of a query's scored names that may become matches, kept for their
/// explanations: each match was scored a second time to explain it (4.5k instructions a
/// match, 1.9k a name of the 30,000-name test batch, callgrind), while its candidate pairs,
/// weighed and sorted, and its listed side are all an explanation needs. [`align_weighed`]
/// gives the same number and detail from them: the pairs are already in its order, which its
/// sort keeps.
#[derive(Default)]
pub(crate) struct SavedAlignments {
    saved: Vec<SavedAlignment>,
    cands: Vec<PairCandidate>,
    weights: Vec<f32>,
    classes: Vec<TokenClass>,
}

/// One kept alignment: its runs of [`SavedAlignments`]' vectors and the listed side's masks.
struct SavedAlignment {
    cands: std::ops::Range<usize>,
    tokens: std::ops::Range<usize>,
    masks: [u64; 5],
}

impl SavedAlignments {
    fn clear(&mut self) {
        self.saved.clear();
        self.cands.clear();
        self.weights.clear();
        self.classes.clear();
    }

    /// Keeps the alignment `buf` holds; its number.
    fn save(&mut self, buf: &ScoreBuf) -> u32 {
        let (c, t) = (self.cands.len(), self.weights.len());
        self.cands.extend_from_slice(&buf.cands);
        self.weights.extend_from_slice(&buf.weights);
        self.classes.extend_from_slice(&buf.classes);
        self.saved.push(SavedAlignment {
            cands: c..self.cands.len(),
            tokens: t..self.weights.len(),
            masks: buf.masks,
        });
        (self.saved.len() - 1) as u32
    }
}

thread_local! {
    /// Each search thread's [`ScoreBuf`]: a query scores a few dozen names, and buffers made
    /// per query grew (and were freed) several times each.
    static SCORE_BUF: RefCell<ScoreBuf> = RefCell::new(ScoreBuf::default());
    /// Each search thread's [`SavedAlignments`], taken by a search for its duration (a search
    /// that found it taken would start empty ones).
    static SAVED: RefCell<SavedAlignments> = RefCell::new(SavedAlignments::default());
    /// Each search thread's list of the term ids [`MatchIndex::candidate_terms`] gathers.
    static RAW_TERMS: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// What a pair of this similarity and method counts for in a score (as [`align`] credits it,
/// but for the one pair of two single-token names, whose similarity counts as it is).
fn estimate_credit(sim: f32, method: Method) -> f32 {
    match method {
        Method::Fuzzy | Method::Phonetic | Method::Skeleton if sim < 1.0 => {
            // Squared in `f64` and rounded to `f32`, the same number as squared in `f32` (the
            // product of two `f32`s is exact in `f64`).
            raise(f64::from(sim), NAME_V14.similarity_exponent) as f32
        }
        _ => sim,
    }
}

/// The bit of a token's first letter in [`NameRec::letters`](super::NameRec).
pub(crate) fn letter_bit(text: &str) -> u32 {
    match text.as_bytes().first() {
        Some(c) if c.is_ascii_lowercase() => 1 << (c - b'a'),
        _ => 0,
    }
}

/// Tuning of retrieval. Checked against exhaustive scoring (every name scored): on 400 list
/// names with a token dropped, two letters swapped or a token cut to its initial, retrieval lost
/// none of the 468 matches at the default threshold (see the `retrieval_finds_what_exhaustive_
/// scoring_finds` test); it touches a few hundred to a few thousand postings per query and scores
/// at most `base + per_result × limit` names in full.
pub(crate) struct SearchPlan {
    /// Names scored in full: `base + per_result × limit`.
    pub base: usize,
    pub per_result: usize,
    /// A source with more postings than `max(common_floor, names / common_divisor)` is skipped
    /// when a rarer source exists.
    pub common_floor: usize,
    pub common_divisor: usize,
    /// ... and the rarest source has at most `cap / selective_divisor` postings.
    pub selective_divisor: usize,
}

pub(crate) const PLAN: SearchPlan = SearchPlan {
    base: 32,
    per_result: 3,
    common_floor: 1000,
    common_divisor: 32,
    selective_divisor: 4,
};

impl SearchPlan {
    pub(crate) fn candidates(&self, limit: usize) -> usize {
        self.base + self.per_result * limit.min(1000)
    }
}

/// Per-thread scratch space of retrieval, reused across queries so a search allocates nothing
/// proportional to the index, and its sources' term lists nothing at all.
#[derive(Default)]
struct Scratch {
    /// Per name: its accumulated credit, the source that last credited it, and the name's
    /// fields the estimate reads. One array, so a touched name costs one cache miss: two
    /// arrays (credit, stamp) were a sixth of a batch's CPU time, and the estimate's fields
    /// in a third array (`NameHot`, shared by the threads) a quarter of retrieval's time in a
    /// profile of the throughput deck of `bench/throughput.sh`.
    slots: Vec<Accumulator>,
    /// The index derivation `slots` copied its name fields from (0: none).
    owner: u64,
    generation: u32,
    touched: Vec<u32>,
    /// The query's sources, their terms in runs of `terms`.
    sources: Vec<Source>,
    terms: Vec<(u32, f32)>,
    /// Sources not read (too common): weight, run of `skipped_terms` (sorted by term), filter,
    /// and the most any name can take from it (its best credit).
    skipped: Vec<(f32, std::ops::Range<usize>, TermFilter, f32)>,
    skipped_terms: Vec<(u32, f32)>,
    /// Estimates of the touched names: (estimate, name).
    scored: Vec<(f32, u32)>,
}

/// One source of retrieval: a query token's candidate terms, or a supplement (adjacent tokens
/// joined, a token split).
struct Source {
    weight: f32,
    /// Its run of [`Scratch::terms`], sorted by similarity descending.
    terms: std::ops::Range<usize>,
    /// Postings of its terms.
    volume: usize,
    /// A token's own candidates (not a supplement).
    own: bool,
}

impl Scratch {
    /// Adds a source of these terms (sorted by credit, best first) holding `volume`
    /// postings, unless it has none.
    fn push_source(&mut self, weight: f32, own: bool, terms: &[(u32, f32)], volume: usize) {
        if terms.is_empty() {
            return;
        }
        let start = self.terms.len();
        self.terms.extend_from_slice(terms);
        self.sources.push(Source {
            weight,
            terms: start..self.terms.len(),
            volume,
            own,
        });
    }
}

#[derive(Clone, Copy, Default)]
struct Accumulator {
    acc: f32,
    stamp: u32,
    /// The name's [`NameHot`](super::NameHot) fields.
    weight: f32,
    letters: u32,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// A scored candidate: entity, name, final score, and its kept alignment, if any
/// ([`SavedAlignments`]).
#[derive(Clone, Copy)]
struct Hit {
    entity: u32,
    name: u32,
    score: f64,
    saved: Option<u32>,
}

impl MatchIndex {
    /// Resolves a vocabulary candidate list for one token. `joined` tokens (two query tokens
    /// written together) are looked up by text and edit distance only: phonetic keys and
    /// skeletons of such long strings collide with unrelated single words (`donna hill` /
    /// `daniel`, `bce inc` / `boceanica` measured as false alerts).
    ///
    /// `radius` caps the deletion neighbourhood (0: exact text only).
    ///
    /// With `typos`, also the terms within the edit budget (or two edits away) that are too
    /// unlike `keys` to be candidates of a real word (a first letter changed in a four-letter
    /// word, `xuka`/`luka`, is 0.79 similar), as [`Method::Fuzzy`] pairs the caller turns into
    /// typos.
    fn candidate_terms(
        &self,
        keys: &TokenKeys,
        joined: bool,
        radius: usize,
        typos: Typos,
        abjad: bool,
    ) -> Vec<(u32, f32, Method)> {
        RAW_TERMS.with(|cell| {
            let mut raw = cell.borrow_mut();
            raw.clear();
            self.resolve_terms(&mut raw, keys, joined, radius, typos, abjad)
        })
    }

    /// [`candidate_terms`](Self::candidate_terms), gathering the term ids in `raw` (empty).
    fn resolve_terms(
        &self,
        raw: &mut Vec<u32>,
        keys: &TokenKeys,
        joined: bool,
        radius: usize,
        typos: Typos,
        abjad: bool,
    ) -> Vec<(u32, f32, Method)> {
        // The text itself is also its deletion variant of no deletion, under which every term
        // of that text is filed but numbers and single letters (the keys `build` files; a
        // query token of the text of a number is one): looked up once, not twice, when the
        // deletion variants are.
        let deletions = keys.class != TokenClass::Number && radius > 0;
        if !deletions || keys.text.len() <= 1 {
            raw.extend_from_slice(self.keys.get(key(Salt::Text, &keys.text)));
        }
        if !joined {
            raw.extend_from_slice(self.keys.get(key(Salt::Canonical, keys.family())));
            if !keys.phonetic.is_empty() {
                raw.extend_from_slice(self.keys.get(key(Salt::Phonetic, &keys.phonetic)));
            }
            if !keys.skeleton.is_empty() {
                raw.extend_from_slice(self.keys.get(key(Salt::Skeleton, &keys.skeleton)));
            }
            if !keys.spelling.is_empty() {
                raw.extend_from_slice(self.keys.get(key(Salt::Spelling, &keys.spelling)));
            }
        }
        if typos == Typos::Short {
            // Only the words one edit away: a short-word key finds a few dozen words (`ta` of
            // `tma`), most of them further, which the other keys find if they correspond
            // otherwise (tested here in a few byte comparisons, not in full similarity).
            for_each_short_key(&keys.text, |h| {
                raw.extend(self.keys.get(h).iter().copied().filter(|&t| {
                    self.terms
                        .get(t as usize)
                        .is_some_and(|r| short_typo_similarity(&keys.text, &r.keys.text).is_some())
                }))
            });
        }
        if deletions {
            // Most deletion variants are no key (88% of them): an empty run is not copied, which
            // would still call `memcpy`.
            let each = |h| {
                let run = self.keys.get(h);
                if !run.is_empty() {
                    raw.extend_from_slice(run);
                }
            };
            if typos == Typos::Wide {
                for_each_deletion_within(&keys.text, 2, each);
            } else {
                for_each_deletion(&keys.text, radius, each);
            }
        }
        let sorted = dedup_terms(raw);
        let mut found: Vec<(u32, f32, Method)> = raw
            .iter()
            .filter_map(|&t| {
                let term = self.terms.get(t as usize)?;
                let found = if joined {
                    let s = if term.keys.text == keys.text {
                        Some(1.0)
                    } else {
                        fuzzy_similarity(&keys.text, &term.keys.text)
                    };
                    s.filter(|&s| s >= NAME_V14.min_similarity)
                        .map(|s| (s, Method::Concatenation))
                } else {
                    let found = similarity_with_typos(keys, &term.keys, typos);
                    if abjad {
                        better_pair(found, consonant_similarity(keys, &term.keys, &NAME_V14))
                    } else {
                        found
                    }
                };
                found.map(|(s, m)| (t, s as f32, m))
            })
            .collect();
        // By term (each once), as the caller looks them up.
        if !sorted {
            found.sort_unstable_by_key(|c| c.0);
        }
        found
    }

    /// The term with exactly this text.
    fn term_id(&self, text: &str) -> Option<u32> {
        self.term_id_keyed(key(Salt::Text, text), text)
    }

    /// [`term_id`](Self::term_id), given the text's key.
    fn term_id_keyed(&self, key: u64, text: &str) -> Option<u32> {
        self.keys.get(key).iter().copied().find(|&t| {
            self.terms
                .get(t as usize)
                .is_some_and(|r| r.keys.text == text)
        })
    }

    /// Terms whose concatenation is `text` (`alqaida` → `al` + `qaida`): the rarer half of each
    /// split, for retrieval of names that write the token in two.
    fn split_terms(&self, text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        if text.len() < 5 || text.len() > MAX_FUZZY_LEN || !text.is_ascii() {
            return out;
        }
        // The keys of the prefixes, one byte further each (FNV is a left fold): hashing each
        // prefix from the start cost as much as the lookups.
        let mut prefix = Hasher::new(Salt::Text);
        prefix.byte(text.as_bytes()[0]);
        for k in 2..=text.len() - 2 {
            prefix.byte(text.as_bytes()[k - 1]);
            let Some(a) = self.term_id_keyed(prefix.finish(), &text[..k]) else {
                continue;
            };
            if let Some(b) = self.term_id(&text[k..]) {
                let (wa, wb) = (
                    self.term_hot[a as usize].weight,
                    self.term_hot[b as usize].weight,
                );
                out.push(if wa >= wb { a } else { b });
            }
        }
        out
    }

    /// The cached neighbours of a term (computed now if this is its first use).
    fn neighbours(&self, term: u32) -> Option<&TermNeighbours> {
        let cell = self.neighbours.0.get(term as usize)?;
        let rec = self.terms.get(term as usize)?;
        Some(cell.get_or_init(|| {
            TermNeighbours::new(
                self,
                self.candidate_terms(&rec.keys, false, 2, Typos::No, false),
                self.split_terms(&rec.keys.text),
            )
        }))
    }

    /// A query name analysed for a party of a known kind ([`analyse_query`]) and resolved.
    pub(crate) fn prepare_as(&self, name: &str, kind: Option<EntityKind>) -> PreparedQuery<'_> {
        let mut analysed = analyse_query(name, kind);
        let compounds = scored_compounds(&analysed);
        // Short words nobody is called count as typos only in names typed in Latin letters: a
        // romanisation of ours is no typo.
        let typed = analysed.script == Script::Latin;
        let mut ignored = Vec::new();
        let mut tokens = Vec::with_capacity(analysed.tokens.len().min(MAX_QUERY_TOKENS));
        let mut splits = Vec::new();
        let mut cut = None;
        let mut abjad_tokens = 0u64;
        for k in 0..analysed.tokens.len() {
            let t = &analysed.tokens[k];
            if t.class == TokenClass::Honorific {
                ignored.push(t.text.clone());
            }
            if !scored_query_token(t, tokens.len()) {
                continue;
            }
            let initial = is_initial(t);
            let known = self.term_id(&t.text);
            let i = tokens.len() as u8;
            // A word cut short that is no whole word (of the lists, or of a table), a fragment,
            // also brings the words it begins to retrieval (a whole word finds the names that
            // have it).
            let whole = known.is_some() || t.canonical.is_some();
            let cut_here = crate::analyze::cut_short(&analysed, t);
            if cut_here {
                cut = Some((i, whole));
            }
            let fragment = cut_here && !whole;
            // A word romanised from an abjad, not found in the dictionary of usual spellings,
            // also pairs with words of its consonants (`Method::Consonants`).
            let abjad = unvocalised(&analysed, t);
            if abjad && i < 64 {
                abjad_tokens |= 1u64 << i;
            }
            // A word of a Cyrillic name that is no word of the lists may be declined: it also
            // pairs with the listed words its stems spell (`Method::Inflection`).
            let declined = known.is_none() && crate::analyze::declinable(&analysed, t);
            // A token that is a term takes the term's cached neighbours (computed from the
            // term's own keys: its class and canonical as first seen in the lists).
            // Only when the query reads the word as the lists did: the same text may carry
            // another canonical in the query (`asama`, romanised from أسامة and known to the
            // dictionary as Usama, is in the lists also as a Latin word of no variant group).
            let cached = match known {
                Some(id)
                    if !initial
                        && !abjad
                        && !fragment
                        && self.terms[id as usize].keys.canonical.as_deref()
                            == t.canonical.as_deref()
                        && self.terms[id as usize].keys.class == t.class =>
                {
                    self.neighbours(id)
                }
                _ => None,
            };
            let candidates = if initial {
                Candidates::None
            } else if let Some(n) = cached {
                splits.extend(n.splits.iter().map(|&s| (i, s)));
                Candidates::Term(n)
            } else {
                // Everything below depends on the token's text, class and canonical only.
                let key = unknown_key(
                    &t.text,
                    t.class,
                    t.canonical.as_deref(),
                    Resolution {
                        known: known.is_some(),
                        typed,
                        abjad,
                        cut: fragment,
                        declined,
                    },
                );
                let resolved = self.unknown.get_or_insert(key, |_| {
                    let keys = TokenKeys::new(&t.text, t.class, t.canonical.as_deref());
                    // A word the lists do not have and no table knows as a name: its near
                    // matches are typos (see `Method::Typo`), unless they differ in a final
                    // vowel.
                    let unknown = known.is_none() && t.canonical.is_none();
                    let len = t.text.len();
                    // Typed in Latin letters and nobody's name: near matches up to seven
                    // letters, and those two edits away from five letters on, are typos.
                    let nobody = unknown
                        && typed
                        && (TYPO_MIN_LEN_NOBODY..=*WIDE_TYPO_LEN.end()).contains(&len)
                        && !is_name_word(&t.text);
                    let short = unknown
                        && typed
                        && SHORT_LEN.contains(&len)
                        && t.class == TokenClass::Word
                        && !is_name_word(&t.text);
                    let typos = if nobody && WIDE_TYPO_LEN.contains(&len) {
                        Typos::Wide
                    } else if nobody {
                        Typos::Budget
                    } else if short {
                        Typos::Short
                    } else {
                        Typos::No
                    };
                    let mut c = self.candidate_terms(&keys, false, 2, typos, abjad);
                    // Only near matches become typos: without one, the name-word table (a
                    // hash set of 146k names, a cache miss or two) is not consulted for long
                    // words.
                    if unknown
                        && c.iter().any(|x| x.2 == Method::Fuzzy)
                        && (nobody || len >= TYPO_MIN_LEN && !is_name_word(&t.text))
                    {
                        for x in &mut c {
                            if x.2 == Method::Fuzzy
                                && self.terms.get(x.0 as usize).is_some_and(|r| {
                                    r.keys.text.len() >= TYPO_MIN_LEN_NOBODY
                                        && !other_ending(&t.text, &r.keys.text)
                                        // Two edits away: a near spelling, counted with the
                                        // similarity exponent (see `WIDE_TYPO_LEN`).
                                        && (typos != Typos::Wide
                                            || within_fuzzy_budget(&t.text, &r.keys.text))
                                })
                            {
                                x.2 = Method::Typo;
                            }
                        }
                    }
                    if declined {
                        self.add_undeclined(&mut c, &t.text);
                    }
                    let mut n = TermNeighbours::new(self, c, self.split_terms(&t.text));
                    if fragment {
                        self.add_begun(&mut n, &t.text);
                    }
                    n.rarity = self.candidate_rarity(&n.candidates, &t.text);
                    n.descriptor = is_descriptor(&t.text);
                    n
                });
                splits.extend(resolved.splits.iter().map(|&s| (i, s)));
                Candidates::Unknown(resolved)
            };
            let rarity = match (known, &candidates) {
                (Some(id), _) => self.term_hot[id as usize].weight,
                (None, Candidates::Unknown(n)) => n.rarity,
                (None, _) => self.candidate_rarity(&candidates, &t.text),
            };
            let rarity = candidates.fragment().map_or(rarity, |f| rarity.min(f));
            // A term's flag, else the table's answer (the same for the same text).
            let descriptor = t.class == TokenClass::Word
                && match (known, &candidates) {
                    (Some(id), _) => self.term_hot[id as usize].descriptor,
                    (None, Candidates::Unknown(n)) => n.descriptor,
                    (None, _) => is_descriptor(&t.text),
                };
            // Text, class and canonical only (the other keys serve to resolve a token the
            // caches lack, and are made there), taken from the analysis rather than copied:
            // nothing reads the token after this.
            let t = &mut analysed.tokens[k];
            let keys =
                TokenKeys::unkeyed_taken(std::mem::take(&mut t.text), t.class, t.canonical.take());
            tokens.push(QueryToken {
                weight: rarity * NAME_V14.class_factor(t.class) as f32,
                keys,
                initial,
                descriptor,
                filter: candidates.filter(),
                candidates,
            });
        }
        // A name's own acronym (`ISFAHAN OPTICS INDUSTRIES (IOI)`) repeats the name: left
        // unmatched it would cost a whole word's penalty, though it says nothing new.
        // (On the stack: a query keeps at most `MAX_QUERY_TOKENS` tokens.)
        let mut texts = [""; MAX_QUERY_TOKENS];
        for (text, t) in texts.iter_mut().zip(&tokens) {
            *text = t.keys.text.as_str();
        }
        let texts = &texts[..tokens.len().min(MAX_QUERY_TOKENS)];
        let acronyms: u64 = (0..texts.len())
            .filter(|&i| tokens[i].keys.class == TokenClass::Word && is_own_acronym(i, texts))
            .fold(0, |m, i| m | 1u64 << i);
        for (i, t) in tokens.iter_mut().enumerate() {
            if acronyms & (1u64 << (i & 63)) != 0 {
                t.weight *= OWN_ACRONYM;
            }
        }
        if let Some(outside) = outside_parentheses(name) {
            let mut left: FxHashMap<String, usize> = FxHashMap::default();
            for t in analyze(&outside).tokens {
                *left.entry(t.text).or_default() += 1;
            }
            if !left.is_empty() {
                for (i, t) in tokens.iter_mut().enumerate() {
                    match left.get_mut(t.keys.text.as_str()) {
                        Some(n) if *n > 0 => *n -= 1,
                        _ if acronyms & (1u64 << (i & 63)) == 0 => t.weight *= PARENTHETICAL,
                        _ => {}
                    }
                }
            }
        }
        let mut joined = Vec::new();
        // The pairs' keys, one text buffer for all of them.
        let mut pair = TokenKeys::unkeyed_taken(String::new(), TokenClass::Word, None);
        for i in 0..tokens.len().saturating_sub(1) {
            let (a, b) = (&tokens[i], &tokens[i + 1]);
            if a.keys.class == TokenClass::Number || b.keys.class == TokenClass::Number {
                continue;
            }
            // Initials join only exactly (`S A` → `sa`); words within one edit: joined tokens
            // are long, and their radius-2 neighbourhoods cost ~100 lookups each.
            let radius = if a.initial || b.initial { 0 } else { 1 };
            // Resolved afresh, not cached: most pairs of a batch are seen once and find
            // nothing, so the lookups in a cache of every query's pairs cost more than the
            // resolutions they saved, and the pairs crowded its unknown words out (callgrind,
            // 100,000 names of the throughput deck of `bench/throughput.sh`: 1.4k fewer
            // instructions a name uncached).
            pair.text.clear();
            pair.text.reserve(a.keys.text.len() + b.keys.text.len());
            pair.text.push_str(&a.keys.text);
            pair.text.push_str(&b.keys.text);
            let c = self.candidate_terms(&pair, true, radius, Typos::No, false);
            if !c.is_empty() {
                joined.push((i as u8, Box::new(TermNeighbours::new(self, c, Vec::new()))));
            }
        }
        let total_weight = tokens.iter().map(|t| t.weight).sum();
        let (mut weights, mut classes) = (
            [0.0; MAX_QUERY_TOKENS],
            [TokenClass::Word; MAX_QUERY_TOKENS],
        );
        for ((w, c), t) in weights.iter_mut().zip(classes.iter_mut()).zip(&tokens) {
            (*w, *c) = (t.weight, t.keys.class);
        }
        PreparedQuery {
            compounds,
            weights,
            classes,
            descriptors: tokens
                .iter()
                .enumerate()
                .filter(|(_, t)| t.descriptor)
                .fold(0, |m, (i, _)| m | 1u64 << i),
            patronymics: tokens
                .iter()
                .take(64)
                .enumerate()
                .filter(|(_, t)| is_patronymic(&t.keys.text))
                .fold(0, |m, (i, _)| m | 1u64 << i),
            repeats: repeats(tokens.len(), |i, k| {
                tokens[i].keys.text == tokens[k].keys.text
            }),
            initials: tokens
                .iter()
                .filter(|t| t.initial)
                .map(|t| (letter_bit(&t.keys.text), t.weight))
                .collect(),
            has_initials: tokens.iter().any(|t| t.initial),
            concat_lengths: ConcatLengths::new(
                tokens
                    .iter()
                    .map(|t| (!t.initial).then_some(t.keys.text.len())),
            ),
            filter: TermFilter(tokens.iter().fold([0; 4], |mut f, t| {
                for (a, b) in f.iter_mut().zip(t.filter.0) {
                    *a |= b;
                }
                f
            })),
            tokens,
            joined,
            splits,
            cut,
            abjad: abjad_tokens,
            rules: analysed.rules,
            ignored,
            total_weight,
        }
    }

    /// The rarity of `text`, a query word the vocabulary lacks, with these candidates: that of
    /// its most similar close candidate (a word cut short aside), else [`unknown_rarity`].
    fn candidate_rarity(&self, candidates: &[(u32, f32, Method)], text: &str) -> f32 {
        candidates
            .iter()
            .filter(|c| c.1 >= 0.85 && c.2 != Method::Truncated)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map_or(unknown_rarity(text), |c| self.term_hot[c.0 as usize].weight)
    }

    /// Adds to `candidates`, those of `word`, a word of a Cyrillic name that may be declined,
    /// the listed words that one of its stems spells ([`crate::analyze::stem_keys`]), at
    /// `inflection` unless they are candidates of more credit already.
    fn add_undeclined(&self, candidates: &mut Vec<(u32, f32, Method)>, word: &str) {
        let sim = NAME_V14.inflection;
        let credit = pair_credit(sim, Method::Inflection);
        let sim = sim as f32;
        for stem in crate::analyze::stem_keys(word) {
            for &id in self.keys.get(key(Salt::Spelling, &stem)) {
                let Some(term) = self.terms.get(id as usize) else {
                    continue;
                };
                if inflection_similarity(std::slice::from_ref(&stem), &term.keys, &NAME_V14)
                    .is_none()
                {
                    continue;
                }
                match candidates.iter_mut().find(|c| c.0 == id) {
                    Some(c) if pair_credit(c.1 as f64, c.2) >= credit => {}
                    Some(c) => *c = (id, sim, Method::Inflection),
                    None => candidates.push((id, sim, Method::Inflection)),
                }
            }
        }
        // Looked up by binary search on the term.
        candidates.sort_unstable_by_key(|c| c.0);
    }

    /// The terms whose text begins with `prefix` and is longer.
    pub(crate) fn beginning(&self, prefix: &str) -> &[u32] {
        let text = |id: &u32| {
            self.terms
                .get(*id as usize)
                .map_or("", |t| t.keys.text.as_str())
        };
        let from = self.by_text.partition_point(|id| text(id) < prefix);
        let rest = &self.by_text[from..];
        let begun = &rest[..rest.partition_point(|id| text(id).starts_with(prefix))];
        // The text itself, if a term, sorts first.
        let equal = begun.iter().take_while(|id| text(id) == prefix).count();
        &begun[equal..]
    }

    /// Adds to the neighbours of `cut`, a word cut short that is no whole word, the words it
    /// begins: their least weight ([`TermNeighbours::fragment`]), and as candidates paired by
    /// [`truncated_similarity`] when there are few ([`CUT_CANDIDATES`]).
    fn add_begun(&self, n: &mut TermNeighbours, cut: &str) {
        let begun = self.beginning(cut);
        n.fragment = begun
            .iter()
            .map(|&id| self.term_hot[id as usize].weight)
            .reduce(f32::min);
        if begun.is_empty() || begun.len() > CUT_CANDIDATES {
            return;
        }
        let mut c: Vec<(u32, f32, Method)> = n.candidates.to_vec();
        let cut = TokenKeys::unkeyed(cut, TokenClass::Word, None);
        for &id in begun {
            let Some((sim, method)) =
                truncated_similarity(&cut, false, &self.terms[id as usize].keys, &NAME_V14)
            else {
                continue;
            };
            let (sim, credit) = (sim as f32, pair_credit(sim, method));
            match c.iter_mut().find(|x| x.0 == id) {
                Some(x) if pair_credit(x.1 as f64, x.2) >= credit => {}
                Some(x) => *x = (id, sim, method),
                None => c.push((id, sim, method)),
            }
        }
        c.sort_unstable_by_key(|x| x.0);
        n.set_candidates(self, c);
    }

    fn postings(&self, term: u32) -> &[u32] {
        match self.spans.get(term as usize) {
            Some(span) => {
                let s = span.start as usize;
                self.postings.get(s..s + span.len as usize).unwrap_or(&[])
            }
            None => &[],
        }
    }

    /// Names worth scoring in full, best estimate first.
    fn retrieve(&self, q: &PreparedQuery, wanted: usize, min_estimate: f32) -> Vec<u32> {
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let s = &mut *guard;
            // Sources: query weight, candidate terms sorted by similarity descending, postings
            // volume, whether it is a token's own. Joined and split sources are supplements:
            // they are always read, and never make a token's common source skippable.
            s.sources.clear();
            s.terms.clear();
            // A near match enters the estimate at the credit scoring gives it (its similarity
            // squared), not its similarity: estimated at 0.84, `ALI` against a query `ALVI`
            // ranked every `ALI, Muhammad` above the `ALVI` names with two more words, so a
            // search for the best ten lost them.
            for t in &q.tokens {
                let (terms, volume) = t.candidates.source();
                s.push_source(t.weight, true, terms, volume);
            }
            // A joined pair's candidates are concatenations, whose credit is their similarity.
            for (i, terms) in &q.joined {
                let i = *i as usize;
                s.push_source(
                    q.tokens[i].weight + q.tokens[i + 1].weight,
                    false,
                    &terms.source,
                    terms.volume,
                );
            }
            for &(i, term) in &q.splits {
                s.push_source(
                    q.tokens[i as usize].weight,
                    false,
                    &[(term, 1.0)],
                    self.postings(term).len(),
                );
            }
            if s.sources.is_empty() {
                return Vec::new();
            }
            s.sources.sort_by_key(|s| s.volume);
            let cap = PLAN
                .common_floor
                .max(self.names.len() / PLAN.common_divisor);
            // Skip common sources only when a selective one exists: with every token common
            // (`Muhammad Ali H`) all are needed to rank the names that have them all.
            let rare_exists = s
                .sources
                .iter()
                .any(|s| s.own && s.volume <= cap / PLAN.selective_divisor);

            if s.owner != self.derivation.0 || s.slots.len() != self.names.len() {
                s.slots = self
                    .hot
                    .iter()
                    .map(|h| Accumulator {
                        acc: 0.0,
                        stamp: 0,
                        weight: h.weight,
                        letters: h.letters,
                    })
                    .collect();
                s.owner = self.derivation.0;
                s.generation = 0;
                s.touched.clear();
            }
            // Skipped sources: weight, terms sorted by term (a run of `skipped_terms`), and a
            // filter of the terms, which spares most of a name's tokens the binary search.
            s.skipped.clear();
            s.skipped_terms.clear();
            let Scratch {
                slots,
                generation,
                touched,
                sources,
                terms,
                skipped,
                skipped_terms,
                scored,
                ..
            } = s;
            for source in sources.iter() {
                let run = &terms[source.terms.clone()];
                if rare_exists && source.own && source.volume > cap {
                    let start = skipped_terms.len();
                    skipped_terms.extend_from_slice(run);
                    skipped_terms[start..].sort_by_key(|t| t.0);
                    let filter = TermFilter::of(run.iter().map(|t| t.0));
                    let most = run.iter().map(|t| t.1).fold(0.0f32, f32::max);
                    skipped.push((source.weight, start..skipped_terms.len(), filter, most));
                    continue;
                }
                if *generation == u32::MAX {
                    slots.iter_mut().for_each(|a| a.stamp = 0);
                    *generation = 0;
                }
                *generation += 1;
                let generation = *generation;
                let weight = source.weight;
                for &(term, sim) in run {
                    for &n in self.postings(term) {
                        let slot = &mut slots[n as usize];
                        if slot.stamp == generation {
                            continue;
                        }
                        slot.stamp = generation;
                        if slot.acc == 0.0 {
                            touched.push(n);
                        }
                        slot.acc += weight * sim;
                    }
                }
            }
            let (aq, an) = (
                NAME_V14.query_unmatched as f32,
                NAME_V14.name_unmatched as f32,
            );
            // The estimate is at most its evidence factor (the matched share `acc / denom` is at
            // most one, rounding included: `denom` adds non-negative terms to `acc`), so a name
            // whose evidence is below `min_estimate` is out without the rest: most of the names
            // a query touches (callgrind, throughput deck: 0.6% fewer instructions).
            let estimate = |acc: f32, wn: f32| {
                let evidence = (acc / NAME_V14.min_evidence as f32).min(1.0);
                if evidence < min_estimate {
                    return 0.0;
                }
                let denom = acc + aq * (q.total_weight - acc).max(0.0) + an * (wn - acc).max(0.0);
                if denom > 0.0 {
                    acc / denom * evidence
                } else {
                    0.0
                }
            };
            let initials = |mut acc: f32, letters: u32| {
                for &(bit, w) in &q.initials {
                    if letters & bit != 0 {
                        acc += w * NAME_V14.initial_similarity as f32;
                    }
                }
                acc
            };
            scored.clear();
            // Whether the skipped sources are completed from each name's tokens: decided once
            // for the query, not per touched name.
            let complete = !skipped.is_empty() && touched.len() > wanted;
            for &n in touched.iter() {
                let slot = &mut slots[n as usize];
                let mut acc = slot.acc;
                slot.acc = 0.0;
                let (wn, letters) = (slot.weight, slot.letters);
                if complete {
                    // A name that stays below `min_estimate` with the best credit of every
                    // skipped source is left out without reading its tokens (a cache miss or
                    // two per name, a quarter of retrieval's time in a profile of the throughput
                    // deck of `bench/throughput.sh`). The estimate grows with the credit, and the
                    // bound's sum is the completion's with each term at least as large, in the
                    // same order; the margin covers the rounding of the estimate's division.
                    let most = skipped.iter().fold(acc, |a, s| a + s.0 * s.3);
                    if estimate(initials(most, letters), wn) < min_estimate * 0.999 {
                        continue;
                    }
                    // Complete the estimate with the skipped common sources, from the name's
                    // own tokens: a few binary searches per name instead of their postings.
                    let rec = &self.scoring[n as usize];
                    let st = rec.tokens_start as usize;
                    let toks = self
                        .name_tokens
                        .get(st..st + rec.token_count as usize)
                        .unwrap_or(&[]);
                    for (w, run, filter, _) in skipped.iter() {
                        let by_term = &skipped_terms[run.clone()];
                        let best = toks
                            .iter()
                            .filter(|t| filter.may_hold(t.term))
                            .filter_map(|t| {
                                by_term
                                    .binary_search_by_key(&t.term, |c| c.0)
                                    .ok()
                                    .map(|k| by_term[k].1)
                            })
                            .fold(0.0f32, f32::max);
                        acc += w * best;
                    }
                }
                let estimate = estimate(initials(acc, letters), wn);
                if estimate >= min_estimate {
                    scored.push((estimate, n));
                }
            }
            touched.clear();
            if scored.len() > wanted {
                scored.select_nth_unstable_by(wanted, |a, b| b.0.total_cmp(&a.0));
                scored.truncate(wanted);
            }
            scored.iter().map(|&(_, n)| n).collect()
        })
    }

    /// The `name-v16` score of one listed name against the query (before the name-kind factor).
    pub(crate) fn score_name(
        &self,
        q: &PreparedQuery,
        name: u32,
        buf: &mut ScoreBuf,
        detail: Option<&mut AlignmentDetail>,
    ) -> f64 {
        self.score_name_above(q, name, buf, detail, 0.0)
            .unwrap_or(0.0)
    }

    /// [`score_name`](Self::score_name), or `None` when the score is certainly below `floor`
    /// (by [`align_bound`]): then the name is not aligned, nor are its concatenations compared.
    /// Most names retrieval hands over score well below the threshold (callgrind, throughput
    /// deck of `bench/throughput.sh`: 14 names scored a query, 0.6 matches a query).
    pub(crate) fn score_name_above(
        &self,
        q: &PreparedQuery,
        name: u32,
        buf: &mut ScoreBuf,
        mut detail: Option<&mut AlignmentDetail>,
        floor: f64,
    ) -> Option<f64> {
        buf.aligned = false;
        let Some(rec) = self.scoring.get(name as usize) else {
            return Some(0.0);
        };
        let start = rec.tokens_start as usize;
        let Some(toks) = self
            .name_tokens
            .get(start..start + rec.token_count as usize)
        else {
            return Some(0.0);
        };
        if q.tokens.is_empty() || toks.is_empty() {
            return Some(0.0);
        }
        let initials = super::score::initials_apply(rec.entity_kind);
        // The bounds below are of the uncalibrated score.
        let floor = NAME_V14.uncalibrated_floor(floor, rec.entity_kind);
        // A word cut short pairs only with listed words of its first letter: most names have
        // none, and their tokens' texts are then not read for it.
        let cut = q.cut.filter(|&(i, _)| {
            let first = letter_bit(&q.tokens[i as usize].keys.text);
            self.hot
                .get(name as usize)
                .is_some_and(|h| h.letters & first != 0)
        });
        let term = |j: usize| &self.terms[toks[j].term as usize];
        let hot = |j: usize| &self.term_hot[toks[j].term as usize];
        let cands = &mut buf.cands;
        cands.clear();
        buf.weights.clear();
        buf.classes.clear();
        // The tokens (by bit) of either side that are in some candidate pair.
        let (mut in_q, mut in_n) = (0u64, 0u64);
        let (mut descriptors, mut patronymics, mut acronyms) = (0u64, 0u64, 0u64);
        let mut compounds = 0u64;
        // Name token by name token (the order of the pairs does not matter: `align` sorts
        // them), so that each token's term is read once, and a token that is no query token's
        // candidate (most are not) is passed over after one filter test.
        for (j, nt) in toks.iter().enumerate() {
            let h = &self.term_hot[nt.term as usize];
            // (The term's text is read only when the query dropped a title.)
            let dropped =
                !q.ignored.is_empty() && dropped_title(nt.class, &term(j).keys.text, &q.ignored);
            buf.weights.push(if dropped {
                0.0
            } else {
                h.weight * NAME_V14.class_factor(nt.class) as f32
            });
            buf.classes.push(nt.class);
            if j < 64 {
                descriptors |= u64::from(h.descriptor) << j;
                patronymics |= u64::from(h.patronymic) << j;
                acronyms |= u64::from(acronym_lengths(h.len as usize, toks.len())) << j;
                compounds |= u64::from(nt.compound) << j;
            }
            let single = h.len == 1;
            if let Some((i, whole)) = cut {
                let cut = &q.tokens[i as usize].keys;
                if h.len as usize > cut.text.len() {
                    if let Some((sim, method)) =
                        truncated_similarity(cut, whole, &term(j).keys, &NAME_V14)
                    {
                        in_q |= 1u64 << (i & 63);
                        in_n |= 1u64 << (j & 63);
                        cands.push(PairCandidate {
                            q: [i, NONE],
                            n: [j as u8, NONE],
                            sim: sim as f32,
                            method,
                            w: 0.0,
                        });
                    }
                }
            }
            if !single && !q.has_initials && !q.filter.may_hold(nt.term) {
                continue;
            }
            for (i, qt) in q.tokens.iter().enumerate() {
                let found = if qt.initial || single {
                    token_similarity(&qt.keys, &term(j).keys, initials, &NAME_V14)
                        .map(|(s, m)| (s as f32, m))
                } else {
                    qt.lookup(nt.term)
                };
                if let Some((sim, method)) = found {
                    in_q |= 1u64 << (i & 63);
                    in_n |= 1u64 << (j & 63);
                    cands.push(PairCandidate {
                        q: [i as u8, NONE],
                        n: [j as u8, NONE],
                        sim,
                        method,
                        w: 0.0,
                    });
                }
            }
        }
        for (i, terms) in &q.joined {
            let (filter, terms) = (&terms.filter, &terms.candidates);
            for (j, nt) in toks.iter().enumerate() {
                if !filter.may_hold(nt.term) {
                    continue;
                }
                if let Ok(k) = terms.binary_search_by_key(&nt.term, |c| c.0) {
                    in_q |= 3u64 << (*i & 63);
                    in_n |= 1u64 << (j & 63);
                    cands.push(PairCandidate {
                        q: [*i, *i + 1],
                        n: [j as u8, NONE],
                        sim: terms[k].1,
                        method: Method::Concatenation,
                        w: 0.0,
                    });
                }
            }
        }
        // Listed tokens `j` and `j + 1` that query token `i` may write together, by their
        // lengths: their texts are compared only for a name the bound below keeps.
        let concats = &mut buf.concats;
        concats.clear();
        let abjad_concats = &mut buf.abjad_concats;
        abjad_concats.clear();
        for j in 0..toks.len().saturating_sub(1) {
            let (ha, hb) = (hot(j), hot(j + 1));
            if ha.class == TokenClass::Number || hb.class == TokenClass::Number {
                continue;
            }
            let mut possible = q.concat_lengths.tokens(ha.len, hb.len);
            while possible != 0 {
                let i = possible.trailing_zeros() as usize;
                possible &= possible - 1;
                in_q |= 1u64 << i;
                in_n |= 3u64 << (j & 63);
                concats.push((i as u8, j as u8));
            }
            // A word of an abjad is shorter than the two words with their vowels.
            let mut abjad = if ha.class == TokenClass::Word && hb.class == TokenClass::Word {
                q.abjad
            } else {
                0
            };
            while abjad != 0 {
                let i = abjad.trailing_zeros() as usize;
                abjad &= abjad - 1;
                if q.tokens[i].keys.text.len() < (ha.len + hb.len) as usize {
                    in_q |= 1u64 << i;
                    in_n |= 3u64 << (j & 63);
                    abjad_concats.push((i as u8, j as u8));
                }
            }
        }
        let q_text = |i: usize| q.tokens[i].keys.text.as_str();
        let n_text = |j: usize| self.terms[toks[j].term as usize].keys.text.as_str();
        let q_side = q.side(&q_text);
        let n_repeats = if rec.repeats {
            repeats(toks.len(), |i, k| n_text(i) == n_text(k))
        } else {
            0
        };
        let n_side = Side {
            text: &n_text,
            class: &buf.classes,
            weight: &buf.weights,
            descriptors,
            patronymics,
            acronyms,
            repeats: n_repeats,
            compounds,
        };
        if floor > 0.0 && align_bound(&q_side, &n_side, in_q, in_n, &NAME_V14, initials) < floor {
            return None;
        }
        for &(i, j) in buf.concats.iter() {
            let (a, b) = (&term(j as usize).keys, &term(j as usize + 1).keys);
            if let Some(s) = concat_similarity(&a.text, &b.text, &q.tokens[i as usize].keys.text) {
                if s >= NAME_V14.min_similarity {
                    cands.push(PairCandidate {
                        q: [i, NONE],
                        n: [j, j + 1],
                        sim: s as f32,
                        method: Method::Concatenation,
                        w: 0.0,
                    });
                }
            }
        }
        for &(i, j) in buf.abjad_concats.iter() {
            let (a, b) = (&term(j as usize).keys, &term(j as usize + 1).keys);
            if let Some((s, method)) = consonant_concat_similarity(
                &q.tokens[i as usize].keys.text,
                &a.text,
                &b.text,
                &NAME_V14,
            ) {
                cands.push(PairCandidate {
                    q: [i, NONE],
                    n: [j, j + 1],
                    sim: s as f32,
                    method,
                    w: 0.0,
                });
            }
        }
        let organization = rec.entity_kind == Some(EntityKind::Organization);
        let raw = align(
            &q_side,
            &n_side,
            cands,
            &NAME_V14,
            rec.entity_kind,
            detail.as_deref_mut(),
        );
        if let Some(d) = detail {
            d.uncalibrated = organization.then_some(raw);
        }
        buf.masks = [descriptors, patronymics, acronyms, n_repeats, compounds];
        buf.aligned = true;
        Some(NAME_V14.calibrated(raw, rec.entity_kind))
    }

    /// [`score_name`](Self::score_name) of `name` with its explanation's detail, from the
    /// alignment [`SavedAlignments`] kept of it when it was scored for `q`: the same score and
    /// detail, without building and weighing its candidate pairs again.
    fn explain_saved(
        &self,
        q: &PreparedQuery,
        name: u32,
        saved: &mut SavedAlignments,
        at: u32,
        detail: &mut AlignmentDetail,
    ) -> Option<f64> {
        let rec = self.scoring.get(name as usize)?;
        let start = rec.tokens_start as usize;
        let toks = self
            .name_tokens
            .get(start..start + rec.token_count as usize)?;
        let SavedAlignments {
            saved,
            cands,
            weights,
            classes,
        } = saved;
        let kept = saved.get(at as usize)?;
        let q_text = |i: usize| q.tokens[i].keys.text.as_str();
        let n_text = |j: usize| self.terms[toks[j].term as usize].keys.text.as_str();
        let q_side = q.side(&q_text);
        let [descriptors, patronymics, acronyms, repeats, compounds] = kept.masks;
        let n_side = Side {
            text: &n_text,
            class: classes.get(kept.tokens.clone())?,
            weight: weights.get(kept.tokens.clone())?,
            descriptors,
            patronymics,
            acronyms,
            repeats,
            compounds,
        };
        let raw = align_weighed(
            &q_side,
            &n_side,
            cands.get_mut(kept.cands.clone())?,
            &NAME_V14,
            rec.entity_kind,
            Some(&mut *detail),
        );
        detail.uncalibrated = (rec.entity_kind == Some(EntityKind::Organization)).then_some(raw);
        Some(NAME_V14.calibrated(raw, rec.entity_kind))
    }

    fn kind_factor(kind: NameKind) -> (f64, MatchedNameKind) {
        match kind {
            NameKind::Primary => (1.0, MatchedNameKind::Primary),
            NameKind::Alias => (NAME_V14.alias, MatchedNameKind::Alias),
            NameKind::WeakAlias => (NAME_V14.weak_alias, MatchedNameKind::WeakAlias),
            NameKind::FormerName => (NAME_V14.former_name, MatchedNameKind::FormerName),
            NameKind::NowKnownAs => (NAME_V14.alias, MatchedNameKind::NowKnownAs),
        }
    }

    /// Whether listed name `name` has a token written `text`.
    fn name_has_word(&self, name: u32, text: &str) -> bool {
        let Some(rec) = self.scoring.get(name as usize) else {
            return false;
        };
        let start = rec.tokens_start as usize;
        self.name_tokens
            .get(start..start + rec.token_count as usize)
            .unwrap_or(&[])
            .iter()
            .any(|t| self.terms[t.term as usize].keys.text == text)
    }

    /// Secondary attributes of the query against one entity.
    fn attributes(
        &self,
        query: &Query,
        has_legal_form: bool,
        country: Option<&str>,
        id_hits: &[(u32, String, String)],
        entity: u32,
    ) -> Vec<AttributeEffect> {
        let w = &ATTRIBUTES_V1;
        let mut out = Vec::new();
        // Nothing to compare: no entity record read (a cache miss per candidate entity).
        if query.kind.is_none()
            && !has_legal_form
            && query.dob.is_none()
            && (country.is_none() || query.country.is_none())
            && !id_hits.iter().any(|h| h.0 == entity)
        {
            return out;
        }
        let Some(e) = self.entities.get(entity as usize) else {
            return out;
        };
        match query.kind {
            Some(k) => out.push(compare_kind(k, e.kind, w)),
            None if has_legal_form => out.extend(inferred_kind(e.kind, w)),
            None => {}
        }
        if let Some(d) = query.dob {
            out.extend(compare_dob(d, &e.dobs, w));
        }
        if let (Some(c), Some(raw)) = (country, query.country.as_deref()) {
            out.extend(compare_country(c, raw, &e.countries, w));
        }
        if let Some((_, q, listed)) = id_hits.iter().find(|h| h.0 == entity) {
            out.push(AttributeEffect {
                attribute: Attribute::Identifier,
                query: q.clone(),
                listed: listed.clone(),
                agreement: Agreement::Exact,
                effect: 0.0,
            });
        }
        out
    }

    /// Final score of a name score with its attributes; fills in the identifier's effect.
    fn finish(name_score: f64, attrs: &mut [AttributeEffect]) -> f64 {
        let mut score = name_score;
        for a in attrs.iter() {
            if a.attribute != Attribute::Identifier {
                score += a.effect;
            }
        }
        score = score.clamp(0.0, 1.0);
        if let Some(a) = attrs
            .iter_mut()
            .find(|a| a.attribute == Attribute::Identifier)
        {
            let floor = ATTRIBUTES_V1.identifier_floor;
            let lifted = score.max(floor + (1.0 - floor) * name_score.clamp(0.0, 1.0));
            a.effect = round(lifted - score);
            score = lifted;
        }
        score.clamp(0.0, 1.0)
    }

    /// [`MatchIndex::search`]: the query name as written, and a person's name written in Han
    /// characters also as Korean ([`crate::analyze::korean_reading`]: `金正恩` is KIM Jong Un,
    /// while `金` alone is as much the Chinese surname Jin), each entity at its better score.
    /// A match found through the Korean reading says so in its explanation's query rules
    /// (`hanja:金正恩→김정은`).
    pub(crate) fn search_impl(
        &self,
        query: &Query,
        options: &SearchOptions,
        exhaustive: bool,
    ) -> Vec<Match> {
        let mut found = self.search_reading(query, options, exhaustive);
        let Some(korean) = korean_query_reading(&query.name, query.kind) else {
            return found;
        };
        let rule = hanja_rule(&query.name, &korean);
        let read = Query {
            name: korean,
            ..query.clone()
        };
        for mut m in self.search_reading(&read, options, exhaustive) {
            m.explanation.query_rules.insert(0, rule.clone());
            match found.iter_mut().find(|f| f.list == m.list && f.id == m.id) {
                Some(f) if f.score >= m.score => {}
                Some(f) => *f = m,
                None => found.push(m),
            }
        }
        // Best first; a tie keeps the order the readings found them in (the stable sort).
        found.sort_by(|a, b| b.score.total_cmp(&a.score));
        found.truncate(options.limit);
        found
    }

    /// [`search_impl`](Self::search_impl) of the query name as one reading reads it.
    fn search_reading(
        &self,
        query: &Query,
        options: &SearchOptions,
        exhaustive: bool,
    ) -> Vec<Match> {
        if options.limit == 0 || self.entities.is_empty() {
            return Vec::new();
        }
        let threshold = if options.threshold.is_finite() {
            options.threshold.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let q = self.prepare_as(&query.name, query.kind);
        let wanted = PLAN.candidates(options.limit);
        let min_estimate = (threshold * 0.4) as f32;
        let names = if exhaustive {
            (0..self.names.len() as u32).collect()
        } else {
            self.retrieve(&q, wanted, min_estimate)
        };

        // Identifier evidence: entities sharing a normalised identifier with the query.
        let mut id_hits: Vec<(u32, String, String)> = Vec::new();
        for raw in &query.identifiers {
            if let Some(v) = normalize_identifier(raw) {
                for &e in self.identifiers.get(key(Salt::Identifier, &v)) {
                    let listed = self
                        .entities
                        .get(e as usize)
                        .and_then(|rec| rec.identifiers.iter().find(|x| **x == v).cloned());
                    if let Some(listed) = listed {
                        id_hits.push((e, raw.clone(), listed));
                    }
                }
            }
        }
        let country = query.country.as_deref().and_then(normalize_country);
        let legal_forms: Vec<&str> = q
            .tokens
            .iter()
            .filter(|t| t.keys.class == TokenClass::LegalForm)
            .map(|t| t.keys.text.as_str())
            .collect();

        // The least final score a name score can rise to by the query's attributes: a name
        // whose score (times its kind's factor) is certainly below `threshold - boost` cannot
        // be a match, so scoring may leave it out (see `score_name_above`). Its entity's best
        // name is then either another, above the threshold as before, or below it too. An
        // identifier lifts a score whatever the name says: then every name is scored.
        let w = &ATTRIBUTES_V1;
        let boost = if query.dob.is_some() {
            [w.dob_exact, w.dob_month, w.dob_year, w.dob_near]
                .into_iter()
                .fold(0.0f64, f64::max)
        } else {
            0.0
        } + if country.is_some() && query.country.is_some() {
            w.country_match.max(0.0)
        } else {
            0.0
        };
        let floor = if query.identifiers.is_empty() {
            threshold - boost
        } else {
            0.0
        };
        let mut hits: Vec<Hit> = Vec::with_capacity(names.len() + id_hits.len());
        let mut saved = SAVED.with(|cell| std::mem::take(&mut *cell.borrow_mut()));
        saved.clear();
        SCORE_BUF.with(|cell| {
            let buf = &mut *cell.borrow_mut();
            let mut score_name = |n: u32| {
                let rec = &self.scoring[n as usize];
                let (factor, _) = Self::kind_factor(rec.kind);
                // The margin covers the rounding of the bound, summed in another order than
                // the score.
                let name_floor = if floor > 0.0 && factor > 0.0 {
                    floor / factor - 1e-9
                } else {
                    0.0
                };
                let Some(s) = self.score_name_above(&q, n, buf, None, name_floor) else {
                    return;
                };
                let score = s * factor;
                // A name below `floor` cannot be a match (the margin as above); one that may
                // keeps its alignment for its explanation.
                let saved = (buf.aligned && score >= floor - 1e-9).then(|| saved.save(buf));
                hits.push(Hit {
                    entity: rec.entity,
                    name: n,
                    score,
                    saved,
                });
            };
            for &n in &names {
                score_name(n);
            }
            for (e, _, _) in &id_hits {
                if let Some(rec) = self.entities.get(*e as usize) {
                    for n in rec.names.0..rec.names.1 {
                        score_name(n);
                    }
                }
            }
        });
        // Best name per entity.
        hits.sort_by(|a, b| a.entity.cmp(&b.entity).then(b.score.total_cmp(&a.score)));
        hits.dedup_by_key(|h| h.entity);
        let mut finals: Vec<(f64, Hit, Vec<AttributeEffect>)> = hits
            .into_iter()
            .map(|h| {
                // A legal form the matched name itself has (`SE` of `PAK, Han Se`, `AG` of
                // `GHALI, Iyad ag`) is part of a person's name, no sign of an organisation.
                let has_legal_form = legal_forms.iter().any(|f| !self.name_has_word(h.name, f));
                let mut attrs = self.attributes(
                    query,
                    has_legal_form,
                    country.as_deref(),
                    &id_hits,
                    h.entity,
                );
                let s = Self::finish(h.score, &mut attrs);
                (s, h, attrs)
            })
            .filter(|(s, _, _)| *s >= threshold)
            .collect();
        finals.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| a.1.entity.cmp(&b.1.entity))
        });
        finals.truncate(options.limit);
        let matches = finals
            .into_iter()
            .map(|(score, h, attrs)| self.to_match(&q, h, score, attrs, &mut saved))
            .collect();
        SAVED.with(|cell| *cell.borrow_mut() = saved);
        matches
    }

    fn to_match(
        &self,
        q: &PreparedQuery,
        h: Hit,
        score: f64,
        attributes: Vec<AttributeEffect>,
        saved: &mut SavedAlignments,
    ) -> Match {
        let e = &self.entities[h.entity as usize];
        let rec = &self.names[h.name as usize];
        let (factor, name_kind) = Self::kind_factor(rec.kind);
        let mut detail = AlignmentDetail::default();
        let kept = h
            .saved
            .and_then(|at| self.explain_saved(q, h.name, saved, at, &mut detail));
        let name_score = match kept {
            Some(s) => s,
            None => {
                detail = AlignmentDetail::default();
                SCORE_BUF.with(|cell| {
                    self.score_name(q, h.name, &mut cell.borrow_mut(), Some(&mut detail))
                })
            }
        };
        let explanation = Explanation {
            algorithm: NAME_V14.name.to_string(),
            score: round(score),
            name_score: round(name_score),
            uncalibrated_name_score: detail.uncalibrated.map(round),
            matched_name: rec.text.clone(),
            name_kind,
            original_script: rec.original_script,
            name_kind_factor: factor,
            query_rules: q.rules.clone(),
            name_rules: rec
                .rules
                .iter()
                .filter_map(|&r| self.rules.get(r as usize).cloned())
                .collect(),
            pairs: detail.pairs,
            unmatched_query: detail.unmatched_query,
            unmatched_name: detail.unmatched_name,
            evidence_factor: detail.evidence_factor,
            ignored: q.ignored.clone(),
            attributes,
        };
        Match {
            list: self.lists.get(e.list as usize).cloned().unwrap_or_default(),
            id: e.id.clone(),
            name: e.primary.clone(),
            matched_name: rec.text.clone(),
            score,
            explanation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{
        dedup_terms, is_own_acronym, outside_parentheses, person_initials, short_typo_similarity,
        SHORT_TYPO_SIMILARITY,
    };
    use crate::{analyze, TokenClass};
    use proptest::prelude::*;

    /// A short word pairs with a listed word one letter changed, swapped, added or dropped
    /// away, of two to four letters; not with words further apart.
    #[test]
    fn short_typos_are_one_edit() {
        for (q, l) in [
            ("cva", "cia"),
            ("tma", "tam"),
            ("vip", "vp"),
            ("ce", "cec"),
            ("hol", "chol"),
        ] {
            assert_eq!(
                short_typo_similarity(q, l),
                Some(SHORT_TYPO_SIMILARITY),
                "{q} {l}"
            );
        }
        assert_eq!(
            short_typo_similarity("yl", "yu"),
            Some(SHORT_TYPO_SIMILARITY)
        );
        for (q, l) in [
            ("cva", "cva"),
            ("cva", "xyz"),
            ("ab", "abcd"),
            ("abcd", "abce"),
            ("cva", "acv"),
            ("cva", "cvaxy"),
            ("c", "ca"),
        ] {
            assert_eq!(short_typo_similarity(q, l), None, "{q} {l}");
        }
    }

    #[test]
    fn what_parentheses_hold_is_cut_out() {
        assert_eq!(outside_parentheses("ACME"), None);
        assert_eq!(
            outside_parentheses("ACME (AC) LTD").as_deref(),
            Some("ACME   LTD")
        );
        assert_eq!(
            outside_parentheses("A (B (C) D) E").as_deref(),
            Some("A   E")
        );
        assert_eq!(outside_parentheses("A (B").as_deref(), Some("A "));
        assert_eq!(outside_parentheses("A) (B)").as_deref(), Some("A)  "));
        assert_eq!(outside_parentheses("(B)").as_deref(), Some(" "));
    }

    #[test]
    fn dotted_legal_forms_of_persons_are_initials() {
        let split = |name: &str| -> Vec<(String, TokenClass)> {
            person_initials(name, analyze(name).tokens, 0)
                .0
                .into_iter()
                .map(|t| (t.text, t.class))
                .collect()
        };
        let initial = |c: &str| (c.to_string(), TokenClass::Initial);
        let word = |c: &str| (c.to_string(), TokenClass::Word);
        assert_eq!(
            split("BURLINOVA, N.V."),
            [word("burlinova"), initial("n"), initial("v")]
        );
        assert_eq!(
            split("Malakhova, S. A."),
            [word("malakhova"), initial("s"), initial("a")]
        );
        assert_eq!(split("YU HSIANG PAO")[2].1, TokenClass::LegalForm);
    }

    fn own(name: &str, word: &str) -> bool {
        let texts: Vec<&str> = name.split(' ').collect();
        let i = texts
            .iter()
            .position(|t| *t == word)
            .expect("word of the name");
        is_own_acronym(i, &texts)
    }

    #[test]
    fn acronyms_of_listed_names() {
        assert!(own("isfahan optics industries ioi", "ioi"));
        assert!(own("great lakes business company glbc", "glbc"));
        assert!(own("mujahideen youth movement mym", "mym"));
        assert!(own("islamic state of iraq and the levant isil", "isil"));
        assert!(own("pkk partiya karkeren kurdistane", "pkk"));
        // Not the name's own: other words, or too short to tell.
        assert!(!own("iran aircraft industries iaci", "iaci"));
        assert!(!own("samir ali baba", "baba"));
        assert!(!own("ab alpha beta", "ab"));
        assert!(!own("ioi optics", "ioi"));
    }

    proptest! {
        #[test]
        fn dedup_terms_keeps_each_term_once(ids in prop::collection::vec(0u32..200, 0..100)) {
            let mut deduped = ids.clone();
            let sorted = dedup_terms(&mut deduped);
            let mut expected = ids.clone();
            expected.sort_unstable();
            expected.dedup();
            if sorted {
                prop_assert_eq!(&deduped, &expected);
            } else {
                // The first of each, in their order.
                let mut first = Vec::new();
                for t in &ids {
                    if !first.contains(t) {
                        first.push(*t);
                    }
                }
                prop_assert_eq!(&deduped, &first);
            }
            deduped.sort_unstable();
            prop_assert_eq!(deduped, expected);
        }

        #[test]
        fn person_initials_keep_every_letter(name in "[A-Za-z .,]{0,30}") {
            let tokens = analyze(&name).tokens;
            let before: String = tokens.iter().map(|t| t.text.as_str()).collect();
            let after: String = person_initials(&name, tokens, 0).0
                .iter()
                .map(|t| t.text.as_str())
                .collect();
            prop_assert_eq!(before, after);
        }

        #[test]
        fn initials_of_the_other_words_are_an_acronym(words in prop::collection::vec("[a-z]{2,9}", 3..8)) {
            let acronym: String = words.iter().filter_map(|w| w.chars().next()).collect();
            let mut texts: Vec<&str> = words.iter().map(String::as_str).collect();
            texts.push(&acronym);
            prop_assert!(is_own_acronym(texts.len() - 1, &texts));
            // A word is never its own acronym's source: the run may not cross it.
            let alone = [acronym.as_str()];
            prop_assert!(!is_own_acronym(0, &alone));
        }
    }
}
