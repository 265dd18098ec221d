//! OFAC `sdnList` XML: `sdn.xml` and the consolidated (non-SDN) `consolidated.xml`.
//!
//! Both files share one schema, published under two default namespaces over the years
//! (`http://tempuri.org/sdnList.xsd`, and the Sanctions List Service's
//! `https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML`). Elements
//! are matched by local name, so both read alike, and elements not known here are ignored.
//!
//! The model this produces is the one the legacy CSV reader produces for the same publication,
//! so that a publication can be ingested from either: names are built as OFAC's CSV writes
//! them (`LASTNAME, FirstName`, or the last name alone), strong a.k.a.s are aliases, weak ones
//! weak aliases, and every string is the source's own, trimmed.
//!
//! Mapping, element by element:
//! - `publshInformation/Publish_Date` (`MM/DD/YYYY`) is the publication date.
//!   `Record_Count` guards against partial files: fewer entries than it states is an error
//!   (a partial file ingested as a publication would read as thousands of delistings); more
//!   entries than stated is only a warning.
//! - `sdnEntry`: `uid` is the id; `sdnType` the kind (blank or `Entity` is an organisation);
//!   `title` a position; `remarks` a remark, from which `Linked To: NAME` parties are also
//!   taken; `programList/program` the designations.
//! - `idList/id`: most `idType`s are identifiers. Some are not: OFAC files sanctions notes
//!   (`Additional Sanctions Information -`, `Secondary sanctions risk:`, directive
//!   determinations, listing dates…) in the same list, and these become remarks written
//!   `idType idNumber`, as the CSV's remarks column writes them. `Gender`, vessel build year
//!   and aircraft model/operator/manufacture date go to their typed fields.
//! - `akaList/aka`, `addressList/address`, `nationalityList`, `citizenshipList`,
//!   `dateOfBirthList`, `placeOfBirthList` (main entries first), `vesselInfo`.

use crate::input::Input;
use crate::xml::{line_column, squash, Document, Element};
use crate::SourceError;
use interdict_model::{
    Address, AircraftInfo, DateOfBirth, Entity, EntityKind, Gender, Identifier, IdentifierKind,
    Link, ListId, Name, NameKind, NamePartKind, Publication, VesselInfo, Warning,
};

/// Parses an `sdnList` XML file as a publication of `list` (`ofac-sdn` for `sdn.xml`,
/// `ofac-cons` for the consolidated file; the file itself does not say which it is).
///
/// Errors when the file is not well-formed XML, is not an `sdnList`, or holds fewer entries
/// than its `Record_Count`. Doubtful entries (no `uid`, unknown program tag, unreadable date)
/// become warnings.
pub fn parse(input: &Input, list: ListId) -> Result<Publication, SourceError> {
    let mut doc = Document::open(input)?;
    let root = doc.root()?;
    if root.name != "sdnList" {
        return Err(doc.error_at(
            root.offset,
            format!(
                "the root element is <{}>, not the <sdnList> of an OFAC XML file",
                root.name
            ),
        ));
    }
    let mut reader = Reader {
        file: &input.name,
        list,
        published: None,
        record_count: None,
        entries: 0,
        entities: Vec::new(),
        warnings: Vec::new(),
    };
    let text = doc.text();
    let end = doc.walk(
        &root,
        |path, name| path.is_empty() && matches!(name, "sdnEntry" | "publshInformation"),
        |element| {
            if element.name == "publshInformation" {
                reader.publish_information(&element);
            } else {
                reader.entries += 1;
                if let Some(entity) = reader.entry(&element, text) {
                    reader.entities.push(entity);
                }
            }
            Ok(())
        },
    )?;
    if let Some(stated) = reader.record_count {
        if reader.entries < stated {
            return Err(doc.error_at(
                end,
                format!(
                    "the file ends after {} entries but its Record_Count is {stated}: it is \
                     truncated or partial",
                    reader.entries
                ),
            ));
        }
        if reader.entries > stated {
            reader.warnings.push(Warning {
                file: input.name.clone(),
                location: "publshInformation".into(),
                message: format!(
                    "Record_Count is {stated} but the file holds {} entries",
                    reader.entries
                ),
            });
        }
    }
    Ok(Publication {
        list,
        published: reader.published,
        files: vec![input.source_file()],
        entities: reader.entities,
        warnings: reader.warnings,
    })
}

/// State of one parse.
struct Reader<'f> {
    file: &'f str,
    list: ListId,
    published: Option<jiff::civil::Date>,
    record_count: Option<usize>,
    /// `sdnEntry` elements seen, including any skipped, for the `Record_Count` check.
    entries: usize,
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

    fn publish_information(&mut self, info: &Element) {
        if let Some(text) = info.text_of("Publish_Date") {
            self.published = us_date(text);
            if self.published.is_none() {
                self.warn(
                    "publshInformation",
                    format!("Publish_Date '{text}' is not a MM/DD/YYYY date"),
                );
            }
        }
        if let Some(text) = info.text_of("Record_Count") {
            self.record_count = text.parse().ok();
            if self.record_count.is_none() {
                self.warn(
                    "publshInformation",
                    format!("Record_Count '{text}' is not a number"),
                );
            }
        }
    }

    /// One `sdnEntry`, or `None` (with a warning) when it has no `uid` to identify it by.
    fn entry(&mut self, e: &Element, text: &str) -> Option<Entity> {
        let Some(uid) = e.text_of("uid") else {
            self.warn(
                line_column(text, e.offset),
                "sdnEntry without a uid is skipped",
            );
            return None;
        };
        let at = format!("uid {uid}");
        let kind = match e.text_of("sdnType") {
            None => EntityKind::Organization,
            Some(t) if t.eq_ignore_ascii_case("entity") => EntityKind::Organization,
            Some(t) if t.eq_ignore_ascii_case("individual") => EntityKind::Person,
            Some(t) if t.eq_ignore_ascii_case("vessel") => EntityKind::Vessel,
            Some(t) if t.eq_ignore_ascii_case("aircraft") => EntityKind::Aircraft,
            Some(t) => {
                self.warn(
                    &at,
                    format!("unknown sdnType '{t}', read as an organisation"),
                );
                EntityKind::Organization
            }
        };
        let mut entity = Entity::new(self.list.as_str(), uid, kind);

        let person = kind == EntityKind::Person;
        match name(e, NameKind::Primary, person) {
            Some(n) => entity.names.push(n),
            None => self.warn(&at, "entry has no name"),
        }
        for aka in e
            .children_named("akaList")
            .flat_map(|l| l.children_named("aka"))
        {
            let kind = match (aka.text_of("type"), aka.text_of("category")) {
                (Some(t), _) if t.eq_ignore_ascii_case("f.k.a.") => NameKind::FormerName,
                (Some(t), _) if t.eq_ignore_ascii_case("n.k.a.") => NameKind::NowKnownAs,
                (_, Some(c)) if c.eq_ignore_ascii_case("weak") => NameKind::WeakAlias,
                (Some(t), _) if t.eq_ignore_ascii_case("a.k.a.") => NameKind::Alias,
                (None, _) => NameKind::Alias,
                (Some(t), _) => {
                    self.warn(&at, format!("unknown aka type '{t}', read as an a.k.a."));
                    NameKind::Alias
                }
            };
            if let Some(n) = name(aka, kind, person) {
                entity.names.push(n);
            }
        }

        for tag in e
            .children_named("programList")
            .flat_map(|l| l.children_named("program"))
            .filter_map(Element::value)
        {
            let (designation, known) = crate::programs::ofac_designation(tag);
            if !known {
                self.warn(&at, format!("unknown program tag '{tag}'"));
            }
            entity.designations.push(designation);
        }

        if let Some(title) = e.text_of("title") {
            entity.positions.push(title.to_string());
        }
        if let Some(remarks) = e.text_of("remarks") {
            entity.links.extend(linked_to(remarks));
            entity.remarks.push(squash(remarks));
        }

        for id in e
            .children_named("idList")
            .flat_map(|l| l.children_named("id"))
        {
            self.id(id, &mut entity, &at);
        }

        for address in e
            .children_named("addressList")
            .flat_map(|l| l.children_named("address"))
        {
            let street: Vec<&str> = ["address1", "address2", "address3"]
                .iter()
                .filter_map(|f| address.text_of(f))
                .collect();
            let a = Address {
                street: (!street.is_empty()).then(|| street.join(", ")),
                city: address.string_of("city"),
                region: address.string_of("stateOrProvince"),
                postal_code: address.string_of("postalCode"),
                country: address.string_of("country"),
                note: None,
            };
            if !a.is_empty() {
                entity.addresses.push(a);
            }
        }

        entity.nationalities = main_first(e, "nationalityList", "nationality", "country");
        entity.citizenships = main_first(e, "citizenshipList", "citizenship", "country");
        for text in main_first(e, "dateOfBirthList", "dateOfBirthItem", "dateOfBirth") {
            match date_of_birth(&text) {
                Some(d) => entity.birth_dates.push(d),
                None => {
                    self.warn(
                        &at,
                        format!("date of birth '{text}' is not understood; kept as a remark"),
                    );
                    entity.remarks.push(format!("DOB {text}"));
                }
            }
        }
        entity.birth_places = main_first(e, "placeOfBirthList", "placeOfBirthItem", "placeOfBirth");

        if let Some(v) = e.child("vesselInfo") {
            let info = VesselInfo {
                call_sign: v.string_of("callSign"),
                vessel_type: v.string_of("vesselType"),
                flag: v.string_of("vesselFlag"),
                owner: v.string_of("vesselOwner"),
                tonnage: v.string_of("tonnage"),
                gross_registered_tonnage: v.string_of("grossRegisteredTonnage"),
                year_built: entity.vessel.as_ref().and_then(|v| v.year_built.clone()),
            };
            if info != VesselInfo::default() {
                entity.vessel = Some(info);
            }
        }
        Some(entity)
    }

    /// One `idList/id`: an identifier, or a fact filed as one.
    fn id(&mut self, id: &Element, entity: &mut Entity, at: &str) {
        let Some(label) = id.text_of("idType") else {
            if let Some(number) = id.text_of("idNumber") {
                self.warn(at, format!("id '{number}' without idType"));
                entity.identifiers.push(Identifier::new(
                    IdentifierKind::Other(String::new()),
                    number,
                ));
            }
            return;
        };
        let number = id.text_of("idNumber");
        if is_statement(label) {
            entity.remarks.push(match number {
                Some(n) => format!("{label} {}", squash(n)),
                None => label.to_string(),
            });
            return;
        }
        let Some(number) = number else {
            return;
        };
        let lower = label.to_ascii_lowercase();
        match lower.as_str() {
            "gender" => match number.to_ascii_lowercase().as_str() {
                "male" => entity.gender = Some(Gender::Male),
                "female" => entity.gender = Some(Gender::Female),
                _ => self.warn(at, format!("unknown gender '{number}'")),
            },
            "vessel year of build" => {
                entity
                    .vessel
                    .get_or_insert_with(VesselInfo::default)
                    .year_built = Some(number.to_string())
            }
            "aircraft model" => {
                entity
                    .aircraft
                    .get_or_insert_with(AircraftInfo::default)
                    .model = Some(number.to_string())
            }
            "aircraft operator" => {
                entity
                    .aircraft
                    .get_or_insert_with(AircraftInfo::default)
                    .operator = Some(number.to_string())
            }
            "aircraft manufacture date" => {
                entity
                    .aircraft
                    .get_or_insert_with(AircraftInfo::default)
                    .manufactured = Some(number.to_string())
            }
            _ => {
                let (kind, exact) = identifier_kind(label);
                let mut notes = Vec::new();
                if !exact {
                    // The kind generalises the label ("Diplomatic Passport"): keep the label.
                    notes.push(label.to_string());
                }
                if let Some(d) = id.text_of("issueDate") {
                    notes.push(format!("issued {d}"));
                }
                if let Some(d) = id.text_of("expirationDate") {
                    notes.push(format!("expires {d}"));
                }
                entity.identifiers.push(Identifier {
                    kind,
                    value: number.to_string(),
                    country: id.string_of("idCountry"),
                    note: (!notes.is_empty()).then(|| notes.join("; ")),
                });
            }
        }
    }
}

/// A name from `lastName`/`firstName`, written as OFAC's CSV writes it: `LAST, First`, or
/// either part alone. `None` when both are blank. Only persons get name parts: OFAC files an
/// organisation's or vessel's whole name in `lastName`, which is not a surname.
fn name(e: &Element, kind: NameKind, person: bool) -> Option<Name> {
    let last = e.text_of("lastName");
    let first = e.text_of("firstName");
    let full = match (last, first) {
        (Some(l), Some(f)) => format!("{l}, {f}"),
        (Some(one), None) | (None, Some(one)) => one.to_string(),
        (None, None) => return None,
    };
    let mut n = Name::new(full, kind);
    if !person {
        return Some(n);
    }
    if let Some(l) = last {
        n = n.with_part(NamePartKind::Surname, l);
    }
    if let Some(f) = first {
        n = n.with_part(NamePartKind::Given, f);
    }
    Some(n)
}

/// The `field` values of `list/item` elements, items marked `mainEntry` true first (OFAC
/// lists the main date of birth first in its CSV, and screening shows the first).
fn main_first(e: &Element, list: &str, item: &str, field: &str) -> Vec<String> {
    let mut items: Vec<(bool, String)> = e
        .children_named(list)
        .flat_map(|l| l.children_named(item))
        .filter_map(|i| {
            let main = i
                .text_of("mainEntry")
                .is_some_and(|m| m.eq_ignore_ascii_case("true"));
            i.text_of(field).map(|v| (!main, v.to_string()))
        })
        .collect();
    // Stable: source order within main and within other entries.
    items.sort_by_key(|(not_main, _)| *not_main);
    items.into_iter().map(|(_, v)| v).collect()
}

/// `idType`s that state a fact about the designation rather than identify the party. They are
/// matched by prefix because OFAC varies the directive or order number inside them
/// (`Listing Date (EO 14024 Directive 2):`).
const STATEMENT_PREFIXES: &[&str] = &[
    "additional sanctions information",
    "for more information",
    "secondary sanctions risk",
    "executive order",
    "caatsa section",
    "listing date",
    "effective date",
    "purchase/sales for divestment date",
    "transactions prohibited",
    "ifca determination",
    "organization established date",
    "organization type",
    "target type",
    "former vessel flag",
    "other vessel flag",
    "other vessel call sign",
    "other vessel type",
    "nationality of registration",
    "prohibited transactions",
];

fn is_statement(label: &str) -> bool {
    let lower = label.to_ascii_lowercase();
    STATEMENT_PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// The identifier kind of an `idType`, and whether the kind says all the label says (when it
/// does not, the label is kept in the identifier's note).
fn identifier_kind(label: &str) -> (IdentifierKind, bool) {
    use IdentifierKind::*;
    let lower = label.to_ascii_lowercase();
    let kind = match lower.trim_end_matches([':', ' ']) {
        "passport" => Passport,
        "national id no."
        | "national id"
        | "identification number"
        | "personal id card"
        | "national foreign id number"
        | "c.u.r.p."
        | "c.u.r.p. #"
        | "d.n.i."
        | "turkish identification number"
        | "citizen's card number" => NationalId,
        "cedula no." | "cedula" => Cedula,
        "tax id no."
        | "tax id"
        | "rfc"
        | "r.f.c."
        | "nit #"
        | "ruc #"
        | "c.u.i.t."
        | "cuit"
        | "v.a.t. number"
        | "vat number"
        | "italian fiscal code"
        | "fiscal code" => TaxId,
        "ssn" => Ssn,
        "registration id"
        | "registration number"
        | "public registration number"
        | "business registration number"
        | "business registration document #"
        | "company number"
        | "uk company number"
        | "commercial registry number"
        | "c.r. no."
        | "unified social credit code (uscc)"
        | "certificate of incorporation number"
        | "chamber of commerce number" => Registration,
        "driver's license no." | "driver's license" => DriversLicense,
        "vessel registration identification" | "imo" => Imo,
        "mmsi" => Mmsi,
        "swift/bic" => SwiftBic,
        "email address" | "email" => Email,
        "website" => Website,
        "phone number" | "phone" => Phone,
        "aircraft tail number" => AircraftTailNumber,
        "aircraft manufacturer's serial number (msn)" => AircraftSerialNumber,
        l => {
            if let Some(code) = strip_prefix_ignore_case(label, "Digital Currency Address -")
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                DigitalCurrencyAddress(code.to_string())
            } else if l.ends_with("passport") {
                return (Passport, false);
            } else {
                Other(label.to_string())
            }
        }
    };
    (kind, true)
}

/// Parties named in remarks as `Linked To: NAME` (several per remark, in parentheses or
/// separated by `;`). A name runs to the `;` or the `)` that closes the enclosing parenthesis,
/// so names with their own parentheses (`BANK MELLAT (OF IRAN)`) stay whole.
fn linked_to(remarks: &str) -> Vec<Link> {
    const MARK: &str = "Linked To:";
    let mut links = Vec::new();
    let mut rest = remarks;
    while let Some(i) = rest.find(MARK) {
        let after = rest.get(i + MARK.len()..).unwrap_or("");
        let mut depth = 0usize;
        let mut end = after.len();
        for (j, c) in after.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    end = j;
                    break;
                }
                ')' => depth -= 1,
                ';' if depth == 0 => {
                    end = j;
                    break;
                }
                _ => {}
            }
        }
        let name = after
            .get(..end)
            .unwrap_or("")
            .trim()
            .trim_end_matches('.')
            .trim();
        if !name.is_empty() {
            links.push(Link {
                relation: "linked to".into(),
                name: squash(name),
                target: None,
            });
        }
        rest = after.get(end..).unwrap_or("");
    }
    links
}

/// `MM/DD/YYYY`, the date format of `Publish_Date`.
fn us_date(text: &str) -> Option<jiff::civil::Date> {
    let mut parts = text.trim().split('/');
    let month: i8 = parts.next()?.trim().parse().ok()?;
    let day: i8 = parts.next()?.trim().parse().ok()?;
    let year: i16 = parts.next()?.trim().parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    jiff::civil::Date::new(year, month, day).ok()
}

/// An OFAC date of birth: `23 Nov 1962`, `Nov 1962`, `1962`, each possibly `circa`, or a range
/// `1960 to 1962`: the same text the CSV export puts in its remarks column, read by the same
/// parser so the two formats cannot disagree.
fn date_of_birth(text: &str) -> Option<DateOfBirth> {
    crate::remarks::parse_birth_date(text)
}

fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dob(text: &str) -> String {
        date_of_birth(text).map_or("-".into(), |d| d.to_string())
    }

    #[test]
    fn dates_of_birth_in_all_forms() {
        assert_eq!(dob("23 Nov 1962"), "1962-11-23");
        assert_eq!(dob("Nov 1962"), "1962-11");
        assert_eq!(dob("1962"), "1962");
        assert_eq!(dob("circa 1960"), "circa 1960");
        assert_eq!(dob("1960 to 1962"), "1960 to 1962");
        assert_eq!(
            dob("01 Jan 1960 to 31 Dec 1962"),
            "1960-01-01 to 1962-12-31"
        );
        assert_eq!(dob("Circa 05 Sept. 1970"), "circa 1970-09-05");
        assert_eq!(dob("30 Feb 1962"), "-");
        assert_eq!(dob("Nov"), "-");
        assert_eq!(dob("1962 to"), "-");
        assert_eq!(dob("circa"), "-");
        assert_eq!(dob("é to ü"), "-");
    }

    #[test]
    fn publish_dates() {
        assert_eq!(us_date("04/06/2018").unwrap().to_string(), "2018-04-06");
        assert!(us_date("13/06/2018").is_none());
        assert!(us_date("2018-04-06").is_none());
    }

    #[test]
    fn identifier_kinds() {
        assert_eq!(
            identifier_kind("Passport"),
            (IdentifierKind::Passport, true)
        );
        assert_eq!(
            identifier_kind("Diplomatic Passport"),
            (IdentifierKind::Passport, false)
        );
        assert_eq!(
            identifier_kind("Digital Currency Address - XBT"),
            (IdentifierKind::DigitalCurrencyAddress("XBT".into()), true)
        );
        assert_eq!(
            identifier_kind("Vessel Registration Identification"),
            (IdentifierKind::Imo, true)
        );
        assert_eq!(
            identifier_kind("Residency Number"),
            (IdentifierKind::Other("Residency Number".into()), true)
        );
        assert!(is_statement("Secondary sanctions risk:"));
        assert!(is_statement("Listing Date (EO 14024 Directive 2):"));
        assert!(!is_statement("Passport"));
    }

    #[test]
    fn linked_parties_in_remarks() {
        let names = |r: &str| -> Vec<String> { linked_to(r).into_iter().map(|l| l.name).collect() };
        assert_eq!(
            names("(Linked To: NATIONAL IRANIAN TANKER COMPANY)"),
            ["NATIONAL IRANIAN TANKER COMPANY"]
        );
        assert_eq!(
            names("x; Linked To: BANK MELLAT (OF IRAN); Linked To: A B."),
            ["BANK MELLAT (OF IRAN)", "A B"]
        );
        assert!(names("Linked To:").is_empty());
    }
}
