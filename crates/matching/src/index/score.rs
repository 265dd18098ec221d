//! Name scoring, `name-v12`: token similarity, 1:1 alignment, rarity weights and penalties.
//!
//! # The formula
//!
//! Both names are analysed into tokens; honorifics are dropped. Each token has a weight:
//! its rarity (normalised IDF over the index's entities; 1 in [`compare`], which has no index)
//! times a factor for its class ([`NameAlgorithm::word`], `particle`, `legal_form`, `initial`,
//! `number`). Token pairs are scored by [`token_similarity`] (exact, variant family, initial,
//! fuzzy within an edit budget, phonetic key, consonant skeleton; pairs below
//! `min_similarity` do not correspond), plus concatenation pairs (two adjacent tokens of one side
//! against one token of the other). A greedy 1:1 alignment takes pairs best-similarity first.
//! With `w(p)` the mean of the two sides' weights of pair `p`:
//!
//! ```text
//! score = Σ w(p)·credit(p) / ( Σ w(p) + query_unmatched · Σ w(unmatched query tokens)
//!                                     + name_unmatched  · Σ w(unmatched name tokens) )
//! ```
//!
//! where `credit(p)` is the pair's similarity, raised to `similarity_exponent` (2) for
//! approximate pairs (fuzzy, phonetic, skeleton, inexact concatenation): near matches are
//! weaker evidence than their similarity suggests, and several together are more likely a
//! different name than one typo is. When both names are a single token the one pair is all the
//! evidence there is, and its similarity counts as it is (`NRAVAL`/`NARVAL`).
//!
//! An initial paired with a word counts with the initial's weight only; the rest of the word's
//! weight is added to the denominator at `initial_residual` of the unmatched penalty (one letter
//! is all an initial confirms, but it does not contradict the rest; the rest of a patronymic,
//! `Olga G.` for `Olga Germanovna`, at `patronymic` of that); two or more initials
//! paired count at `initials_together` each rather than `initial_similarity`. A pair with a legal form or
//! particle on either side weighs the lesser of its two weights. An unmatched patronymic
//! (`-ovich`, `-evna`) costs `patronymic` of the usual penalty, and so does, at `middle_name`,
//! an unmatched word of a person's name written between two matched query words when every
//! word of the listed name is matched (a middle name or a father's name the list leaves out).
//! A listed word that the query wrote as a title, and so dropped (`Sayed Jamil` for `SAYED,
//! Jamil`), weighs nothing: it neither counts nor costs. Nor does a word either side writes
//! twice when one of the two is matched (`MUHAMMAD YUNIS AHMAD AHMAD`). In an organisation's
//! name, an unmatched word naming the kind of body (`plant`, `group`, `complex`) costs
//! `descriptor` of its penalty when the other name has one unmatched too, and so does that one;
//! a listed organisation's own acronym (`SIG` in `SPECIAL INDUSTRIES GROUP (SIG)`) costs
//! `own_acronym` of its penalty.
//!
//! Finally the score is scaled by `min(1, Σ w(p)·credit(p) / min_evidence)`: a match of only
//! common tokens is too little evidence however complete it is. A listed organisation's name
//! score is then calibrated to `1 − (1 − score)^organization_calibration`, so that a score
//! stands for the same rate of chance alerts for organisations as for persons (see
//! [`NameAlgorithm::organization_calibration`]); explanations state the score before it.
//!
//! The score is in [0, 1], order-insensitive, and 1 only when every token has an exact (or
//! similarity-1) counterpart. The two penalty factors are deliberately asymmetric: a query token
//! the listed name lacks is evidence of a different party (`query_unmatched` = 1), whereas lists
//! record fuller names than screened data carries (second surnames, patronymics, `bin X bin Y`
//! chains), so a listed token the query lacks costs less (`name_unmatched` = 0.25).
//!
//! # Versioning
//!
//! Every constant is declared in [`NAME_V14`]. Changing any of them, or the formula, makes a new
//! algorithm version with a new name; explanations state the version used.

use super::distance;
use super::explain::{Discount, Method, TokenPair, UnmatchedToken};
use super::keys::{jaro_winkler_reaches, max_edits, osa_within_bytes, SHORT_LEN};
use crate::analyze::keys::{phonetic_key, skeleton, spelling_key};
use crate::analyze::unvocalised;
use crate::{analyze, TokenClass};
use interdict_model::EntityKind;
use serde::{Deserialize, Serialize};

/// The declared parameters of one version of the name-scoring algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NameAlgorithm {
    /// Version name, stated in every explanation.
    pub name: &'static str,
    /// Weight factor of ordinary name words.
    pub word: f64,
    /// Weight factor of particles (`al`, `bin`, `de`, `van`): they rarely tell parties apart.
    pub particle: f64,
    /// Weight factor of legal forms (`LLC`, `JSC`): low so `EMMA LLC` is not `EMMA ANYTHING`.
    pub legal_form: f64,
    /// Weight factor of initials: a letter is weak evidence.
    pub initial: f64,
    /// Weight factor of numbers (vessel and company names: `SEA STAR 3` ≠ `SEA STAR 4`).
    pub number: f64,
    /// Penalty factor of a query token with no counterpart in the listed name.
    pub query_unmatched: f64,
    /// Penalty factor of a listed-name token the query lacks.
    pub name_unmatched: f64,
    /// Factor on the unmatched penalty of a patronymic (`-ovich`, `-evna`…) on either side.
    pub patronymic: f64,
    /// Factor on the unmatched penalty of a query word of a person's name written between two
    /// matched words when every word of the listed name is matched: a middle name, or the
    /// father's name of an Arabic name chain, that the list does not record (`Bashar Hafez
    /// al-Assad` / `AL-ASSAD, Bashar`; `Eyad Mohamad Makhlouf` / `MAKHLOUF, Eyad`).
    pub middle_name: f64,
    /// Factor on the unmatched penalty of a word naming the kind of body an organisation is
    /// (`factory`, `group`, `complex`: [`crate::is_descriptor`]) when the other name has one
    /// unmatched too: authorities call one body by different ones (`MARINE INDUSTRIES
    /// FACTORY` / `MARINE INDUSTRIES ORGANIZATION`), so the two words are a weak
    /// disagreement, not two names' own words. Both of the pair are charged so.
    pub descriptor: f64,
    /// Factor on the unmatched penalty of a listed organisation's own acronym (`SIG` in
    /// `SPECIAL INDUSTRIES GROUP (SIG)`: the first letters of a run of its other words), which
    /// one authority writes after the name and another leaves out. A query's own acronym
    /// weighs this share of its weight instead (`MatchIndex::search`), matched or not.
    pub own_acronym: f64,
    /// Pairs less similar than this do not correspond at all.
    pub min_similarity: f64,
    /// Approximate pairs (fuzzy, phonetic, skeleton, inexact concatenation) enter the score with
    /// their similarity raised to this power: a near match is weaker evidence than its
    /// similarity suggests, and several together are likely a different name (`Salma Hassan` /
    /// `SALAMEH, Ghassan`, pairs at 0.82 and 0.9, was a false alert at 0.86 with similarities
    /// taken as they are). Measured on the eval decks at 1% false alerts on person names:
    /// exponent 2 gained 11 points of recall on initials and 4 on dropped tokens against
    /// exponent 1, and did better than exempting the first near match. Variants and initials
    /// have their own fixed similarities and are exempt, as is the one pair of two single-token
    /// names (+2 points on typos, no added false alerts). So is a near match of a query
    /// word that is neither a word of the lists nor a known name spelling ([`Method::Typo`]):
    /// a word nobody is known to be called is most likely a typo, whereas a real name one
    /// letter from a listed one (`Babu`/`BABA`, `Salma`/`SALAMEH`) is most likely another name.
    /// Not so the one word of an organisation's name (beside legal forms) when the two names
    /// disagree in anything else, a legal form or a word left unmatched: companies coin their
    /// names, and a coined word one letter from a listed one, in a name that differs besides,
    /// is as likely another company's (`NIDEC CORP` / `NIOEC`, `AEGON LTD.` / `ARGON OOO`,
    /// `Avantor, Inc.` / `AVANFORT OOO`), so such a typo pair counts as a near spelling. Where
    /// all else agrees (`NORTITRAND LTD.` / `NORDSTRAND LTD.`, `NIDEC` / `NIOEC`) it stays a
    /// typo. Measured on the eval decks: the organisations' false alerts at 0.8185 (then the
    /// threshold of 1%) fell from 79 to 56, and typos gained 0.3 points at the threshold of
    /// 1% once `organization_calibration` was measured again.
    pub similarity_exponent: f64,
    /// Similarity of two members of one variant family (Mohammed/Muhammad).
    pub variant: f64,
    /// Similarity of tokens with the same spelling key (spellings that differ only by
    /// romanisation convention: Waheed/Wahid, Ionow/Ionov, Keem/Kim). Like variants, exempt
    /// from `similarity_exponent`: the key keeps every sound, so agreement is not a near miss.
    pub spelling: f64,
    /// Similarity of tokens with the same phonetic key.
    pub phonetic: f64,
    /// Similarity of tokens with the same consonant skeleton.
    pub skeleton: f64,
    /// Phonetic and skeleton agreement count only when the Jaro-Winkler similarity of the
    /// spellings reaches this.
    pub keyed_min_jaro_winkler: f64,
    /// Similarity of a word the query wrote in an abjad and a listed word with its consonants
    /// ([`Method::Consonants`]). Exempt from `similarity_exponent`, like spelling keys: the
    /// script wrote no short vowels, so agreement on every written letter is all there can be.
    pub consonants: f64,
    /// Similarity of the query's last word cut short and a listed word it begins
    /// ([`Method::Truncated`]). Exempt from `similarity_exponent`: every letter written agrees,
    /// the rest is missing, not different (as an initial's is).
    pub truncated: f64,
    /// [`truncated`](Self::truncated) for a cut word that is itself a word of the lists, and
    /// so as likely a whole word.
    pub truncated_word: f64,
    /// Similarity of a declined word of a name written in Cyrillic and the listed word its
    /// stem spells ([`Method::Inflection`]): as a spelling of another convention, less a
    /// little for the ending that had to go.
    pub inflection: f64,
    /// Exponent `γ` of the calibration of an organisation's name score `s` to `1 − (1 − s)^γ`
    /// ([`calibrated`](Self::calibrated)), so that a score stands for the same rate of chance alerts whether the
    /// listed party is a person or an organisation. Organisations' names are mostly words
    /// their kind shares (`TRADING`, `INTERNATIONAL`, legal forms), which weigh little, and a
    /// word the query adds costs in full: the scores of unrelated organisations run lower than
    /// those of unrelated persons, by the same power at every depth of the tail. Measured over
    /// the real negatives of `eval/` (7,844 SEC registrants, 6,300 person names) by
    /// `eval/calibration.py`, the exponent taking the organisations' top 0.5%, 1%, 2%, 3% and
    /// 5% to the persons' was 1.21, 1.18, 1.19, 1.18 and 1.17 in `name-v12`; in `name-v14`,
    /// whose typos of a company's one word count less, it is 1.27, 1.27, 1.33, 1.32 and 1.28,
    /// and the exponent is the one at 1%, where the threshold is set.
    pub organization_calibration: f64,
    /// Similarity of an initial and a word with that first letter.
    pub initial_similarity: f64,
    /// Similarity of each initial when two or more initials pair with words of the name
    /// (`MUTASA, D. N. E.` for `MUTASA, Didymus Noel Edwin`): letters agreeing by chance
    /// become unlikely fast with each further one, so together they count for more than each
    /// alone.
    pub initials_together: f64,
    /// The share of the unmatched penalty charged for the part of a word an initial stands for
    /// (times `patronymic` when the word is a patronymic: it costs no more so than unmatched).
    pub initial_residual: f64,
    /// Factor on `initial_residual` when two initials or more pair with words of the name
    /// (`AL-SHAMMARI, H.A.D.S.` for `AL-SHAMMARI, Hamad Awad Dahi Sarhan`): the words they stand
    /// for are less in doubt when each further letter agrees, as `initials_together` says of
    /// the letters themselves.
    pub initials_together_residual: f64,
    /// Score factor of a strong alias.
    pub alias: f64,
    /// Score factor of a weak alias / low-quality alias.
    pub weak_alias: f64,
    /// Score factor of a former name.
    pub former_name: f64,
    /// Smallest rarity weight a token gets (the commonest tokens still count a little).
    pub min_rarity: f64,
    /// Matched weight (Σ weight × similarity of the pairs) needed for full credit; below it the
    /// score is scaled by matched / `min_evidence`. One common token (`Mohammed` against a weak
    /// alias `Mohammad`, `LLC` against `LLC`) is too little to identify anyone however well it
    /// matches, while one rare token (`HAMAS`) is enough.
    pub min_evidence: f64,
}

/// Name of the current algorithm. `name-v1` became `name-v2` when spelling keys (romanisation
/// conventions folded), typo-tolerant legal forms and typos of long unknown words changed
/// scores, and `name-v2` became `name-v3` when an unknown query token of two or three letters
/// took the weight a short token typically has instead of the most a token can have, and
/// several initials paired together came to count for more than each alone; `name-v3` became
/// `name-v4` when a query word of four to six letters that is nobody's name (not a word of the
/// lists, of no variant table, not in [`crate::analyze::is_name_word`]'s table) came to pair
/// with a listed word within its edit budget as a typo, and query words written in parentheses
/// came to weigh a tenth of their rarity; `name-v4` became `name-v5` when a query word written
/// in an abjad (Arabic, Persian, Hebrew letters) came to pair with a listed word whose
/// consonants it has ([`Method::Consonants`]); `name-v5` became `name-v6` when a middle name
/// of a person's name that the listed name lacks came to cost `middle_name` of a word's
/// penalty, a listed word the query dropped as a title came to weigh nothing, a query word
/// came to keep its own canonical where the lists have the same text with another, and the
/// analysis came to read titles as surnames before a comma, respell
/// Korean names typed in South Korea's romanisation and weigh English function words of
/// organisation names as particles; `name-v6` became `name-v7` when a word written twice came
/// to cost nothing once matched, a word naming the kind of body an organisation is came to cost
/// `descriptor` of its penalty against another such word, an abjad romanisation came to pair
/// with Persian spellings (`v` for و, `gh` or `k` for ق), a woman's and a man's given name of
/// two variant families stopped pairing as near spellings (`Aleksandra`/`Aleksandr`), the
/// spelling key came to read a Ukrainian `h` in an East Slavic surname as `g`, and the analysis
/// came to know common Arabic and Persian words the generated dictionary lacks and Russian
/// unitary enterprises and research and production bodies as legal forms; `name-v7` became
/// `name-v8` when a listed organisation's own acronym came to cost `own_acronym` of its
/// penalty unmatched, the rest of a patronymic an initial stands for came to cost `patronymic`
/// of its residual, and the analysis came to read the UK's `So-called` as a title, Chinese
/// organisation names in Han characters with their generic words in English, and Turkish and
/// other national legal forms and organisation words; `name-v8` became `name-v9` when a typed
/// query word of five to seven letters that is nobody's name came to pair with listed words
/// two edits away as a near spelling (`SQLAAS`/`SALAS`, [`super::keys::WIDE_TYPO_LEN`]), and
/// `Lt.` at the end of a name came to be read as `LTD`, and two initials or more pairing with
/// words of the name came to charge `initials_together_residual` of the rest of those words;
/// `name-v9` became `name-v10` when a word came to weigh the rarity of its variant family, all
/// its spellings together, instead of its own spelling's (`mohd` as rare as `muhammad` is
/// common), alignment came to give equally good pairs first to the tokens with fewer
/// partners, the last word of a name that may be cut short came to pair with the listed words
/// it begins ([`Method::Truncated`], at `truncated` or `truncated_word`), a fragment that is
/// no word to find them in retrieval and to weigh what the commonest of them weighs, and the
/// analysis came to read a name cut off inside the legal form that ends it as that form;
/// `name-v10` became `name-v11` when a declined word of a name written in Cyrillic that the
/// lists lack came to pair with the listed word its stem spells ([`Method::Inflection`], at
/// `inflection`), a leading `j` before a vowel of a word ending as Slavic surnames and
/// patronymics do came to be spelt `y` (Janukovic/YANUKOVYCH), a و of a word written in an
/// abjad came to be read `o` too (`nuruzi` for نوروزی / NOROUZI), its ش and ج to be written
/// `ch` and `dj` too (French: `shkuri` for شكوري / CHEKKOURI), its final ة `at` (JAMAAT),
/// such a word came to pair
/// by its consonants with two adjacent listed words written together (`mhmdli` for محمدعلی /
/// MOHAMMAD ALI), and the analysis came to end a
/// name before a note of its bearer's birth (`… born in 1963`); `name-v11` became `name-v12`
/// when a listed organisation's name score came to be calibrated to the persons' scale
/// (`organization_calibration`); `name-v12` became `name-v13` when the further parts of a
/// person's hyphenated compound name (`Jean-Francis`, `Yunus-Bek`, `Tong-ho`) whose first part
/// an initial of the other name stands for came to cost `initial_residual` of their penalty
/// unmatched, as the rest of a word an initial stands for does ([`Discount::Compound`]);
/// `name-v13` became `name-v14` when a typo of the one word of an organisation's name came to
/// count as a near spelling (see [`NameAlgorithm::similarity_exponent`]) and
/// `organization_calibration`, measured again, went from 1.18 to 1.27, a word of two or three
/// letters nobody is called came to pair as a typo with a listed word one letter away
/// ([`super::search::short_typo_similarity`]), a particle a hyphen joins to a word came to
/// continue its compound (`Nasir-al-Din`), and an aircraft's registration mark came to be
/// read as one word (`E-IDF` / `EP-IDF`, [`super::readings::registration_mark`]); `name-v14`
/// became `name-v15` when the analysis came to read three initials or more inside an
/// organisation's name as the acronym they write (`A.I.C. COMPREHENSIVE RESEARCH INSTITUTE` /
/// `AIC ...`); `name-v15` became `name-v16` when a word that only organisations', vessels' and
/// aircraft's names of the lists have came to weigh less the commoner a word of English it is
/// (`TARGET`, `ORANGE`; see `index::build::commonness`) and the spelling key came to read a
/// Korean `yong` written with its `n` twice as `yong`. An explanation names the version that produced it, so alerts raised under an older version
/// say so.
pub const NAME_ALGORITHM: &str = "name-v16";

/// The parameters the default scoring uses: those of `name-v1`, unchanged through `name-v4`
/// (what changed is how tokens are compared and weighed, see [`NAME_ALGORITHM`]),
/// `consonants`, added in `name-v5`, `middle_name`, added in `name-v6`, `descriptor`, added
/// in `name-v7`, `own_acronym`, added in `name-v8`, `initials_together_residual`, added
/// in `name-v9`, `truncated` and `truncated_word`, added in `name-v10`, `inflection`,
/// added in `name-v11`, and `organization_calibration`, added in `name-v12` and changed in
/// `name-v14`; the constant keeps the name of the version that last changed a parameter.
pub const NAME_V14: NameAlgorithm = NameAlgorithm {
    name: NAME_ALGORITHM,
    word: 1.0,
    particle: 0.3,
    legal_form: 0.15,
    initial: 0.3,
    number: 1.0,
    query_unmatched: 1.0,
    name_unmatched: 0.25,
    patronymic: 0.3,
    middle_name: 0.3,
    descriptor: 0.5,
    own_acronym: 0.1,
    min_similarity: 0.8,
    similarity_exponent: 2.0,
    variant: 0.95,
    spelling: 0.92,
    phonetic: 0.82,
    skeleton: 0.82,
    keyed_min_jaro_winkler: 0.8,
    consonants: 0.9,
    truncated: 0.9,
    truncated_word: 0.7,
    inflection: 0.9,
    organization_calibration: 1.27,
    initial_similarity: 0.85,
    initials_together: 0.95,
    initial_residual: 0.5,
    initials_together_residual: 0.5,
    alias: 1.0,
    weak_alias: 0.88,
    former_name: 0.95,
    min_rarity: 0.1,
    min_evidence: 0.6,
};

impl NameAlgorithm {
    /// The calibrated name score of a name of a party of `kind` (see
    /// [`organization_calibration`](Self::organization_calibration)): monotone, 0 stays 0 and
    /// 1 stays 1, so it changes no order among one kind's names, only what a score means
    /// across kinds.
    pub fn calibrated(&self, score: f64, kind: Option<EntityKind>) -> f64 {
        match kind {
            Some(EntityKind::Organization) => {
                1.0 - (1.0 - score.clamp(0.0, 1.0)).powf(self.organization_calibration)
            }
            _ => score,
        }
    }

    /// The least uncalibrated name score whose [`calibrated`](Self::calibrated) score reaches
    /// `floor`: what a bound of the uncalibrated score must reach for a name to be worth
    /// scoring.
    pub fn uncalibrated_floor(&self, floor: f64, kind: Option<EntityKind>) -> f64 {
        match kind {
            Some(EntityKind::Organization) if floor > 0.0 => {
                1.0 - (1.0 - floor.min(1.0)).powf(1.0 / self.organization_calibration)
            }
            _ => floor,
        }
    }

    /// The weight factor of a token class (honorifics are dropped before weighing).
    pub fn class_factor(&self, class: TokenClass) -> f64 {
        match class {
            TokenClass::Word => self.word,
            TokenClass::Initial => self.initial,
            TokenClass::LegalForm => self.legal_form,
            TokenClass::Honorific => 0.0,
            TokenClass::Particle => self.particle,
            TokenClass::Number => self.number,
        }
    }
}

/// What token comparison needs of a token, precomputed once per token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct TokenKeys {
    pub text: KeyText,
    pub class: TokenClass,
    pub canonical: Option<KeyText>,
    /// Phonetic key, empty when the token is too short for one to mean anything.
    pub phonetic: KeyText,
    /// Skeleton, empty when too short.
    pub skeleton: KeyText,
    /// Spelling key ([`spelling_key`]), empty when too short.
    pub spelling: KeyText,
}

/// The text of a token and of its keys: a string of up to 24 bytes held in place (a `String`'s
/// size), longer ones on the heap. Nearly every word and key is that short, so a term's keys
/// sit in its record rather than in five allocations elsewhere: an index loads with a few
/// thousand allocations instead of about 180,000, and comparing a query word with a candidate
/// term reads the term's record, not five more places in memory. Encoded as a string, so
/// index files are as they were.
pub(crate) type KeyText = compact_str::CompactString;

/// Tokens shorter than this get no phonetic key: Double Metaphone codes of 2–3 letter tokens
/// collide across unrelated names (`ali`, `ala`, `eli`, `ola`).
const MIN_PHONETIC_TOKEN: usize = 4;
/// Phonetic codes shorter than this are too unspecific to be evidence.
const MIN_PHONETIC_KEY: usize = 3;
/// Skeletons reach down to three-letter tokens: vowel-less romanisations of Arabic are short
/// (`rbi` for ربيع against `rabi`), and the Jaro-Winkler gate keeps unrelated short tokens
/// with the same two consonants apart (`rbi`/`ruby` 0.75).
const MIN_SKELETON_TOKEN: usize = 3;
/// Skeletons shorter than this are too unspecific to be evidence.
const MIN_SKELETON_KEY: usize = 2;
/// Spelling keys shorter than this are too unspecific to be evidence (two-letter keys join
/// unrelated short words: `oh`/`o`).
const MIN_SPELLING_KEY: usize = 3;

impl TokenKeys {
    pub(crate) fn new(text: &str, class: TokenClass, canonical: Option<&str>) -> TokenKeys {
        let keyed = class != TokenClass::Number && class != TokenClass::Initial;
        let ph = if keyed && text.len() >= MIN_PHONETIC_TOKEN {
            Some(phonetic_key(text)).filter(|k| k.len() >= MIN_PHONETIC_KEY)
        } else {
            None
        };
        let sk = if keyed && text.len() >= MIN_SKELETON_TOKEN {
            Some(skeleton(text)).filter(|k| k.len() >= MIN_SKELETON_KEY)
        } else {
            None
        };
        let sp = if keyed {
            Some(spelling_key(text)).filter(|k| k.len() >= MIN_SPELLING_KEY)
        } else {
            None
        };
        let (ph, sk) = (ph.unwrap_or_default(), sk.unwrap_or_default());
        TokenKeys {
            text: KeyText::new(text),
            class,
            canonical: canonical.map(KeyText::new),
            phonetic: KeyText::from(ph),
            skeleton: KeyText::from(sk),
            spelling: KeyText::from(sp.unwrap_or_default()),
        }
    }

    /// The keys of a token that is only compared by text, class and canonical: phonetic key,
    /// skeleton and spelling key left empty. For what never reads them — a query token whose
    /// resolution is cached, a joined pair (retrieved by text and edit distance only), the
    /// initial pairs of scoring — computing them was 7% of a batch's CPU time (Double
    /// Metaphone mostly), for nothing; [`TokenKeys::new`] makes the full keys where they are
    /// needed.
    pub(crate) fn unkeyed(text: &str, class: TokenClass, canonical: Option<&str>) -> TokenKeys {
        TokenKeys {
            text: KeyText::new(text),
            class,
            canonical: canonical.map(KeyText::new),
            phonetic: KeyText::default(),
            skeleton: KeyText::default(),
            spelling: KeyText::default(),
        }
    }

    /// [`TokenKeys::unkeyed`] of a text and canonical the caller owns (and no longer needs).
    pub(crate) fn unkeyed_taken(
        text: String,
        class: TokenClass,
        canonical: Option<String>,
    ) -> TokenKeys {
        TokenKeys {
            text: KeyText::from(text),
            class,
            canonical: canonical.map(KeyText::from),
            phonetic: KeyText::default(),
            skeleton: KeyText::default(),
            spelling: KeyText::default(),
        }
    }

    /// The variant family this token belongs to (its canonical, or itself).
    pub(crate) fn family(&self) -> &str {
        self.canonical.as_deref().unwrap_or(&self.text)
    }
}

/// Tokens longer than this are compared exactly only: no name has such words, and the edit
/// distance of two of them costs the product of their lengths (a megabyte-long query token
/// must not stall a search).
pub(crate) const MAX_FUZZY_LEN: usize = 64;

/// Similarity of two tokens within the edit budget of [`max_edits`] of the longer one (so a
/// letter dropped from a four-letter token, `peng`/`eng`, is a typo, while two three-letter
/// tokens must be equal): the mean of Jaro-Winkler
/// and normalised OSA similarity. Jaro-Winkler alone rates short different names too high
/// (`bush`/`bash` 0.88) and ignores how many edits were made; Levenshtein alone rates a typo in
/// a short token too low. `None` beyond the budget.
pub(crate) fn fuzzy_similarity(a: &str, b: &str) -> Option<f64> {
    fuzzy_parts(a, b).map(|(s, _)| s)
}

/// Whether [`fuzzy_similarity`] of `a` and `b` is `Some`: the two are within the edit budget
/// of [`max_edits`]. Its conditions without the similarity, whose Jaro-Winkler part a caller
/// that only asks whether there is one does not need.
pub(crate) fn within_fuzzy_budget(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (la, lb) = (a.len(), b.len());
    let budget = max_edits(la.max(lb));
    la.max(lb) <= MAX_FUZZY_LEN
        && budget != 0
        && la.abs_diff(lb) <= budget
        && osa_within_bytes(a, b, budget).is_some()
}

/// [`fuzzy_similarity`] and the Jaro-Winkler similarity it was made from, which
/// [`token_similarity`] reuses for its keyed pairs instead of computing it again.
fn fuzzy_parts(a: &str, b: &str) -> Option<(f64, f64)> {
    fuzzy_parts_bytes(a.as_bytes(), b.as_bytes())
}

/// [`fuzzy_parts`] of two byte strings (lengths and distances count bytes either way).
pub(crate) fn fuzzy_parts_bytes(a: &[u8], b: &[u8]) -> Option<(f64, f64)> {
    fuzzy_parts_budget(a, b, max_edits(a.len().max(b.len())))
}

/// [`fuzzy_parts_bytes`] within `budget` edits.
#[inline]
fn fuzzy_parts_budget(a: &[u8], b: &[u8], budget: usize) -> Option<(f64, f64)> {
    let (la, lb) = (a.len(), b.len());
    if la.max(lb) > MAX_FUZZY_LEN {
        return None;
    }
    if budget == 0 || la.abs_diff(lb) > budget {
        return None;
    }
    let d = osa_within_bytes(a, b, budget)?;
    Some(fuzzy_parts_at(a, b, d, None))
}

/// [`fuzzy_parts`] of two byte strings given `within_two`, their OSA distance when it is at
/// most two edits (`osa_within_bytes(a, b, 2)`), and their Jaro-Winkler similarity when known:
/// no budget of [`max_edits`] exceeds two edits, so the distance within it is `within_two`'s.
#[inline]
pub(crate) fn fuzzy_parts_given(
    a: &[u8],
    b: &[u8],
    within_two: Option<usize>,
    jw: Option<f64>,
) -> Option<(f64, f64)> {
    let (la, lb) = (a.len(), b.len());
    let budget = max_edits(la.max(lb));
    if la.max(lb) > MAX_FUZZY_LEN || budget == 0 || la.abs_diff(lb) > budget {
        return None;
    }
    let d = within_two.filter(|&d| d <= budget)?;
    Some(fuzzy_parts_at(a, b, d, jw))
}

/// [`fuzzy_parts_budget`] of two byte strings whose OSA distance `d` is known to be within the
/// budget, with their Jaro-Winkler similarity when it is known too: the same numbers from the
/// same operations, for a caller that has computed either already.
#[inline]
pub(crate) fn fuzzy_parts_at(a: &[u8], b: &[u8], d: usize, jw: Option<f64>) -> (f64, f64) {
    let lev = 1.0 - d as f64 / a.len().max(b.len()) as f64;
    let jw = jw.unwrap_or_else(|| distance::jaro_winkler(a, b));
    (0.5 * jw + 0.5 * lev, jw)
}

/// Similarity of two tokens and how it was found; `None` when they do not correspond.
///
/// Symmetric: `token_similarity(a, b) == token_similarity(b, a)`. `initials` is false for
/// organisations, vessels and aircraft, whose single letters are parts of acronyms.
pub(crate) fn token_similarity(
    a: &TokenKeys,
    b: &TokenKeys,
    initials: bool,
    p: &NameAlgorithm,
) -> Option<(f64, Method)> {
    token_similarity_by(a, b, initials, p, fuzzy_parts)
}

/// [`token_similarity`], with the [`fuzzy_parts`] of the two texts from `fuzzy` (called at most
/// once): retrieval's typo lookup computes the edit distance of a query word and a listed word
/// within two edits anyway, and hands it in rather than having it computed twice.
#[inline]
pub(crate) fn token_similarity_by(
    a: &TokenKeys,
    b: &TokenKeys,
    initials: bool,
    p: &NameAlgorithm,
    fuzzy: impl FnOnce(&str, &str) -> Option<(f64, f64)>,
) -> Option<(f64, Method)> {
    if a.text == b.text {
        return Some((1.0, Method::Exact));
    }
    let a_initial = a.class == TokenClass::Initial || a.text.len() == 1;
    let b_initial = b.class == TokenClass::Initial || b.text.len() == 1;
    if a_initial || b_initial {
        if !initials || (a_initial && b_initial) {
            return None;
        }
        let (i, w) = if a_initial { (a, b) } else { (b, a) };
        let letter = i.text.as_bytes().first()?;
        return (w.text.as_bytes().first() == Some(letter) && w.class != TokenClass::Number)
            .then_some((p.initial_similarity, Method::Initial));
    }
    if a.class == TokenClass::Number || b.class == TokenClass::Number {
        return None;
    }
    if (a.canonical.is_some() || b.canonical.is_some()) && a.family() == b.family() {
        return Some((p.variant, Method::Variant));
    }
    if !a.spelling.is_empty() && a.spelling == b.spelling {
        return Some((p.spelling, Method::Spelling));
    }
    // A woman's name and a man's that the variant tables know as two names, the one ending in
    // `a` where the other does not (`Aleksandra`/`Aleksandr`, `Ivana`/`Ivan`), are no near
    // spelling of each other: one letter tells two people apart. (Variant families are too
    // finely split for every two of them to be kept apart: `Abdul`/`Abdullah`,
    // `Edward`/`Eduard` and patronymics of both spellings would be lost.)
    if a.canonical.is_some()
        && b.canonical.is_some()
        && a.text.ends_with('a') != b.text.ends_with('a')
    {
        return None;
    }
    let mut best: Option<(f64, Method)> = None;
    let mut consider = |s: f64, m: Method| {
        if s >= p.min_similarity && best.is_none_or(|(b, _)| s > b) {
            best = Some((s, m));
        }
    };
    let mut jw = None;
    if let Some((s, j)) = fuzzy(&a.text, &b.text) {
        consider(s, Method::Fuzzy);
        jw = Some(j);
    }
    if a.text.len().max(b.text.len()) > MAX_FUZZY_LEN {
        return best;
    }
    let keyed = (!a.phonetic.is_empty() && a.phonetic == b.phonetic)
        || (!a.skeleton.is_empty() && a.skeleton == b.skeleton);
    // Equal keys of dissimilar spellings are collisions (`aecom`/`aqim` share a metaphone
    // code): keys count only when the spellings are also broadly alike.
    if keyed
        && match jw {
            Some(jw) => jw >= p.keyed_min_jaro_winkler,
            None => jaro_winkler_reaches(&a.text, &b.text, p.keyed_min_jaro_winkler),
        }
    {
        if !a.phonetic.is_empty() && a.phonetic == b.phonetic {
            consider(p.phonetic, Method::Phonetic);
        }
        // Two-consonant skeletons only join a vowel-less three-letter romanisation with its
        // vocalised form (`rbi`/`rabi`); between longer tokens they are collisions
        // (`fadia`/`fuad` measured as a false alert).
        let short = a.text.len().min(b.text.len()) <= 3 || a.skeleton.len() >= 3;
        if !a.skeleton.is_empty() && a.skeleton == b.skeleton && short {
            consider(p.skeleton, Method::Skeleton);
        }
    }
    best
}

/// Similarity of `abjad`, a word romanised from a script that writes no short vowels (Arabic,
/// Persian, Hebrew: `bshar` for بشار, `hnia` for هنية), and `other`, a word spelled with its
/// vowels: the word is longer, and it is the romanisation with only the vowels the script
/// left out written in ([`vocalises`]). `None` otherwise, and for romanisations too short for
/// a consonant skeleton (two letters).
///
/// The ordinary comparisons see `bshar`/`bashar` as a near miss (fuzzy 0.86, which counts 0.74
/// in a score) and `hnia`/`haniyeh` as unrelated, so a name typed in Arabic letters scored
/// well below its Latin spelling (`إسماعيل هنية` / `HANIYEH, Ismail` 0.44). Only a query word
/// of such a script is read this way: between two Latin spellings, the same skeleton with
/// fewer vowels is another name (`Salma` / `SALAMEH`).
pub(crate) fn consonant_similarity(
    abjad: &TokenKeys,
    other: &TokenKeys,
    p: &NameAlgorithm,
) -> Option<(f64, Method)> {
    (!abjad.skeleton.is_empty()
        && other.text.len() <= MAX_FUZZY_LEN
        && other.class == TokenClass::Word
        && abjad.text.len() < other.text.len()
        && vocalises(abjad.text.as_bytes(), other.text.as_bytes()))
    .then_some((p.consonants, Method::Consonants))
}

/// [`consonant_similarity`] of `abjad`, a word romanised from a script without short vowels,
/// and two adjacent listed words written together: Persian writes compound given names as one
/// word (`محمدعلی`, romanised `mhmdli`, for MOHAMMAD ALI; `علیرضا` for ALI REZA) that the lists
/// write in two, or the other way round. Length alone would never offer the pair: the listed
/// words carry the vowels the script left out.
pub(crate) fn consonant_concat_similarity(
    abjad: &str,
    first: &str,
    second: &str,
    p: &NameAlgorithm,
) -> Option<(f64, Method)> {
    let total = first.len() + second.len();
    if abjad.len() < 4 || first.len() < 2 || second.len() < 2 || total > MAX_FUZZY_LEN {
        return None;
    }
    if abjad.len() >= total {
        return None;
    }
    let mut buf = [0u8; MAX_FUZZY_LEN];
    buf[..first.len()].copy_from_slice(first.as_bytes());
    buf[first.len()..total].copy_from_slice(second.as_bytes());
    vocalises(abjad.as_bytes(), &buf[..total]).then_some((p.consonants, Method::Consonants))
}

/// Similarity of a declined word of a name written in Cyrillic, given by `stems`, the
/// spelling keys of its stems ([`crate::analyze::stem_keys`]), and `listed`, a word whose
/// spelling key is one of them ([`Method::Inflection`]): `inflection`.
pub(crate) fn inflection_similarity(
    stems: &[String],
    listed: &TokenKeys,
    p: &NameAlgorithm,
) -> Option<(f64, Method)> {
    (listed.class == TokenClass::Word
        && !listed.spelling.is_empty()
        && stems.iter().any(|s| *s == listed.spelling))
    .then_some((p.inflection, Method::Inflection))
}

/// Similarity of `cut`, the query's last word cut short ([`crate::analyze::cut_short`]), and
/// `listed`, a listed word it may be the start of, when `listed` is longer and begins with
/// `cut` ([`Method::Truncated`]): `truncated`, or `truncated_word` when `cut` is itself a
/// whole word (`whole`: of the lists or of a variant table), and so as likely whole (`BEL`
/// of `Julia Bel` against `BELOVA`). A man's name and the woman's of another variant family,
/// the same with an `a` added, are two names, not one cut short (`Aleksandr` / `ALEKSANDRA`,
/// `Ivan` / `IVANA`: [`token_similarity`] keeps them apart too). No listed initial, number or
/// particle: a cut word of three letters or more is none of them.
pub(crate) fn truncated_similarity(
    cut: &TokenKeys,
    whole: bool,
    listed: &TokenKeys,
    p: &NameAlgorithm,
) -> Option<(f64, Method)> {
    let two_names = cut.canonical.is_some()
        && listed.canonical.is_some()
        && cut.family() != listed.family()
        && listed.text.len() == cut.text.len() + 1
        && listed.text.ends_with('a');
    (!two_names
        && matches!(listed.class, TokenClass::Word | TokenClass::LegalForm)
        && listed.text.len() > cut.text.len()
        && listed.text.starts_with(cut.text.as_str()))
    .then_some((
        if whole { p.truncated_word } else { p.truncated },
        Method::Truncated,
    ))
}

/// Whether `full` is `bare` with short vowels written in: `bare`'s letters in order (its `u`
/// also as `w`, `v` or `o` and its `i` as `y`, for و and ي), and between them only what a script without
/// short vowels leaves out. That is a vowel, a letter written twice (shadda: `asd`/`assad`),
/// the `y` of an `i` that `bare` has (`iy` for ي: `hni`/`haniyeh`), or a final `h` after a
/// vowel (ة). A word-initial vowel of `bare` stands for any vowel (ا and ع carry any:
/// `amr`/`omar`), and a final `a` of `bare`, which may be ة, may be written `e` or `eh`
/// (`hnia`/`haniyeh`), or `at` or `et` as ة sounds before another word (`jmaa` for جماعة /
/// `jamaat`, `mnzma` for منظمة / `munazzamat`).
///
/// A consonant skeleton would also join words whose written letters differ: a long vowel or a
/// consonantal `y` the romanisation lacks (`sham` for شام against `shiyam`), or one in another
/// place (`hmudi`/`hammedi`).
fn vocalises(bare: &[u8], full: &[u8]) -> bool {
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let n = bare.len();
    let start = usize::from(
        bare.first().is_some_and(|&c| vowel(c)) && full.first().is_some_and(|&c| vowel(c)),
    );
    // Every way through the states below matches the letters of `bare` after the first
    // `start`, all but the last at least, in order, each to a later letter of `full` that is
    // the same or may spell it (an `s` may be the `c` of a French `ch`). Most pairs fail that
    // already: told by a greedy scan first, which is exact for a subsequence under any
    // relation of letters, the whole reading is left for the pairs that pass (callgrind,
    // throughput deck of `bench/throughput.sh`: 1.2% of a batch's instructions in this
    // function before).
    let mut rest = full.get(start..).unwrap_or(&[]).iter();
    for &b in bare.get(start..n.saturating_sub(1)).unwrap_or(&[]) {
        if !rest.any(|&c| same_or_spelt(b, c)) {
            return false;
        }
    }
    // The states reachable after each letter of `full`: how many letters of `bare` are
    // matched, and whether the last letter was a matched `i`. A letter may be read either
    // way (`vvov`: the second `v` doubles the first, or is `bare`'s second), so all are kept.
    let state = |i: usize, after_i: bool| 2 * i + usize::from(after_i);
    // Both state sets on the stack for any word of a name (the callers' words are at most
    // MAX_FUZZY_LEN letters).
    let mut stack = [false; 4 * (MAX_FUZZY_LEN + 1)];
    let mut heap = Vec::new();
    let states = if n <= MAX_FUZZY_LEN {
        &mut stack[..4 * (n + 1)]
    } else {
        heap.resize(4 * (n + 1), false);
        &mut heap[..]
    };
    let (mut now, mut next) = states.split_at_mut(2 * (n + 1));
    now[state(start, false)] = true;
    for j in start..full.len() {
        let c = full[j];
        next.fill(false);
        for i in 0..=n {
            for after_i in [false, true] {
                if !now[state(i, after_i)] {
                    continue;
                }
                if i + 1 == n
                    && bare[i] == b'a'
                    && matches!(&full[j..], b"e" | b"eh" | b"at" | b"et")
                {
                    return true;
                }
                // و and ي are vowels or consonants: `u` may be a `w`, `i` a `y` (`julani` for
                // الجولاني / `jawlani`, `husin` / `husayn`). Persian, Urdu and Turkish
                // spellings write و `v` (`whid` for وحید / `vahid`, `pruiz` for پرویز /
                // `parviz`) and ق `gh` or `k` as Persian says it (`mqavmt` for مقاومت /
                // `moghavemat`, `baqri` for باقری / `bakeri`). And Persian reads و `o` as often
                // as `u` (`nuruzi` for نوروزی / `norouzi`).
                // The letters of [`same_or_spelt`], but for the French `c` of `ch`, which
                // stands for an `s` only before `h` on both sides (below).
                let same = |b: u8| same_or_spelt(b, c) && (b, c) != (b's', b'c');
                // French romanisations of Maghrebi names write ش `ch` and ج `dj` (`shkuri` for
                // شكوري / `chekkouri`, `jml` for جمال / `djamel`).
                let french_ch = c == b'c'
                    && full.get(j + 1) == Some(&b'h')
                    && bare.get(i) == Some(&b's')
                    && bare.get(i + 1) == Some(&b'h');
                if i < n && (same(bare[i]) || french_ch) {
                    next[state(i + 1, c == b'i')] = true;
                }
                let extra = vowel(c)
                    || (c == b'd' && full.get(j + 1) == Some(&b'j') && bare.get(i) == Some(&b'j'))
                    || (c == b'y' && after_i)
                    || (j > 0 && full[j - 1] == c)
                    || (c == b'h' && j > 0 && full[j - 1] == b'g')
                    || (c == b'h' && j + 1 == full.len() && j > 0 && vowel(full[j - 1]));
                if extra {
                    next[state(i, false)] = true;
                }
            }
        }
        std::mem::swap(&mut now, &mut next);
    }
    now[state(n, false)] || now[state(n, true)]
}

/// Whether letter `c` of a vocalised word may stand for letter `b` of a romanisation from an
/// abjad in [`vocalises`]: the same letter, one of the letters it may be written with, or the
/// `c` of a French `ch` for an `s`.
fn same_or_spelt(b: u8, c: u8) -> bool {
    b == c
        || matches!(
            (b, c),
            (b'u', b'w' | b'v' | b'o')
                | (b'i', b'y')
                | (b'w', b'v')
                | (b'q', b'g' | b'k')
                | (b's', b'c')
        )
}

/// The better of two ways a pair was found, by what each counts in a score.
pub(crate) fn better_pair(
    a: Option<(f64, Method)>,
    b: Option<(f64, Method)>,
) -> Option<(f64, Method)> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if pair_credit(y.0, y.1) > pair_credit(x.0, x.1) {
            y
        } else {
            x
        }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// `sim` raised to `exponent`, a square computed as a product: libm's `pow` was 1% of a
/// batch's cycles (`perf`, throughput deck of `bench/throughput.sh`), and the evaluation's
/// results are byte-identical.
#[inline]
pub(crate) fn raise(sim: f64, exponent: f64) -> f64 {
    if exponent == 2.0 {
        sim * sim
    } else {
        sim.powf(exponent)
    }
}

/// What a pair of this similarity and method counts for in a score of several pairs (see
/// [`NameAlgorithm::similarity_exponent`]).
pub(crate) fn pair_credit(sim: f64, method: Method) -> f64 {
    match method {
        Method::Fuzzy | Method::Phonetic | Method::Skeleton | Method::Concatenation
            if sim < 1.0 =>
        {
            raise(sim, NAME_V14.similarity_exponent)
        }
        _ => sim,
    }
}

/// "No second token" in a [`PairCandidate`].
pub(crate) const NONE: u8 = u8::MAX;
/// Most tokens of one name that scoring considers (the alignment tracks them in a `u64`).
pub(crate) const MAX_TOKENS: usize = 48;

/// A possible correspondence: one or two query tokens with one or two name tokens (two on at
/// most one side).
#[derive(Clone, Copy, Debug)]
pub(crate) struct PairCandidate {
    pub q: [u8; 2],
    pub n: [u8; 2],
    pub sim: f32,
    pub method: Method,
    /// The pair's weight, set by [`align`].
    pub w: f32,
}

/// One side of an alignment: token texts, classes and weights.
pub(crate) struct Side<'a> {
    pub text: &'a dyn Fn(usize) -> &'a str,
    pub class: &'a [TokenClass],
    pub weight: &'a [f32],
    /// The tokens (by bit) naming the kind of body an organisation is
    /// ([`crate::is_descriptor`]); read only of unmatched words of organisations' names.
    pub descriptors: u64,
    /// The tokens (by bit) that are patronymics ([`is_patronymic`]).
    pub patronymics: u64,
    /// The tokens (by bit) that may be the name's own acronym ([`acronym_lengths`]): set for
    /// listed names only, whose own acronym costs `own_acronym` of its penalty.
    pub acronyms: u64,
    /// The tokens (by bit) whose text another token of the side also has ([`repeats`]).
    pub repeats: u64,
    /// The tokens (by bit) that continue a compound of words ([`crate::AnalyzedName::compounds`]).
    pub compounds: u64,
}

/// The tokens of `n` whose text another of them also has, by bit (`same(i, k)`: tokens `i` and
/// `k` have one text): most names have none, and then the repeated-word rule of [`align`]
/// looks no further.
pub(crate) fn repeats(n: usize, same: impl Fn(usize, usize) -> bool) -> u64 {
    let mut mask = 0u64;
    for i in 0..n.min(64) {
        for k in i + 1..n.min(64) {
            if same(i, k) {
                mask |= 1u64 << i | 1u64 << k;
            }
        }
    }
    mask
}

/// The explanation parts of an alignment.
#[derive(Default)]
pub(crate) struct AlignmentDetail {
    pub pairs: Vec<TokenPair>,
    pub unmatched_query: Vec<UnmatchedToken>,
    pub unmatched_name: Vec<UnmatchedToken>,
    /// The factor applied for too little matched evidence (1 when enough).
    pub evidence_factor: f64,
    /// The name score before calibration, when it was calibrated ([`NameAlgorithm::calibrated`]).
    pub uncalibrated: Option<f64>,
}

fn bits(ix: [u8; 2]) -> u64 {
    let mut m = 1u64 << ix[0];
    if ix[1] != NONE {
        m |= 1u64 << ix[1];
    }
    m
}

fn joined(side: &Side, ix: [u8; 2]) -> String {
    let mut s = (side.text)(ix[0] as usize).to_string();
    if ix[1] != NONE {
        s.push(' ');
        s.push_str((side.text)(ix[1] as usize));
    }
    s
}

fn side_weight(side: &Side, ix: [u8; 2]) -> f64 {
    let mut w = side.weight[ix[0] as usize] as f64;
    if ix[1] != NONE {
        w += side.weight[ix[1] as usize] as f64;
    }
    w
}

/// Greedy 1:1 alignment and the `name-v12` score of it.
///
/// Greedy by best similarity rather than an optimal assignment: with pairs sorted by
/// similarity the greedy choice is optimal unless one token is the best partner of two tokens
/// with near-equal similarities, which changes the score by a few thousandths; it is also what
/// a reviewer reading the explanation expects ("each token took its closest counterpart").
/// Exact ties, which variants of one family make (same similarity, same weight), go to the
/// pair whose tokens have fewer partners, so the greedy choice takes no token another has no
/// substitute for.
pub(crate) fn align<'a>(
    q: &Side<'a>,
    n: &Side<'a>,
    candidates: &mut [PairCandidate],
    p: &NameAlgorithm,
    kind: Option<EntityKind>,
    detail: Option<&mut AlignmentDetail>,
) -> f64 {
    weigh(q, n, candidates);
    align_weighed(q, n, candidates, p, kind, detail)
}

/// Sets the weight `w` of each candidate pair, as [`align`] counts it.
pub(crate) fn weigh(q: &Side, n: &Side, candidates: &mut [PairCandidate]) {
    let low = |side: &Side, ix: [u8; 2]| {
        ix[1] == NONE
            && matches!(
                side.class[ix[0] as usize],
                TokenClass::LegalForm | TokenClass::Particle
            )
    };
    for c in candidates.iter_mut() {
        let (wq, wn) = (side_weight(q, c.q), side_weight(n, c.n));
        // An initial weighs what the initial weighs; a word matched to a legal form or particle
        // (`CORP` alone reads as a word) weighs what the legal form or particle weighs.
        c.w = if c.method == Method::Initial || low(q, c.q) || low(n, c.n) {
            wq.min(wn)
        } else {
            0.5 * (wq + wn)
        } as f32;
    }
}

/// What a pair counts for in [`align`]'s matched weight: its similarity, raised to
/// `similarity_exponent` when approximate (unless both names are a single token). A
/// [`Method::Typo`] pair of an organisation's one word may lose the exemption once the whole
/// alignment is known ([`align_weighed`]).
#[inline]
fn align_credit(c: &PairCandidate, alone: bool, p: &NameAlgorithm) -> f64 {
    let sim = c.sim as f64;
    let approximate = sim < 1.0
        && !matches!(
            c.method,
            Method::Initial
                | Method::Variant
                | Method::Spelling
                | Method::Typo
                | Method::Consonants
                | Method::Truncated
                | Method::Inflection
        );
    if approximate && !alone {
        raise(sim, p.similarity_exponent)
    } else {
        sim
    }
}

/// The tokens of `texts` (by bit, the first 64) for which `test` holds.
pub(crate) fn mask(texts: &[&str], test: impl Fn(&str) -> bool) -> u64 {
    texts
        .iter()
        .take(64)
        .enumerate()
        .filter(|(_, t)| test(t))
        .fold(0, |m, (i, _)| m | 1u64 << i)
}

/// Whether a word of `len` bytes in a name of `tokens` tokens may be the name's own acronym
/// ([`super::search::is_own_acronym`]): three to eight letters, and no more letters than the
/// name has other tokens. Read from lengths alone, so a search marks a listed name's tokens without their
/// texts.
pub(crate) fn acronym_lengths(len: usize, tokens: usize) -> bool {
    (3..=8).contains(&len) && len < tokens
}

/// An upper bound of the score [`align`] gives two sides when only the tokens `in_q` and
/// `in_n` (by bit) are in any candidate pair: read from token weights without weighing,
/// sorting or aligning pairs, so scoring skips the alignment of a name that cannot reach the
/// search's threshold (most of the names retrieval hands over).
///
/// With `m` the matched weight and `u` the unmatched penalties of the alignment, the score is
/// `m / denom × min(1, m / min_evidence)` with `denom ≥ m + u` (a pair adds its weight to the
/// denominator and at most that to `m`: no credit exceeds one, and two initials together
/// count `initials_together`), which grows with `m` and falls with `u`. A pair weighs at most
/// the mean of its two sides' weights and holds each token once, so `m` is at most half the
/// weights of the tokens in some pair; and `u` is at least the penalties of the tokens in
/// none, each at the smallest discount it could get.
pub(crate) fn align_bound<'a>(
    q: &Side<'a>,
    n: &Side<'a>,
    in_q: u64,
    in_n: u64,
    p: &NameAlgorithm,
    person: bool,
) -> f64 {
    let (lq, ln) = (q.weight.len().min(64), n.weight.len().min(64));
    let mut m = 0.0f64;
    let mut u = 0.0f64;
    // A middle name is a query word between two matched ones when every word of the listed
    // name is matched: not when a listed word has no pair.
    let middle =
        person && (0..ln).all(|j| in_n & (1u64 << j) != 0 || n.class[j] != TokenClass::Word);
    let (first, last) = if in_q == 0 {
        (0, 0)
    } else {
        (
            in_q.trailing_zeros() as usize,
            63 - in_q.leading_zeros() as usize,
        )
    };
    for (side, len, used, factor, is_query) in [
        (q, lq, in_q, p.query_unmatched, true),
        (n, ln, in_n, p.name_unmatched, false),
    ] {
        for i in 0..len {
            let bit = 1u64 << i;
            let w = side.weight[i] as f64;
            if used & bit != 0 {
                m += w;
                continue;
            }
            if side.repeats & bit != 0 {
                continue;
            }
            let word = side.class[i] == TokenClass::Word;
            let mut discount = 1.0f64;
            if !person && word && side.descriptors & bit != 0 {
                discount = discount.min(p.descriptor);
            }
            if side.patronymics & bit != 0 {
                discount = discount.min(p.patronymic);
            }
            // Any word of an acronym's length may be the listed name's own acronym.
            if !is_query && !person && word && side.acronyms & bit != 0 {
                discount = discount.min(p.own_acronym);
            }
            if is_query && middle && word && i > first && i < last {
                discount = discount.min(p.middle_name);
            }
            // Any part of a compound may continue one an initial stands for.
            if person && side.compounds & bit != 0 {
                discount = discount.min(p.initial_residual);
            }
            u += factor * discount * w;
        }
    }
    let m = 0.5 * m;
    if m <= 0.0 {
        return 0.0;
    }
    let evidence = (m / p.min_evidence).min(1.0);
    (m / (m + u) * evidence).clamp(0.0, 1.0)
}

/// The unmatched tokens of `side` (by bit) that continue a compound whose first word an
/// initial of the other name stands for (`francis` of `Jean-Francis` against `J.`), directly
/// or through the compound's other unmatched parts: the initial stands for the compound whole,
/// so its further parts cost what the rest of a word an initial stands for costs
/// (`initial_residual` of their penalty), not what a word the other name leaves out costs.
/// `initial` holds the side's tokens paired with an initial.
fn compound_rest(side: &Side, used: u64, initial: u64) -> u64 {
    if side.compounds == 0 || initial == 0 {
        return 0;
    }
    let mut rest = 0u64;
    for i in 1..side.weight.len().min(64) {
        let bit = 1u64 << i;
        if side.compounds & bit != 0 && used & bit == 0 && (initial | rest) & (bit >> 1) != 0 {
            rest |= bit;
        }
    }
    rest
}

/// [`align`] of candidates already weighed by [`weigh`].
pub(crate) fn align_weighed<'a>(
    q: &Side<'a>,
    n: &Side<'a>,
    candidates: &mut [PairCandidate],
    p: &NameAlgorithm,
    kind: Option<EntityKind>,
    detail: Option<&mut AlignmentDetail>,
) -> f64 {
    let person = initials_apply(kind);
    // Of pairs equally similar and heavy (variants of one family weigh the same: `torgovlya`
    // against `trade` and `trading`), the one whose tokens have fewer other partners goes
    // first, so that a token with a single partner (`treyding`, a typo of `trading`) keeps it.
    let (mut partners_q, mut partners_n) = ([0u8; 64], [0u8; 64]);
    for c in candidates.iter() {
        for (partners, ix) in [(&mut partners_q, c.q), (&mut partners_n, c.n)] {
            for i in ix.into_iter().filter(|&i| i != NONE) {
                let k = &mut partners[i as usize % 64];
                *k = k.saturating_add(1);
            }
        }
    }
    let partners = |c: &PairCandidate| -> u32 {
        let count = |partners: &[u8; 64], ix: [u8; 2]| -> u32 {
            ix.into_iter()
                .filter(|&i| i != NONE)
                .map(|i| u32::from(partners[i as usize % 64]))
                .sum()
        };
        count(&partners_q, c.q) + count(&partners_n, c.n)
    };
    candidates.sort_unstable_by(|a, b| {
        b.sim
            .total_cmp(&a.sim)
            .then_with(|| b.w.total_cmp(&a.w))
            .then_with(|| partners(a).cmp(&partners(b)))
            .then_with(|| a.q.cmp(&b.q))
            .then_with(|| a.n.cmp(&b.n))
    });
    let (mut used_q, mut used_n) = (0u64, 0u64);
    let (mut matched, mut denom) = (0.0f64, 0.0f64);
    // A typo of an organisation's one name word is as likely another company's coined name,
    // unless the names agree in everything else: credited in full here, what it would lose
    // as a near spelling is kept in `coined` and taken off below if anything is left unmatched.
    let organization = kind == Some(EntityKind::Organization);
    let one_word = organization && q.class.iter().filter(|&&c| c == TokenClass::Word).count() < 2;
    let mut coined = 0.0f64;
    // The initials paired and their weight: their credit rises when there are several.
    let (mut initials, mut initials_weight) = (0usize, 0.0f64);
    // The tokens of each side in a pair with an initial.
    let (mut initial_q, mut initial_n) = (0u64, 0u64);
    // What the words initials stand for cost, added once it is known how many there are.
    let mut residuals = 0.0f64;
    let mut detail = detail;
    for c in candidates.iter() {
        let (bq, bn) = (bits(c.q), bits(c.n));
        if used_q & bq != 0 || used_n & bn != 0 {
            continue;
        }
        used_q |= bq;
        used_n |= bn;
        let w = c.w as f64;
        let sim = c.sim as f64;
        let alone = q.weight.len() == 1 && n.weight.len() == 1;
        let mut credit = align_credit(c, alone, p);
        // In an organisation's name a word of three letters or fewer is mostly an acronym, and
        // one letter from another is another's (`UBS`/`MBS`, `ICL`/`ILC`): a near spelling.
        if organization
            && !alone
            && c.method == Method::Typo
            && c.q[1] == NONE
            && SHORT_LEN.contains(&(q.text)(c.q[0] as usize).len())
        {
            credit = raise(credit, p.similarity_exponent);
        } else if one_word && c.method == Method::Typo {
            coined += w * (credit - raise(credit, p.similarity_exponent));
        }
        matched += w * credit;
        denom += w;
        if c.method == Method::Initial {
            initials += 1;
            initials_weight += w;
            initial_q |= bq;
            initial_n |= bn;
        }
        let residual = if c.method == Method::Initial {
            // An initial carries one letter of information: the rest of the full word it stands
            // for is unconfirmed, though not contradicted (half an unmatched token's penalty).
            // The rest of a patronymic (`Olga G.` for `Olga Germanovna`) costs no more than the
            // patronymic would unmatched, at `patronymic` of the penalty.
            let patronymic = c.q[1] == NONE
                && c.n[1] == NONE
                && (q.patronymics & bits(c.q) != 0 || n.patronymics & bits(c.n) != 0);
            p.initial_residual
                * (p.query_unmatched * (side_weight(q, c.q) - w)
                    + p.name_unmatched * (side_weight(n, c.n) - w))
                * if patronymic { p.patronymic } else { 1.0 }
        } else {
            0.0
        };
        residuals += residual;
        if let Some(d) = detail.as_deref_mut() {
            d.pairs.push(TokenPair {
                query: joined(q, c.q),
                name: joined(n, c.n),
                similarity: round(sim),
                credit: round(credit),
                method: c.method,
                residual_penalty: round(residual),
                weight: round(w),
            });
        }
    }
    if initials >= 2 {
        matched += initials_weight * (p.initials_together - p.initial_similarity);
        residuals *= p.initials_together_residual;
        if let Some(d) = detail.as_deref_mut() {
            for pair in d.pairs.iter_mut().filter(|x| x.method == Method::Initial) {
                pair.similarity = round(p.initials_together);
                pair.credit = round(p.initials_together);
                pair.residual_penalty = round(pair.residual_penalty * p.initials_together_residual);
            }
        }
    }
    denom += residuals;
    if coined > 0.0 {
        let unmatched = |side: &Side, used: u64| {
            (0..side.weight.len()).any(|i| used & (1u64 << (i % 64)) == 0 && side.weight[i] > 0.0)
        };
        if unmatched(q, used_q) || unmatched(n, used_n) {
            matched -= coined;
            if let Some(d) = detail.as_deref_mut() {
                for pair in d.pairs.iter_mut().filter(|x| x.method == Method::Typo) {
                    pair.credit = round(raise(pair.similarity, p.similarity_exponent));
                }
            }
        }
    }
    // The span of matched query words, and whether the listed name's words are all matched:
    // what makes an unmatched query word a middle name the list leaves out.
    let middle = person
        && (0..n.weight.len()).all(|j| used_n & (1u64 << j) != 0 || n.class[j] != TokenClass::Word);
    let (first, last) = if used_q == 0 {
        (0, 0)
    } else {
        (
            used_q.trailing_zeros() as usize,
            63 - used_q.leading_zeros() as usize,
        )
    };
    // One unmatched word naming the kind of body on each side of an organisation's name.
    let descriptors = if person {
        None
    } else {
        let find = |side: &Side, used: u64| {
            (0..side.weight.len()).find(|&i| {
                used & (1u64 << i) == 0
                    && side.class[i] == TokenClass::Word
                    && side.descriptors & (1u64 << i) != 0
            })
        };
        find(q, used_q).and_then(|dq| Some((dq, find(n, used_n)?)))
    };
    for (side, used, initial, factor, is_query) in [
        (q, used_q, initial_q, p.query_unmatched, true),
        (n, used_n, initial_n, p.name_unmatched, false),
    ] {
        let compound = if person {
            compound_rest(side, used, initial)
        } else {
            0
        };
        for i in 0..side.weight.len() {
            if used & (1u64 << i) != 0 {
                continue;
            }
            let w = side.weight[i] as f64;
            let text = (side.text)(i);
            // A word written twice, once matched, adds nothing the match has not confirmed
            // (the UK list repeats a surname: `KANYAMA CELESTIN CISHIKU CELESTIN`). Not a
            // Korean or Chinese syllable, which names repeat as different parts (`Yong Chol
            // Min Yong`).
            let repeated = side.repeats & (1u64 << i) != 0
                && (0..side.weight.len())
                    .any(|k| k != i && used & (1u64 << k) != 0 && (side.text)(k) == text)
                && !crate::analyze::is_syllable(text);
            let descriptor =
                descriptors.is_some_and(|(dq, dn)| i == if is_query { dq } else { dn });
            // A listed organisation's own acronym says nothing its words have not said (the
            // query's own acronym weighs little already: `MatchIndex::search`).
            let acronym = !is_query
                && !person
                && side.acronyms & (1u64 << i) != 0
                && side.class[i] == TokenClass::Word
                && {
                    let texts: Vec<&str> = (0..side.weight.len()).map(|k| (side.text)(k)).collect();
                    super::search::is_own_acronym(i, &texts)
                };
            let discount = if repeated {
                Some(Discount::Repeated)
            } else if acronym {
                Some(Discount::Acronym)
            } else if descriptor {
                Some(Discount::Descriptor)
            } else if side.patronymics & (1u64 << i) != 0 {
                Some(Discount::Patronymic)
            } else if is_query
                && middle
                && i > first
                && i < last
                && side.class[i] == TokenClass::Word
            {
                Some(Discount::MiddleName)
            } else if compound & (1u64 << i) != 0 {
                Some(Discount::Compound)
            } else {
                None
            };
            let factor = factor
                * match discount {
                    Some(Discount::Repeated) => 0.0,
                    Some(Discount::Descriptor) => p.descriptor,
                    Some(Discount::Acronym) => p.own_acronym,
                    Some(Discount::Patronymic) => p.patronymic,
                    Some(Discount::MiddleName) => p.middle_name,
                    Some(Discount::Compound) => p.initial_residual,
                    None => 1.0,
                };
            denom += factor * w;
            if let Some(d) = detail.as_deref_mut() {
                let t = UnmatchedToken {
                    token: text.to_string(),
                    class: side.class[i],
                    weight: round(w),
                    penalty: round(factor * w),
                    discount,
                };
                if is_query {
                    d.unmatched_query.push(t);
                } else {
                    d.unmatched_name.push(t);
                }
            }
        }
    }
    if denom <= 0.0 || !denom.is_finite() {
        return 0.0;
    }
    let evidence = (matched / p.min_evidence).min(1.0);
    if let Some(d) = detail {
        d.evidence_factor = round(evidence);
    }
    (matched / denom * evidence).clamp(0.0, 1.0)
}

/// Whether a listed token is a word the query wrote as a title and so dropped (`Sayed Jamil`
/// for `SAYED, Jamil`): it then weighs nothing, neither counting nor costing.
pub(crate) fn dropped_title<S: AsRef<str>>(class: TokenClass, text: &str, titles: &[S]) -> bool {
    class == TokenClass::Word && titles.iter().any(|t| t.as_ref() == text)
}

/// East Slavic patronymics (`Viktorovich`, `Petrovna`, `Serhiyovych`), also in their
/// Belarusian (`Leanidavich`, `Piatrowna`), German (`Jewgenjewitsch`), French
/// (`Anatolijevitch`) and Swedish or Dutch (`Jevgenjevitj`) spellings: one list writes them and another leaves them out (OFAC `LYAGIN,
/// Roman`, UK `Roman Viktorovich Lyagin`), so missing one is weak evidence of a different
/// person. The South Slavic surname ending `-ović` (Karadzic's `-ic`) is not one.
pub(crate) fn is_patronymic(token: &str) -> bool {
    // Every ending ends in `ch`, `tj` or `na` (checked by a test): most words are out before
    // the fifteen comparisons (`align` asks about ~48 tokens a name of the throughput deck of
    // `bench/throughput.sh`: 1.1% of a batch's instructions before this test).
    token.len() > 6
        && (token.ends_with("ch") || token.ends_with("tj") || token.ends_with("na"))
        && PATRONYMIC_SUFFIXES.iter().any(|s| token.ends_with(s))
}

/// The endings of [`is_patronymic`].
const PATRONYMIC_SUFFIXES: [&str; 15] = [
    "ovich", "evich", "avich", "ovych", "evych", "witsch", "vitch", "ovitj", "evitj", "ovna",
    "evna", "ivna", "owna", "ewna", "auna",
];

/// Rounds for display (explanations carry 4 decimals).
pub(crate) fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// True when single letters of names of this kind are initials.
pub(crate) fn initials_apply(kind: Option<EntityKind>) -> bool {
    matches!(kind, None | Some(EntityKind::Person))
}

/// False when [`concat_similarity`] of tokens of these lengths is `None` whatever their
/// letters: its length tests, without reading the texts. Scoring asks [`ConcatLengths`],
/// which is tested against this.
#[cfg(test)]
pub(crate) fn concat_possible(first: u32, second: u32, single: usize) -> bool {
    let (first, second) = (first as usize, second as usize);
    let total = first + second;
    single == total
        || (first >= 2 && second >= 2 && single >= 4 && total.abs_diff(single) <= max_edits(single))
}

/// The query tokens (by bit) that [`concat_possible`] admits against two adjacent listed
/// tokens, by the sum of the listed tokens' lengths: scoring asks it of every adjacent pair of
/// every name it scores, and a query token by query token test of the lengths was 1% of a
/// batch's instructions (callgrind, throughput deck of `bench/throughput.sh`).
#[derive(Default)]
pub(crate) struct ConcatLengths {
    /// Per total length: the tokens of exactly that length, and the tokens of at least four
    /// bytes within their edit budget of it.
    by_total: Vec<(u64, u64)>,
}

impl ConcatLengths {
    /// From the query tokens' lengths, `None` for a token never joined (an initial). Tokens
    /// past the 64th are left out (a query keeps fewer).
    pub(crate) fn new(lens: impl Iterator<Item = Option<usize>>) -> ConcatLengths {
        let mut by_total: Vec<(u64, u64)> = Vec::new();
        for (i, len) in lens.enumerate().take(64) {
            let Some(len) = len else { continue };
            let budget = max_edits(len);
            if by_total.len() <= len + budget {
                by_total.resize(len + budget + 1, (0, 0));
            }
            by_total[len].0 |= 1 << i;
            if len >= 4 {
                for near in &mut by_total[len - budget..=len + budget] {
                    near.1 |= 1 << i;
                }
            }
        }
        ConcatLengths { by_total }
    }

    /// The tokens `t` with `concat_possible(first, second, t's length)`.
    #[inline]
    pub(crate) fn tokens(&self, first: u32, second: u32) -> u64 {
        match self.by_total.get(first as usize + second as usize) {
            None => 0,
            Some(&(exact, near)) if first >= 2 && second >= 2 => exact | near,
            Some(&(exact, _)) => exact,
        }
    }
}

/// Concatenation similarity: `joined` (two adjacent tokens written together) against `single`.
///
/// Initials (`S A` against `SA`) join only into an exact match.
pub(crate) fn concat_similarity(first: &str, second: &str, single: &str) -> Option<f64> {
    let total = first.len() + second.len();
    if single.len() == total && single.starts_with(first) && single.ends_with(second) {
        return Some(1.0);
    }
    if first.len() < 2
        || second.len() < 2
        || single.len() < 4
        || total.abs_diff(single.len()) > max_edits(single.len())
    {
        return None;
    }
    // Joined on the stack: a `String` a call was 0.9% of a batch's instructions (callgrind,
    // throughput deck of `bench/throughput.sh`; ~200k calls per 20k names). Longer than
    // `MAX_FUZZY_LEN`, the pair is compared exactly only, and it is not `single`.
    if total > MAX_FUZZY_LEN {
        return None;
    }
    // The letter-count bound of `fuzzy_parts_bytes`, on the two words as they are: most pairs
    // end here, before they are joined (a common prefix or suffix, which that function sets
    // aside first, takes one letter from each side's count and one from the shared count, so
    // the bound is the same).
    if !within_letter_counts(first.as_bytes(), second.as_bytes(), single.as_bytes()) {
        return None;
    }
    let mut buf = [0u8; MAX_FUZZY_LEN];
    buf[..first.len()].copy_from_slice(first.as_bytes());
    buf[first.len()..total].copy_from_slice(second.as_bytes());
    // Compared as bytes, as `fuzzy_similarity` compares strings: no UTF-8 check of the joined
    // pair (it was a fifth of this function's instructions).
    fuzzy_parts_bytes(&buf[..total], single.as_bytes()).map(|(s, _)| s)
}

/// False when the joined `first` and `second` are certainly more edits from `single` than
/// [`fuzzy_parts_bytes`] allows: by the letters they share as multisets (see
/// `keys::letter_count_bound`). On 10,000 names of the throughput deck of
/// `bench/throughput.sh` (callgrind) the 71k calls of `concat_similarity` took 19.5M
/// instructions with this test, 25.4M without it.
fn within_letter_counts(first: &[u8], second: &[u8], single: &[u8]) -> bool {
    let total = first.len() + second.len();
    let longer = total.max(single.len());
    let budget = max_edits(longer);
    let common = distance::shared_letters(first.iter().chain(second), single);
    longer - common <= budget
}

/// Adds the concatenation candidates between two analysed token lists (adjacent pairs of one
/// side against single tokens of the other), skipping initials and numbers.
pub(crate) fn concat_candidates(
    q: &[&str],
    q_class: &[TokenClass],
    n: &[&str],
    n_class: &[TokenClass],
    p: &NameAlgorithm,
    out: &mut Vec<PairCandidate>,
) {
    let joinable = |c: TokenClass, _t: &str| c != TokenClass::Number;
    for (a, a_class, b, b_class, query_pairs) in [
        (q, q_class, n, n_class, true),
        (n, n_class, q, q_class, false),
    ] {
        for i in 0..a.len().saturating_sub(1) {
            if !joinable(a_class[i], a[i]) || !joinable(a_class[i + 1], a[i + 1]) {
                continue;
            }
            for (j, single) in b.iter().enumerate() {
                if b_class[j] == TokenClass::Number {
                    continue;
                }
                if let Some(s) = concat_similarity(a[i], a[i + 1], single) {
                    if s >= p.min_similarity {
                        let pair = [i as u8, i as u8 + 1];
                        let one = [j as u8, NONE];
                        let (qi, ni) = if query_pairs {
                            (pair, one)
                        } else {
                            (one, pair)
                        };
                        out.push(PairCandidate {
                            q: qi,
                            n: ni,
                            sim: s as f32,
                            method: Method::Concatenation,
                            w: 0.0,
                        });
                    }
                }
            }
        }
    }
}

/// Scores two names with no index: every token has rarity 1, so only classes, similarities and
/// the alignment decide. Returns the `name-v12` score and its explanation.
///
/// `a` is taken as the screened name and `b` as the listed one: the score is symmetric when every
/// token of both names finds a counterpart (reordering, variants, typos), and deliberately
/// asymmetric otherwise, because a token of `a` missing from `b` costs more than the reverse
/// (see the module docs). `kind` is the kind of party both names are supposed to name; single
/// letters are initials only for persons (or when unknown).
///
/// A person's name written in Han characters is also read as Korean, as search reads a query
/// ([`super::search::korean_query_reading`]), on either side; the better reading counts, and its
/// rules say so (`hanja:金正恩→김정은`).
pub fn compare(a: &str, b: &str, kind: Option<EntityKind>) -> (f64, super::explain::Explanation) {
    use super::search::{hanja_rule, korean_query_reading};
    let mut best = compare_as(a, b, kind);
    let (ka, kb) = (korean_query_reading(a, kind), korean_query_reading(b, kind));
    let (ka, kb) = (ka.as_deref(), kb.as_deref());
    let readings = [(ka, None), (None, kb), (ka, kb)];
    // Each reading once: one side's alone, the other's alone, both.
    let distinct = match (ka, kb) {
        (Some(_), Some(_)) => &readings[..],
        (Some(_), None) => &readings[..1],
        (None, Some(_)) => &readings[1..2],
        (None, None) => &readings[..0],
    };
    for &(ra, rb) in distinct {
        let (score, mut e) = compare_as(ra.unwrap_or(a), rb.unwrap_or(b), kind);
        if score > best.0 {
            if let Some(k) = ra {
                e.query_rules.insert(0, hanja_rule(a, k));
            }
            if let Some(k) = rb {
                e.name_rules.insert(0, hanja_rule(b, k));
            }
            best = (score, e);
        }
    }
    best
}

/// [`compare`] of the two names as written.
fn compare_as(a: &str, b: &str, kind: Option<EntityKind>) -> (f64, super::explain::Explanation) {
    let p = &NAME_V14;
    let (qa, qb) = (analyze(a), analyze(b));
    // Titles of the screened name: a listed word written as one there neither counts nor costs.
    let titles: Vec<&str> = qa
        .tokens
        .iter()
        .filter(|t| t.class == TokenClass::Honorific)
        .map(|t| t.text.as_str())
        .collect();
    let mut ignored = Vec::new();
    let mut keep = |an: &crate::AnalyzedName| -> Vec<(TokenKeys, bool, bool)> {
        an.tokens
            .iter()
            .filter(|t| {
                let honorific = t.class == TokenClass::Honorific;
                if honorific {
                    ignored.push(t.text.clone());
                }
                !honorific
            })
            .take(MAX_TOKENS)
            .map(|t| {
                let abjad = unvocalised(an, t);
                (
                    TokenKeys::new(&t.text, t.class, t.canonical.as_deref()),
                    abjad,
                    crate::analyze::declinable(an, t),
                )
            })
            .collect::<Vec<_>>()
    };
    let (ka, kb) = (keep(&qa), keep(&qb));
    // The screened name's last word may be cut short (only when no honorific was dropped
    // after it, and it is among the tokens kept).
    let cut = qa
        .tokens
        .last()
        .filter(|t| {
            crate::analyze::cut_short(&qa, t)
                && qa
                    .tokens
                    .iter()
                    .filter(|t| t.class != TokenClass::Honorific)
                    .count()
                    <= MAX_TOKENS
        })
        .map(|_| ka.len() - 1);
    let initials = initials_apply(kind);
    let mut cands = Vec::new();
    for (i, (x, x_abjad, x_declined)) in ka.iter().enumerate() {
        // Without lists, a declined word is one no variant table knows (see
        // `crate::analyze::declinable`); its stems are the same whatever it is compared with.
        let stems = if *x_declined {
            crate::analyze::stem_keys(&x.text)
        } else {
            Vec::new()
        };
        for (j, (y, y_abjad, _)) in kb.iter().enumerate() {
            let mut found = token_similarity(x, y, initials, p);
            if !stems.is_empty() {
                found = better_pair(found, inflection_similarity(&stems, y, p));
            }
            if *x_abjad {
                found = better_pair(found, consonant_similarity(x, y, p));
            }
            if *y_abjad {
                found = better_pair(found, consonant_similarity(y, x, p));
            }
            if cut == Some(i) {
                let word = x.canonical.is_some();
                found = better_pair(found, truncated_similarity(x, word, y, p));
            }
            if let Some((s, m)) = found {
                cands.push(PairCandidate {
                    q: [i as u8, NONE],
                    n: [j as u8, NONE],
                    sim: s as f32,
                    method: m,
                    w: 0.0,
                });
            }
        }
    }
    // A word of an abjad against two adjacent words of the other name written together, either
    // way round.
    for (a, b, a_is_query) in [(&ka, &kb, true), (&kb, &ka, false)] {
        for (i, (x, x_abjad, _)) in a.iter().enumerate() {
            if !*x_abjad {
                continue;
            }
            for j in 0..b.len().saturating_sub(1) {
                let (y, z) = (&b[j].0, &b[j + 1].0);
                if y.class != TokenClass::Word || z.class != TokenClass::Word {
                    continue;
                }
                if let Some((s, method)) = consonant_concat_similarity(&x.text, &y.text, &z.text, p)
                {
                    let (one, two) = ([i as u8, NONE], [j as u8, j as u8 + 1]);
                    let (q, n) = if a_is_query { (one, two) } else { (two, one) };
                    cands.push(PairCandidate {
                        q,
                        n,
                        sim: s as f32,
                        method,
                        w: 0.0,
                    });
                }
            }
        }
    }
    let ta: Vec<TokenKeys> = ka.into_iter().map(|(k, _, _)| k).collect();
    let tb: Vec<TokenKeys> = kb.into_iter().map(|(k, _, _)| k).collect();
    let texts_a: Vec<&str> = ta.iter().map(|t| t.text.as_str()).collect();
    let texts_b: Vec<&str> = tb.iter().map(|t| t.text.as_str()).collect();
    let class_a: Vec<TokenClass> = ta.iter().map(|t| t.class).collect();
    let class_b: Vec<TokenClass> = tb.iter().map(|t| t.class).collect();
    concat_candidates(&texts_a, &class_a, &texts_b, &class_b, p, &mut cands);
    let weight_a: Vec<f32> = class_a.iter().map(|&c| p.class_factor(c) as f32).collect();
    let weight_b: Vec<f32> = class_b
        .iter()
        .zip(&texts_b)
        .map(|(&c, t)| {
            if dropped_title(c, t, &titles) {
                0.0
            } else {
                p.class_factor(c) as f32
            }
        })
        .collect();
    let text_a = |i: usize| texts_a[i];
    let text_b = |i: usize| texts_b[i];
    let side_a = Side {
        text: &text_a,
        class: &class_a,
        weight: &weight_a,
        descriptors: mask(&texts_a, crate::is_descriptor),
        patronymics: mask(&texts_a, is_patronymic),
        acronyms: 0,
        repeats: repeats(weight_a.len(), |i, k| text_a(i) == text_a(k)),
        compounds: super::search::scored_compounds(&qa),
    };
    let side_b = Side {
        text: &text_b,
        class: &class_b,
        weight: &weight_b,
        descriptors: mask(&texts_b, crate::is_descriptor),
        patronymics: mask(&texts_b, is_patronymic),
        acronyms: mask(&texts_b, |t| acronym_lengths(t.len(), texts_b.len())),
        repeats: repeats(weight_b.len(), |i, k| text_b(i) == text_b(k)),
        compounds: super::search::scored_compounds(&qb),
    };
    let mut detail = AlignmentDetail::default();
    let raw = align(&side_a, &side_b, &mut cands, p, kind, Some(&mut detail));
    let score = p.calibrated(raw, kind);
    let explanation = super::explain::Explanation {
        algorithm: p.name.to_string(),
        score: round(score),
        name_score: round(score),
        uncalibrated_name_score: (kind == Some(EntityKind::Organization)).then(|| round(raw)),
        matched_name: b.to_string(),
        name_kind: super::explain::MatchedNameKind::Compared,
        original_script: false,
        name_kind_factor: 1.0,
        query_rules: qa.rules,
        name_rules: qb.rules,
        pairs: detail.pairs,
        unmatched_query: detail.unmatched_query,
        unmatched_name: detail.unmatched_name,
        evidence_factor: detail.evidence_factor,
        ignored,
        attributes: Vec::new(),
    };
    (score, explanation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn keys(text: &str) -> TokenKeys {
        TokenKeys::new(text, TokenClass::Word, None)
    }

    /// `is_patronymic` rejects a word that ends in none of `ch`, `tj`, `na` before trying the
    /// endings: that is only right while every ending ends so.
    #[test]
    fn every_patronymic_suffix_ends_in_ch_tj_or_na() {
        for s in PATRONYMIC_SUFFIXES {
            assert!(
                s.ends_with("ch") || s.ends_with("tj") || s.ends_with("na"),
                "{s}"
            );
        }
    }

    #[test]
    fn abjad_romanisations_pair_with_the_vowelled_spelling() {
        for (bare, full) in [
            ("bshar", "bashar"),      // بشار
            ("hnia", "haniyeh"),      // هنية: ي written `iy`, ة written `eh`
            ("asd", "assad"),         // أسد: shadda written as a double letter
            ("mshl", "mishaal"),      // مشعل
            ("dif", "deif"),          // ضيف
            ("amr", "omar"),          // عمر: ع carries any vowel
            ("khald", "khalid"),      // خالد
            ("julani", "jawlani"),    // الجولاني: و as a vowel against `w`
            ("whid", "vahid"),        // وحید: Persian writes و `v`
            ("pruiz", "parviz"),      // پرویز
            ("khsrui", "khosravi"),   // خسروی
            ("mqawmt", "moghavemat"), // مقاومت: Persian ق `gh`
            ("baqri", "bakeri"),      // باقری: ق `k`
            ("nuruzi", "norouzi"),    // نوروزی: Persian و `o`
            ("shkuri", "chekkouri"),  // شكوري: French ش `ch`
            ("jmaa", "jamaat"),       // جماعة: ة before another word, `at`
            ("mnzma", "munazzamat"),  // منظمة
            ("jml", "djamel"),        // جمال: French ج `dj`
        ] {
            assert_eq!(
                consonant_similarity(&keys(bare), &keys(full), &NAME_V14),
                Some((NAME_V14.consonants, Method::Consonants)),
                "{bare}/{full}"
            );
        }
    }

    #[test]
    fn written_letters_must_all_agree() {
        for (bare, full) in [
            ("sham", "shiyam"),   // شام against شيام: a ي the romanisation lacks
            ("hmudi", "hammedi"), // حمودي: the و is written, Hammedi has none
            ("fta", "fatih"),     // الفتى: a final long vowel, not ة
            ("bashar", "bshar"),  // the vowelled word is not the one that lacks vowels
            ("whid", "vajid"),    // a `v` for و, but another consonant after it
            ("hn", "hunan"),      // too short for a skeleton
        ] {
            assert_eq!(
                consonant_similarity(&keys(bare), &keys(full), &NAME_V14),
                None,
                "{bare}/{full}"
            );
        }
    }

    #[test]
    fn only_a_query_in_an_abjad_pairs_by_consonants() {
        // The same letters typed in Latin are another name, and score as before.
        let (latin, _) = compare("Ismail Hnia", "HANIYEH, Ismail", None);
        let (arabic, e) = compare("إسماعيل هنية", "HANIYEH, Ismail", None);
        assert!(latin < 0.81, "{latin}");
        assert!(arabic >= 0.9, "{arabic}");
        assert!(e.pairs.iter().any(|p| p.method == Method::Consonants));
    }

    #[test]
    fn a_womans_name_is_no_near_spelling_of_a_mans() {
        let person = Some(EntityKind::Person);
        for (a, b) in [
            ("Aleksandra Gusev", "GUSEV, Aleksandr"),
            ("Ivana Petrov", "PETROV, Ivan"),
        ] {
            let (s, _) = compare(a, b, person);
            assert!(s < 0.5, "{a} / {b}: {s}");
            let (back, _) = compare(b, a, person);
            assert_eq!(s, back);
        }
        // Spellings of one name still pair.
        let (same, _) = compare("Yuliya Ivanova", "IVANOVA, Yulia", person);
        assert!(same > 0.9, "{same}");
    }

    #[test]
    fn another_word_for_the_kind_of_body_costs_less() {
        let org = Some(EntityKind::Organization);
        let (s, e) = compare(
            "MARINE INDUSTRIES FACTORY",
            "MARINE INDUSTRIES ORGANIZATION",
            org,
        );
        let expected = 2.0 / (2.0 + NAME_V14.descriptor * (1.0 + NAME_V14.name_unmatched));
        assert!((s - NAME_V14.calibrated(expected, org)).abs() < 1e-9, "{s}");
        assert_eq!(e.uncalibrated_name_score, Some(round(expected)));
        assert_eq!(e.unmatched_query[0].penalty, round(NAME_V14.descriptor));
        assert_eq!(e.unmatched_query[0].discount, Some(Discount::Descriptor));
        assert_eq!(e.unmatched_name[0].discount, Some(Discount::Descriptor));
        // Only one such word on each side, and only against another such word.
        let (own, _) = compare(
            "MARINE INDUSTRIES LOGISTICS",
            "MARINE INDUSTRIES PLANT",
            org,
        );
        assert!(
            (own - NAME_V14.calibrated(2.0 / 3.25, org)).abs() < 1e-9,
            "{own}"
        );
        // Not in persons' names.
        let person = Some(EntityKind::Person);
        let (p, _) = compare("Ivan Group", "Ivan Union", person);
        assert!((p - 1.0 / 2.25).abs() < 1e-9, "{p}");
    }

    #[test]
    fn a_word_written_twice_costs_nothing_once_matched() {
        let person = Some(EntityKind::Person);
        // The UK list writes `MUHAMMAD YUNIS AHMAD AHMAD` for OFAC's `MUHAMMAD YUNIS AHMAD`.
        let (twice, e) = compare("MUHAMMAD YUNIS AHMAD AHMAD", "MUHAMMAD YUNIS AHMAD", person);
        assert!((twice - 1.0).abs() < 1e-9, "{twice}");
        assert_eq!(e.unmatched_query.len(), 1);
        assert_eq!(e.unmatched_query[0].penalty, 0.0);
        assert_eq!(e.unmatched_query[0].discount, Some(Discount::Repeated));
        let (back, _) = compare("MUHAMMAD YUNIS AHMAD", "MUHAMMAD YUNIS AHMAD AHMAD", person);
        assert!((back - 1.0).abs() < 1e-9, "{back}");
        // A word twice that nothing matches still costs both times.
        let (none, _) = compare("Ahmad Ahmad", "Yunis Mahmud", person);
        assert_eq!(none, 0.0);
        // Nor a Korean syllable, which a name repeats as two different parts.
        let (korean, _) = compare("Yong Chol Min Yong", "MIN, Pyong Chol", person);
        assert!(korean < 0.8, "{korean}");
        let (other, _) = compare("Kanyama Celestin Kanyama", "KANYAMA, Joseph", person);
        let expected = 1.0 / (1.0 + 1.0 + NAME_V14.name_unmatched);
        assert!((other - expected).abs() < 1e-9, "{other}");
    }

    #[test]
    fn an_initial_for_a_patronymic_costs_no_more_than_leaving_it_out() {
        let person = Some(EntityKind::Person);
        let (initial, e) = compare("Olga Germanovna Stepanova", "STEPANOVA, Olga G.", person);
        let (dropped, _) = compare("Olga Germanovna Stepanova", "STEPANOVA, Olga", person);
        assert!(initial > dropped, "{initial} {dropped}");
        let pair = e
            .pairs
            .iter()
            .find(|p| p.method == Method::Initial)
            .expect("paired");
        let (w, i) = (NAME_V14.word, NAME_V14.initial);
        let residual = NAME_V14.initial_residual * (w - i) * NAME_V14.patronymic;
        assert!((pair.residual_penalty - round(residual)).abs() < 1e-9);
        // The rest of another word costs the usual share.
        let (_, e) = compare("Olga Gennadievna Stepanova", "STEPANOVA, O.", person);
        let pair = e
            .pairs
            .iter()
            .find(|p| p.method == Method::Initial)
            .expect("paired");
        let residual = NAME_V14.initial_residual * (w - i);
        assert!((pair.residual_penalty - round(residual)).abs() < 1e-9);
    }

    #[test]
    fn several_initials_leave_less_of_their_words_in_doubt() {
        let person = Some(EntityKind::Person);
        let full = "AL-SHAMMARI, Hamad Awad Dahi Sarhan";
        let (four, e) = compare("AL-SHAMMARI, H.A.D.S.", full, person);
        let (w, i) = (NAME_V14.word, NAME_V14.initial);
        // The listed word's rest, charged as a listed word unmatched is.
        let rest = NAME_V14.initial_residual * NAME_V14.name_unmatched * (w - i);
        let each = round(rest * NAME_V14.initials_together_residual);
        let initials: Vec<_> = e
            .pairs
            .iter()
            .filter(|p| p.method == Method::Initial)
            .collect();
        assert_eq!(initials.len(), 4);
        for p in initials {
            assert!((p.residual_penalty - each).abs() < 2e-3, "{p:?} {each}");
        }
        // Scored as the sum of its pairs and penalties, which the explanation shows.
        let matched: f64 = e.pairs.iter().map(|p| p.weight * p.credit).sum();
        let denom: f64 = e.pairs.iter().map(|p| p.weight + p.residual_penalty).sum();
        assert!(
            (four - matched / denom).abs() < 5e-3,
            "{four} {matched} {denom}"
        );
        // One initial alone keeps the full share.
        let (_, e) = compare("AL-SHAMMARI, H.", full, person);
        let one = e
            .pairs
            .iter()
            .find(|p| p.method == Method::Initial)
            .expect("paired");
        assert!((one.residual_penalty - round(rest)).abs() < 1e-9);
    }

    #[test]
    fn a_middle_name_the_list_lacks_costs_less() {
        let person = Some(EntityKind::Person);
        let (middle, e) = compare("Asma Fawaz Assad", "ASSAD, Asma", person);
        let (last, _) = compare("Asma Assad Fawaz", "ASSAD, Asma", person);
        let w = NAME_V14.word;
        // Two words matched, the middle one at `middle_name` of its penalty.
        let expected = 2.0 * w / (2.0 * w + NAME_V14.middle_name * w);
        assert!((middle - expected).abs() < 1e-9, "{middle}");
        assert!((last - 2.0 / 3.0).abs() < 1e-9, "{last}");
        assert_eq!(e.unmatched_query[0].penalty, round(NAME_V14.middle_name));
        assert_eq!(e.unmatched_query[0].discount, Some(Discount::MiddleName));
        // Not when the listed name has a word of its own the query lacks (another middle
        // name), nor for organisations, whose middle words name them.
        let (other, _) = compare("John Michael Smith", "SMITH, John Robert", person);
        let full = 2.0 / (2.0 + 1.0 + NAME_V14.name_unmatched);
        assert!((other - full).abs() < 1e-9, "{other}");
        let (_, org) = compare(
            "Iran Aircraft Industries",
            "IRAN INDUSTRIES",
            Some(EntityKind::Organization),
        );
        assert_eq!(org.uncalibrated_name_score, Some(round(2.0 / 3.0)));
    }

    proptest! {
        /// The lengths' table admits what `concat_possible` admits, initials left out.
        #[test]
        fn concat_lengths_are_concat_possible(
            lens in prop::collection::vec(prop::option::of(0usize..80), 0..40),
            first in 0u32..60,
            second in 0u32..60,
        ) {
            let table = ConcatLengths::new(lens.iter().copied());
            let got = table.tokens(first, second);
            for (i, len) in lens.iter().enumerate() {
                let want = len.is_some_and(|l| concat_possible(first, second, l));
                prop_assert_eq!(got & (1 << i) != 0, want, "{} {:?}", i, len);
            }
        }

        /// The letter counts of the two words reject only pairs `concat_similarity` rejects.
        #[test]
        fn concat_letter_counts_reject_only_dissimilar_pairs(
            first in "[a-d]{0,9}",
            second in "[a-d]{0,9}",
            single in "[a-d]{0,16}",
        ) {
            if !within_letter_counts(first.as_bytes(), second.as_bytes(), single.as_bytes()) {
                let joined = format!("{first}{second}");
                prop_assert!(fuzzy_similarity(&joined, &single).is_none());
            }
        }

        /// A word with its inner vowels (and doubled letters) left out, as an abjad writes it,
        /// always vocalises into the word.
        #[test]
        fn a_word_without_its_short_vowels_vocalises_into_it(word in "[a-z]{1,12}") {
            let b = word.as_bytes();
            let mut bare = vec![b[0]];
            for (i, &c) in b.iter().enumerate().skip(1) {
                if !b"aeiou".contains(&c) && b[i - 1] != c {
                    bare.push(c);
                }
            }
            prop_assert!(vocalises(&bare, b), "{:?}/{word}", String::from_utf8_lossy(&bare));
        }

        /// The bound scoring prunes names by is never below the score the alignment gives,
        /// whatever the pairs, weights, classes and discounts.
        #[test]
        fn the_alignment_bound_bounds_the_alignment(
            q_tokens in prop::collection::vec((0u8..6, 0.0f32..1.0, any::<bool>(), any::<bool>()), 1..7),
            n_tokens in prop::collection::vec((0u8..6, 0.0f32..1.0, any::<bool>(), any::<bool>()), 1..9),
            q_compounds in any::<u64>(),
            n_compounds in any::<u64>(),
            pairs in prop::collection::vec((0u8..7, 0u8..9, 0u8..3, 0.8f32..=1.0, 0u8..10), 0..12),
            person in any::<bool>(),
            q_repeats in any::<u64>(),
            n_repeats in any::<u64>(),
        ) {
            let classes = [
                TokenClass::Word,
                TokenClass::Word,
                TokenClass::Initial,
                TokenClass::LegalForm,
                TokenClass::Particle,
                TokenClass::Number,
            ];
            let methods = [
                Method::Exact,
                Method::Variant,
                Method::Spelling,
                Method::Phonetic,
                Method::Skeleton,
                Method::Initial,
                Method::Concatenation,
                Method::Fuzzy,
                Method::Typo,
                Method::Consonants,
            ];
            type Token = (u8, f32, bool, bool);
            let side = |tokens: &[Token]| {
                let class: Vec<TokenClass> = tokens.iter().map(|t| classes[t.0 as usize]).collect();
                let weight: Vec<f32> = tokens.iter().map(|t| t.1).collect();
                let bits = |f: fn(&Token) -> bool| {
                    tokens.iter().enumerate().filter(|(_, t)| f(t)).fold(0u64, |m, (i, _)| m | 1 << i)
                };
                (class, weight, bits(|t| t.2), bits(|t| t.3))
            };
            let (qc, qw, qd, qp) = side(&q_tokens);
            let (nc, nw, nd, np) = side(&n_tokens);
            let (lq, ln) = (q_tokens.len() as u8, n_tokens.len() as u8);
            let mut cands: Vec<PairCandidate> = Vec::new();
            for (i, j, shape, sim, m) in pairs {
                let (i, j) = (i % lq, j % ln);
                // One token a side, two query tokens, or two name tokens.
                let (q, n) = match shape {
                    1 if i + 1 < lq => ([i, i + 1], [j, NONE]),
                    2 if j + 1 < ln => ([i, NONE], [j, j + 1]),
                    _ => ([i, NONE], [j, NONE]),
                };
                let method = if q[1] != NONE || n[1] != NONE {
                    Method::Concatenation
                } else {
                    methods[m as usize]
                };
                cands.push(PairCandidate { q, n, sim, method, w: 0.0 });
            }
            let (in_q, in_n) = cands.iter().fold((0, 0), |(a, b), c| (a | bits(c.q), b | bits(c.n)));
            let qt = |i: usize| ["ab", "cd", "ab", "ef", "gh", "ij"][i % 6];
            let nt = |i: usize| ["ab", "kl", "cd", "mn", "ab", "op", "qr", "st"][i % 8];
            let q_side = Side { text: &qt, class: &qc, weight: &qw, descriptors: qd, patronymics: qp, acronyms: 0, repeats: q_repeats, compounds: q_compounds };
            let n_side = Side { text: &nt, class: &nc, weight: &nw, descriptors: nd, patronymics: np, acronyms: nd ^ np, repeats: n_repeats, compounds: n_compounds };
            let bound = align_bound(&q_side, &n_side, in_q, in_n, &NAME_V14, person);
            let kind = if person { None } else { Some(EntityKind::Organization) };
            let score = align(&q_side, &n_side, &mut cands, &NAME_V14, kind, None);
            prop_assert!(score <= bound + 1e-12, "score {score} above its bound {bound}");
        }
    }
}
