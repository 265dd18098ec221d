//! Reverse retrieval: the customers of the book that a few new or changed listed entities may
//! be, without screening the book.
//!
//! For each name of each changed entity:
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
//!    `Emera Ltd`); a split credits only customers who have both halves;
//! 3. for each customer on those posting lists, the weight of the name's tokens it has (each
//!    token once, at its best similarity), plus the weight of the name's initials as if they
//!    all matched;
//! 4. an upper bound of the score estimate the index's own retrieval makes: matched weight
//!    against matched weight, plus the full penalty of the customer's unmatched weight, plus
//!    the (quarter) penalty of the name's unmatched weight, times the evidence factor. The
//!    customer's unmatched weight is its total weight (stored in each posting when it was
//!    filed) less the stored weights of the terms that matched, allowing for lists that
//!    changed since ([`STALE`]). Customers whose bound reaches [`CUT`] × threshold are
//!    candidates.
//!
//! Without the customer side the bound would be useless: a listed name's unmatched tokens cost
//! a quarter of their weight, so every customer sharing one moderately rare word with it
//! (`LOGISTIC`, `RAHMAN`) would pass — 2% of a million-customer book on a typical day, where
//! the customer's own unmatched words (which cost their full weight) rule nearly all out.
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

use super::book::term_of;
use crate::ScreeningError;
use interdict_matching::{MatchIndex, Term, Token, TokenClass, WeightedToken, NAME_V1};
use interdict_model::Entity;
use interdict_registry::{BookTerm, BookTermId, CustomerRef, Posting, Registry};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

/// Fraction of the alert threshold the bound must reach: below the index's own 0.4, because the
/// bound weighs matched tokens by the listed name's weights where the index weighs the query's.
pub(crate) const CUT: f64 = 0.3;

/// Share of a customer's stored weight counted as certain: its tokens' weights were those of
/// the lists on the day it was filed, and lists change (a token of a customer becomes common,
/// a new entity brings a term close to it). Quantisation in the postings already rounds down.
pub(crate) const STALE: f64 = 0.8;

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
/// crediting the name's tokens `mask` with `credit` and their own terms with `matched` of
/// their stored weight.
struct Source {
    mask: u64,
    credit: f64,
    matched: f64,
    postings: Rc<Vec<Posting>>,
}

/// What a name has gathered about one customer.
#[derive(Clone, Copy, Default)]
struct Credit {
    /// Weight of the name's tokens matched, × similarity.
    acc: f64,
    /// The name's tokens matched.
    mask: u64,
    /// Stored weight of the customer's terms that matched.
    matched: f64,
    /// The customer's stored total weight.
    weight: f64,
}

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
    /// The book's short terms, read when a split first needs them.
    short: Option<Vec<(BookTermId, BookTerm)>>,
}

/// The candidate customers for `changed` entities (which must be in `index`), and what it
/// took to find them.
pub(crate) fn candidates(
    registry: &Registry,
    index: &MatchIndex,
    changed: &[Entity],
    threshold: f64,
) -> Result<(BTreeSet<CustomerRef>, RetrievalStats), ScreeningError> {
    let cut = CUT * threshold;
    let mut stats = RetrievalStats::default();
    let mut lookups = Lookups::default();
    let mut out = BTreeSet::new();
    for entity in changed {
        for name in &entity.names {
            stats.names += 1;
            let tokens = index.weighted_tokens(&name.full);
            let sources = sources(registry, &tokens, &mut lookups, &mut stats)?;
            let name_weight: f64 = tokens.iter().map(|t| t.weight as f64).sum();
            let initials: f64 = tokens
                .iter()
                .filter(|t| t.initial)
                .map(|t| t.weight as f64 * NAME_V1.initial_similarity)
                .sum();
            collect(&sources, name_weight, initials, cut, &mut out, &mut stats);
        }
    }
    stats.candidates = out.len();
    Ok((out, stats))
}

/// Upper bound of the index's retrieval estimate for a customer that has `matched` of a name
/// of total weight `name_weight` and leaves at least `unmatched` of its own weight unmatched
/// (see the module docs).
fn upper_bound(matched: f64, unmatched: f64, name_weight: f64) -> f64 {
    if matched <= 0.0 {
        return 0.0;
    }
    let denominator = matched
        + NAME_V1.query_unmatched * unmatched.max(0.0)
        + NAME_V1.name_unmatched * (name_weight - matched).max(0.0);
    matched / denominator * (matched / NAME_V1.min_evidence).min(1.0)
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
    for (j, t) in tokens.iter().enumerate().take(64) {
        if t.initial {
            continue;
        }
        let w = t.weight as f64;
        for &(id, sim, stored) in corresponding(registry, &t.term, lookups, stats)?.iter() {
            out.push(Source {
                mask: 1 << j,
                credit: w * sim,
                matched: stored,
                postings: postings(registry, id, lookups)?,
            });
        }
        for (a, b, matched) in split_terms(registry, t.term.text(), lookups, stats)? {
            let (pa, pb) = (
                postings(registry, a, lookups)?,
                postings(registry, b, lookups)?,
            );
            out.push(Source {
                mask: 1 << j,
                credit: w,
                matched,
                postings: Rc::new(both(&pa, &pb)),
            });
        }
    }
    for j in 0..tokens.len().min(64).saturating_sub(1) {
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
                mask: (1 << j) | (1 << (j + 1)),
                credit: w * sim,
                matched: stored,
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
) -> Result<Vec<(BookTermId, BookTermId, f64)>, ScreeningError> {
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
        if let Some((r_id, r_w)) = re {
            for &(a, _, a_w) in corresponding(registry, &half(l), lookups, stats)?.iter() {
                out.push((a, r_id, a_w + r_w));
            }
            if l.len() <= SHORT {
                for (s, s_w) in one_letter_off(registry, l, lookups)? {
                    out.push((s, r_id, s_w + r_w));
                }
            }
        }
        if let Some((l_id, l_w)) = le {
            for &(b, _, b_w) in corresponding(registry, &half(r), lookups, stats)?.iter() {
                out.push((l_id, b, l_w + b_w));
            }
            if r.len() <= SHORT {
                for (s, s_w) in one_letter_off(registry, r, lookups)? {
                    out.push((l_id, s, l_w + s_w));
                }
            }
        }
    }
    out.sort_by_key(|p| (p.0, p.1));
    out.dedup_by_key(|p| (p.0, p.1));
    Ok(out)
}

/// The book's short terms one edit (substitution, insertion, deletion, transposition) from
/// `text`, with their stored weights.
fn one_letter_off(
    registry: &Registry,
    text: &str,
    lookups: &mut Lookups,
) -> Result<Vec<(BookTermId, f64)>, ScreeningError> {
    if lookups.short.is_none() {
        lookups.short = Some(registry.book_short_terms(SHORT + 1)?);
    }
    Ok(lookups
        .short
        .iter()
        .flatten()
        .filter(|(_, t)| osa(text.as_bytes(), t.text.as_bytes()) == 1)
        .map(|(id, t)| (*id, t.weight as f64))
        .collect())
}

/// Optimal string alignment distance of two short byte strings.
fn osa(a: &[u8], b: &[u8]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
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
    name_weight: f64,
    initials: f64,
    cut: f64,
    out: &mut BTreeSet<CustomerRef>,
    stats: &mut RetrievalStats,
) {
    // Rarest first; per token the best similarity first (credit breaks volume ties).
    let mut order: Vec<&Source> = sources.iter().collect();
    order.sort_by(|a, b| {
        a.postings
            .len()
            .cmp(&b.postings.len())
            .then(b.credit.total_cmp(&a.credit))
    });
    // Most credit still available from sources at or after each position (a token counts
    // once: its best source's credit).
    let mut rest = vec![0.0; order.len() + 1];
    {
        let mut best: HashMap<u64, f64> = HashMap::new();
        for i in (0..order.len()).rev() {
            let s = order[i];
            let e = best.entry(s.mask).or_insert(0.0);
            *e = e.max(s.credit);
            rest[i] = best.values().sum::<f64>();
        }
    }
    let credit_one = |e: &mut Credit, s: &Source| {
        if e.mask & s.mask == 0 {
            e.acc += s.credit;
            e.mask |= s.mask;
            e.matched += s.matched;
        }
    };
    let mut credit: HashMap<CustomerRef, Credit> = HashMap::new();
    for (i, s) in order.iter().enumerate() {
        // A customer no source has found yet gets at most `rest[i]`; if that cannot reach the
        // cut even with none of its own weight unmatched, only customers already found matter.
        let newcomers = upper_bound(rest[i] + initials, 0.0, name_weight) >= cut;
        if newcomers {
            for p in s.postings.iter() {
                let e = credit.entry(p.customer).or_insert(Credit {
                    weight: p.weight as f64,
                    ..Credit::default()
                });
                credit_one(e, s);
            }
        } else if credit.len() < s.postings.len() {
            for (c, e) in credit.iter_mut() {
                if s.postings.binary_search_by_key(c, |p| p.customer).is_ok() {
                    credit_one(e, s);
                }
            }
        } else {
            for p in s.postings.iter() {
                if let Some(e) = credit.get_mut(&p.customer) {
                    credit_one(e, s);
                }
            }
        }
    }
    stats.customers_seen += credit.len();
    out.extend(
        credit
            .into_iter()
            .filter(|(_, e)| {
                let unmatched = STALE * e.weight - e.matched;
                upper_bound(e.acc + initials, unmatched, name_weight) >= cut
            })
            .map(|(c, _)| c),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bound_grows_with_the_matched_weight_and_falls_with_the_unmatched() {
        assert_eq!(upper_bound(0.0, 0.0, 2.0), 0.0);
        assert!(upper_bound(2.0, 0.0, 2.0) > 0.99);
        assert!(upper_bound(1.0, 0.0, 2.0) < upper_bound(1.5, 0.0, 2.0));
        assert!(upper_bound(1.0, 1.0, 2.0) < upper_bound(1.0, 0.0, 2.0));
        // A lone common token of a long name stays far below any threshold.
        assert!(upper_bound(0.1, 0.0, 3.0) < 0.1);
        // One shared word of a two-word name passes on the name's side alone, but not once
        // the customer's other word (weight 1) counts.
        assert!(upper_bound(0.8, 0.0, 1.6) > 0.6);
        assert!(upper_bound(0.8, 1.0, 1.6) < 0.45);
    }

    #[test]
    fn osa_counts_one_transposition_as_one_edit() {
        assert_eq!(osa(b"ltd", b"ld"), 1);
        assert_eq!(osa(b"llp", b"ll"), 1);
        assert_eq!(osa(b"sa", b"as"), 1);
        assert_eq!(osa(b"co", b"co"), 0);
        assert_eq!(osa(b"gmbh", b"ag"), 4);
    }
}
