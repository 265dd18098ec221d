//! Country names and codes: `VE`, `VEN`, `Venezuela` and `Venezuela (Bolivarian Republic of)`
//! are one country.
//!
//! Users type ISO codes or names; lists write names, each its own way (OFAC `Korea, North`,
//! `Burma`, `Russia`; the UN `Democratic People's Republic of Korea`, `Myanmar`, `Russian
//! Federation`). Comparing the strings would miss most agreements, so both sides are resolved
//! through one table, `data/countries.tsv`: ISO 3166-1 codes and English short names, plus the
//! other spellings found in the lists (sources in `data/README.md`). The index stores entity
//! countries and compares query countries through this one table, so every front end agrees.
//!
//! Lookup ignores case, accents, punctuation, the words "the" and "and", "St." for "Saint", and
//! word order, so `Congo, Democratic Republic of the` and `Democratic Republic of the Congo`
//! agree without a table row for each.

use std::collections::HashMap;
use std::sync::OnceLock;

/// One country of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code (`VE`).
    pub alpha2: &'static str,
    /// ISO 3166-1 alpha-3 code (`VEN`).
    pub alpha3: &'static str,
    /// ISO 3166-1 English short name (`Venezuela (Bolivarian Republic of)`).
    pub name: &'static str,
}

const TABLE: &str = include_str!("../data/countries.tsv");

struct Countries {
    countries: Vec<Country>,
    /// Lookup key of every name and other spelling → index in `countries`.
    by_name: HashMap<String, usize>,
}

fn countries() -> &'static Countries {
    static COUNTRIES: OnceLock<Countries> = OnceLock::new();
    COUNTRIES.get_or_init(|| {
        let mut countries = Vec::new();
        let mut by_name = HashMap::new();
        for line in TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let mut fields = line.split('\t');
            let (Some(alpha2), Some(alpha3), Some(name)) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue; // a malformed table line is caught by the `table_is_consistent` test
            };
            let i = countries.len();
            countries.push(Country {
                alpha2,
                alpha3,
                name,
            });
            let others = fields.next().unwrap_or("");
            for spelling in std::iter::once(name).chain(others.split('|')) {
                if !spelling.is_empty() {
                    by_name.entry(key(spelling)).or_insert(i);
                }
            }
        }
        Countries { countries, by_name }
    })
}

/// The lookup key of a name: ASCII-folded lower-case words, minus "the"/"and", "st" read as
/// "saint", sorted and deduplicated.
fn key(name: &str) -> String {
    let folded = any_ascii::any_ascii(name).to_ascii_lowercase();
    let mut words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "the" && *w != "and")
        .map(|w| if w == "st" { "saint" } else { w })
        .collect();
    words.sort_unstable();
    words.dedup();
    words.join(" ")
}

/// The country a code or name stands for: an ISO alpha-2 or alpha-3 code in any case, the ISO
/// short name, or a spelling the lists use. `None` for anything else (regions such as
/// `Crimea`, cities, `undetermined`).
pub fn lookup(text: &str) -> Option<&'static Country> {
    let table = countries();
    let text = text.trim();
    if (text.len() == 2 || text.len() == 3) && text.bytes().all(|b| b.is_ascii_alphabetic()) {
        let code = text.to_ascii_uppercase();
        if let Some(c) = table
            .countries
            .iter()
            .find(|c| c.alpha2 == code || c.alpha3 == code)
        {
            return Some(c);
        }
    }
    table.by_name.get(&key(text)).map(|&i| &table.countries[i])
}

/// Rewrites the countries of an entity that matching compares (nationalities, citizenships,
/// address countries) as ISO alpha-2 codes, where the table knows them. Countries the table
/// does not know are left as written.
pub fn normalize_entity_countries(entity: &mut interdict_model::Entity) {
    let normalize = |c: &mut String| {
        if let Some(country) = lookup(c) {
            if c != country.alpha2 {
                *c = country.alpha2.to_string();
            }
        }
    };
    entity.nationalities.iter_mut().for_each(normalize);
    entity.citizenships.iter_mut().for_each(normalize);
    entity
        .addresses
        .iter_mut()
        .filter_map(|a| a.country.as_mut())
        .for_each(normalize);
}

/// Lower-case ASCII words separated by single spaces; `Region:` and `possibly` prefixes
/// dropped (`Region: West Bank`, `possibly Palestinian`).
fn fold(s: &str) -> String {
    let ascii = any_ascii::any_ascii(s).to_lowercase();
    let words: Vec<&str> = ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut words = &words[..];
    while let Some((first, rest)) = words.split_first() {
        if matches!(*first, "region" | "possibly") {
            words = rest;
        } else {
            break;
        }
    }
    words.join(" ")
}

/// The form in which the index stores and compares a country: its ISO alpha-2 code when the
/// table knows it (also after dropping `Region:`/`possibly`), else its folded text; `None` for
/// empty or placeholder values (`na`, `undetermined`).
pub(crate) fn normalize_country(s: &str) -> Option<String> {
    if let Some(c) = lookup(s) {
        return Some(c.alpha2.to_string());
    }
    let f = fold(s);
    if f.is_empty() || matches!(f.as_str(), "na" | "n a" | "undetermined" | "unknown") {
        return None;
    }
    Some(match lookup(&f) {
        Some(c) => c.alpha2.to_string(),
        None => f,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Option<&'static str> {
        lookup(text).map(|c| c.alpha2)
    }

    #[test]
    fn codes_and_names_of_the_user() {
        assert_eq!(code("VE"), Some("VE"));
        assert_eq!(code("ve"), Some("VE"));
        assert_eq!(code("VEN"), Some("VE"));
        assert_eq!(code("Venezuela"), Some("VE"));
        assert_eq!(code(" venezuela (Bolivarian Republic of) "), Some("VE"));
        assert_eq!(code("UK"), Some("GB"));
        assert_eq!(code("USA"), Some("US"));
        assert_eq!(code("Iran"), Some("IR"));
    }

    #[test]
    fn spellings_of_the_lists() {
        // OFAC and UN spellings found in the bundled lists.
        for (text, expected) in [
            ("Korea, North", "KP"),
            ("Democratic People's Republic of Korea", "KP"),
            ("Korea, South", "KR"),
            ("Burma", "MM"),
            ("Myanmar", "MM"),
            ("Russia", "RU"),
            ("Russian Federation", "RU"),
            ("Congo, Democratic Republic of the", "CD"),
            ("Democratic Republic of the Congo", "CD"),
            ("Congo, Republic of the", "CG"),
            ("Cote d Ivoire", "CI"),
            ("Côte d'Ivoire", "CI"),
            ("Bahamas, The", "BS"),
            ("The Gambia", "GM"),
            ("St. Kitts & Nevis", "KN"),
            ("Man, Isle of", "IM"),
            ("Virgin Islands, British", "VG"),
            ("North Macedonia, The Republic of", "MK"),
            ("Türkiye", "TR"),
            ("Syrian Arab Republic", "SY"),
            ("Viet Nam", "VN"),
            ("Palestinian", "PS"),
            ("Region: Gaza", "PS"),
            ("Kosovo", "XK"),
            ("China, Hong Kong Special Administrative Region", "HK"),
        ] {
            assert_eq!(code(text), Some(expected), "{text}");
        }
    }

    #[test]
    fn entity_countries_become_codes() {
        let mut e = interdict_model::Entity::new("un", "x", interdict_model::EntityKind::Person);
        e.nationalities = vec!["Åland Islands".into(), "Crimea".into()];
        e.citizenships = vec!["Korea, North".into()];
        e.addresses.push(interdict_model::Address {
            country: Some("Burma".into()),
            ..Default::default()
        });
        normalize_entity_countries(&mut e);
        assert_eq!(e.nationalities, ["AX", "Crimea"]);
        assert_eq!(e.citizenships, ["KP"]);
        assert_eq!(e.addresses[0].country.as_deref(), Some("MM"));
    }

    #[test]
    fn not_countries() {
        for text in ["", "Crimea", "undetermined", "Medellin", "XX", "ZZZ"] {
            assert_eq!(code(text), None, "{text}");
        }
    }

    #[test]
    fn table_is_consistent() {
        let table = countries();
        assert!(table.countries.len() >= 249, "{}", table.countries.len());
        let data_lines = TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .count();
        assert_eq!(data_lines, table.countries.len(), "a malformed table line");
        let mut seen = std::collections::HashSet::new();
        for c in &table.countries {
            assert_eq!(c.alpha2.len(), 2, "{c:?}");
            assert_eq!(c.alpha3.len(), 3, "{c:?}");
            assert!(seen.insert(c.alpha2) && seen.insert(c.alpha3), "{c:?}");
            assert_eq!(lookup(c.name), Some(c), "{c:?}");
        }
        // No spelling names two countries.
        for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
            let fields: Vec<&str> = line.split('\t').collect();
            let others = fields.get(3).copied().unwrap_or("");
            for s in others.split('|').filter(|s| !s.is_empty()) {
                assert_eq!(code(s), Some(fields[0]), "{s:?} in {line:?}");
            }
        }
    }

    #[test]
    fn index_form_of_names_and_codes() {
        let n = normalize_country;
        assert_eq!(n("Venezuela"), Some("VE".into()));
        assert_eq!(n("ve"), Some("VE".into()));
        assert_eq!(
            n("Korea, North"),
            n("Democratic People's Republic of Korea")
        );
        assert_eq!(n("Region: West Bank"), Some("PS".into()));
        assert_eq!(n("Türkiye"), Some("TR".into()));
        assert_eq!(n("Atlantis"), Some("atlantis".into()));
        assert_eq!(n("undetermined"), None);
    }
}
