//! Retrieval in the other direction: which names of a large vocabulary kept elsewhere may match
//! a few listed names.
//!
//! Ongoing monitoring asks, after a list update, which of a million customers the handful of
//! new or changed listed entities may be. Screening every customer again costs a full batch;
//! building (or loading) a [`MatchIndex`] over the customers costs seconds per update. Instead,
//! the customer book keeps its vocabulary (distinct tokens) filed under the very keys an index
//! files its terms under ([`Term::keys`]), in a store that survives between runs (the
//! registry). Looking up a listed token's keys there finds every book term it corresponds to —
//! the symmetric-deletion argument of `keys` holds in both directions, because the same keys are
//! on both sides — and [`Term::similarity`] confirms each with the similarity scoring uses.
//!
//! [`MatchIndex::weighted_tokens`] gives the weights the index gives a listed name's tokens, so
//! that the caller can bound how well a customer can score before scoring it for real (with
//! [`MatchIndex::search`], in the normal direction: the customer is the query).

use super::keys::{
    for_each_deletion, for_each_deletion_within, for_each_short_key, key, Salt, WIDE_TYPO_LEN,
};
use super::score::{consonant_similarity, is_patronymic, token_similarity, TokenKeys, NAME_V14};
use super::search::{analyse_query, scored_tokens};
use super::search::{
    short_typo_pairs, short_typo_similarity, typo_similarity, wide_typo_similarity,
};
use super::MatchIndex;
use crate::analyze::{could_be_abjad, is_name_word};
use crate::{analyze, Token, TokenClass};
use interdict_model::EntityKind;

/// How a query name of this kind reads, from one analysis: what a customer book files it
/// under.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryReading {
    /// The tokens it is scored with, honorifics included (scoring drops them): [`analyze`]'s,
    /// with a person's legal forms written as separate letters (`N.V.`, `S. A.`) read as
    /// initials, as [`MatchIndex::search`] reads them.
    pub tokens: Vec<Token>,
    /// The text of the word the name may end cut short in (`SHIPPING LIN`): the last of the
    /// tokens, when scoring reads it so and scores it. Scoring then also pairs it with the
    /// listed words it begins (`Method::Truncated`), so a customer book files it apart, for a
    /// new listed word it begins to find the customer.
    pub cut: Option<String>,
    /// The words that may be declined (a name written in Cyrillic: `Группа Вагнера`), each
    /// with the spelling keys of its stems: scoring also pairs such a word, when the lists lack
    /// it, with a listed word of one of those keys (`Method::Inflection`), so a customer book
    /// files it apart under each, for a new listed word to find the customer. Every scored
    /// word the rule may apply to, whether the lists have it or not.
    pub declined: Vec<(String, Vec<String>)>,
}

/// The [`QueryReading`] of a query name of this kind.
pub fn query_reading(name: &str, kind: Option<EntityKind>) -> QueryReading {
    let analysed = analyse_query(name, kind);
    let last_scored = scored_tokens(&analysed).last();
    let cut = last_scored
        .filter(|t| {
            analysed
                .tokens
                .last()
                .is_some_and(|last| std::ptr::eq(*t, last))
        })
        .filter(|t| crate::analyze::cut_short(&analysed, t))
        .map(|t| t.text.clone());
    let declined = scored_tokens(&analysed)
        .filter(|t| crate::analyze::declinable(&analysed, t))
        .map(|t| (t.text.clone(), crate::analyze::stem_keys(&t.text)))
        .filter(|(_, stems)| !stems.is_empty())
        .collect();
    QueryReading {
        tokens: analysed.tokens,
        cut,
        declined,
    }
}

/// The tokens of a listed name as [`MatchIndex::weighted_tokens`] gives them, without their
/// weights (which take an index of the lists): each term with whether it is an initial. Their
/// keys are all a lookup in a customer book needs, so that lookup can run while the lists'
/// index is still being built; `weighted_tokens` then gives the same terms, weighed.
pub fn name_terms(name: &str) -> Vec<(Term, bool)> {
    let mut out = Vec::new();
    for t in analyze(name).tokens {
        if super::search::scored_query_token(&t, out.len()) {
            let initial = super::search::is_initial(&t);
            out.push((Term::new(&t), initial));
        }
    }
    out
}

/// A token as retrieval sees it: its text, class and variant canonical, with the phonetic key
/// and skeleton derived from them.
#[derive(Clone, Debug, PartialEq)]
pub struct Term(TokenKeys);

impl Term {
    /// The term of an analysed token.
    pub fn new(token: &Token) -> Term {
        Term(TokenKeys::new(
            &token.text,
            token.class,
            token.canonical.as_deref(),
        ))
    }

    /// Its normalised text.
    pub fn text(&self) -> &str {
        &self.0.text
    }

    /// Its class.
    pub fn class(&self) -> TokenClass {
        self.0.class
    }

    /// Its spelling key ([`crate::analyze::spelling_key`]; empty for a number, an initial or
    /// a key too short to tell words apart): a declined word of a screened name pairs with a
    /// listed word whose key one of its stems has ([`QueryReading::declined`]).
    pub fn spelling(&self) -> &str {
        &self.0.spelling
    }

    /// The keys an index files this term under, which are also the keys a query token looks up:
    /// exact text, variant family, phonetic key, skeleton, deletion neighbourhood and, for a
    /// word of two or three letters, its short-word keys. Two terms
    /// for which [`similarity`](Self::similarity) is `Some` share at least one key. Stable across
    /// processes and versions of the index format (index files store them too).
    pub fn keys(&self) -> Vec<u64> {
        let k = &self.0;
        let mut out = vec![key(Salt::Text, &k.text), key(Salt::Canonical, k.family())];
        if !k.phonetic.is_empty() {
            out.push(key(Salt::Phonetic, &k.phonetic));
        }
        if !k.skeleton.is_empty() {
            out.push(key(Salt::Skeleton, &k.skeleton));
        }
        if !k.spelling.is_empty() {
            out.push(key(Salt::Spelling, &k.spelling));
        }
        if k.class != TokenClass::Number && k.text.len() > 1 {
            if wide_typos(k) {
                for_each_deletion_within(&k.text, 2, |h| out.push(h));
            } else {
                for_each_deletion(&k.text, 2, |h| out.push(h));
            }
            for_each_short_key(&k.text, |h| out.push(h));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The least share of its weight the term can cost a score when it is left unmatched:
    /// less than all of it for an East Slavic patronymic, which one list writes and another
    /// leaves out, and for a word naming the kind of body an organisation is, which costs
    /// less when the other name has another such word.
    pub fn unmatched_share(&self) -> f64 {
        if is_patronymic(&self.0.text) {
            NAME_V14.patronymic
        } else if self.0.class == TokenClass::Word && crate::is_descriptor(&self.0.text) {
            // The least it costs: when the other name has a word of its kind unmatched too.
            NAME_V14.descriptor
        } else {
            1.0
        }
    }

    /// How well this term of a listed name and `other`, a term of a screened name, correspond,
    /// as name scoring sees it (exact, variant, typo, phonetic, skeleton, consonants); `None`
    /// when they do not. Initials are not compared: a single letter is never what finds a
    /// name.
    ///
    /// Also `Some` for a pair a search may read as a typo of a query word nobody is called,
    /// though less similar than real words must be (`xuka`/`luka`): retrieval must lose nothing
    /// a search would find. Whether the lists have the word depends on the lists of the day, so
    /// only what the word itself tells is checked (no variant table knows it, and it is no
    /// known name): a superset of the pairs a search makes, narrow enough that the common case,
    /// a customer word that is somebody's name, adds no candidates. So too a short word's
    /// typo ([`short_typo_similarity`]: `cva`/`cia`, `tma`/`tam`) of a listed word, and of a
    /// particle by a screened word of two letters (`dd`/`de`).
    pub fn similarity(&self, other: &Term) -> Option<f64> {
        token_similarity(&self.0, &other.0, false, &NAME_V14)
            .map(|(s, _)| s)
            .or_else(|| {
                let number =
                    self.0.class == TokenClass::Number || other.0.class == TokenClass::Number;
                let nobody = |t: &TokenKeys| t.canonical.is_none() && !is_name_word(&t.text);
                (!number && (nobody(&self.0) || nobody(&other.0)))
                    .then(|| typo_similarity(&self.0.text, &other.0.text))
                    .flatten()
            })
            .or_else(|| {
                // A screened word nobody is called also pairs two edits away.
                (self.0.class != TokenClass::Number && wide_typos(&other.0))
                    .then(|| wide_typo_similarity(&other.0.text, &self.0.text))
                    .flatten()
            })
            .or_else(|| {
                // A short screened word nobody is called pairs with a listed word one edit
                // away.
                (short_typo_pairs(&other.0.text, self.0.class)
                    && other.0.class == TokenClass::Word
                    && other.0.canonical.is_none()
                    && !is_name_word(&other.0.text))
                .then(|| short_typo_similarity(&other.0.text, &self.0.text))
                .flatten()
            })
            .or_else(|| {
                // `other`, the screened name's word, may have been written in an abjad (the
                // book does not keep the script), if it has only letters such romanisations
                // have: a search pairs it by its consonants.
                could_be_abjad(&other.0.text)
                    .then(|| consonant_similarity(&other.0, &self.0, &NAME_V14))
                    .flatten()
                    .map(|(s, _)| s)
            })
    }
}

/// Whether a search may pair a query word with listed words two edits away
/// ([`wide_typo_similarity`]): told from the word alone (whether the lists have it depends on
/// the lists of the day, and whether it was typed in Latin letters is not kept), so a superset
/// of the words a search reads so. Such a word is filed and looked up with its wider deletion
/// neighbourhood.
fn wide_typos(t: &TokenKeys) -> bool {
    t.class != TokenClass::Number
        && t.canonical.is_none()
        && WIDE_TYPO_LEN.contains(&t.text.len())
        && !is_name_word(&t.text)
}

/// One token of a name with the weight an index gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightedToken {
    /// The token.
    pub term: Term,
    /// Its weight in the index: rarity × class factor (what it counts for in a score).
    pub weight: f32,
    /// True for a single letter, which matches a word's initial rather than a term.
    pub initial: bool,
    /// True for a further part of a compound ([`crate::AnalyzedName::compounds`]): unmatched,
    /// it costs less when an initial stands for the compound ([`crate::Discount::Compound`]).
    pub compound: bool,
}

impl MatchIndex {
    /// The tokens of `name` (honorifics dropped) with the weights this index gives them: for a
    /// name of an indexed entity, exactly the weights its tokens carry in scoring.
    pub fn weighted_tokens(&self, name: &str) -> Vec<WeightedToken> {
        self.weighted_tokens_as(name, None)
    }

    /// [`weighted_tokens`](Self::weighted_tokens) of a query name of a known kind: the tokens
    /// and weights [`MatchIndex::search`] scores a query of that kind with (a person's
    /// `N.V.` is two initials, not a legal form).
    pub fn weighted_tokens_as(&self, name: &str, kind: Option<EntityKind>) -> Vec<WeightedToken> {
        let prepared = self.prepare_as(name, kind);
        let compounds = prepared.compounds;
        prepared
            .tokens
            .into_iter()
            .enumerate()
            .map(|(i, t)| WeightedToken {
                term: Term(TokenKeys::new(
                    &t.keys.text,
                    t.keys.class,
                    t.keys.canonical.as_deref(),
                )),
                weight: t.weight,
                initial: t.initial,
                compound: i < 64 && compounds & (1u64 << i) != 0,
            })
            .collect()
    }
}

/// Normalises an identifier value the way the index compares identifiers (letters and digits,
/// upper case, an `IMO` prefix dropped); `None` for values too short to be evidence.
pub fn normalize_identifier(value: &str) -> Option<String> {
    super::keys::normalize_identifier(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze;

    fn term(s: &str) -> Term {
        Term::new(&analyze(s).tokens[0])
    }

    #[test]
    fn corresponding_terms_share_a_key() {
        // (listed, screened) pairs.
        for (a, b) in [
            ("maduro", "madurro"),
            ("mohammed", "muhamad"),
            ("marquetalia", "marqetalia"),
            ("qaida", "qaeda"),
            ("nicolas", "nikolas"),
            // A search may read `xuka` as a typo of `luka`, though less similar than real
            // words must be: retrieval finds it.
            ("xuka", "luka"),
            // A screened word romanised from Arabic letters without its short vowels (هنية)
            // and the listed spelling: a search pairs them by their consonants. Likewise a word
            // written as one (محمدعلی) and two listed words (MOHAMMAD ALI), which retrieval
            // looks up joined, a Persian و read `o` (نوروزی / NOROUZI), and French spellings
            // of ش and ج (شكوري / CHEKKOURI, جمال / DJAMEL).
            ("haniyeh", "hnia"),
            ("mohammadali", "mhmdli"),
            ("norouzi", "nuruzi"),
            ("chekkouri", "shkuri"),
            ("djamel", "jml"),
            // A short screened word nobody is called, one letter swapped, changed, added or
            // dropped: a search reads it as a typo (`short_typo_similarity`).
            ("fat", "fta"),
            ("cia", "cva"),
            ("vp", "vip"),
            ("cec", "ce"),
            ("chol", "hol"),
            ("yu", "yl"),
        ] {
            let (ta, tb) = (term(a), term(b));
            assert!(ta.similarity(&tb).is_some(), "{a}/{b} do not correspond");
            let kb = tb.keys();
            assert!(
                ta.keys().iter().any(|k| kb.binary_search(k).is_ok()),
                "{a}/{b} share no key"
            );
        }
        assert_eq!(term("smith").similarity(&term("jones")), None);
        // Not the other way round: listed words are never read as abjad romanisations.
        assert_eq!(term("hnia").similarity(&term("haniyeh")), None);
        // A screened word nobody is called, two edits from the listed one (a letter wrong and
        // one too many): a search reads it as a typo, and the book files it so that retrieval
        // finds it. Not the other way round.
        let (listed, screened) = (term("salas"), term("sqlaas"));
        assert!(listed.similarity(&screened).is_some());
        let kb = screened.keys();
        assert!(listed.keys().iter().any(|k| kb.binary_search(k).is_ok()));
        assert_eq!(screened.similarity(&listed), None);
        // A listed particle, only by a screened word of two letters (`DD` for `DE`), which is
        // no name; `Ayu` is.
        let de = Term::new(&analyze("DE GEETERE").tokens[0]);
        assert_eq!(de.class(), TokenClass::Particle);
        assert!(de.similarity(&term("dd")).is_some());
        let kb = term("dd").keys();
        assert!(de.keys().iter().any(|k| kb.binary_search(k).is_ok()));
        let abu = Term::new(&analyze("ABU AMIR").tokens[0]);
        assert_eq!(abu.class(), TokenClass::Particle);
        assert_eq!(abu.similarity(&term("ayu")), None);
        // Two real names are never a typo of each other.
        assert_eq!(term("duka").similarity(&term("luka")), None);
        assert_eq!(term("pavlovich").unmatched_share(), NAME_V14.patronymic);
        assert_eq!(term("pavel").unmatched_share(), 1.0);
        assert_eq!(term("zavod").unmatched_share(), NAME_V14.descriptor);
    }

    #[test]
    fn name_terms_are_the_weighted_tokens_without_weights() {
        use interdict_model::{Entity, EntityKind, Name, NameKind};
        let names = [
            "SEGUNDA MARQUETALIA",
            "Mr. Abu Bakr AL-BAGHDADI",
            "N.V. HANDELMAATSCHAPPIJ J. SMIT",
            "ООО «Ромашка»",
            "Sheikh Dr. Ayman al-Zawahiri",
            "",
        ];
        let mut e = Entity::new("ofac-sdn", "1", EntityKind::Organization);
        e.names.push(Name::new("SEGUNDA LINEA", NameKind::Primary));
        let index = MatchIndex::build(&[e]);
        for name in names {
            let weighted: Vec<(Term, bool)> = index
                .weighted_tokens(name)
                .into_iter()
                .map(|w| (w.term, w.initial))
                .collect();
            assert_eq!(name_terms(name), weighted, "{name}");
        }
        assert_eq!(name_terms("Sheikh Dr. Ayman al-Zawahiri").len(), 3);
    }

    #[test]
    fn weighted_tokens_of_an_indexed_name() {
        use interdict_model::{Entity, EntityKind, Name, NameKind};
        let mut entities = Vec::new();
        for (id, name) in [("1", "SEGUNDA MARQUETALIA"), ("2", "SEGUNDA LINEA")] {
            let mut e = Entity::new("ofac-sdn", id, EntityKind::Organization);
            e.names.push(Name::new(name, NameKind::Primary));
            entities.push(e);
        }
        let index = MatchIndex::build(&entities);
        let w = index.weighted_tokens("SEGUNDA MARQUETALIA");
        assert_eq!(w.len(), 2);
        assert_eq!(w[1].term.text(), "marquetalia");
        // The token both names share is the less telling one.
        assert!(w[0].weight < w[1].weight, "{w:?}");
    }
}
