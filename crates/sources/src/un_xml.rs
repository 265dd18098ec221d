//! UN Security Council Consolidated List XML (`<CONSOLIDATED_LIST dateGenerated="…">`).
//!
//! The list holds `INDIVIDUALS/INDIVIDUAL` (persons) and `ENTITIES/ENTITY` (organisations).
//! The schema gains elements over the years; elements not named below are ignored.
//!
//! Mapping:
//! - `dateGenerated` (its date part) is the publication date.
//! - `REFERENCE_NUMBER` (`QDi.006`) is the id; the list is `un`.
//! - The primary name is `FIRST_NAME SECOND_NAME THIRD_NAME FOURTH_NAME` joined by spaces, with
//!   the parts kept (entities have only `FIRST_NAME`, and no parts). An entity's `FIRST_NAME`
//!   holding names separated by ` ; ` (CDe.003) is its primary name and aliases.
//!   `NAME_ORIGINAL_SCRIPT` is an alias marked as the original-script form.
//! - Aliases: quality `Good` and `a.k.a.` are aliases, `Low` weak aliases, `f.k.a.` former
//!   names; Good/Low are kept as [`AliasQuality`]. Blank aliases (the list writes an empty
//!   `INDIVIDUAL_ALIAS` for "none") are skipped. An `ALIAS_NAME` holding several names
//!   separated by `;` is an alias as written and gives each name it holds as an alias of the
//!   same quality (`alias_names`). An alias's own
//!   date or place of birth is added
//!   to the person's, and its note becomes a remark `alias: note`.
//! - `UN_LIST_TYPE` is the designation, with `LISTED_ON` as its listing date.
//! - `TITLE` and `DESIGNATION` values are positions, `NATIONALITY` values nationalities,
//!   `GENDER` the gender (`Unknown` is no gender), `COMMENTS1` a remark.
//! - `INDIVIDUAL_DATE_OF_BIRTH`: `EXACT` (`DATE` or `YEAR`), `APPROXIMATELY` (circa) and
//!   `BETWEEN` (`FROM_YEAR`..`TO_YEAR`); a `NOTE` on a date is a remark, and so is a date the
//!   list gives only as a note ("Between Aug. and Sep. 1977").
//! - Places of birth are their non-blank parts joined by `, `; addresses map field by field.
//! - `INDIVIDUAL_DOCUMENT` is an identifier (`Passport`, `National Identification Number`;
//!   other types keep their label), with issuing country, and issue date, issuing city, the
//!   finer `TYPE_OF_DOCUMENT2` and the note in its note. A document with no `NUMBER` (the list
//!   then puts the number in the note, in prose) is a remark instead: a made-up value would
//!   match nothing and mislead.
//!
//! Left out on purpose: `LAST_DAY_UPDATED` amendment dates (the registry knows when a record
//! changed by comparing publications, and dates in remarks would make every remark list
//! differ in form from OFAC's), `DATAID`, `VERSIONNUM`, `LIST_TYPE`, `SORT_KEY*`,
//! `SUBMITTED_*`.
//!
//! Free text (comments, notes) is whitespace-normalised: the file wraps it with newlines and
//! indentation that are layout, not content. Names are the source's text, trimmed.

use crate::input::Input;
use crate::xml::{line_column, squash, Document, Element};
use crate::SourceError;
use interdict_model::{
    Address, AliasQuality, DateOfBirth, Entity, EntityKind, Gender, Identifier, IdentifierKind,
    ListId, Name, NameKind, NamePartKind, PartialDate, Publication, Warning,
};

/// Parses a UN consolidated list XML file.
///
/// Errors when the file is not well-formed XML (the UN has published copies with stray control
/// bytes and Latin-1 letters) or is not a `CONSOLIDATED_LIST`. Records without a reference
/// number are skipped with a warning; unknown regimes and unreadable dates are warnings.
pub fn parse(input: &Input) -> Result<Publication, SourceError> {
    let mut doc = Document::open(input)?;
    let root = doc.root()?;
    if root.name != "CONSOLIDATED_LIST" {
        return Err(doc.error_at(
            root.offset,
            format!(
                "the root element is <{}>, not the <CONSOLIDATED_LIST> of a UN list file",
                root.name
            ),
        ));
    }
    let mut reader = Reader {
        file: &input.name,
        entities: Vec::new(),
        warnings: Vec::new(),
    };
    let published = match root.attribute("dateGenerated") {
        Some(text) => {
            let date = iso_date(text);
            if date.is_none() {
                reader.warn(
                    "CONSOLIDATED_LIST",
                    format!("dateGenerated '{text}' is not a date"),
                );
            }
            date
        }
        None => None,
    };
    let text = doc.text();
    doc.walk(
        &root,
        |path, name| path.len() == 1 && matches!(name, "INDIVIDUAL" | "ENTITY"),
        |element| {
            if let Some(entity) = reader.record(&element, text) {
                reader.entities.push(entity);
            }
            Ok(())
        },
    )?;
    Ok(Publication {
        list: ListId::Un,
        published,
        files: vec![input.source_file()],
        entities: reader.entities,
        warnings: reader.warnings,
    })
}

/// State of one parse.
struct Reader<'f> {
    file: &'f str,
    entities: Vec<Entity>,
    warnings: Vec<Warning>,
}

impl Reader<'_> {
    fn warn(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning {
            file: self.file.to_string(),
            location: location.into(),
            message: message.into(),
        });
    }

    /// One `INDIVIDUAL` or `ENTITY`, or `None` (with a warning) without a reference number.
    fn record(&mut self, e: &Element, text: &str) -> Option<Entity> {
        let person = e.name == "INDIVIDUAL";
        let Some(id) = e.text_of("REFERENCE_NUMBER") else {
            self.warn(
                line_column(text, e.offset),
                format!("{} without a REFERENCE_NUMBER is skipped", e.name),
            );
            return None;
        };
        let at = format!("REFERENCE_NUMBER {id}");
        let kind = if person {
            EntityKind::Person
        } else {
            EntityKind::Organization
        };
        let mut entity = Entity::new(ListId::Un.as_str(), id, kind);

        self.names(e, person, &mut entity, &at);

        match e.text_of("UN_LIST_TYPE") {
            Some(list_type) => {
                let (mut designation, known) = crate::programs::un_designation(list_type);
                if !known {
                    self.warn(&at, format!("unknown UN_LIST_TYPE '{list_type}'"));
                }
                if let Some(listed) = e.text_of("LISTED_ON") {
                    designation.listed_on = iso_date(listed);
                    if designation.listed_on.is_none() {
                        self.warn(&at, format!("LISTED_ON '{listed}' is not a date"));
                    }
                }
                entity.designations.push(designation);
            }
            None => self.warn(&at, "no UN_LIST_TYPE: the record has no designation"),
        }

        entity.positions = values(e, "TITLE");
        entity.positions.extend(values(e, "DESIGNATION"));
        entity.nationalities = values(e, "NATIONALITY");
        entity.gender = match e.text_of("GENDER").map(str::to_ascii_lowercase).as_deref() {
            Some("male") => Some(Gender::Male),
            Some("female") => Some(Gender::Female),
            _ => None,
        };
        if let Some(comments) = e.text_of("COMMENTS1") {
            entity.remarks.push(squash(comments));
        }

        for d in e.children_named("INDIVIDUAL_DATE_OF_BIRTH") {
            self.date_of_birth(d, &mut entity, &at);
        }
        for p in e.children_named("INDIVIDUAL_PLACE_OF_BIRTH") {
            let place = joined(p, &["STREET", "CITY", "STATE_PROVINCE", "COUNTRY", "NOTE"]);
            if let Some(place) = place {
                push_new(&mut entity.birth_places, place);
            }
        }
        let address_tag = if person {
            "INDIVIDUAL_ADDRESS"
        } else {
            "ENTITY_ADDRESS"
        };
        for a in e.children_named(address_tag) {
            let address = Address {
                street: a.text_of("STREET").map(squash),
                city: a.text_of("CITY").map(squash),
                region: a.text_of("STATE_PROVINCE").map(squash),
                postal_code: a.text_of("ZIP_CODE").map(squash),
                country: a.text_of("COUNTRY").map(squash),
                note: a.text_of("NOTE").map(squash),
            };
            if !address.is_empty() {
                entity.addresses.push(address);
            }
        }
        for d in e.children_named("INDIVIDUAL_DOCUMENT") {
            document(d, &mut entity);
        }
        Some(entity)
    }

    /// Primary name, original-script name, aliases, and the facts aliases carry.
    fn names(&mut self, e: &Element, person: bool, entity: &mut Entity, at: &str) {
        let parts = [
            ("FIRST_NAME", NamePartKind::First),
            ("SECOND_NAME", NamePartKind::Second),
            ("THIRD_NAME", NamePartKind::Third),
            ("FOURTH_NAME", NamePartKind::Fourth),
        ];
        let present: Vec<(&str, NamePartKind)> = if person {
            parts
                .iter()
                .filter_map(|(tag, kind)| e.text_of(tag).map(|v| (v, *kind)))
                .collect()
        } else {
            e.text_of("FIRST_NAME")
                .map(|v| (v, NamePartKind::First))
                .into_iter()
                .collect()
        };
        if present.is_empty() {
            self.warn(at, "record has no name");
        } else if !person && present[0].0.contains(" ; ") {
            // An entity's two names in one field, as the list separates names elsewhere
            // (CDe.003 `COMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ; GREAT LAKES BUSINESS
            // COMPANY (GLBC)`): the first is the primary name, the others aliases, so each
            // is screened as the name it is.
            let mut parts = present[0]
                .0
                .split(" ; ")
                .map(str::trim)
                .filter(|p| !p.is_empty());
            if let Some(first) = parts.next() {
                entity.names.push(Name::new(first, NameKind::Primary));
            }
            for other in parts {
                entity.names.push(Name::new(other, NameKind::Alias));
            }
        } else {
            let full = present
                .iter()
                .map(|(v, _)| *v)
                .collect::<Vec<_>>()
                .join(" ");
            let mut name = Name::new(full, NameKind::Primary);
            if person {
                for (value, kind) in &present {
                    name = name.with_part(*kind, *value);
                }
            }
            entity.names.push(name);
        }
        if let Some(original) = e.text_of("NAME_ORIGINAL_SCRIPT") {
            let mut name = Name::new(original, NameKind::Alias);
            name.original_script = true;
            entity.names.push(name);
        }
        let alias_tag = if person {
            "INDIVIDUAL_ALIAS"
        } else {
            "ENTITY_ALIAS"
        };
        for alias in e.children_named(alias_tag) {
            let Some(full) = alias.text_of("ALIAS_NAME") else {
                continue;
            };
            let quality = alias.text_of("QUALITY");
            let (kind, q) = match quality.map(str::to_ascii_lowercase).as_deref() {
                Some("good") => (NameKind::Alias, Some(AliasQuality::Good)),
                Some("low") => (NameKind::WeakAlias, Some(AliasQuality::Low)),
                Some("a.k.a.") | None => (NameKind::Alias, None),
                Some("f.k.a.") => (NameKind::FormerName, None),
                Some(_) => {
                    self.warn(
                        at,
                        format!(
                            "unknown alias QUALITY '{}', read as an a.k.a.",
                            quality.unwrap_or_default()
                        ),
                    );
                    (NameKind::Alias, None)
                }
            };
            // The field as written, and each name it holds when it holds several: a file built
            // from the list may hold the field whole.
            let mut names = vec![full.to_string()];
            names.extend(alias_names(full).into_iter().filter(|n| n != full));
            for one in names {
                let mut name = Name::new(one, kind);
                name.quality = q;
                entity.names.push(name);
            }

            if let Some(date) = alias.text_of("DATE_OF_BIRTH") {
                match partial_date(date) {
                    Some(d) => push_new(&mut entity.birth_dates, DateOfBirth::exact(d)),
                    None => self.warn(at, format!("alias DATE_OF_BIRTH '{date}' is not a date")),
                }
            }
            if let Some(place) = joined(alias, &["CITY_OF_BIRTH", "COUNTRY_OF_BIRTH"]) {
                push_new(&mut entity.birth_places, place);
            }
            if let Some(note) = alias.text_of("NOTE") {
                entity.remarks.push(format!("{full}: {}", squash(note)));
            }
        }
    }

    fn date_of_birth(&mut self, d: &Element, entity: &mut Entity, at: &str) {
        let kind = d.text_of("TYPE_OF_DATE").map(str::to_ascii_uppercase);
        let note = d.text_of("NOTE").map(squash);
        let year = |tag: &str| d.text_of(tag).and_then(partial_date);
        let date = match kind.as_deref() {
            Some("BETWEEN") => match (year("FROM_YEAR"), year("TO_YEAR")) {
                (Some(from), to) => Some(DateOfBirth {
                    date: from,
                    to,
                    circa: false,
                }),
                (None, Some(to)) => Some(DateOfBirth::exact(to)),
                (None, None) => None,
            },
            _ => year("DATE")
                .or_else(|| year("YEAR"))
                .map(|date| DateOfBirth {
                    date,
                    to: None,
                    circa: kind.as_deref() == Some("APPROXIMATELY"),
                }),
        };
        if let Some(k) = kind
            .as_deref()
            .filter(|k| !matches!(*k, "EXACT" | "APPROXIMATELY" | "BETWEEN"))
        {
            self.warn(at, format!("unknown TYPE_OF_DATE '{k}'"));
        }
        let stated = ["DATE", "YEAR", "FROM_YEAR", "TO_YEAR"]
            .iter()
            .filter_map(|t| d.text_of(t))
            .collect::<Vec<_>>();
        match (date, note) {
            (Some(date), note) => {
                if let Some(note) = note {
                    entity.remarks.push(format!("Date of birth {date}: {note}"));
                }
                push_new(&mut entity.birth_dates, date);
            }
            (None, Some(note)) => entity.remarks.push(format!("Date of birth: {note}")),
            (None, None) => {
                if !stated.is_empty() {
                    let text = stated.join(" ");
                    self.warn(at, format!("date of birth '{text}' is not a date"));
                    entity.remarks.push(format!("Date of birth: {text}"));
                }
            }
        }
    }
}

/// One `INDIVIDUAL_DOCUMENT`: an identifier, or a remark when it has no number.
fn document(d: &Element, entity: &mut Entity) {
    let label = d.text_of("TYPE_OF_DOCUMENT");
    let detail = d.text_of("TYPE_OF_DOCUMENT2").map(squash);
    let kind = match label.map(str::to_ascii_lowercase).as_deref() {
        Some("passport" | "numéro de passeport" | "número de pasaporte") => {
            IdentifierKind::Passport
        }
        Some(l) if l.starts_with("national identification") => IdentifierKind::NationalId,
        Some(_) => IdentifierKind::Other(label.map(squash).unwrap_or_default()),
        None => IdentifierKind::Other(detail.clone().unwrap_or_default()),
    };
    let country = d
        .text_of("ISSUING_COUNTRY")
        .or_else(|| d.text_of("COUNTRY_OF_ISSUE"))
        .map(squash);
    let mut notes = Vec::new();
    if let Some(detail) = detail.filter(|_| label.is_some()) {
        notes.push(detail);
    }
    if let Some(date) = d.text_of("DATE_OF_ISSUE") {
        let date = iso_date(date).map_or_else(|| squash(date), |d| d.to_string());
        notes.push(format!("issued {date}"));
    }
    if let Some(city) = d.text_of("CITY_OF_ISSUE") {
        notes.push(format!("issued in {}", squash(city)));
    }
    if let Some(note) = d.text_of("NOTE") {
        notes.push(squash(note));
    }
    match d.text_of("NUMBER") {
        Some(number) => entity.identifiers.push(Identifier {
            kind,
            value: squash(number),
            country,
            note: (!notes.is_empty()).then(|| notes.join("; ")),
        }),
        None if !notes.is_empty() || label.is_some() => {
            let mut remark = label.map(squash).unwrap_or_else(|| "Document".into());
            if let Some(c) = country {
                remark.push_str(&format!(" ({c})"));
            }
            if !notes.is_empty() {
                remark.push_str(": ");
                remark.push_str(&notes.join("; "));
            }
            entity.remarks.push(remark);
        }
        None => {}
    }
}

/// The non-blank `VALUE`s of every `tag` element (`NATIONALITY`, `TITLE`…).
fn values(e: &Element, tag: &str) -> Vec<String> {
    e.children_named(tag)
        .flat_map(|t| t.children_named("VALUE"))
        .filter_map(Element::value)
        .map(squash)
        .collect()
}

/// The non-blank children `tags` of `e`, joined by `, `.
fn joined(e: &Element, tags: &[&str]) -> Option<String> {
    let parts: Vec<String> = tags
        .iter()
        .filter_map(|t| e.text_of(t))
        .map(squash)
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn push_new<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// The date at the start of an ISO timestamp or date: `2026-02-27T00:00:09.554Z`,
/// `2015-03-27-04:00` (some records carry a time-zone offset), `2001-01-25`.
fn iso_date(text: &str) -> Option<jiff::civil::Date> {
    let text = text.trim();
    let head = text.get(..10)?;
    match text.as_bytes().get(10) {
        None | Some(b'T' | b'-' | b'+' | b'Z' | b' ') => head.parse().ok(),
        Some(_) => None,
    }
}

/// A full ISO date, or a bare four-digit year (`YEAR`, `FROM_YEAR`).
fn partial_date(text: &str) -> Option<PartialDate> {
    let text = text.trim();
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(PartialDate::year(text.parse().ok()?));
    }
    iso_date(text).map(PartialDate::from)
}

/// The names one `ALIAS_NAME` holds. Some hold several, separated by `;`: spellings of one
/// name (`Qasim Soleimani; Qasem Sulaimani; …`, IRi.039), an original-script name with its
/// romanisations in parentheses (`حسن غول (Hassan Ghul; Hassan Gul; Hasan Gul)`, QDi.140),
/// lettered (`Mohammad Sabet b) M. Javad Kareemi Sabet`), or a name and the original-script
/// form marked as such (`Hay’at Tahrir al-Sham (HTS) (هيئة تحرير الشام (original script); …)`,
/// QDe.137). Each is a name of its own: as one, every other spelling would be words of the
/// name that a screened name lacks. A field without `;` is one name, parentheses and all.
fn alias_names(full: &str) -> Vec<String> {
    if !full.contains(';') {
        return vec![full.to_string()];
    }
    let text = full.replace("(original script)", "");
    let mut out: Vec<String> = Vec::new();
    let mut push = |name: &str| {
        let name = name.trim().trim_end_matches([',', ';']).trim();
        if !name.is_empty() && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    };
    for part in text.split(';') {
        for lettered in split_lettered(part) {
            // A parenthesis closed and not opened ends the names a parenthesis listed; one
            // opened and not closed starts them (the names before it end there).
            let cleaned = without_stray_closes(lettered);
            match first_unclosed(&cleaned) {
                Some(at) => {
                    push(&cleaned[..at]);
                    push(&cleaned[at + 1..].replace('(', " "));
                }
                None => push(&cleaned),
            }
        }
    }
    out
}

/// `text` without the `)` that close no `(`.
fn without_stray_closes(text: &str) -> String {
    let mut depth = 0usize;
    text.chars()
        .filter(|&c| match c {
            '(' => {
                depth += 1;
                true
            }
            ')' if depth == 0 => false,
            ')' => {
                depth -= 1;
                true
            }
            _ => true,
        })
        .collect()
}

/// The byte position of the first `(` of `text` that no `)` closes.
fn first_unclosed(text: &str) -> Option<usize> {
    let mut open: Vec<usize> = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '(' => open.push(i),
            ')' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.first().copied()
}

/// `text` split before each list letter (` b) `, ` c) `) that starts another name.
fn split_lettered(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..b.len().saturating_sub(2) {
        if b[i - 1] == b' ' && b[i].is_ascii_lowercase() && b[i + 1] == b')' && b[i + 2] == b' ' {
            out.push(&text[start..i]);
            start = i + 2;
        }
    }
    out.push(&text[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_fields_of_several_names() {
        assert_eq!(alias_names("A (B) C"), ["A (B) C"]);
        assert_eq!(
            alias_names("Fazel Rahim; Fazil Rahim"),
            ["Fazel Rahim", "Fazil Rahim"]
        );
        assert_eq!(
            alias_names("أبو شيماء (Abu-Shaima; Abu- Shayma)"),
            ["أبو شيماء", "Abu-Shaima", "Abu- Shayma"]
        );
        assert_eq!(alias_names("A; B b) C; D"), ["A", "B", "C", "D"]);
        // Stray parentheses anywhere, empty parts, multi-byte text: names, never a panic.
        assert_eq!(alias_names(") A (; ; ((é"), ["A", "é"]);
        assert!(alias_names(";;;").is_empty());
    }

    #[test]
    fn dates() {
        assert_eq!(
            iso_date("2026-02-27T00:00:09.554Z").unwrap().to_string(),
            "2026-02-27"
        );
        assert_eq!(
            iso_date("2015-03-27-04:00").unwrap().to_string(),
            "2015-03-27"
        );
        assert!(iso_date("2015-03-277").is_none());
        assert!(iso_date("2015-02-30").is_none());
        assert!(iso_date("é").is_none());
        assert_eq!(partial_date("1962").unwrap().to_string(), "1962");
        assert_eq!(
            partial_date("1962-11-23").unwrap().to_string(),
            "1962-11-23"
        );
        assert!(partial_date("62").is_none());
    }

    fn one(xml: &str) -> Entity {
        let input = Input::from_bytes("u.xml", xml.as_bytes().to_vec()).unwrap();
        let p = parse(&input).unwrap();
        assert_eq!(p.entities.len(), 1, "{:?}", p.warnings);
        p.entities.into_iter().next().unwrap()
    }

    #[test]
    fn dates_of_birth_of_every_type() {
        let e = one(
            "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>A</FIRST_NAME>\
             <REFERENCE_NUMBER>X.1</REFERENCE_NUMBER>\
             <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1960-01-01-05:00</DATE></INDIVIDUAL_DATE_OF_BIRTH>\
             <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1961</YEAR></INDIVIDUAL_DATE_OF_BIRTH>\
             <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1962</FROM_YEAR><TO_YEAR>1963</TO_YEAR><NOTE>Approximately</NOTE></INDIVIDUAL_DATE_OF_BIRTH>\
             <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>Between Aug. and\n Sep. 1977</NOTE></INDIVIDUAL_DATE_OF_BIRTH>\
             <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE/></INDIVIDUAL_DATE_OF_BIRTH>\
             <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NOTE>passport number 1, expired</NOTE></INDIVIDUAL_DOCUMENT>\
             </INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
        );
        let dobs: Vec<String> = e.birth_dates.iter().map(|d| d.to_string()).collect();
        assert_eq!(dobs, ["1960-01-01", "circa 1961", "1962 to 1963"]);
        assert_eq!(
            e.remarks,
            [
                "Date of birth 1962 to 1963: Approximately",
                "Date of birth: Between Aug. and Sep. 1977",
                "Passport: passport number 1, expired"
            ]
        );
        assert!(e.identifiers.is_empty());
        assert!(e.designations.is_empty());
    }
}
