//! The texts an entity's names are indexed and scored under.
//!
//! A listed name is scored as written and, when it writes words in parentheses besides others,
//! also as the words outside them. What a name puts in parentheses is an annotation of one list
//! that another leaves out: the name in another script or its romanisation (`حسن غول (Hassan
//! Ghul; Hassan Gul)`, `Abu Muhammad Al-Kadari (original script: Абу Мухаммад Аль-Кадари)`),
//! an acronym, a qualifier (`(OFF SHORE)`, `(COMBAT NAME)`), a note (`(false identity related
//! to ...)`). Scored only as written, a query of the name proper is charged for every word of
//! the annotation it lacks (0.63 for `أبو شيماء` against `أبو شيماء (Abu-Shaima; Abu-
//! Shayma)`); the words outside alone are the name another list writes. The written name stays
//! a reading of its own, so a query that writes the annotation too still matches it whole.
//! When what the parentheses hold is written in another script than the words outside them
//! (`Djaafar Abou Mohamed (جعفر ابو محمد)`, `Amir Khazmat (original script: Амир Хазмат)`,
//! `أنصار الشريعة (Ansar al Charia)`), it is the same name in that script, and a reading of
//! its own too: scored against the whole, the name as a query writes it in that script is
//! charged for every word of the other (0.76 for `جعفر ابو محمد`).
//!
//! An aircraft named by its registration mark (`EP-IDF`, `YK-AQF`: a nationality mark, a
//! hyphen, the registration) is also read as the one identifier the mark is (`EPIDF`), which
//! a search of an aircraft's name reads it as too ([`registration_mark`]): a typo in the mark
//! (`E-IDF`) is then a typo of one word, not a lost word and a short one.
//!
//! Build, reuse of a previous index and reverse retrieval all go through [`name_readings`], so
//! that the names an index holds are the names monitoring bounds.

use interdict_model::{Entity, EntityKind, Name};
use std::borrow::Cow;

/// The registration mark `text` writes, as one word (`EP-IDF` → `EPIDF`), when it is one: one
/// to three letters or digits, a hyphen, one to five more (ICAO Annex 7 marks: a nationality
/// mark of one or two, `EP-IDF`, `4L-GNF`, `VP-CSP`, and a third for a letter typed twice,
/// `VIP-CSP`). Only read so of an aircraft's name: in other names such a text is a word with a
/// particle or a compound (`AL-QAIDA`, `LI-NA`).
pub(crate) fn registration_mark(text: &str) -> Option<String> {
    let (nationality, registration) = text.trim().split_once('-')?;
    let mark = |s: &str, most: usize| {
        (1..=most).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    (mark(nationality, 3) && mark(registration, 5))
        .then(|| format!("{nationality}{registration}").to_ascii_uppercase())
}

/// The texts `entity`'s names are indexed under, in order, each with the name it reads: every
/// name as written, followed (right after it) by its words outside parentheses when it has
/// both, and then by what each pair of parentheses holds when that is written in another
/// script than the words outside (split at `;`), by an aircraft's registration mark as
/// one word, and, for any party but a person, by the name with its acronyms of three initials
/// or more written as words ([`crate::analyze::acronym_reading`]).
pub fn name_readings(entity: &Entity) -> impl Iterator<Item = (&Name, Cow<'_, str>)> {
    entity.names.iter().flat_map(|name| {
        // A line break in a listed name is the source's layout (a name and its original
        // script on two lines): a space, not the end of a payment field's name line, which
        // analysis reads a query's first line as.
        let full: Cow<'_, str> = if name.full.contains(['\n', '\r']) {
            Cow::Owned(name.full.replace(['\n', '\r'], " "))
        } else {
            Cow::Borrowed(name.full.as_str())
        };
        let outside = outside_reading(&full);
        let inside = outside
            .as_deref()
            .map(|o| other_script_readings(&full, o))
            .unwrap_or_default();
        let mark = (entity.kind == EntityKind::Aircraft)
            .then(|| registration_mark(&full))
            .flatten();
        let acronym = (entity.kind != EntityKind::Person)
            .then(|| crate::analyze::acronym_reading(&full))
            .flatten();
        std::iter::once((name, full))
            .chain(outside.map(|o| (name, Cow::Owned(o))))
            .chain(inside.into_iter().map(move |i| (name, Cow::Owned(i))))
            .chain(mark.map(|m| (name, Cow::Owned(m))))
            .chain(acronym.map(|a| (name, Cow::Owned(a))))
    })
}

/// Whether `text` writes letters in the Latin script, and whether it writes letters in another.
fn scripts(text: &str) -> (bool, bool) {
    let (mut latin, mut other) = (false, false);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        // Latin letters, with their accented forms and extensions (up to U+024F) and the
        // Latin Extended Additional block (Vietnamese).
        if (c as u32) <= 0x024F || ('\u{1E00}'..='\u{1EFF}').contains(&c) {
            latin = true;
        } else {
            other = true;
        }
    }
    (latin, other)
}

/// What the parentheses of `full` hold, split at `;` and without an `original script:` label,
/// when it is written in another script than `outside`, the words outside them: one script
/// outside, only the other within.
fn other_script_readings(full: &str, outside: &str) -> Vec<String> {
    let (out_latin, out_other) = scripts(outside);
    if out_latin == out_other {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in full.char_indices() {
        match c {
            '(' => {
                if depth == 0 {
                    start = i + 1;
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let inner = full[start..i].trim();
                    let inner = inner.strip_prefix("original script:").unwrap_or(inner);
                    let (latin, other) = scripts(inner);
                    if latin != other && latin == out_other {
                        found.extend(
                            inner
                                .split(';')
                                .map(|part| part.split_whitespace().collect::<Vec<_>>().join(" "))
                                .filter(|part| {
                                    part.chars().filter(|c| c.is_alphanumeric()).count()
                                        >= MIN_LETTERS
                                }),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// How many texts [`name_readings`] gives for `entity`.
pub(crate) fn reading_count(entity: &Entity) -> usize {
    name_readings(entity).count()
}

/// Fewest letters and digits outside parentheses for a reading of its own: fewer make an
/// acronym (`E.K.T. (KATRANGI BROS.)`, `PCC (UK)`) that alone matches any name of those letters
/// (`EQT Corp` scored 0.84 against `E.K.T.`), where the parentheses said which body it is.
const MIN_LETTERS: usize = 5;

/// The words of `full` outside parentheses, when it writes some in parentheses and at least
/// [`MIN_LETTERS`] letters outside them.
fn outside_reading(full: &str) -> Option<String> {
    let outside = super::search::outside_parentheses(full)?;
    let inside_has_letters = full
        .split('(')
        .skip(1)
        .any(|part| part.chars().any(char::is_alphanumeric));
    let letters = outside.chars().filter(|c| c.is_alphanumeric()).count();
    (inside_has_letters && letters >= MIN_LETTERS)
        .then(|| outside.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::{EntityKind, NameKind};

    #[test]
    fn a_name_with_words_in_parentheses_is_also_read_without_them() {
        let mut e = Entity::new("uk", "1", EntityKind::Person);
        for n in [
            "حسن غول (Hassan Ghul; Hassan Gul)",
            "GHUL, Hassan",
            "(Sheikh) Musa Hilal",
            "(OFF SHORE)",
            "NAME ()",
            "E.K.T. (KATRANGI BROS.)",
        ] {
            e.names.push(Name::new(n, NameKind::Alias));
        }
        let got: Vec<String> = name_readings(&e).map(|(_, t)| t.into_owned()).collect();
        assert_eq!(
            got,
            [
                "حسن غول (Hassan Ghul; Hassan Gul)",
                "حسن غول",
                "Hassan Ghul",
                "Hassan Gul",
                "GHUL, Hassan",
                "(Sheikh) Musa Hilal",
                "Musa Hilal",
                "(OFF SHORE)",
                "NAME ()",
                "E.K.T. (KATRANGI BROS.)",
            ]
        );
        assert_eq!(reading_count(&e), got.len());
        // Each reading keeps the name it reads.
        let kinds: Vec<&str> = name_readings(&e).map(|(n, _)| n.full.as_str()).collect();
        assert_eq!(kinds[1], "حسن غول (Hassan Ghul; Hassan Gul)");
    }

    /// An aircraft named by its registration mark is also read as the mark in one word; no
    /// other name is, nor an aircraft's name that is no mark.
    #[test]
    fn an_aircrafts_registration_mark_is_also_one_word() {
        assert_eq!(registration_mark("EP-IDF").as_deref(), Some("EPIDF"));
        assert_eq!(registration_mark(" 4l-gnf ").as_deref(), Some("4LGNF"));
        assert_eq!(registration_mark("EW-001PH").as_deref(), Some("EW001PH"));
        assert_eq!(registration_mark("VIP-CSP").as_deref(), Some("VIPCSP"));
        for text in [
            "EP-",
            "-IDF",
            "EPAB-IDF",
            "EP-IDFGHJ",
            "EP IDF",
            "EP-ID-F",
            "ÉP-IDF",
        ] {
            assert_eq!(registration_mark(text), None, "{text}");
        }
        let mut aircraft = Entity::new("ofac-sdn", "25511", EntityKind::Aircraft);
        aircraft.names.push(Name::new("EP-IDF", NameKind::Primary));
        aircraft
            .names
            .push(Name::new("AIRBUS A300 MSN 123", NameKind::Alias));
        let got: Vec<String> = name_readings(&aircraft)
            .map(|(_, t)| t.into_owned())
            .collect();
        assert_eq!(got, ["EP-IDF", "EPIDF", "AIRBUS A300 MSN 123"]);
        assert_eq!(reading_count(&aircraft), 3);
        let mut org = Entity::new("ofac-sdn", "1", EntityKind::Organization);
        org.names.push(Name::new("AL-QAIDA", NameKind::Primary));
        assert_eq!(reading_count(&org), 1);
    }

    /// UN aliases of QDi.418 and QDi.397 and of the Ansar al-Sharia entities.
    #[test]
    fn what_parentheses_hold_in_another_script_is_a_reading_of_its_own() {
        let mut e = Entity::new("un", "1", EntityKind::Person);
        for n in [
            "Djaafar Abou Mohamed (جعفر ابو محمد)",
            "Amir Khazmat (original script: Амир Хазмат)",
            "أنصار الشريعة (Ansar al Charia)",
            "Akhter Mohmad son of Noor Mohmad (اختر محمد ولد نور محمد ),",
            "Abu Bakr (Sheikh)",
            "Jin Tiesan (金铁三)",
        ] {
            e.names.push(Name::new(n, NameKind::Alias));
        }
        let got: Vec<String> = name_readings(&e).map(|(_, t)| t.into_owned()).collect();
        assert_eq!(
            got,
            [
                "Djaafar Abou Mohamed (جعفر ابو محمد)",
                "Djaafar Abou Mohamed",
                "جعفر ابو محمد",
                "Amir Khazmat (original script: Амир Хазмат)",
                "Amir Khazmat",
                "Амир Хазмат",
                "أنصار الشريعة (Ansar al Charia)",
                "أنصار الشريعة",
                "Ansar al Charia",
                "Akhter Mohmad son of Noor Mohmad (اختر محمد ولد نور محمد ),",
                "Akhter Mohmad son of Noor Mohmad ,",
                "اختر محمد ولد نور محمد",
                "Abu Bakr (Sheikh)",
                "Abu Bakr",
                // Three letters: too few for a reading of its own.
                "Jin Tiesan (金铁三)",
                "Jin Tiesan",
            ]
        );
        assert_eq!(reading_count(&e), got.len());
    }
}
