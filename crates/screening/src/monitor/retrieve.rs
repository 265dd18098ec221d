//! Reverse retrieval: the customers of the book that a few new or changed listed entities may
//! be, without screening the book.
//!
//! For each name of each changed entity (each text the index reads it as,
//! [`name_readings`]: as written, and without what it writes in parentheses):
//!
//! 1. its tokens, with the weights the screening index gives them
//!    ([`MatchIndex::weighted_tokens`]);
//! 2. for each token, the book terms it corresponds to: the token's keys looked up in the
//!    book's key table ([`Term::keys`]: the keys the index itself files terms under), each hit
//!    confirmed with the similarity scoring uses ([`Term::similarity`]). Concatenations, which
//!    the forward search also pairs, are covered both ways: adjacent tokens looked up joined
//!    (`NORTH STAR` finds `Northstar`), and a token split in two where one half is a book term
//!    and the other corresponds to one (`LAROSA` finds `Largo SA`, `SIBCAPITAL` finds
//!    `Sibo Capital`), or differs by one letter from a short one (`EMERALD` finds
//!    `Emera Ltd`); a split credits only customers who have both halves; and every start of
//!    the token of three letters or more is looked up as a customer's last word cut short
//!    (the book files it apart, [`cut_term`](super::book::cut_term): `Natalia Dir` for
//!    `DIRKS`), which scoring pairs with the whole word; and its spelling key is looked up as
//!    the stem of a customer's declined word (filed apart too,
//!    [`stem_term`](super::book::stem_term): `Группа Вагнера` for `WAGNER`);
//! 3. for each customer on those posting lists, the weight of the name's tokens it has (each
//!    token once, at its best similarity), plus the weight of the name's initials as if they
//!    all matched, and of the customer's own initials (`N G DIRKS`) that may stand for a word
//!    of the name: the book files each customer's initials per letter, with their weight
//!    ([`book`](super::book)), and the bound takes every word of that letter as paired;
//! 4. an upper bound of the customer's final score against the name: `name-v16` scores
//!    matched pair weight (the mean of the two tokens' weights, times a similarity at most 1)
//!    against itself plus the full weight of the customer's unmatched tokens and a quarter of
//!    the name's (less for patronymics), times an evidence factor. The bound takes the pairs
//!    at full similarity, the name's initials as matched, the customer's unmatched weight as
//!    its total (stored in each posting when it was filed) less the stored weights of the
//!    terms that matched, allowing for lists that changed since ([`STALE`]), and adds the
//!    largest bonus dates of birth and countries can give ([`bonus`]). Customers whose bound
//!    reaches the threshold are candidates: a pair `screen` reports scores at least that. The
//!    bound is of the uncalibrated score, so for an organisation it is held against the
//!    uncalibrated score that calibrates to the threshold
//!    ([`NameAlgorithm::uncalibrated_floor`](interdict_matching::NameAlgorithm::uncalibrated_floor)).
//!
//! Both sides of the penalty matter. A listed name's unmatched tokens cost a quarter of their
//! weight, so on that side alone every customer sharing one moderately rare word with a new
//! name (`LOGISTIC`, `JOHN`) would pass — a quarter of a million-customer book on a busy day —
//! where the customer's own unmatched words, at full weight, rule nearly all of them out.
//!
//! Candidates are then screened for real, in the normal direction (the customer is the query,
//! [`MatchIndex::search`] over the lists), so alert scores are exactly what `screen` reports.
//! Retrieval only has to lose nothing the full screen would find; it is tested against a full
//! screen of the book (`tests/monitor.rs` and `bench/monitor.sh`).
//!
//! Sources are read rarest first. Once the weight still unread cannot lift a customer that no
//! source has found yet to the cut, the remaining (common) sources only add to customers
//! already found: a name of common words then costs the lookups of those found, not a walk over
//! every customer called Mohammed.

use super::book::{cut_term_text, initial_term_text, stem_term_text, term_of};
use crate::ScreeningError;
use interdict_matching::{
    is_title, name_readings, name_terms, MatchIndex, Term, Token, TokenClass, WeightedToken,
    ATTRIBUTES_V1, CUT_SHORT_MIN_LEN, NAME_V14,
};
use interdict_model::{Entity, EntityKind};
use interdict_registry::{BookTermId, CustomerRef, Posting, Registry, POSTING_WEIGHT_RESOLUTION};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

/// How far stored weights may be off: a customer's tokens were weighed with the lists of the
/// day it was filed, and lists change (a token becomes common, a new entity brings a term
/// close to it). The bound counts matched customer weight up by this factor and the customer's
/// total weight down by it. (Quantisation in the postings already rounds down.)
pub(crate) const STALE: f64 = 0.8;

/// The most dates of birth and countries can add to a name score (the type only ever takes
/// away; an identifier match is found through the identifier, not the name).
pub(crate) fn bonus() -> f64 {
    let a = &ATTRIBUTES_V1;
    a.dob_exact.max(a.dob_month).max(a.dob_year).max(a.dob_near) + a.country_match
}

/// Longest book term that a customer may write apart from the word it belongs to with a
/// letter wrong (`Emera Ltd` for `EMERALD`): legal forms and particles.
const SHORT: usize = 4;

/// What retrieval did, for reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RetrievalStats {
    /// Names of changed entities looked up.
    pub names: usize,
    /// Key lookups in the book.
    pub keys: usize,
    /// Book terms that correspond to a token of a changed name.
    pub terms: usize,
    /// Customers credited by some name, summed over names (a customer found for two names
    /// counts twice).
    pub customers_seen: usize,
    /// Customers whose bound reached the cut.
    pub candidates: usize,
}

/// One source of evidence for a name: customers on a posting list (or on two, for a split),
/// crediting the name's tokens with `shares` (token position, weight × similarity) and
/// matching their own `terms` (with their stored weights).
struct Source {
    shares: Vec<(usize, f64)>,
    credit: f64,
    terms: Vec<(BookTermId, f64)>,
    postings: Rc<Vec<Posting>>,
}

/// What a name has gathered about one customer.
///
/// Sources overlap (a token found on its own and joined with its neighbour), and which of them
/// the alignment will use is not known here, so each token keeps the best credit any source
/// gives it (a joined source's credit is shared between its two tokens by weight), and every
/// customer term any source found counts as matched (each once: a customer token matches one
/// name token at most). Both over-estimate, as a bound must.
#[derive(Clone, Default)]
struct Credit {
    /// Per token of the name, the best credit (weight × similarity).
    tokens: Vec<f64>,
    /// The customer's terms found, with their stored weights.
    terms: Vec<(BookTermId, f64)>,
    /// The customer's stored total weight.
    weight: f64,
}

impl Credit {
    fn new(len: usize, weight: f64) -> Credit {
        Credit {
            tokens: vec![0.0; len],
            terms: Vec::new(),
            weight,
        }
    }

    fn add(&mut self, s: &Source) {
        for (j, c) in s.shares.iter() {
            if let Some(t) = self.tokens.get_mut(*j) {
                *t = t.max(*c);
            }
        }
        for t in &s.terms {
            if !self.terms.iter().any(|x| x.0 == t.0) {
                self.terms.push(*t);
            }
        }
    }

    /// Stored weight of the customer's terms found.
    fn matched(&self) -> f64 {
        self.terms.iter().map(|t| t.1).sum()
    }

    fn acc(&self) -> f64 {
        self.tokens.iter().sum()
    }
}

/// The two book terms (with stored weights) a customer may have written one listed word as.
type Half2 = ((BookTermId, f64), (BookTermId, f64));

/// Book terms a token corresponds to: id, similarity, stored weight; best first.
type Corresponding = Rc<Vec<(BookTermId, f64, f64)>>;

/// Caches of book lookups shared by all names of a run: changed entities repeat tokens.
#[derive(Default)]
struct Lookups {
    /// Token text → corresponding book terms with similarity and stored weight.
    terms: HashMap<String, Corresponding>,
    /// Exact book term by text, with its stored weight.
    exact: HashMap<String, Option<(BookTermId, f64)>>,
    postings: HashMap<BookTermId, Rc<Vec<Posting>>>,
    /// The book's short terms by text, read when splits need many ([`POINT_LOOKUP_TEXTS`]).
    short: Option<HashMap<String, (BookTermId, f64)>>,
    /// Short text → the book terms one edit from it.
    one_off: HashMap<String, Vec<(BookTermId, f64)>>,
    /// Per first letter, the customers with initials of that letter (`None` when there are
    /// none), with the largest weight any of them gives it.
    initials: HashMap<u8, Option<InitialList>>,
}

/// The customers with initials of one letter, each with (at most) the weight of its initials
/// of that letter, and the largest such weight.
#[derive(Clone)]
struct InitialList {
    letter: u8,
    postings: Rc<Vec<Posting>>,
    most: f64,
}

impl InitialList {
    /// The weight of a customer's initials of this letter, rounded up from what is stored.
    fn of(&self, c: CustomerRef) -> Option<f64> {
        let at = self
            .postings
            .binary_search_by_key(&c, |p| p.customer)
            .ok()?;
        Some(self.postings[at].weight as f64 + POSTING_WEIGHT_RESOLUTION as f64)
    }
}

/// A customer's initials that may pair with words of a name: (letter, their weight at most).
type Initials = Vec<(u8, f64)>;

/// The customers with initials of `letter`, read once per run.
fn initial_list(
    registry: &Registry,
    letter: u8,
    lookups: &mut Lookups,
) -> Result<Option<InitialList>, ScreeningError> {
    if let Some(found) = lookups.initials.get(&letter) {
        return Ok(found.clone());
    }
    let found = match registry.book_term(&initial_term_text(letter))? {
        Some((id, _)) => {
            let postings = postings(registry, id, lookups)?;
            let most = postings.iter().map(|p| p.weight).fold(0.0f32, f32::max) as f64
                + POSTING_WEIGHT_RESOLUTION as f64;
            (!postings.is_empty()).then_some(InitialList {
                letter,
                postings,
                most,
            })
        }
        None => None,
    };
    lookups.initials.insert(letter, found.clone());
    Ok(found)
}

/// The book lookups of some changed entities, made before the lists' screening index exists
/// ([`prefetch`]), for [`candidates`] to use.
pub(crate) struct Prefetched {
    lookups: Lookups,
    stats: RetrievalStats,
}

/// Makes every book lookup [`candidates`] will make for `changed` entities, without the lists'
/// index: which book terms, posting lists and initials a name needs depends on its terms only
/// ([`name_terms`]), not on their weights. An ingest runs this while the index of the lists is
/// still being built on another thread; `candidates` then finds the answers cached, and looks
/// up anything missing itself, so its result is the same either way.
pub(crate) fn prefetch(
    registry: &Registry,
    changed: &[Entity],
) -> Result<Prefetched, ScreeningError> {
    let mut lookups = Lookups::default();
    let mut stats = RetrievalStats::default();
    for entity in changed {
        for (_, text) in name_readings(entity) {
            let tokens: Vec<WeightedToken> = name_terms(&text)
                .into_iter()
                .map(|(term, initial)| WeightedToken {
                    term,
                    weight: 0.0,
                    initial,
                    compound: false,
                })
                .collect();
            sources(registry, &tokens, &mut lookups, &mut stats)?;
            let side = NameSide::of(&tokens, entity.kind == EntityKind::Person);
            for letter in side.letters() {
                initial_list(registry, letter, &mut lookups)?;
            }
        }
    }
    Ok(Prefetched { lookups, stats })
}

/// The candidate customers for `changed` entities (which must be in `index`), and what it
/// took to find them; with the lookups [`prefetch`]ed for them, if made.
pub(crate) fn candidates(
    registry: &Registry,
    index: &MatchIndex,
    changed: &[Entity],
    threshold: f64,
    prefetched: Option<Prefetched>,
) -> Result<(BTreeSet<CustomerRef>, RetrievalStats), ScreeningError> {
    let cut = threshold - bonus();
    let (mut lookups, mut stats) = match prefetched {
        Some(p) => (p.lookups, p.stats),
        None => (Lookups::default(), RetrievalStats::default()),
    };
    let mut out = BTreeSet::new();
    for entity in changed {
        // The bound is of the uncalibrated name score; an organisation's is calibrated.
        let cut = NAME_V14.uncalibrated_floor(cut, Some(entity.kind));
        for (_, text) in name_readings(entity) {
            stats.names += 1;
            let tokens = index.weighted_tokens(&text);
            let sources = sources(registry, &tokens, &mut lookups, &mut stats)?;
            let name = NameSide::of(&tokens, entity.kind == EntityKind::Person);
            let mut initials = Vec::new();
            for letter in name.letters() {
                initials.extend(initial_list(registry, letter, &mut lookups)?);
            }
            collect(&sources, &name, &initials, cut, &mut out, &mut stats);
        }
    }
    stats.candidates = out.len();
    Ok((out, stats))
}

/// What the bound needs of a listed name: what each token costs unmatched, what its initials
/// can add, and which of its words a customer's initial may stand for.
struct NameSide {
    /// Per token (by position), the penalty it costs unmatched: a quarter of its weight, less
    /// for a patronymic or a further part of a person's compound name (which a customer's
    /// initial may stand for with the compound's first part); 0 for initials, counted as
    /// matched.
    penalty: Vec<f64>,
    /// Credit of the initials, all taken as matched.
    initials: f64,
    /// Per token, the first letter of a word a customer's initial pairs with (scoring pairs
    /// initials with the words of persons' names only); 0 for none.
    letters: Vec<u8>,
    /// Per token, whether it is a word of a person's name: when every one of at least two is
    /// matched, scoring charges a customer's words between matched ones only `middle_name` of
    /// their penalty.
    words: Vec<bool>,
}

impl NameSide {
    fn of(tokens: &[WeightedToken], person: bool) -> NameSide {
        NameSide {
            words: tokens
                .iter()
                .map(|t| person && !t.initial && t.term.class() == TokenClass::Word)
                .collect(),
            letters: tokens
                .iter()
                .map(|t| match t.term.text().as_bytes().first() {
                    Some(&b) if person && !t.initial && t.term.class() != TokenClass::Number => b,
                    _ => 0,
                })
                .collect(),
            penalty: tokens
                .iter()
                .map(|t| {
                    // A title may be left out of the customer's name and then costs nothing
                    // (`Sayed Jamil` for `SAYED, Jamil`).
                    if t.initial || is_title(t.term.text()) {
                        0.0
                    } else {
                        // (Whatever the entity's kind: scoring reads initials in names of
                        // unknown kind too.)
                        let compound = if t.compound {
                            NAME_V14.initial_residual
                        } else {
                            1.0
                        };
                        NAME_V14.name_unmatched
                            * t.weight as f64
                            * t.term.unmatched_share().min(compound)
                    }
                })
                .collect(),
            initials: tokens
                .iter()
                .filter(|t| t.initial)
                .map(|t| {
                    t.weight as f64 * NAME_V14.initial_similarity.max(NAME_V14.initials_together)
                })
                .sum(),
        }
    }

    /// Whether scoring may charge the customer's middle words less: the name has two words or
    /// more and each may be matched (credited, or standing for one of the customer's
    /// initials).
    fn all_words_matched(&self, credit: &[f64], initials: &[(u8, f64)]) -> bool {
        let words = self.words.iter().filter(|&&w| w).count();
        words >= 2
            && self.words.iter().enumerate().all(|(j, &w)| {
                !w || credit.get(j).is_some_and(|c| *c > 0.0) || {
                    let letter = self.letters.get(j).copied().unwrap_or(0);
                    letter != 0 && initials.iter().any(|i| i.0 == letter)
                }
            })
    }

    /// The distinct first letters of the words a customer's initial may stand for.
    fn letters(&self) -> Vec<u8> {
        let mut out: Vec<u8> = self.letters.iter().copied().filter(|&l| l != 0).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The penalty of the tokens without credit that none of the customer's `initials` may
    /// stand for.
    fn unmatched(&self, credit: &[f64], initials: &[(u8, f64)]) -> f64 {
        self.penalty
            .iter()
            .enumerate()
            .filter(|(j, _)| credit.get(*j).is_none_or(|c| *c <= 0.0))
            .filter(|(j, _)| {
                let letter = self.letters.get(*j).copied().unwrap_or(0);
                letter == 0 || !initials.iter().any(|i| i.0 == letter)
            })
            .map(|(_, p)| p)
            .sum()
    }
}

/// Upper bound of a `name-v16` name score: `matched` pair weight at full credit against itself
/// plus `penalty` (both sides' unmatched tokens), times the evidence factor.
fn upper_bound(matched: f64, penalty: f64) -> f64 {
    if matched <= 0.0 {
        return 0.0;
    }
    matched / (matched + penalty.max(0.0)) * (matched / NAME_V14.min_evidence).min(1.0)
}

/// The bound for a customer: pair weight is the mean of the two sides' weights.
///
/// The customer's `initials` (per letter of the name's words, their weight at most) may each
/// pair with a word of the name of that letter that nothing else credits: scoring then weighs
/// the pair at the initial's weight (at most) and the word no longer costs its unmatched
/// penalty. The bound takes every such word as paired, and the initials at full credit.
fn customer_bound(e: &Credit, name: &NameSide, initials: &[(u8, f64)]) -> f64 {
    let matched_customer = e.matched() / STALE;
    let own_initials = initials.iter().map(|i| i.1).sum::<f64>() / STALE;
    let pairs = 0.5 * (e.acc() + matched_customer) + name.initials + own_initials;
    let customer_unmatched = (STALE * e.weight - matched_customer).max(0.0);
    // Any of the customer's unmatched words may lie between matched ones; against a name
    // with initials, any may continue a compound one of them stands for.
    let mut factor = if name.all_words_matched(&e.tokens, initials) {
        NAME_V14.query_unmatched * NAME_V14.middle_name
    } else {
        NAME_V14.query_unmatched
    };
    if name.initials > 0.0 {
        factor = factor.min(NAME_V14.query_unmatched * NAME_V14.initial_residual);
    }
    upper_bound(
        pairs,
        factor * customer_unmatched + name.unmatched(&e.tokens, initials),
    )
}

/// The sources of one name: per token its corresponding book terms (best similarity first),
/// joined adjacent tokens, and splits of a token into two book terms.
fn sources(
    registry: &Registry,
    tokens: &[WeightedToken],
    lookups: &mut Lookups,
    stats: &mut RetrievalStats,
) -> Result<Vec<Source>, ScreeningError> {
    let mut out = Vec::new();
    for (j, t) in tokens.iter().enumerate() {
        if t.initial {
            continue;
        }
        let w = t.weight as f64;
        for &(id, sim, stored) in corresponding(registry, &t.term, lookups, stats)?.iter() {
            out.push(Source {
                shares: vec![(j, w * sim)],
                credit: w * sim,
                terms: vec![(id, stored)],
                postings: postings(registry, id, lookups)?,
            });
        }
        // Customers whose name may end in a start of this word, cut short (`Fed` of
        // `Federico`): scoring pairs the two (`Method::Truncated`), here at full credit.
        let text = t.term.text();
        if matches!(t.term.class(), TokenClass::Word | TokenClass::LegalForm) && text.is_ascii() {
            for k in CUT_SHORT_MIN_LEN..text.len() {
                if let Some((id, stored)) = exact(registry, &cut_term_text(&text[..k]), lookups)? {
                    out.push(Source {
                        shares: vec![(j, w)],
                        credit: w,
                        terms: vec![(id, stored)],
                        postings: postings(registry, id, lookups)?,
                    });
                }
            }
        }
        // Customers with a declined word one of whose stems this word spells (`Вагнера` for
        // `WAGNER`): scoring pairs the two (`Method::Inflection`), here at full credit.
        let spelling = t.term.spelling();
        if t.term.class() == TokenClass::Word && !spelling.is_empty() {
            if let Some((id, stored)) = exact(registry, &stem_term_text(spelling), lookups)? {
                out.push(Source {
                    shares: vec![(j, w)],
                    credit: w,
                    terms: vec![(id, stored)],
                    postings: postings(registry, id, lookups)?,
                });
            }
        }
        for ((a, a_w), (b, b_w)) in split_terms(registry, t.term.text(), lookups, stats)? {
            let (pa, pb) = (
                postings(registry, a, lookups)?,
                postings(registry, b, lookups)?,
            );
            out.push(Source {
                shares: vec![(j, w)],
                credit: w,
                terms: vec![(a, a_w), (b, b_w)],
                postings: Rc::new(both(&pa, &pb)),
            });
        }
    }
    for j in 0..tokens.len().saturating_sub(1) {
        let (a, b) = (&tokens[j], &tokens[j + 1]);
        let number = |t: &Term| t.class() == TokenClass::Number;
        if a.initial || b.initial || number(&a.term) || number(&b.term) {
            continue;
        }
        let joined = Term::new(&Token {
            text: format!("{}{}", a.term.text(), b.term.text()),
            class: TokenClass::Word,
            canonical: None,
        });
        let w = (a.weight + b.weight) as f64;
        for &(id, sim, stored) in corresponding(registry, &joined, lookups, stats)?.iter() {
            out.push(Source {
                shares: vec![(j, a.weight as f64 * sim), (j + 1, b.weight as f64 * sim)],
                credit: w * sim,
                terms: vec![(id, stored)],
                postings: postings(registry, id, lookups)?,
            });
        }
    }
    Ok(out)
}

/// The customers on both posting lists (each sorted by customer).
fn both(a: &[Posting], b: &[Posting]) -> Vec<Posting> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small
        .iter()
        .filter(|p| {
            large
                .binary_search_by_key(&p.customer, |q| q.customer)
                .is_ok()
        })
        .copied()
        .collect()
}

/// The book terms a term corresponds to, best first, with similarity and stored weight.
fn corresponding(
    registry: &Registry,
    term: &Term,
    lookups: &mut Lookups,
    stats: &mut RetrievalStats,
) -> Result<Corresponding, ScreeningError> {
    if let Some(found) = lookups.terms.get(term.text()) {
        return Ok(found.clone());
    }
    let keys = term.keys();
    stats.keys += keys.len();
    let mut found: Vec<(BookTermId, f64, f64)> = registry
        .book_terms_by_keys(&keys)?
        .into_iter()
        .filter_map(|(id, book)| {
            term.similarity(&term_of(&book))
                .map(|s| (id, s, book.weight as f64))
        })
        .collect();
    found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    stats.terms += found.len();
    let found = Rc::new(found);
    lookups.terms.insert(term.text().to_string(), found.clone());
    Ok(found)
}

/// A term's posting list, read once per run.
fn postings(
    registry: &Registry,
    id: BookTermId,
    lookups: &mut Lookups,
) -> Result<Rc<Vec<Posting>>, ScreeningError> {
    if let Some(p) = lookups.postings.get(&id) {
        return Ok(p.clone());
    }
    let p = Rc::new(registry.book_postings(id)?);
    lookups.postings.insert(id, p.clone());
    Ok(p)
}

/// The pairs of book terms a customer may have written `text` as, in two words (the forward
/// search joins adjacent query words and compares them with one listed word), with the stored
/// weight of both: for each split of `text`, one half must be a book term and the other must
/// correspond to one, or (for a short half, a legal form or particle) be one letter from one.
fn split_terms(
    registry: &Registry,
    text: &str,
    lookups: &mut Lookups,
    stats: &mut RetrievalStats,
) -> Result<Vec<Half2>, ScreeningError> {
    let mut out = Vec::new();
    if text.len() < 4 || !text.is_ascii() {
        return Ok(out);
    }
    let half = |s: &str| {
        Term::new(&Token {
            text: s.to_string(),
            class: TokenClass::Word,
            canonical: None,
        })
    };
    for k in 2..=text.len() - 2 {
        let (l, r) = (&text[..k], &text[k..]);
        let (le, re) = (exact(registry, l, lookups)?, exact(registry, r, lookups)?);
        // A short half is matched exactly or one letter off; a longer one as any token is.
        let other = |text: &str,
                     lookups: &mut Lookups,
                     stats: &mut RetrievalStats|
         -> Result<Vec<(BookTermId, f64)>, ScreeningError> {
            if text.len() <= SHORT {
                let mut found = one_letter_off(registry, text, lookups)?;
                found.extend(exact(registry, text, lookups)?);
                Ok(found)
            } else {
                Ok(corresponding(registry, &half(text), lookups, stats)?
                    .iter()
                    .map(|&(id, _, w)| (id, w))
                    .collect())
            }
        };
        if let Some(right) = re {
            for left in other(l, lookups, stats)? {
                out.push((left, right));
            }
        }
        if let Some(left) = le {
            for right in other(r, lookups, stats)? {
                out.push((left, right));
            }
        }
    }
    out.sort_by_key(|p| (p.0 .0, p.1 .0));
    out.dedup_by_key(|p| (p.0 .0, p.1 .0));
    Ok(out)
}

/// Texts whose one-edit neighbours are looked up one by one before the book's short terms are
/// read whole. Looking up the few hundred neighbours of a text costs about 0.5 ms on a book of
/// a million customers; reading its 33k short terms, 40 ms: a daily update needs a few dozen
/// texts, a monthly one hundreds.
const POINT_LOOKUP_TEXTS: usize = 64;

/// The book's short terms one edit (substitution, insertion, deletion, transposition of
/// neighbours) from `text`, with their stored weights. The neighbours of a short text are few
/// (a few hundred), so they are generated and looked up rather than compared with every short
/// term of the book.
fn one_letter_off(
    registry: &Registry,
    text: &str,
    lookups: &mut Lookups,
) -> Result<Vec<(BookTermId, f64)>, ScreeningError> {
    if let Some(found) = lookups.one_off.get(text) {
        return Ok(found.clone());
    }
    let neighbours = one_edit_neighbours(text);
    let mut found: Vec<(BookTermId, f64)> = Vec::new();
    if lookups.short.is_none() && lookups.one_off.len() < POINT_LOOKUP_TEXTS {
        for n in &neighbours {
            found.extend(exact(registry, n, lookups)?);
        }
    } else {
        if lookups.short.is_none() {
            let terms = registry.book_short_terms(SHORT + 1)?;
            lookups.short = Some(
                terms
                    .into_iter()
                    .map(|(id, t)| (t.text, (id, t.weight as f64)))
                    .collect(),
            );
        }
        if let Some(short) = &lookups.short {
            found.extend(neighbours.iter().filter_map(|n| short.get(n).copied()));
        }
    }
    found.sort_by_key(|f| f.0);
    found.dedup_by_key(|f| f.0);
    lookups.one_off.insert(text.to_string(), found.clone());
    Ok(found)
}

/// Every string one edit from an ASCII `text` over lower-case letters and digits (the alphabet
/// of analysed tokens), `text` itself excluded.
fn one_edit_neighbours(text: &str) -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let b = text.as_bytes();
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(b.len() * 73 + 40);
    for i in 0..b.len() {
        let mut d = b.to_vec();
        d.remove(i);
        out.push(d);
        if i + 1 < b.len() && b[i] != b[i + 1] {
            let mut t = b.to_vec();
            t.swap(i, i + 1);
            out.push(t);
        }
        for &c in ALPHABET {
            if c != b[i] {
                let mut r = b.to_vec();
                r[i] = c;
                out.push(r);
            }
        }
    }
    for i in 0..=b.len() {
        for &c in ALPHABET {
            let mut n = b.to_vec();
            n.insert(i, c);
            out.push(n);
        }
    }
    out.into_iter()
        .filter(|n| !n.is_empty() && n.as_slice() != b)
        .filter_map(|n| String::from_utf8(n).ok())
        .collect()
}

/// The book term with exactly this text and its stored weight, looked up once per run.
fn exact(
    registry: &Registry,
    text: &str,
    lookups: &mut Lookups,
) -> Result<Option<(BookTermId, f64)>, ScreeningError> {
    if let Some(found) = lookups.exact.get(text) {
        return Ok(*found);
    }
    let found = registry
        .book_term(text)?
        .map(|(id, t)| (id, t.weight as f64));
    lookups.exact.insert(text.to_string(), found);
    Ok(found)
}

/// Accumulates the credit of each customer for one name and keeps those whose bound reaches
/// the cut.
fn collect(
    sources: &[Source],
    name: &NameSide,
    initials: &[InitialList],
    cut: f64,
    out: &mut BTreeSet<CustomerRef>,
    stats: &mut RetrievalStats,
) {
    let initials_of = |c: CustomerRef| -> Initials {
        initials
            .iter()
            .filter_map(|l| l.of(c).map(|w| (l.letter, w)))
            .collect()
    };
    // The most initials can give a customer.
    let most: Initials = initials.iter().map(|l| (l.letter, l.most)).collect();
    // Rarest first; per token the best similarity first (credit breaks volume ties).
    let mut order: Vec<&Source> = sources.iter().collect();
    order.sort_by(|a, b| {
        a.postings
            .len()
            .cmp(&b.postings.len())
            .then(b.credit.total_cmp(&a.credit))
    });
    // What sources at or after each position can still give a customer none of the earlier
    // ones found: per token the best credit, and every term they match.
    let len = name.penalty.len();
    let mut rest = vec![Credit::new(len, 0.0); order.len() + 1];
    for i in (0..order.len()).rev() {
        let mut r = rest[i + 1].clone();
        r.add(order[i]);
        rest[i] = r;
    }
    let mut credit: HashMap<CustomerRef, Credit> = HashMap::new();
    for (i, s) in order.iter().enumerate() {
        // A customer no source has found yet gets at most `rest[i]`, and its own tokens cost
        // at least nothing: if even that misses the cut, only customers already found matter.
        // Customers with initials get more: those the rest lifts to the cut only with their
        // own initials are taken one by one.
        let newcomers = customer_bound(&rest[i], name, &[]) >= cut;
        let with_initials = !newcomers && customer_bound(&rest[i], name, &most) >= cut;
        if newcomers {
            for p in s.postings.iter() {
                credit
                    .entry(p.customer)
                    .or_insert_with(|| Credit::new(len, p.weight as f64))
                    .add(s);
            }
        } else if with_initials {
            for p in s.postings.iter() {
                if let Some(e) = credit.get_mut(&p.customer) {
                    e.add(s);
                } else if customer_bound(&rest[i], name, &initials_of(p.customer)) >= cut {
                    let mut e = Credit::new(len, p.weight as f64);
                    e.add(s);
                    credit.insert(p.customer, e);
                }
            }
        } else if credit.len() < s.postings.len() {
            for (c, e) in credit.iter_mut() {
                if s.postings.binary_search_by_key(c, |p| p.customer).is_ok() {
                    e.add(s);
                }
            }
        } else {
            for p in s.postings.iter() {
                if let Some(e) = credit.get_mut(&p.customer) {
                    e.add(s);
                }
            }
        }
    }
    stats.customers_seen += credit.len();
    out.extend(
        credit
            .into_iter()
            .filter(|(c, e)| customer_bound(e, name, &initials_of(*c)) >= cut)
            .map(|(c, _)| c),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term_id(n: i64) -> BookTermId {
        BookTermId(n)
    }

    #[test]
    fn the_bound_grows_with_the_matched_weight_and_falls_with_the_penalty() {
        assert_eq!(upper_bound(0.0, 0.0), 0.0);
        assert!(upper_bound(2.0, 0.0) > 0.99);
        assert!(upper_bound(1.0, 0.5) < upper_bound(1.5, 0.5));
        assert!(upper_bound(1.0, 1.0) < upper_bound(1.0, 0.5));
        // A lone common token stays far below any threshold.
        assert!(upper_bound(0.1, 0.5) < 0.1);
    }

    #[test]
    fn a_customer_sharing_one_word_is_not_a_candidate_once_its_own_words_count() {
        // HANAFIN, John Desmond against "John Smith": john matched, smith (weight 1) not.
        let name = NameSide {
            penalty: vec![0.25, 0.25 * 0.73, 0.25],
            initials: 0.0,
            letters: vec![b'j', b's', b's'],
            words: vec![true; 3],
        };
        let john = Credit {
            tokens: vec![0.0, 0.73, 0.0],
            terms: vec![(term_id(1), 0.72)],
            weight: 1.72,
        };
        let cut = 0.81 - bonus();
        assert!(customer_bound(&john, &name, &[]) < cut);
        // Without the customer's side (a customer with no other word) it would pass the old
        // estimate cut, not the score cut.
        let alone = Credit {
            weight: 0.72,
            ..john.clone()
        };
        assert!(customer_bound(&alone, &name, &[]) < cut);
        // All three words: a candidate.
        let all = Credit {
            tokens: vec![1.0, 0.73, 1.0],
            terms: vec![(term_id(1), 0.72), (term_id(2), 1.0), (term_id(3), 0.98)],
            weight: 2.7,
        };
        assert!(customer_bound(&all, &name, &[]) > 0.99);
    }

    #[test]
    fn a_middle_name_the_list_lacks_keeps_the_customer_a_candidate() {
        // `Asma Fawaz al Asad` against `AL-ASSAD, Asma`: both words matched, the customer's
        // `fawaz` between them costs `middle_name` of its penalty in scoring.
        let name = NameSide {
            penalty: vec![0.25 * 0.08, 0.25 * 0.7, 0.25 * 0.93],
            initials: 0.0,
            letters: vec![b'a', b'a', b'a'],
            words: vec![false, true, true],
        };
        let asma = Credit {
            tokens: vec![0.08, 0.64, 0.93],
            terms: vec![(term_id(1), 0.08), (term_id(2), 0.7), (term_id(3), 0.93)],
            weight: 0.08 + 0.7 + 0.93 + 0.75,
        };
        let pairs = 0.08 + 0.64 * 0.92 + 0.93;
        let score = pairs / (pairs + NAME_V14.middle_name * 0.75);
        assert!(customer_bound(&asma, &name, &[]) >= score);
        // With a word of the name unmatched, the customer's words cost in full.
        let half = Credit {
            tokens: vec![0.08, 0.0, 0.93],
            terms: vec![(term_id(1), 0.08), (term_id(3), 0.93)],
            ..asma.clone()
        };
        assert!(!name.all_words_matched(&half.tokens, &[]));
        assert!(name.all_words_matched(&asma.tokens, &[]));
    }

    #[test]
    fn a_customers_initials_count_as_the_words_they_may_stand_for() {
        // `N G DIRKS` against `DIRKS, Natalia Germanova`: only `dirks` is a book term.
        let name = NameSide {
            penalty: vec![0.25 * 0.9, 0.25 * 0.95, 0.25 * 0.8],
            initials: 0.0,
            letters: vec![b'd', b'n', b'g'],
            words: vec![true; 3],
        };
        let dirks = Credit {
            tokens: vec![0.9, 0.0, 0.0],
            terms: vec![(term_id(1), 0.9)],
            weight: 0.9,
        };
        let cut = 0.81 - bonus();
        assert!(customer_bound(&dirks, &name, &[]) < cut);
        let initials = [(b'n', 0.1), (b'g', 0.1)];
        assert!(customer_bound(&dirks, &name, &initials) >= 0.81);
    }

    #[test]
    fn overlapping_sources_keep_each_tokens_best_credit() {
        // JOINT STOCK COMPANY NOBILITY: the two tokens written together resemble the legal
        // form alone (a phonetic key), which must not hide the exact match of `nobility`.
        let (jsc, nobility) = (term_id(1), term_id(2));
        let source = |shares: Vec<(usize, f64)>, terms: Vec<(BookTermId, f64)>| Source {
            credit: shares.iter().map(|s| s.1).sum(),
            shares,
            terms,
            postings: Rc::new(Vec::new()),
        };
        let mut c = Credit::new(2, 1.1);
        c.add(&source(vec![(0, 0.09), (1, 0.81)], vec![(jsc, 0.1)]));
        c.add(&source(vec![(1, 1.0)], vec![(nobility, 1.0)]));
        c.add(&source(vec![(0, 0.1)], vec![(jsc, 0.1)]));
        assert!((c.acc() - 1.1).abs() < 1e-9);
        assert!((c.matched() - 1.1).abs() < 1e-9, "each term counts once");
        let name = NameSide {
            penalty: vec![0.025, 0.25],
            initials: 0.0,
            letters: vec![0, 0],
            words: vec![false, true],
        };
        assert!(customer_bound(&c, &name, &[]) > 0.99);
    }

    #[test]
    fn one_edit_neighbours_cover_every_kind_of_edit() {
        let n = one_edit_neighbours("ld");
        for want in ["ltd", "l", "d", "dl", "lp", "old"] {
            assert!(n.iter().any(|x| x == want), "{want}");
        }
        assert!(!n.iter().any(|x| x == "ld" || x == "llp"));
        assert!(one_edit_neighbours("sa").iter().any(|x| x == "as"));
    }
}
