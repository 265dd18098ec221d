//! What a build takes from a previous index of mostly the same entities.
//!
//! A list changes a few dozen of its ten thousand entities a day, and an index build spends
//! most of its time on what those changes leave alone: analysing every name, deriving every
//! term's keys, hashing every deletion variant into the key table and sorting it. A build from
//! a previous index ([`MatchIndex::rebuild`](super::MatchIndex::rebuild)) takes, for each entity
//! its caller vouches is unchanged, the entity's record and its names' analysed tokens from the
//! previous index, and keeps the previous key table, patched for the terms that came and went
//! ([`KeyTable::patch`](super::table::KeyTable::patch)). Everything that depends on the whole
//! set — term ids, document frequencies, rarities, postings, name weights — is computed afresh
//! exactly as a build from scratch computes it, so the two make the same index (the key table
//! lays its slots out differently, and holds the same runs).
//!
//! One subtlety: a term's keys come from its *first* occurrence (its class and variant
//! canonical there), and the canonical is not kept per token. A term whose first occurrence is
//! a taken token keeps its previous keys only when that token was its first occurrence in the
//! previous index too; otherwise that one name is analysed again for its canonical.

use super::readings::{name_readings, reading_count};
use super::score::{TokenKeys, MAX_TOKENS};
use super::table::KeyTable;
use super::{EntityRec, MatchIndex, NameRec, NameToken, TermRec};
use crate::Token;
use crate::TokenClass;
use interdict_model::Entity;
use rustc_hash::FxHashMap;

/// The previous index, taken apart: records are taken out as the build uses them.
pub(super) struct Previous {
    pub(super) lists: Vec<String>,
    entities: Vec<Option<EntityRec>>,
    names: Vec<Option<NameRec>>,
    pub(super) name_tokens: Vec<NameToken>,
    pub(super) terms: Vec<TermRec>,
    pub(super) rules: Vec<String>,
    pub(super) keys: KeyTable,
    /// The first occurrence of each term: (name, position among the name's indexed tokens).
    first: Vec<(u32, u8)>,
}

/// An entity's record and its names, taken from the previous index: `(old name index, name)`.
pub(super) type Taken = (EntityRec, Vec<(u32, NameRec)>);

/// Where a new term's keys come from.
pub(super) enum TermSource<'a> {
    /// A token analysed in this build.
    Fresh(&'a Token),
    /// The previous index's term of that number, whose first occurrence is this term's.
    Old(u32),
    /// The previous index's keys, taken out (see [`Previous::take_keys`]).
    Ready(TokenKeys),
    /// A taken token that is not its previous term's first occurrence: the keys of the token
    /// at `pos` of name `name` of entity `entity`, analysed again (rare: owns its text).
    Reanalyse {
        entity: u32,
        name: u16,
        pos: u8,
        text: String,
        class: TokenClass,
    },
}

impl TermSource<'_> {
    /// The term's keys. Runs in parallel, after [`Previous::take_keys`].
    pub(super) fn keys(self, entities: &[&Entity]) -> TokenKeys {
        match self {
            TermSource::Fresh(t) => TokenKeys::new(&t.text, t.class, t.canonical.as_deref()),
            TermSource::Ready(keys) => keys,
            TermSource::Reanalyse {
                entity,
                name,
                pos,
                text,
                class,
            } => {
                let again = entities
                    .get(entity as usize)
                    .and_then(|e| name_readings(e).nth(name as usize))
                    .map(|(_, text)| crate::analyze(&text));
                let token = again.as_ref().and_then(|a| {
                    indexed_compounds(a)
                        .nth(pos as usize)
                        .map(|(t, _)| t)
                        .filter(|t| t.text == text && t.class == class)
                });
                match token {
                    Some(t) => TokenKeys::new(&t.text, t.class, t.canonical.as_deref()),
                    // The same text analysed the same way cannot lose a token; should it, the
                    // term still gets keys of its own text and class.
                    None => TokenKeys::new(&text, class, None),
                }
            }
            // Every `Old` was made `Ready` by `take_keys`, which finds each (the term it names
            // exists: its text came from it).
            TermSource::Old(_) => TokenKeys::new("", TokenClass::Word, None),
        }
    }
}

/// The tokens of an analysed name that the index keeps, in order (not honorifics, at most
/// [`MAX_TOKENS`]), each with whether it continues a compound
/// ([`crate::AnalyzedName::compounds`]).
pub(super) fn indexed_compounds(
    name: &crate::AnalyzedName,
) -> impl Iterator<Item = (&Token, bool)> {
    name.tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.class != TokenClass::Honorific)
        .take(MAX_TOKENS)
        .map(|(i, t)| (t, i < 64 && name.compounds & (1u64 << i) != 0))
}

impl Previous {
    pub(super) fn of(index: MatchIndex) -> Previous {
        let mut first = vec![(u32::MAX, 0u8); index.terms.len()];
        for (ni, name) in index.names.iter().enumerate() {
            for (pos, t) in name.tokens_in(&index.name_tokens).iter().enumerate() {
                if let Some(f) = first.get_mut(t.term as usize) {
                    if f.0 == u32::MAX {
                        *f = (ni as u32, pos as u8);
                    }
                }
            }
        }
        Previous {
            lists: index.lists,
            entities: index.entities.into_iter().map(Some).collect(),
            names: index.names.into_iter().map(Some).collect(),
            name_tokens: index.name_tokens,
            terms: index.terms,
            rules: index.rules,
            keys: index.keys,
            first,
        }
    }

    /// For each of `entities`, the previous entity to take (same list and id, and `unchanged`
    /// says it may be taken), each at most once. A key the previous index holds twice is not
    /// taken: which of the two is meant is unknown.
    pub(super) fn sources(
        &self,
        entities: &[&Entity],
        unchanged: &dyn Fn(&Entity) -> bool,
    ) -> Vec<Option<u32>> {
        let mut by_key: FxHashMap<(&str, &str), u32> = FxHashMap::default();
        by_key.reserve(self.entities.len());
        for (i, rec) in self.entities.iter().enumerate() {
            let Some(rec) = rec else { continue };
            let list = self.lists.get(rec.list as usize).map_or("", String::as_str);
            by_key
                .entry((list, rec.id.as_str()))
                .and_modify(|at| *at = u32::MAX)
                .or_insert(i as u32);
        }
        let mut taken = vec![false; self.entities.len()];
        entities
            .iter()
            .map(|e| {
                let at = *by_key.get(&(e.list.as_str(), e.id.as_str()))?;
                let rec = self.entities.get(at as usize)?.as_ref()?;
                let same_names = (rec.names.1 - rec.names.0) as usize == reading_count(e);
                if !same_names || taken[at as usize] || !unchanged(e) {
                    return None;
                }
                taken[at as usize] = true;
                Some(at)
            })
            .collect()
    }

    /// Takes the previous entity `at` and its names out (`None` if already taken).
    pub(super) fn take(&mut self, at: u32) -> Option<Taken> {
        let rec = self.entities.get_mut(at as usize)?.take()?;
        let mut names = Vec::with_capacity((rec.names.1 - rec.names.0) as usize);
        for ni in rec.names.0..rec.names.1 {
            names.push((ni, self.names.get_mut(ni as usize)?.take()?));
        }
        Some((rec, names))
    }

    /// True when the token at `pos` of previous name `name` was the first occurrence of its
    /// term `term`: then the term's previous keys are the ones this token makes.
    pub(super) fn is_first(&self, term: u32, name: u32, pos: u8) -> bool {
        self.first.get(term as usize) == Some(&(name, pos))
    }

    /// Turns every [`TermSource::Old`] into [`TermSource::Ready`], taking the keys out of the
    /// previous terms, and returns the previous term → new term map of the terms kept (the
    /// others, `u32::MAX`, leave the key table).
    pub(super) fn take_keys(&mut self, sources: &mut [TermSource<'_>]) -> Vec<u32> {
        let mut kept = vec![u32::MAX; self.terms.len()];
        for (id, source) in sources.iter_mut().enumerate() {
            if let TermSource::Old(old) = *source {
                if let Some(rec) = self.terms.get_mut(old as usize) {
                    kept[old as usize] = id as u32;
                    let class = rec.keys.class;
                    let keys =
                        std::mem::replace(&mut rec.keys, TokenKeys::unkeyed("", class, None));
                    *source = TermSource::Ready(keys);
                }
            }
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::super::{MatchIndex, Query, SearchOptions};
    use interdict_model::{Entity, Name, NameKind};
    use std::collections::HashSet;
    use std::path::Path;

    fn bundled() -> Vec<Entity> {
        let lists = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/lists");
        let mut all = Vec::new();
        for file in ["ofac-sdn-2023-12-28", "un-consolidated-2026-02-27.xml.gz"] {
            let p = interdict_sources::load(&lists.join(file), &Default::default())
                .expect("bundled list loads");
            all.extend(p.entities);
        }
        all
    }

    /// Every part of two indexes a search reads, compared; the key tables by their runs (their
    /// slots are laid out differently).
    fn assert_same(a: &MatchIndex, b: &MatchIndex) {
        assert_eq!(a.lists, b.lists);
        assert_eq!(a.entities.len(), b.entities.len());
        assert!(a.entities == b.entities, "entity records differ");
        assert!(a.names == b.names, "name records differ");
        assert!(a.name_tokens == b.name_tokens, "name tokens differ");
        assert_eq!(a.terms.len(), b.terms.len());
        for (i, (x, y)) in a.terms.iter().zip(&b.terms).enumerate() {
            assert_eq!(x, y, "term {i}");
        }
        assert!(a.postings == b.postings, "postings differ");
        assert_eq!(a.rules, b.rules);
        assert!(a.identifiers == b.identifiers, "identifier tables differ");
        assert!(a.keys.runs() == b.keys.runs(), "key tables differ");
        assert!(a.hot == b.hot, "hot name fields differ");
    }

    /// The day after: the lists as the previous index saw them lost some entities, gained
    /// others, and had some changed. The rebuilt index must be the one a build from scratch
    /// makes, and must have been made from the previous one.
    #[test]
    fn a_rebuild_makes_the_index_a_build_from_scratch_makes() {
        let today = bundled();
        // Yesterday: without every 300th entity (added today), with every 457th renamed
        // (changed today), and with entities today removes: the first ten (the first
        // occurrences of many terms, which move to entities taken from yesterday's index)
        // and every 500th.
        let mut yesterday: Vec<Entity> = Vec::new();
        let mut changed: HashSet<(String, String)> = HashSet::new();
        for (i, e) in today.iter().enumerate() {
            if i % 300 == 299 {
                continue;
            }
            let mut e = e.clone();
            if i % 457 == 456 {
                e.names
                    .push(Name::new("Qwertzuiop Holdings", NameKind::Alias));
                changed.insert((e.list.clone(), e.id.clone()));
            }
            yesterday.push(e);
        }
        let gone: HashSet<(String, String)> = today
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < 10 || i % 500 == 7)
            .map(|(_, e)| (e.list.clone(), e.id.clone()))
            .collect();
        let today: Vec<&Entity> = today
            .iter()
            .filter(|e| !gone.contains(&(e.list.clone(), e.id.clone())))
            .collect();

        let previous = MatchIndex::build(&yesterday);
        let capacity = previous.keys.capacity();
        let unchanged = |e: &Entity| !changed.contains(&(e.list.clone(), e.id.clone()));
        let taken = super::Previous::of(MatchIndex::build(&yesterday))
            .sources(&today, &unchanged)
            .iter()
            .filter(|s| s.is_some())
            .count();
        // Everything but the added and the changed.
        let known: HashSet<(&str, &str)> = yesterday
            .iter()
            .map(|e| (e.list.as_str(), e.id.as_str()))
            .collect();
        let expected = today
            .iter()
            .filter(|e| known.contains(&(e.list.as_str(), e.id.as_str())) && unchanged(e))
            .count();
        assert_eq!(taken, expected);
        assert!(taken > 14_000 && taken < today.len() - 60, "{taken} taken");

        let rebuilt = MatchIndex::rebuild(previous, &today, &unchanged);
        let fresh = MatchIndex::build_refs(&today);
        assert_same(&rebuilt, &fresh);
        // Patched, not built afresh: the table kept its slots.
        assert_eq!(rebuilt.keys.capacity(), capacity);

        let options = SearchOptions::default();
        for e in today.iter().step_by(97) {
            for name in &e.names {
                let q = Query::name(name.full.clone());
                assert_eq!(rebuilt.search(&q, &options), fresh.search(&q, &options));
            }
        }
        for q in [
            "Cartel of the Suns",
            "Nicolas Maduro",
            "Qwertzuiop Holdings",
        ] {
            let q = Query::name(q);
            assert_eq!(rebuilt.search(&q, &options), fresh.search(&q, &options));
        }

        // A patched index saves and loads (its dead key-table values pass validation), and the
        // next rebuild starts from it: the day after, 1 in 50 of today's entities is gone.
        let mut file = Vec::new();
        rebuilt.save(&mut file).expect("saves");
        let loaded = MatchIndex::load(&file[..]).expect("loads");
        assert_same(&loaded, &fresh);
        let next: Vec<&Entity> = today
            .iter()
            .copied()
            .enumerate()
            .filter(|(i, _)| i % 50 != 3)
            .map(|(_, e)| e)
            .collect();
        let again = MatchIndex::rebuild(loaded, &next, &|_| true);
        assert_same(&again, &MatchIndex::build_refs(&next));
        assert_eq!(again.keys.capacity(), capacity);
    }
}
