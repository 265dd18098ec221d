//! Building the index from entities.
//!
//! Analysis of the names (the expensive part: normalisation, transliteration) runs in parallel
//! with rayon; interning terms and laying out postings is sequential (one hash-map lookup per
//! token), and key generation per term runs in parallel again.

use super::attrs::Dob;
use super::keys::{for_each_deletion, key, normalize_identifier, Salt};
use super::score::{TokenKeys, MAX_TOKENS, NAME_V3};
use super::search::{letter_bit, NeighbourCache};
use super::table::KeyTable;
use super::{EntityRec, MatchIndex, NameRec, NameToken, TermRec};
use crate::country::normalize_country;
use crate::{analyze, AnalyzedName, TokenClass};
use interdict_model::Entity;
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
    r.clamp(NAME_V3.min_rarity, 1.0) as f32
}

/// At least as many keys as the build files `keys` under: five (text, family, phonetic,
/// skeleton, spelling) and the deletion variants, at most `1 + L + L(L-1)/2` for a text of `L`
/// bytes (radius 2). A capacity, so an over-estimate costs address space, not memory.
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

impl MatchIndex {
    /// Builds the index over `entities` (see [`MatchIndex::build`](super::MatchIndex::build)).
    ///
    /// Three passes, so that only what must be sequential is: (1) in parallel, each entity's
    /// names are analysed and its attributes normalised; (2) in order, terms are interned and
    /// names laid out (one hash lookup per token); (3) in parallel, each term's keys (phonetic,
    /// skeleton, spelling) are derived and hashed with its deletion variants. Computing term
    /// keys inside pass 2 made it two thirds of the build.
    pub(crate) fn build_from(entities: &[&Entity]) -> MatchIndex {
        let (analysed, attributes): (Vec<Vec<AnalyzedName>>, Vec<Attributes>) = entities
            .par_iter()
            .map(|e| {
                let names = e.names.iter().map(|n| analyze(&n.full)).collect();
                (names, Attributes::of(e))
            })
            .unzip();

        let mut index = MatchIndex::default();
        let mut list_ids: HashMap<&str, u16> = HashMap::new();
        let mut term_ids: FxHashMap<&str, u32> = FxHashMap::default();
        // Each new term's text, class and canonical, in term id order (keys derived in pass 3).
        let mut new_terms: Vec<&crate::Token> = Vec::new();
        let mut rule_ids: HashMap<&str, u16> = HashMap::new();
        // Entity-level document frequency: the entity that last counted each term.
        let mut df: Vec<u32> = Vec::new();
        let mut last_entity: Vec<u32> = Vec::new();
        // Term-level postings, deduplicated as they come: the name that last posted each term.
        let mut last_name: Vec<u32> = Vec::new();
        let mut postings_pairs: Vec<(u32, u32)> = Vec::new();
        index.entities.reserve(entities.len());

        for (ei, ((entity, names), attributes)) in entities
            .iter()
            .copied()
            .zip(&analysed)
            .zip(attributes)
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
                names: (
                    index.names.len() as u32,
                    (index.names.len() + entity.names.len()) as u32,
                ),
            });

            for (name, an) in entity.names.iter().zip(names) {
                let ni = index.names.len() as u32;
                let start = index.name_tokens.len() as u32;
                let mut count = 0u8;
                for t in an
                    .tokens
                    .iter()
                    .filter(|t| t.class != TokenClass::Honorific)
                {
                    if count as usize >= MAX_TOKENS {
                        break;
                    }
                    let term = match term_ids.get(t.text.as_str()) {
                        Some(&id) => id,
                        None => {
                            let id = new_terms.len() as u32;
                            term_ids.insert(&t.text, id);
                            new_terms.push(t);
                            df.push(0);
                            last_entity.push(u32::MAX);
                            last_name.push(u32::MAX);
                            id
                        }
                    };
                    if last_entity[term as usize] != ei {
                        last_entity[term as usize] = ei;
                        df[term as usize] += 1;
                    }
                    if last_name[term as usize] != ni {
                        last_name[term as usize] = ni;
                        postings_pairs.push((term, ni));
                    }
                    index.name_tokens.push(NameToken {
                        term,
                        class: t.class,
                    });
                    count += 1;
                }
                let rules = an
                    .rules
                    .iter()
                    .map(|r| match rule_ids.get(r.as_str()) {
                        Some(&id) => id,
                        None => {
                            let id = index.rules.len() as u16;
                            index.rules.push(r.clone());
                            rule_ids.insert(r, id);
                            id
                        }
                    })
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

        // Only the new terms' tokens are needed from here on. The analyses go now, before the
        // key table's allocations, which then reuse their memory: on a virtual machine where
        // fresh pages cost 0.4–2 ms per megabyte to fault in, that is a measurable part of a
        // first build.
        let new_terms: Vec<crate::Token> = new_terms.into_iter().cloned().collect();
        drop((term_ids, rule_ids));
        drop(analysed);
        index.terms = new_terms
            .par_iter()
            .map(|t| TermRec {
                keys: TokenKeys::new(&t.text, t.class, t.canonical.as_deref()),
                weight: 0.0,
                postings_start: 0,
                postings_len: 0,
            })
            .collect();

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
        for (rec, &d) in index.terms.iter_mut().zip(&df) {
            rec.weight = rarity(d, n);
        }
        for name in &mut index.names {
            let s = name.tokens_start as usize;
            let toks = &index.name_tokens[s..s + name.token_count as usize];
            name.letters = toks
                .iter()
                .map(|t| letter_bit(&index.terms[t.term as usize].keys.text))
                .fold(0, |a, b| a | b);
            name.weight = toks
                .iter()
                .map(|t| index.terms[t.term as usize].weight * NAME_V3.class_factor(t.class) as f32)
                .sum();
        }

        // Key pairs in chunks of terms, each sized ahead from its terms' lengths, then joined:
        // collecting a flat map of per-term vectors grew and copied vectors all along (twice
        // the pairs' memory in fresh pages, see above).
        const CHUNK: usize = 1024;
        let chunks: Vec<Vec<(u64, u32)>> = index
            .terms
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(c, terms)| {
                let bound = terms.iter().map(|t| key_count_bound(&t.keys)).sum();
                let mut out = Vec::with_capacity(bound);
                for (i, term) in terms.iter().enumerate() {
                    let id = (c * CHUNK + i) as u32;
                    let k = &term.keys;
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
                    }
                }
                out
            })
            .collect();
        let mut key_pairs = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
        for chunk in chunks {
            key_pairs.extend_from_slice(&chunk);
        }
        index.keys = KeyTable::build(key_pairs);

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
        index.neighbours = NeighbourCache::new(index.terms.len());
        index.hot = super::NameHot::of(&index.names);
        index
    }
}
