//! The customer book: input rows → customers, customers → queries, and customers → their
//! filing for reverse retrieval (the terms of their names with the terms' keys, their
//! identifiers).

use crate::batch::{read_rows, InputRow};
use crate::row::{parse_kind, split_identifiers, Row, RowError};
use crate::ScreeningError;
use interdict_matching::{
    analysis_fingerprint, korean_query_reading, normalize_identifier, query_reading, MatchIndex,
    Query, QueryReading, Term, Token, TokenClass, NAME_ALGORITHM, NAME_V14,
};
use interdict_model::EntityKind;
use interdict_registry::{BookTerm, Customer, FiledCustomer, NewTerm};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// How [`file`] files customers, recorded with the book ([`BookUpdate::filing`]): the scoring
/// algorithm, the way initials are filed and the analysis fingerprint (tables and key
/// functions), so that a book filed by a build that analysed, keyed or weighed names otherwise
/// is filed afresh before retrieval relies on what it lacks. Change the text when what filing
/// produces changes in another way.
///
/// [`BookUpdate::filing`]: interdict_registry::BookUpdate::filing
pub(crate) fn filing() -> String {
    format!(
        "{NAME_ALGORITHM}; initials by letter; cut words; declined words; hanja read as Korean; analysis {:016x}",
        analysis_fingerprint()
    )
}

/// A row of a customer file that was not taken into the book, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectedRow {
    /// The line it starts on.
    pub line: u64,
    /// Why it was not taken.
    pub reason: String,
}

/// The customers of a file, in file order, last row winning for a repeated id, and the rows that
/// could not be taken (no id, no name, an invalid date or type…).
pub fn read_customers(input: &Path) -> Result<(Vec<Customer>, Vec<RejectedRow>), ScreeningError> {
    let mut customers: Vec<Customer> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    let mut rejected = Vec::new();
    read_rows(input, &mut |row: InputRow<'_>| {
        let line = row.line;
        match customer_of(row.id, row.row) {
            Ok(c) => match position.get(&c.id) {
                Some(&at) => customers[at] = c,
                None => {
                    position.insert(c.id.clone(), customers.len());
                    customers.push(c);
                }
            },
            Err(reason) => rejected.push(RejectedRow { line, reason }),
        }
    })?;
    Ok((customers, rejected))
}

/// A customer from one input row: the row must screen (it is validated as a query would be)
/// and have an id, the key of the book.
pub fn customer_of(id: Value, row: Result<Row<'_>, RowError>) -> Result<Customer, String> {
    let row = row.map_err(|e| e.to_string())?;
    row.to_query().map_err(|e| e.to_string())?;
    let id = match id {
        Value::String(s) if !s.trim().is_empty() => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null | Value::String(_) => return Err("no id (the book is keyed by id)".into()),
        _ => return Err("\"id\" must be a string or a number".into()),
    };
    let text = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    Ok(Customer {
        id,
        name: text(row.name).unwrap_or_default(),
        kind: text(row.kind),
        dob: text(row.dob),
        country: text(row.country),
        identifiers: row
            .identifiers
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    })
}

/// The query a customer asks: the same validation and normalisation as a screening row.
pub(crate) fn query_of(c: &Customer) -> Result<Query, RowError> {
    let identifiers = c.identifiers.join(";");
    Row {
        name: Some(&c.name),
        kind: c.kind.as_deref(),
        dob: c.dob.as_deref(),
        country: c.country.as_deref(),
        identifiers: split_identifiers(&identifiers).collect(),
    }
    .to_query()
}

/// Files customers for reverse retrieval: the distinct terms of their names (honorifics and
/// single letters left out: neither is what a listed name is found by) with their keys and
/// weights, each customer's total weight, and their normalised identifiers. Analysis and key
/// derivation run on all cores.
///
/// Weights are those `index` (the current lists) gives the tokens as a query's: what a
/// customer's unmatched tokens will cost its score. Without lists, every token gets the least
/// weight a token can have, which makes retrieval's bound keep every customer it finds.
pub(crate) fn file(
    customers: &[Customer],
    index: Option<&MatchIndex>,
) -> (Vec<FiledCustomer>, Vec<NewTerm>) {
    let tokens: Vec<Vec<Filing>> = customers
        .par_iter()
        .with_min_len(256)
        .map(|c| filings(c, index))
        .collect();
    let mut vocabulary: HashMap<String, usize> = HashMap::new();
    let mut terms: Vec<(Token, f32, f32)> = Vec::new();
    let mut position =
        |terms: &mut Vec<(Token, f32, f32)>, t: Token, w: f32, share: f32| match vocabulary
            .get(&t.text)
        {
            Some(&at) => at,
            None => {
                vocabulary.insert(t.text.clone(), terms.len());
                terms.push((t, w, share));
                terms.len() - 1
            }
        };
    let filed: Vec<FiledCustomer> = customers
        .iter()
        .zip(tokens)
        .map(|(c, readings)| {
            // Each reading of the name filed under its terms, all of them under the union:
            // a listed name finds the customer through any. What the customer's tokens cost
            // left unmatched is the least any reading's cost, so that the bound of retrieval
            // (which subtracts the matched terms' weights from it) stays above the score of
            // every reading.
            let mut weighted_terms: Vec<(usize, f32)> = Vec::new();
            let mut positions: Vec<usize> = Vec::new();
            let mut weight: Option<f32> = None;
            for filing in readings {
                for (letter, w) in filing.initials {
                    let at = position(&mut terms, initial_term(letter), 0.0, 0.0);
                    match weighted_terms.iter_mut().find(|(t, _)| *t == at) {
                        Some((_, most)) => *most = most.max(w),
                        None => weighted_terms.push((at, w)),
                    }
                }
                let mut own: Vec<usize> = filing
                    .words
                    .into_iter()
                    .map(|(t, w, share)| position(&mut terms, t, w, share))
                    .collect();
                // Filed again under its cut-word term, at its weight: not a word of its own,
                // so it adds nothing to what the customer's words cost unmatched.
                if let Some((text, w)) = filing.cut {
                    own.push(position(&mut terms, cut_term(&text), w, 0.0));
                }
                // And each declined word under the keys of its stems, likewise.
                for (stem, w) in filing.stems {
                    own.push(position(&mut terms, stem_term(&stem), w, 0.0));
                }
                own.sort_unstable();
                own.dedup();
                // What its tokens cost left unmatched (patronymics cost less).
                let cost: f32 = own.iter().map(|&at| terms[at].1 * terms[at].2).sum();
                weight = Some(weight.map_or(cost, |w| w.min(cost)));
                positions.extend(own);
            }
            positions.sort_unstable();
            positions.dedup();
            let weight = weight.unwrap_or(0.0);
            let mut identifiers: Vec<String> = c
                .identifiers
                .iter()
                .filter_map(|i| normalize_identifier(i))
                .collect();
            identifiers.sort();
            identifiers.dedup();
            FiledCustomer {
                customer: c.clone(),
                terms: positions,
                identifiers,
                weight,
                weighted_terms,
            }
        })
        .collect();
    let terms = terms
        .par_iter()
        .with_min_len(256)
        .map(|(t, w, _)| NewTerm {
            term: BookTerm {
                text: t.text.clone(),
                class: class_name(t.class).to_string(),
                canonical: t.canonical.clone(),
                weight: *w,
            },
            // An initial is found through the customer's words, a cut word and a declined
            // word's stem by their texts (see `cut_term`, `stem_term`): none is looked up by
            // key.
            keys: if t.class == TokenClass::Initial || is_cut_term(&t.text) || is_stem_term(&t.text)
            {
                Vec::new()
            } else {
                Term::new(t).keys()
            },
        })
        .collect();
    (filed, terms)
}

/// What one customer's name is filed under.
struct Filing {
    /// The words, with their weights as query tokens and the share of the weight they cost
    /// unmatched.
    words: Vec<(Token, f32, f32)>,
    /// Per first letter, the total weight of its initials as query tokens: what they can add
    /// to a score by pairing with listed words of that letter.
    initials: Vec<(u8, f32)>,
    /// The word the name may end cut short in ([`QueryReading::cut`]), with its weight.
    cut: Option<(String, f32)>,
    /// The spelling keys of the stems of the words that may be declined
    /// ([`QueryReading::declined`]),
    /// each with its word's weight.
    stems: Vec<(String, f32)>,
}

/// The book term under which customers whose name may end in the word `text` cut short are
/// filed: retrieval looks it up by the text of each start of a listed word
/// ([`cut_term_text`]), since scoring pairs the cut word with any listed word it begins. Its
/// text cannot be a token (analysis keeps no `:`), so no listed word finds it by text.
pub(crate) fn cut_term(text: &str) -> Token {
    Token {
        text: cut_term_text(text),
        class: TokenClass::Word,
        canonical: None,
    }
}

/// The text of [`cut_term`].
pub(crate) fn cut_term_text(text: &str) -> String {
    format!("cut:{text}")
}

fn is_cut_term(text: &str) -> bool {
    text.starts_with("cut:")
}

/// The book term under which customers with a word that may be declined, one of whose stems
/// has the spelling key `key`, are filed: retrieval looks it up by the spelling key of each
/// listed word ([`stem_term_text`]), since scoring pairs the declined word with a listed word
/// of that key. Its text cannot be a token either.
pub(crate) fn stem_term(key: &str) -> Token {
    Token {
        text: stem_term_text(key),
        class: TokenClass::Word,
        canonical: None,
    }
}

/// The text of [`stem_term`].
pub(crate) fn stem_term_text(key: &str) -> String {
    format!("stem:{key}")
}

fn is_stem_term(text: &str) -> bool {
    text.starts_with("stem:")
}

/// The book term under which customers with initials of `letter` are filed. Its text cannot
/// be a token (analysis keeps no `:`), so no listed word finds it by text.
pub(crate) fn initial_term(letter: u8) -> Token {
    Token {
        text: initial_term_text(letter),
        class: TokenClass::Initial,
        canonical: None,
    }
}

/// The text of [`initial_term`].
pub(crate) fn initial_term_text(letter: u8) -> String {
    format!("initial:{}", letter as char)
}

/// The filings of a customer's name, one per reading search reads it with: as written, and a
/// person's name in Han characters also as Korean ([`korean_query_reading`]).
fn filings(c: &Customer, index: Option<&MatchIndex>) -> Vec<Filing> {
    // The type as a query reads it (the book holds validated customers only).
    let kind = c.kind.as_deref().and_then(|k| parse_kind(k).ok().flatten());
    let mut out = vec![filed_tokens(&c.name, kind, index)];
    if let Some(korean) = korean_query_reading(&c.name, kind) {
        out.push(filed_tokens(&korean, kind, index));
    }
    out
}

/// The tokens of a customer's name as its query scores them (its type decides whether `N.V.`
/// is a legal form or two initials), split into the words the book files it under and its
/// initials (a single letter pairs with any listed word of that first letter).
///
/// Without lists, a word weighs the least a word can (its penalty unmatched is then never
/// over-estimated) and an initial the most an initial can (nor its credit under-estimated).
fn filed_tokens(name: &str, kind: Option<EntityKind>, index: Option<&MatchIndex>) -> Filing {
    let weights: HashMap<String, f32> = index
        .map(|i| {
            i.weighted_tokens_as(name, kind)
                .into_iter()
                .map(|t| (t.term.text().to_string(), t.weight))
                .collect()
        })
        .unwrap_or_default();
    let QueryReading {
        tokens,
        cut,
        declined,
    } = query_reading(name, kind);
    let mut words: Vec<(Token, f32, f32)> = Vec::new();
    let mut initials: Vec<(u8, f32)> = Vec::new();
    for t in tokens {
        if t.class == TokenClass::Honorific || t.text.is_empty() {
            continue;
        }
        let factor = NAME_V14.class_factor(t.class);
        if t.class == TokenClass::Initial || t.text.len() == 1 {
            let w = weights.get(&t.text).copied().unwrap_or(factor as f32);
            let letter = t.text.as_bytes()[0];
            match initials.iter_mut().find(|(l, _)| *l == letter) {
                Some((_, total)) => *total += w,
                None => initials.push((letter, w)),
            }
        } else {
            let least = (NAME_V14.min_rarity * factor) as f32;
            let w = weights.get(&t.text).copied().unwrap_or(least);
            let share = Term::new(&t).unmatched_share() as f32;
            words.push((t, w, share));
        }
    }
    // The cut word's weight is its word's (the last word filed).
    let cut = cut.and_then(|text| {
        let w = words.iter().rev().find(|(t, _, _)| t.text == text)?.1;
        Some((text, w))
    });
    // A declined word's stems weigh what the word does.
    let mut stems = Vec::new();
    for (text, keys) in declined {
        let Some(&(_, w, _)) = words.iter().find(|(t, _, _)| t.text == text) else {
            continue;
        };
        stems.extend(keys.into_iter().map(|k| (k, w)));
    }
    Filing {
        words,
        initials,
        cut,
        stems,
    }
}

/// A book term as the token retrieval compares.
pub(crate) fn term_of(t: &BookTerm) -> Term {
    Term::new(&Token {
        text: t.text.clone(),
        class: class_of(&t.class),
        canonical: t.canonical.clone(),
    })
}

/// The stored form of a token class (matching's serde form).
fn class_name(c: TokenClass) -> &'static str {
    match c {
        TokenClass::Word => "word",
        TokenClass::Initial => "initial",
        TokenClass::LegalForm => "legal_form",
        TokenClass::Honorific => "honorific",
        TokenClass::Particle => "particle",
        TokenClass::Number => "number",
    }
}

/// The class of a stored form; an unknown one (from a newer interdict) is read as a word,
/// which only makes retrieval consider the term more often.
fn class_of(s: &str) -> TokenClass {
    match s {
        "initial" => TokenClass::Initial,
        "legal_form" => TokenClass::LegalForm,
        "honorific" => TokenClass::Honorific,
        "particle" => TokenClass::Particle,
        "number" => TokenClass::Number,
        _ => TokenClass::Word,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_customers() {
        let row = |name: Option<&'static str>, dob: Option<&'static str>| {
            Ok(Row {
                name,
                kind: Some(" person "),
                dob,
                country: Some("Venezuela"),
                identifiers: vec![" V-5892464 ", ""],
            })
        };
        let c = customer_of(Value::from(7), row(Some(" Nicolas Maduro "), None)).unwrap();
        assert_eq!(c.id, "7");
        assert_eq!(c.name, "Nicolas Maduro");
        assert_eq!(c.kind.as_deref(), Some("person"));
        assert_eq!(c.identifiers, ["V-5892464"]);
        assert_eq!(query_of(&c).unwrap().country.as_deref(), Some("VE"));
        assert!(customer_of(Value::Null, row(Some("x"), None)).is_err());
        assert!(customer_of(Value::from(" "), row(Some("x"), None)).is_err());
        assert!(customer_of(Value::from("1"), row(None, None)).is_err());
        assert!(customer_of(Value::from("1"), row(Some("x"), Some("1962-13"))).is_err());
    }

    #[test]
    fn filing_shares_terms_skips_titles_and_files_initials_by_letter() {
        let customer = |id: &str, name: &str| Customer {
            id: id.into(),
            name: name.into(),
            kind: None,
            dob: None,
            country: None,
            identifiers: vec!["imo 9187629".into()],
        };
        let (filed, terms) = file(
            &[
                customer("1", "Dr. Juan A. Segunda A"),
                customer("2", "Segunda Marquetalia"),
            ],
            None,
        );
        let texts: Vec<&str> = terms.iter().map(|t| t.term.text.as_str()).collect();
        // `Marquetalia` may be a word cut short (`Marquetalias`...): filed also by its text;
        // `Dr. Juan A. Segunda A` ends in an initial.
        assert_eq!(
            texts,
            [
                "initial:a",
                "juan",
                "segunda",
                "marquetalia",
                "cut:marquetalia"
            ]
        );
        assert_eq!(filed[0].terms, [1, 2]);
        assert_eq!(filed[1].terms, [2, 3, 4]);
        assert_eq!(filed[0].identifiers, ["9187629"]);
        // Both initials `A` under one term, at the most an initial can weigh without lists.
        let most = NAME_V14.class_factor(TokenClass::Initial) as f32;
        assert_eq!(filed[0].weighted_terms, [(0, 2.0 * most)]);
        assert!(filed[1].weighted_terms.is_empty());
        // Words are found by their keys, initials only through the words, cut words by the
        // starts of listed words.
        assert!(terms[0].keys.is_empty());
        assert!(terms[1..4].iter().all(|t| !t.keys.is_empty()));
        assert!(terms[4].keys.is_empty());
        // Without lists every word weighs the least a word can; the cut word weighs what its
        // word does, and adds nothing to what the customer's words cost unmatched.
        assert_eq!(terms[1].term.weight, NAME_V14.min_rarity as f32);
        assert_eq!(terms[4].term.weight, terms[3].term.weight);
        assert_eq!(filed[1].weight, 2.0 * NAME_V14.min_rarity as f32);
        assert_eq!(
            class_of(class_name(TokenClass::LegalForm)),
            TokenClass::LegalForm
        );
    }

    /// A name written in Cyrillic may be declined (`Маттиаса Варнига`, "of Matthias Warnig"):
    /// each of its words is filed also under the spelling key of each stem, found by text.
    #[test]
    fn declined_words_are_filed_under_their_stems() {
        let (filed, terms) = file(
            &[Customer {
                id: "1".into(),
                name: "Маттиаса Варнига".into(),
                kind: Some("person".into()),
                dob: None,
                country: None,
                identifiers: Vec::new(),
            }],
            None,
        );
        let texts: Vec<&str> = terms.iter().map(|t| t.term.text.as_str()).collect();
        assert!(texts.contains(&"varniga"), "{texts:?}");
        assert!(texts.contains(&"stem:varnig"), "{texts:?}");
        assert!(texts.contains(&"stem:matias"), "{texts:?}");
        for t in &terms {
            assert_eq!(t.keys.is_empty(), t.term.text.starts_with("stem:"), "{t:?}");
        }
        // The stems add nothing to what the customer's words cost unmatched.
        assert_eq!(filed[0].weight, 2.0 * NAME_V14.min_rarity as f32);
    }
}
