//! Building the index from entities, from scratch or from a previous index of mostly the same
//! entities ([`reuse`](super::reuse)).
//!
//! Analysis of the names (the expensive part: normalisation, transliteration) runs in parallel
//! with rayon; interning terms and laying out postings is sequential (one hash-map lookup per
//! token), and key generation per term runs in parallel again.

use super::attrs::Dob;
use super::keys::{for_each_deletion, for_each_short_key, key, normalize_identifier, Salt};
use super::readings::name_readings;
use super::reuse::{indexed_compounds, Previous, Taken, TermSource};
use super::score::{TokenKeys, NAME_V14};
use super::search::letter_bit;
use super::table::KeyTable;
use super::{EntityRec, MatchIndex, NameRec, NameToken, TermRec};
use crate::country::normalize_country;
use crate::{analyze, AnalyzedName, TokenClass};
use interdict_model::{Entity, EntityKind, Name};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// Normalised rarity of a term found in `df` of `n` entities: `ln(1 + n/df) / ln(1 + n)`, so 1
/// for a term of one entity in a large index and about 0.25 for `company` or `al` (one entity
/// in ten), never below `min_rarity`.
pub(crate) fn rarity(df: u32, n: usize) -> f32 {
    let n = n.max(1) as f64;
    let df = (df.max(1) as f64).min(n);
    let r = (1.0 + n / df).ln() / (1.0 + n).ln();
    r.clamp(NAME_V14.min_rarity, 1.0) as f32
}

/// The document frequency of each term's variant family (its canonical, else the term alone):
/// how many entities have a name with any spelling of the word.
///
/// A name is as common as all its spellings together. Counted by spelling, the rarer spellings
/// of the commonest names weighed as rare surnames do (`muhammad` 0.38, `mohamad` 0.48, `mohd`
/// 0.55), and a query's `intl` took the weight of the rare `internazionale` rather than that of
/// `international` (0.89 against 0.45): left unmatched, the abbreviation of a generic word cost
/// a name twice what the word costs.
fn family_frequencies(index: &MatchIndex) -> Vec<u32> {
    // A canonical spelling is its own family, with or without a canonical of its own.
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    let family: Vec<u32> = index
        .terms
        .iter()
        .map(|t| {
            let next = ids.len() as u32;
            *ids.entry(t.keys.family()).or_insert(next)
        })
        .collect();
    let mut family_df = vec![0u32; ids.len()];
    let mut last = vec![u32::MAX; ids.len()];
    for (ei, e) in index.entities.iter().enumerate() {
        let names = index.names.get(e.names.0 as usize..e.names.1 as usize);
        for name in names.unwrap_or(&[]) {
            for t in name.tokens_in(&index.name_tokens) {
                if let Some(&f) = family.get(t.term as usize) {
                    let f = f as usize;
                    if last[f] != ei as u32 {
                        last[f] = ei as u32;
                        family_df[f] += 1;
                    }
                }
            }
        }
    }
    family.iter().map(|&f| family_df[f as usize]).collect()
}

/// The Zipf frequency from which a word of organisations' names weighs less
/// ([`commonness`]): about once in 300,000 words of English text.
const COMMON_ZIPF: f32 = 3.5;
/// How much less it weighs per unit of Zipf frequency above [`COMMON_ZIPF`].
const COMMON_SLOPE: f32 = 0.15;
/// The least factor: a word as common as `service` or `power` (Zipf 5.5) or commoner keeps 70%.
const COMMON_FLOOR: f32 = 0.7;

/// Per term, the factor of its rarity for how common a word it is in English
/// ([`crate::analyze::zipf_frequency`]), when no person's name in the lists has it: 1 for
/// a word rarer than [`COMMON_ZIPF`], falling by [`COMMON_SLOPE`] per unit of Zipf frequency to
/// [`COMMON_FLOOR`]. Looked up by its variant family's canonical (`gosudarstvennoye` is
/// `state`).
///
/// A word that only organisations', vessels' and aircraft's names of the lists have is weighed
/// by how many of them share it, which says little of how many businesses a bank screens do:
/// `TARGET`, `ORANGE`, `SOUTHERN` or `PREMIER` were as rare as a surname, and one of them with
/// a legal form (`Target Corp`) alerted on a listed name with one more word (`TARGET
/// ELECTRONICS`). A word of a person's name keeps its rarity: `WHITE` or `YOUNG` is a surname
/// there, and a name's common given names are already common in the lists. So does a word for
/// the kind of body an organisation is (`GROUP`, `PLANT`: [`crate::analyze::is_descriptor`]),
/// which scoring weighs as such already.
fn commonness(index: &MatchIndex) -> Vec<f32> {
    let mut personal = vec![false; index.terms.len()];
    for e in index
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Person)
    {
        let names = index.names.get(e.names.0 as usize..e.names.1 as usize);
        for name in names.unwrap_or(&[]) {
            for t in name.tokens_in(&index.name_tokens) {
                if let Some(p) = personal.get_mut(t.term as usize) {
                    *p = true;
                }
            }
        }
    }
    index
        .terms
        .iter()
        .zip(&personal)
        .map(|(t, &personal)| {
            if personal
                || t.keys.class != TokenClass::Word
                || crate::analyze::is_descriptor(&t.keys.text)
            {
                return 1.0;
            }
            crate::analyze::zipf_frequency(t.keys.family()).map_or(1.0, |z| {
                (1.0 - COMMON_SLOPE * (z - COMMON_ZIPF)).clamp(COMMON_FLOOR, 1.0)
            })
        })
        .collect()
}

/// At least as many keys as the build files `keys` under: five (text, family, phonetic,
/// skeleton, spelling) and the deletion variants, at most `1 + L + L(L-1)/2` for a text of `L`
/// bytes (radius 2; a word of two or three letters has one, and `1 + L` short-word keys,
/// which the same count covers). A capacity, so an over-estimate costs address space, not
/// memory.
fn key_count_bound(keys: &TokenKeys) -> usize {
    let l = keys.text.len();
    5 + 1 + l + l * l.saturating_sub(1) / 2
}

/// What the parallel pass prepares of one entity besides its analysed names: its attributes,
/// normalised (moved into the index, not copied).
struct Attributes {
    countries: Vec<String>,
    identifiers: Vec<String>,
    dobs: Vec<Dob>,
}

impl Attributes {
    fn of(entity: &Entity) -> Attributes {
        let mut countries: Vec<String> = entity
            .nationalities
            .iter()
            .chain(&entity.citizenships)
            .chain(entity.addresses.iter().filter_map(|a| a.country.as_ref()))
            .filter_map(|c| normalize_country(c))
            .collect();
        countries.sort();
        countries.dedup();
        let mut identifiers: Vec<String> = entity
            .identifiers
            .iter()
            .filter_map(|i| normalize_identifier(&i.value))
            .collect();
        identifiers.sort();
        identifiers.dedup();
        Attributes {
            countries,
            identifiers,
            dobs: entity.birth_dates.iter().map(Dob::from).collect(),
        }
    }
}

/// The keys a term is filed under in the key table: its exact text, variant family, phonetic
/// key, skeleton and spelling key, and the deletion variants of its text.
fn push_term_keys(out: &mut Vec<(u64, u32)>, id: u32, k: &TokenKeys) {
    out.push((key(Salt::Text, &k.text), id));
    out.push((key(Salt::Canonical, k.family()), id));
    if !k.phonetic.is_empty() {
        out.push((key(Salt::Phonetic, &k.phonetic), id));
    }
    if !k.skeleton.is_empty() {
        out.push((key(Salt::Skeleton, &k.skeleton), id));
    }
    if !k.spelling.is_empty() {
        out.push((key(Salt::Spelling, &k.spelling), id));
    }
    if k.class != TokenClass::Number && k.text.len() > 1 {
        for_each_deletion(&k.text, 2, |h| out.push((h, id)));
        for_each_short_key(&k.text, |h| out.push((h, id)));
    }
}

/// The key pairs of the terms `wanted` says, in chunks of terms each sized ahead from its
/// terms' lengths, then joined: collecting a flat map of per-term vectors grew and copied
/// vectors all along (twice the pairs' memory in fresh pages, see [`MatchIndex::assemble`]).
fn term_key_pairs(terms: &[TermRec], wanted: impl Fn(u32) -> bool + Sync) -> Vec<(u64, u32)> {
    const CHUNK: usize = 1024;
    let chunks: Vec<Vec<(u64, u32)>> = terms
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(c, terms)| {
            let ids = (c * CHUNK) as u32..;
            let chosen = || ids.clone().zip(terms).filter(|(id, _)| wanted(*id));
            let bound = chosen().map(|(_, t)| key_count_bound(&t.keys)).sum();
            let mut out = Vec::with_capacity(bound);
            for (id, term) in chosen() {
                push_term_keys(&mut out, id, &term.keys);
            }
            out
        })
        .collect();
    let mut pairs = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
    for chunk in chunks {
        pairs.extend_from_slice(&chunk);
    }
    pairs
}

/// Pass 2's running state: terms interned so far (by text, borrowed for `'t`), where their
/// keys will come from (borrowing for `'f`) and their postings (deduplicated as they come).
/// Document frequencies are counted by variant family once the terms' keys are known
/// ([`family_frequencies`]).
#[derive(Default)]
struct Interner<'t, 'f> {
    ids: FxHashMap<&'t str, u32>,
    sources: Vec<TermSource<'f>>,
    /// The name that last posted each term.
    last_name: Vec<u32>,
    postings: Vec<(u32, u32)>,
}

impl<'t, 'f> Interner<'t, 'f> {
    /// The term of `text`, a token of name `ni`; a new term's keys come from `source`.
    fn intern(&mut self, text: &'t str, ni: u32, source: impl FnOnce() -> TermSource<'f>) -> u32 {
        let term = match self.ids.get(text) {
            Some(&id) => id,
            None => {
                let id = self.sources.len() as u32;
                self.ids.insert(text, id);
                self.sources.push(source());
                self.last_name.push(u32::MAX);
                id
            }
        };
        self.count(term, ni);
        term
    }

    /// Counts an occurrence of `term` in name `ni`.
    fn count(&mut self, term: u32, ni: u32) {
        let t = term as usize;
        if self.last_name[t] != ni {
            self.last_name[t] = ni;
            self.postings.push((term, ni));
        }
    }
}

/// The id of rule `text`, interned in `rules` in order of first use.
fn intern_rule<'r>(ids: &mut HashMap<&'r str, u16>, rules: &mut Vec<String>, text: &'r str) -> u16 {
    *ids.entry(text).or_insert_with(|| {
        rules.push(text.to_string());
        (rules.len() - 1) as u16
    })
}

impl MatchIndex {
    /// Builds the index over `entities` (see [`MatchIndex::build`](super::MatchIndex::build)).
    pub(crate) fn build_from(entities: &[&Entity]) -> MatchIndex {
        MatchIndex::assemble(entities, None)
    }

    /// The index over `entities`, from scratch or, with `previous` and the previous entity to
    /// take for each of `entities` (see [`Previous::sources`]), from what it holds of them.
    ///
    /// Three passes, so that only what must be sequential is: (1) in parallel, each entity's
    /// names are analysed and its attributes normalised (or taken from `previous`); (2) in
    /// order, terms are interned and names laid out (one hash lookup per token); (3) in
    /// parallel, each term's keys (phonetic, skeleton, spelling) are derived and hashed with
    /// its deletion variants — or, for a term `previous` had with the same keys, kept in its
    /// key table. Computing term keys inside pass 2 made it two thirds of the build.
    pub(super) fn assemble(
        entities: &[&Entity],
        previous: Option<(Previous, Vec<Option<u32>>)>,
    ) -> MatchIndex {
        let (mut previous, sources) = match previous {
            Some((p, s)) => (Some(p), s),
            None => (None, vec![None; entities.len()]),
        };
        // Taken first (in order, each at most once), so that what cannot be (never: sources are
        // distinct) is analysed with the rest.
        let mut taken: Vec<Option<Taken>> = sources
            .iter()
            .map(|s| s.and_then(|at| previous.as_mut()?.take(at)))
            .collect();
        drop(sources);
        // Each reading's name with its analysis: the readings are made once (an acronym reading
        // analyses its name), not again to count or lay them out.
        type Readings<'e> = Vec<(&'e Name, AnalyzedName)>;
        let (analysed, attributes): (Vec<Readings>, Vec<Option<Attributes>>) = entities
            .par_iter()
            .zip(&taken)
            .map(|(e, taken)| match taken {
                Some(_) => (Vec::new(), None),
                None => (
                    name_readings(e)
                        .map(|(name, text)| (name, analyze(&text)))
                        .collect(),
                    Some(Attributes::of(e)),
                ),
            })
            .unzip();

        let mut index = MatchIndex::default();
        let mut terms = Interner::default();
        {
            let old = previous.as_ref();
            let mut list_ids: HashMap<&str, u16> = HashMap::new();
            let mut rule_ids: HashMap<&str, u16> = HashMap::new();
            // The new term of each previous term met so far (`u32::MAX`: not yet).
            let mut resolved = vec![u32::MAX; old.map_or(0, |p| p.terms.len())];
            index.entities.reserve(entities.len());

            for (ei, (((entity, names), attributes), taken)) in entities
                .iter()
                .copied()
                .zip(&analysed)
                .zip(attributes)
                .zip(taken.iter_mut().map(Option::take))
                .enumerate()
            {
                let ei = ei as u32;
                let list = match list_ids.get(entity.list.as_str()) {
                    Some(&l) => l,
                    None => {
                        let l = index.lists.len() as u16;
                        index.lists.push(entity.list.clone());
                        list_ids.insert(&entity.list, l);
                        l
                    }
                };
                // A reused entity has as many names as readings (`Previous::sources`).
                let readings = match &taken {
                    Some((_, old_names)) => old_names.len(),
                    None => names.len(),
                };
                let names_at = (
                    index.names.len() as u32,
                    (index.names.len() + readings) as u32,
                );
                if let (Some((mut rec, old_names)), Some(old)) = (taken, old) {
                    rec.list = list;
                    rec.names = names_at;
                    index.entities.push(rec);
                    for (k, (old_ni, mut name)) in old_names.into_iter().enumerate() {
                        let ni = index.names.len() as u32;
                        let start = index.name_tokens.len() as u32;
                        for (pos, t) in name.tokens_in(&old.name_tokens).iter().enumerate() {
                            let ot = t.term as usize;
                            let term = match resolved.get(ot) {
                                Some(&id) if id != u32::MAX => {
                                    terms.count(id, ni);
                                    id
                                }
                                _ => {
                                    let text = old.terms.get(ot).map_or("", |r| &r.keys.text);
                                    let id = terms.intern(text, ni, || {
                                        if old.is_first(t.term, old_ni, pos as u8) {
                                            TermSource::Old(t.term)
                                        } else {
                                            TermSource::Reanalyse {
                                                entity: ei,
                                                name: k as u16,
                                                pos: pos as u8,
                                                text: text.to_string(),
                                                class: t.class,
                                            }
                                        }
                                    });
                                    if let Some(r) = resolved.get_mut(ot) {
                                        *r = id;
                                    }
                                    id
                                }
                            };
                            index.name_tokens.push(NameToken {
                                term,
                                class: t.class,
                                compound: t.compound,
                            });
                        }
                        name.entity = ei;
                        name.tokens_start = start;
                        for r in &mut name.rules {
                            let text = old.rules.get(*r as usize).map_or("", String::as_str);
                            *r = intern_rule(&mut rule_ids, &mut index.rules, text);
                        }
                        index.names.push(name);
                    }
                    continue;
                }
                let attributes = attributes.unwrap_or_else(|| Attributes::of(entity));
                index.entities.push(EntityRec {
                    list,
                    id: entity.id.clone(),
                    kind: entity.kind,
                    primary: entity
                        .primary_name()
                        .map(|n| n.full.clone())
                        .unwrap_or_default(),
                    dobs: attributes.dobs,
                    countries: attributes.countries,
                    identifiers: attributes.identifiers,
                    names: names_at,
                });
                for (name, an) in names {
                    let ni = index.names.len() as u32;
                    let start = index.name_tokens.len() as u32;
                    let mut count = 0u8;
                    for (t, compound) in indexed_compounds(an) {
                        let term = terms.intern(&t.text, ni, || TermSource::Fresh(t));
                        index.name_tokens.push(NameToken {
                            term,
                            class: t.class,
                            compound,
                        });
                        count += 1;
                    }
                    let rules = an
                        .rules
                        .iter()
                        .map(|r| intern_rule(&mut rule_ids, &mut index.rules, r))
                        .collect();
                    index.names.push(NameRec {
                        entity: ei,
                        kind: name.kind,
                        original_script: name.original_script,
                        text: name.full.clone(),
                        tokens_start: start,
                        token_count: count,
                        rules,
                        weight: 0.0,
                        letters: 0,
                    });
                }
            }
        }
        let Interner {
            ids,
            sources: mut term_sources,
            postings: postings_pairs,
            ..
        } = terms;
        drop(ids);

        // Pass 3. The previous index's keys of the terms it had first in the same place are
        // taken as they are, and those terms stay in its key table; every other term's keys
        // are derived here and filed.
        let kept = previous.as_mut().map(|p| p.take_keys(&mut term_sources));
        let from_previous: Vec<bool> = term_sources
            .iter()
            .map(|s| matches!(s, TermSource::Ready(_)))
            .collect();
        index.terms = term_sources
            .into_par_iter()
            .map(|source| TermRec {
                keys: source.keys(entities),
                weight: 0.0,
                postings_start: 0,
                postings_len: 0,
            })
            .collect();
        // The analyses go now, before the key table's allocations, which then reuse their
        // memory: on a virtual machine where fresh pages cost 0.4–2 ms per megabyte to fault
        // in, that is a measurable part of a first build.
        drop(analysed);

        // Postings: term → names, ascending (pairs come in name order), each name once (pairs
        // are deduplicated above); a counting sort by term.
        let mut starts: Vec<u32> = vec![0; index.terms.len() + 1];
        for &(term, _) in &postings_pairs {
            starts[term as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        for (rec, w) in index.terms.iter_mut().zip(starts.windows(2)) {
            rec.postings_start = w[0];
            rec.postings_len = w[1] - w[0];
        }
        index.postings = vec![0; postings_pairs.len()];
        let mut cursor = starts;
        for &(term, ni) in &postings_pairs {
            let at = &mut cursor[term as usize];
            index.postings[*at as usize] = ni;
            *at += 1;
        }
        drop(postings_pairs);

        let n = index.entities.len();
        let df = family_frequencies(&index);
        let common = commonness(&index);
        for ((rec, &d), &c) in index.terms.iter_mut().zip(&df).zip(&common) {
            rec.weight = (rarity(d, n) * c).max(NAME_V14.min_rarity as f32);
        }
        for name in &mut index.names {
            let toks = name.tokens_in(&index.name_tokens);
            name.letters = toks
                .iter()
                .map(|t| letter_bit(&index.terms[t.term as usize].keys.text))
                .fold(0, |a, b| a | b);
            name.weight = toks
                .iter()
                .map(|t| {
                    index.terms[t.term as usize].weight * NAME_V14.class_factor(t.class) as f32
                })
                .sum();
        }

        let patched = match (previous, kept) {
            (Some(previous), Some(kept)) => {
                let added = term_key_pairs(&index.terms, |id| !from_previous[id as usize]);
                previous.keys.patch(&kept, added)
            }
            _ => None,
        };
        index.keys =
            patched.unwrap_or_else(|| KeyTable::build(term_key_pairs(&index.terms, |_| true)));

        let id_pairs: Vec<(u64, u32)> = index
            .entities
            .iter()
            .enumerate()
            .flat_map(|(ei, e)| {
                e.identifiers
                    .iter()
                    .map(move |v| (key(Salt::Identifier, v), ei as u32))
            })
            .collect();
        index.identifiers = KeyTable::build(id_pairs);
        index.derive();
        index
    }
}

#[cfg(test)]
mod tests {
    use super::{key_count_bound, push_term_keys};
    use crate::index::score::TokenKeys;
    use crate::TokenClass;
    use proptest::prelude::*;

    proptest! {
        /// The capacity a term's keys are sized for is never too small, short words (with
        /// their short-word keys) and long ones (with two deletions) alike.
        #[test]
        fn key_count_bound_holds(text in "[a-z0-9]{1,14}") {
            let keys = TokenKeys::new(&text, TokenClass::Word, None);
            let mut out = Vec::new();
            push_term_keys(&mut out, 0, &keys);
            prop_assert!(out.len() <= key_count_bound(&keys), "{} > {}", out.len(), key_count_bound(&keys));
        }
    }
}
