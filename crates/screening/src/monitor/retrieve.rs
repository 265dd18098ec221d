//! Reverse retrieval: the customers of the book that a few new or changed listed entities may
//! be, without screening the book.
//!
//! For each name of each changed entity:
//!
//! 1. its tokens, with the weights the screening index gives them
//!    ([`MatchIndex::weighted_tokens`]);
//! 2. for each token, the book terms it corresponds to: the token's keys looked up in the
//!    book's key table ([`Term::keys`]: the keys the index itself files terms under), each hit
//!    confirmed with the similarity scoring uses ([`Term::similarity`]); adjacent tokens are
//!    also looked up joined (`AL QAIDA` finds customers written `Alqaida`) and each token split
//!    in two book terms (`ALQAIDA` finds `Al Qaida`);
//! 3. for each customer on those terms' posting lists, the weight of the name's tokens it
//!    has (each token counted once, at its best similarity), plus the weight of the name's
//!    initials as if they all matched;
//! 4. an upper bound of the score estimate the index's own retrieval uses: matched weight
//!    against matched weight plus the penalty of the name's unmatched weight, times the
//!    evidence factor — the customer's own unmatched tokens left out, so the bound is never
//!    below the estimate. Customers whose bound reaches [`CUT`] × threshold are candidates.
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
use interdict_matching::{MatchIndex, Term, Token, TokenClass, NAME_V1};
use interdict_model::Entity;
use interdict_registry::{BookTermId, CustomerRef, Registry};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

/// Fraction of the alert threshold the bound must reach: below the index's own 0.4, because the
/// bound weighs tokens by the listed name's weights where the index weighs the query's.
pub(crate) const CUT: f64 = 0.3;

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

/// One source of evidence for a name: customers on a posting list, crediting tokens `mask`
/// with `weight × similarity`.
struct Source {
    mask: u64,
    credit: f64,
    postings: Rc<Vec<CustomerRef>>,
}

/// Caches of book lookups shared by all names of a run: changed entities repeat tokens.
#[derive(Default)]
struct Lookups {
    /// Token text → corresponding book terms with similarity.
    terms: HashMap<String, Rc<Vec<(BookTermId, f64)>>>,
    /// Exact book term by text (for splits).
    exact: HashMap<String, Option<BookTermId>>,
    postings: HashMap<BookTermId, Rc<Vec<CustomerRef>>>,
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
/// of total weight `name_weight` (see the module docs).
fn upper_bound(matched: f64, name_weight: f64) -> f64 {
    if matched <= 0.0 {
        return 0.0;
    }
    let denominator = matched + NAME_V1.name_unmatched * (name_weight - matched).max(0.0);
    matched / denominator * (matched / NAME_V1.min_evidence).min(1.0)
}

/// The sources of one name: per token its corresponding book terms (best similarity first),
/// joined adjacent tokens, and splits of a token into two book terms.
fn sources(
    registry: &Registry,
    tokens: &[interdict_matching::WeightedToken],
    lookups: &mut Lookups,
    stats: &mut RetrievalStats,
) -> Result<Vec<Source>, ScreeningError> {
    let mut out = Vec::new();
    let mut push = |mask: u64, weight: f64, terms: &[(BookTermId, f64)], lookups: &mut Lookups| {
        for &(id, sim) in terms {
            out.push(Source {
                mask,
                credit: weight * sim,
                postings: postings(registry, id, lookups)?,
            });
        }
        Ok::<(), ScreeningError>(())
    };
    for (j, t) in tokens.iter().enumerate().take(64) {
        if t.initial {
            continue;
        }
        let terms = corresponding(registry, &t.term, lookups, stats)?;
        push(1 << j, t.weight as f64, &terms, lookups)?;
        let halves: Vec<(BookTermId, f64)> = split_terms(registry, t.term.text(), lookups)?
            .into_iter()
            .map(|id| (id, 1.0))
            .collect();
        push(1 << j, t.weight as f64, &halves, lookups)?;
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
        let terms = corresponding(registry, &joined, lookups, stats)?;
        push(
            (1 << j) | (1 << (j + 1)),
            (a.weight + b.weight) as f64,
            &terms,
            lookups,
        )?;
    }
    Ok(out)
}

/// The book terms a term corresponds to, best first.
fn corresponding(
    registry: &Registry,
    term: &Term,
    lookups: &mut Lookups,
    stats: &mut RetrievalStats,
) -> Result<Rc<Vec<(BookTermId, f64)>>, ScreeningError> {
    if let Some(found) = lookups.terms.get(term.text()) {
        return Ok(found.clone());
    }
    let keys = term.keys();
    stats.keys += keys.len();
    let mut found: Vec<(BookTermId, f64)> = registry
        .book_terms_by_keys(&keys)?
        .into_iter()
        .filter_map(|(id, book)| term.similarity(&term_of(&book)).map(|s| (id, s)))
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
) -> Result<Rc<Vec<CustomerRef>>, ScreeningError> {
    if let Some(p) = lookups.postings.get(&id) {
        return Ok(p.clone());
    }
    let p = Rc::new(registry.book_postings(id)?);
    lookups.postings.insert(id, p.clone());
    Ok(p)
}

/// For each way of writing `text` as two book terms (`alqaida` → `al` + `qaida`), the rarer of
/// the two: a customer written in two words has it.
fn split_terms(
    registry: &Registry,
    text: &str,
    lookups: &mut Lookups,
) -> Result<Vec<BookTermId>, ScreeningError> {
    let mut out = Vec::new();
    if text.len() < 5 || !text.is_ascii() {
        return Ok(out);
    }
    for k in 2..=text.len() - 2 {
        let (Some(a), Some(b)) = (
            exact(registry, &text[..k], lookups)?,
            exact(registry, &text[k..], lookups)?,
        ) else {
            continue;
        };
        let (pa, pb) = (
            postings(registry, a, lookups)?,
            postings(registry, b, lookups)?,
        );
        out.push(if pa.len() <= pb.len() { a } else { b });
    }
    Ok(out)
}

/// The book term with exactly this text, looked up once per run.
fn exact(
    registry: &Registry,
    text: &str,
    lookups: &mut Lookups,
) -> Result<Option<BookTermId>, ScreeningError> {
    if let Some(found) = lookups.exact.get(text) {
        return Ok(*found);
    }
    let found = registry.book_term(text)?.map(|(id, _)| id);
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
    let mut credit: HashMap<CustomerRef, (f64, u64)> = HashMap::new();
    for (i, s) in order.iter().enumerate() {
        let newcomers = upper_bound(rest[i] + initials, name_weight) >= cut;
        if newcomers {
            for &c in s.postings.iter() {
                let e = credit.entry(c).or_insert((0.0, 0));
                if e.1 & s.mask == 0 {
                    e.0 += s.credit;
                    e.1 |= s.mask;
                }
            }
        } else if credit.len() < s.postings.len() {
            for (c, e) in credit.iter_mut() {
                if e.1 & s.mask == 0 && s.postings.binary_search(c).is_ok() {
                    e.0 += s.credit;
                    e.1 |= s.mask;
                }
            }
        } else {
            for c in s.postings.iter() {
                if let Some(e) = credit.get_mut(c) {
                    if e.1 & s.mask == 0 {
                        e.0 += s.credit;
                        e.1 |= s.mask;
                    }
                }
            }
        }
    }
    stats.customers_seen += credit.len();
    out.extend(
        credit
            .into_iter()
            .filter(|(_, (matched, _))| upper_bound(matched + initials, name_weight) >= cut)
            .map(|(c, _)| c),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bound_grows_with_the_matched_weight() {
        assert_eq!(upper_bound(0.0, 2.0), 0.0);
        assert!(upper_bound(2.0, 2.0) > 0.99);
        assert!(upper_bound(1.0, 2.0) < upper_bound(1.5, 2.0));
        // A lone common token of a long name stays far below any threshold.
        assert!(upper_bound(0.1, 3.0) < 0.1);
    }
}
