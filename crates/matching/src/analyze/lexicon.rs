//! Word tables: legal forms (`data/legal_forms.tsv`), honorifics (`data/honorifics.tsv`),
//! particles (`data/particles.txt`) and name variants (`data/variants_manual.tsv`,
//! `data/variants_east_slavic.tsv`, `data/variants_east_asian.tsv`, generated
//! `data/variants.tsv.gz`, and the cross-language
//! families of `data/variants_cognates.tsv`), merged into one hash map so that classifying a
//! token costs one lookup.

use super::normalize::normalize;
use super::tables::{gunzip, rows};
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

/// Where in a name a table entry applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// Anywhere.
    Any,
    /// First or last token(s) of the name.
    Edge,
    /// Last token(s) only.
    End,
    /// Only in the run of titles that opens the name, and only if a name follows.
    Leading,
}

impl Place {
    fn parse(s: Option<&str>) -> Place {
        match s.map(str::trim) {
            Some("edge") => Place::Edge,
            Some("end") => Place::End,
            Some("leading") => Place::Leading,
            _ => Place::Any,
        }
    }

    /// Whether a legal form spanning tokens `start..end` of `n` may stand there.
    pub(crate) fn allows(self, start: usize, end: usize, n: usize) -> bool {
        // A legal form never is the whole name (`EMMA`, `AG`, `LIMITED` alone are names).
        if end - start >= n {
            return false;
        }
        match self {
            Place::Any | Place::Leading => true,
            Place::Edge => start == 0 || end == n,
            Place::End => end == n,
        }
    }
}

/// What the tables know about one normalised token.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Entry {
    /// A name particle.
    pub particle: bool,
    /// An honorific, and where it counts as one.
    pub honorific: Option<Place>,
    /// A one-token legal form: canonical and place.
    pub legal: Option<(&'static str, Place)>,
    /// The first token of some multi-token legal form.
    pub starts_form: bool,
    /// The canonical spelling of the variant group the token belongs to.
    pub variant: Option<&'static str>,
}

/// A legal form of several tokens.
#[derive(Clone)]
pub(crate) struct Form {
    /// Its tokens, normalised.
    pub tokens: Vec<&'static str>,
    /// Its canonical.
    pub canonical: &'static str,
    /// Where it may stand.
    pub place: Place,
}

/// All word tables.
pub(crate) struct Lexicon {
    map: FxHashMap<&'static str, Entry>,
    /// Multi-token forms by first token, longest first.
    forms: FxHashMap<&'static str, Vec<Form>>,
    /// Every multi-token form, for [`Lexicon::form_words`].
    multi: Vec<Form>,
    /// For each word of a multi-token form: (index in `multi`, position in the form).
    form_words: FxHashMap<&'static str, Vec<(u32, u8)>>,
    /// One-word forms long enough to be recognised with a typo (`compnay`): (spelling,
    /// canonical, place).
    long_words: Vec<(&'static str, &'static str, Place)>,
    /// Stems of organisation words (`gosudarstv` → `state`), by their first [`STEM_KEY`]
    /// bytes, longest first.
    stems: FxHashMap<&'static str, Vec<(&'static str, &'static str)>>,
    /// The English words of `org_words.tsv` (its first column).
    org: FxHashSet<&'static str>,
}

/// Bytes of a stem that index it (and the fewest a stem of `org_words.tsv` may have).
const STEM_KEY: usize = 5;

impl Lexicon {
    /// The entry of a token (default: nothing known).
    #[inline]
    pub(crate) fn get(&self, token: &str) -> Entry {
        self.map.get(token).copied().unwrap_or_default()
    }

    /// The multi-token forms starting with `token`, longest first.
    pub(crate) fn forms(&self, token: &str) -> &[Form] {
        self.forms.get(token).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The multi-token forms `token` is a word of, with its position in each.
    /// Cloneable, so that a caller going over the forms several times looks `token` up once.
    pub(crate) fn form_words(&self, token: &str) -> impl Iterator<Item = (&Form, usize)> + Clone {
        self.form_words
            .get(token)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .filter_map(|&(f, o)| Some((self.multi.get(f as usize)?, o as usize)))
    }

    /// The one-word forms that may be recognised with a typo.
    pub(crate) fn long_words(&self) -> &[(&'static str, &'static str, Place)] {
        &self.long_words
    }

    /// The canonical of the organisation word `token` is an inflection of (`gosudarstvennoye`
    /// → `state`), by the stems of `org_words.tsv`.
    pub(crate) fn stem_variant(&self, token: &str) -> Option<&'static str> {
        let key = token.get(..STEM_KEY)?;
        self.stems
            .get(key)?
            .iter()
            .find(|(stem, _)| token.starts_with(stem))
            .map(|&(_, canonical)| canonical)
    }

    /// The English word of `org_words.tsv` that `token` is a form or an inflection of
    /// (`zavod` → `plant`, `gosudarstvennoye` → `state`); `None` for other words, names
    /// included.
    pub(crate) fn org_canonical(&self, token: &str) -> Option<&'static str> {
        self.get(token)
            .variant
            .filter(|v| self.org.contains(v))
            .or_else(|| self.stem_variant(token))
    }

    /// The number of variant spellings known.
    #[cfg(test)]
    pub(crate) fn variant_count(&self) -> usize {
        self.map.values().filter(|e| e.variant.is_some()).count()
    }
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The tables, parsed on first use.
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(build)
}

fn build() -> Lexicon {
    let mut map: FxHashMap<&'static str, Entry> = FxHashMap::default();
    let mut forms: FxHashMap<&'static str, Vec<Form>> = FxHashMap::default();

    for row in rows(include_str!("../../data/particles.txt")) {
        map.entry(row[0].trim()).or_default().particle = true;
    }
    for row in rows(include_str!("../../data/honorifics.tsv")) {
        map.entry(row[0]).or_default().honorific = Some(Place::parse(row.get(1).copied()));
    }

    // Legal forms: each as written (split at dots), with dots joined, and as one word.
    for row in rows(include_str!("../../data/legal_forms.tsv")) {
        let (canonical, form) = match row[..] {
            [c, f, ..] => (c, f),
            _ => continue,
        };
        let place = Place::parse(row.get(2).copied());
        let split = normalize(form).text;
        let joined = normalize(&form.replace('.', "")).text;
        let concat: String = split.split(' ').collect();
        for spelling in [split, joined, concat] {
            let tokens: Vec<&str> = spelling.split(' ').filter(|t| !t.is_empty()).collect();
            match tokens.len() {
                0 => {}
                1 => {
                    let e = map.entry(leak(tokens[0].to_string())).or_default();
                    if e.legal.is_none() {
                        e.legal = Some((canonical, place));
                    }
                }
                _ => {
                    let tokens: Vec<&'static str> =
                        tokens.iter().map(|t| leak(t.to_string())).collect();
                    let list = forms.entry(tokens[0]).or_default();
                    if !list.iter().any(|f| f.tokens == tokens) {
                        list.push(Form {
                            tokens,
                            canonical,
                            place,
                        });
                    }
                }
            }
        }
    }
    for (first, list) in forms.iter_mut() {
        list.sort_by_key(|f| std::cmp::Reverse(f.tokens.len()));
        map.entry(first).or_default().starts_form = true;
    }
    let mut multi: Vec<Form> = Vec::new();
    let mut form_words: FxHashMap<&'static str, Vec<(u32, u8)>> = FxHashMap::default();
    let mut firsts: Vec<&&'static str> = forms.keys().collect();
    firsts.sort();
    for first in firsts {
        for form in &forms[*first] {
            let id = multi.len() as u32;
            for (o, t) in form.tokens.iter().enumerate() {
                form_words.entry(t).or_default().push((id, o as u8));
            }
            multi.push(form.clone());
        }
    }
    let mut long_words: Vec<(&'static str, &'static str, Place)> = map
        .iter()
        .filter_map(|(w, e)| {
            let (canonical, place) = e.legal?;
            (w.len() >= LONG_FORM && w.bytes().all(|b| b.is_ascii_lowercase()))
                .then_some((*w, canonical, place))
        })
        .collect();
    long_words.sort_by_key(|f| (f.0, f.1));

    // Variants: hand-made groups win over generated ones; a generated group that shares a
    // spelling with a hand-made group joins its canonical.
    let manual = rows(include_str!("../../data/variants_manual.tsv"))
        .chain(rows(include_str!("../../data/variants_east_slavic.tsv")))
        .chain(rows(include_str!("../../data/variants_east_asian.tsv")));
    for row in manual {
        let canonical = row[0];
        for m in row.iter().filter(|m| !m.is_empty()) {
            map.entry(m).or_default().variant = Some(canonical);
        }
    }
    for row in rows(gunzip(include_bytes!("../../data/variants.tsv.gz"))) {
        let target = row
            .iter()
            .find_map(|m| map.get(m).and_then(|e| e.variant))
            .unwrap_or(row[0]);
        for m in row.iter().filter(|m| !m.is_empty()) {
            let e = map.entry(m).or_default();
            if e.variant.is_none() {
                e.variant = Some(target);
            }
        }
    }
    // Cognates: each row joins whole families (every spelling of each member's family) under
    // its canonical; a member no family holds joins it alone.
    let cognates = || rows(include_str!("../../data/variants_cognates.tsv"));
    let mut joins: FxHashMap<&'static str, &'static str> = FxHashMap::default();
    for row in cognates() {
        for m in row.iter().filter(|m| !m.is_empty()) {
            let family = map.get(m).and_then(|e| e.variant).unwrap_or(m);
            joins.insert(family, row[0]);
        }
    }
    for e in map.values_mut() {
        if let Some(joined) = e.variant.and_then(|v| joins.get(v)) {
            e.variant = Some(joined);
        }
    }
    for row in cognates() {
        for m in row.iter().filter(|m| !m.is_empty()) {
            map.entry(m).or_default().variant = Some(row[0]);
        }
    }
    // Organisation words: whole words join the group of their English word unless a name
    // table already placed them; stems are matched by prefix (`Lexicon::stem_variant`).
    let mut stems: FxHashMap<&'static str, Vec<(&'static str, &'static str)>> =
        FxHashMap::default();
    let mut org = FxHashSet::default();
    for row in rows(include_str!("../../data/org_words.tsv")) {
        let canonical = row[0];
        org.insert(canonical);
        for form in row.iter().filter(|f| !f.is_empty()) {
            match form.strip_suffix('*') {
                Some(stem) if stem.len() >= STEM_KEY => {
                    stems
                        .entry(&stem[..STEM_KEY])
                        .or_default()
                        .push((stem, canonical));
                }
                Some(_) => {}
                None => {
                    let e = map.entry(form).or_default();
                    if e.variant.is_none() {
                        e.variant = Some(canonical);
                    }
                }
            }
        }
    }
    for list in stems.values_mut() {
        list.sort_by_key(|(stem, _)| std::cmp::Reverse(stem.len()));
    }
    Lexicon {
        map,
        forms,
        multi,
        form_words,
        long_words,
        stems,
        org,
    }
}

/// One-word legal forms of at least this many letters are recognised with one typo
/// (`compnay`, `limtied`, `corporatoin`); shorter ones (`corp`, `gmbh`) are one letter from too
/// many ordinary words.
const LONG_FORM: usize = 7;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_words_join_their_english_word() {
        let l = lexicon();
        for (word, canonical) in [
            ("gosudarstvennoye", "state"),
            ("gosudarstvennogo", "state"),
            ("predpriyatiye", "enterprise"),
            ("predpriyatie", "enterprise"),
            ("nauchno", "scientific"),
            ("institutional", "institute"),
            ("industries", "industry"),
            ("vserossiyskiy", "russia"),
        ] {
            assert_eq!(l.stem_variant(word), Some(canonical), "{word}");
        }
        assert_eq!(l.get("zavod").variant, Some("plant"));
        assert_eq!(l.get("liwa").variant, Some("brigade"));
        assert_eq!(l.get("intl").variant, Some("international"));
        assert_eq!(l.get("hldgs").variant, Some("holding"));
        // Too short for a stem, or no stem at all.
        assert_eq!(l.stem_variant("gos"), None);
        assert_eq!(l.stem_variant("ivanov"), None);
        // Every whole word of the table is in its group: none was taken by a name table first
        // (that would silently split the group).
        for row in rows(include_str!("../../data/org_words.tsv")) {
            for form in row.iter().filter(|f| !f.is_empty() && !f.ends_with('*')) {
                assert_eq!(l.get(form).variant, Some(row[0]), "{form}");
            }
        }
    }

    #[test]
    fn tables_load() {
        let l = lexicon();
        assert!(l.get("al").particle);
        assert_eq!(l.get("general").honorific, Some(Place::Leading));
        assert_eq!(l.get("ooo").legal.map(|x| x.0), Some("llc"));
        assert_eq!(l.get("llc").legal.map(|x| x.0), Some("llc"));
        assert_eq!(l.get("sadecv").legal.map(|x| x.0), Some("sadecv"));
        assert!(l.get("limited").starts_form);
        assert!(l
            .forms("s")
            .iter()
            .any(|f| f.tokens == ["s", "a", "de", "c", "v"]));
        assert!(l.forms("sa").iter().any(|f| f.tokens == ["sa", "de", "cv"]));
        assert_eq!(l.get("mohamed").variant, Some("muhammad"));
        assert_eq!(l.get("mohammad").variant, Some("muhammad"));
        assert!(l.variant_count() > 3000, "{}", l.variant_count());
    }

    #[test]
    fn distinct_names_stay_apart() {
        let l = lexicon();
        for (a, b) in [
            ("maria", "mario"),
            ("ivan", "ivana"),
            ("ivan", "evan"),
            ("hasan", "husayn"),
            ("ali", "alia"),
            ("john", "jun"),
            ("daniel", "daniela"),
            ("alexander", "alexandra"),
            ("abdul", "abdullah"),
        ] {
            let (ka, kb) = (l.get(a).variant.unwrap_or(a), l.get(b).variant.unwrap_or(b));
            assert_ne!(ka, kb, "{a} and {b} merged");
        }
    }
}
