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
//!
//! Build, reuse of a previous index and reverse retrieval all go through [`name_readings`], so
//! that the names an index holds are the names monitoring bounds.

use interdict_model::{Entity, Name};
use std::borrow::Cow;

/// The texts `entity`'s names are indexed under, in order, each with the name it reads: every
/// name as written, followed (right after it) by its words outside parentheses when it has
/// both.
pub fn name_readings(entity: &Entity) -> impl Iterator<Item = (&Name, Cow<'_, str>)> {
    entity.names.iter().flat_map(|name| {
        let outside = outside_reading(&name.full);
        std::iter::once((name, Cow::Borrowed(name.full.as_str())))
            .chain(outside.map(|o| (name, Cow::Owned(o))))
    })
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
}
