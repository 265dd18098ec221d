//! Test helpers: realistic publications built from model types, and a row-level dump of a
//! registry file for "nothing changed" assertions.
#![allow(dead_code)]

use interdict_model::*;
use jiff::civil::{date, Date};
use rusqlite::types::ValueRef;
use std::path::Path;

/// Nicolás Maduro as the 2024 SDN list states him.
pub fn maduro() -> Entity {
    let mut e = Entity::new("ofac-sdn", "22790", EntityKind::Person);
    e.names.push(
        Name::new("MADURO MOROS, Nicolas", NameKind::Primary)
            .with_part(NamePartKind::Surname, "MADURO MOROS")
            .with_part(NamePartKind::Given, "Nicolas"),
    );
    e.designations.push(Designation {
        program: "VENEZUELA".into(),
        program_name: Some("Venezuela-Related Sanctions".into()),
        authority: Some(Authority {
            legal_basis: vec!["E.O. 13692".into()],
            regulations: vec!["31 C.F.R. part 591".into()],
            body: "U.S. Department of the Treasury, OFAC".into(),
        }),
        listed_on: None,
    });
    e.birth_dates.push(DateOfBirth::exact(
        PartialDate::new(1962, Some(11), Some(23)).unwrap(),
    ));
    e.birth_places.push("Caracas, Venezuela".into());
    e.nationalities.push("Venezuela".into());
    e.gender = Some(Gender::Male);
    let mut cedula = Identifier::new(IdentifierKind::Cedula, "5892464");
    cedula.country = Some("Venezuela".into());
    e.identifiers.push(cedula);
    e.positions
        .push("President of the Bolivarian Republic of Venezuela".into());
    e
}

/// A deterministic pseudo-random number from a seed (splitmix64).
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

const SURNAMES: &[&str] = &[
    "AL-ZAWAHIRI",
    "HERNANDEZ",
    "PETROV",
    "KIM",
    "RAHMAN",
    "CABELLO RONDON",
    "IVANOV",
    "GONZALEZ",
    "NASRALLAH",
    "SOLEIMANI",
    "OKAFOR",
    "MUSTAFA",
    "ZHANG",
    "DIAZ",
    "SAID",
];
const GIVEN: &[&str] = &[
    "Ayman", "Diosdado", "Viktor", "Jong Un", "Abdul", "Maria", "Sergei", "Hassan", "Qasem",
    "Chinedu", "Wei", "Ahmad", "Luis", "Fatima", "Omar",
];
const PROGRAMS: &[(&str, &str, &str, &str)] = &[
    (
        "SDGT",
        "Counter Terrorism Sanctions",
        "E.O. 13224",
        "31 C.F.R. part 594",
    ),
    (
        "VENEZUELA",
        "Venezuela-Related Sanctions",
        "E.O. 13692",
        "31 C.F.R. part 591",
    ),
    (
        "RUSSIA-EO14024",
        "Russian Harmful Foreign Activities Sanctions",
        "E.O. 14024",
        "31 C.F.R. part 587",
    ),
    (
        "SDNTK",
        "Narcotics Trafficking Sanctions",
        "Foreign Narcotics Kingpin Designation Act",
        "31 C.F.R. part 598",
    ),
    ("IRAN", "Iran Sanctions", "E.O. 12957", "31 C.F.R. part 560"),
    (
        "DPRK3",
        "North Korea Sanctions",
        "E.O. 13722",
        "31 C.F.R. part 510",
    ),
];
const COUNTRIES: &[&str] = &[
    "Venezuela",
    "Russia",
    "Iran",
    "Syria",
    "Lebanon",
    "Colombia",
    "Mexico",
    "China",
    "North Korea",
    "United Arab Emirates",
];

/// A realistic SDN entity with id `30000 + n` (clear of real SDN ids in use here, such as
/// Maduro's 22790), different for each `n`; `version` > 0 gives changed contents for
/// the same id (as when OFAC amends an entry).
pub fn synthetic(n: u64, version: u64) -> Entity {
    let r = |k: u64| mix(n.wrapping_mul(131).wrapping_add(k)) as usize;
    let person = r(1) % 3 != 0;
    let kind = if person {
        EntityKind::Person
    } else {
        EntityKind::Organization
    };
    let mut e = Entity::new("ofac-sdn", (30_000 + n).to_string(), kind);
    let surname = SURNAMES[r(2) % SURNAMES.len()];
    let given = GIVEN[r(3) % GIVEN.len()];
    let country = COUNTRIES[r(4) % COUNTRIES.len()];
    if person {
        e.names.push(
            Name::new(format!("{surname} {n}, {given}"), NameKind::Primary)
                .with_part(NamePartKind::Surname, format!("{surname} {n}"))
                .with_part(NamePartKind::Given, given),
        );
        e.names.push(Name::new(
            format!("{given} {surname} {}", n * 7),
            NameKind::Alias,
        ));
        let year = 1940 + (r(5) % 50) as i16;
        e.birth_dates.push(DateOfBirth::exact(
            PartialDate::new(
                year,
                Some(1 + (r(6) % 12) as u8),
                Some(1 + (r(7) % 28) as u8),
            )
            .unwrap(),
        ));
        e.birth_places
            .push(format!("City {}, {country}", r(8) % 90));
        e.nationalities.push(country.into());
        e.gender = Some(if r(9) % 4 == 0 {
            Gender::Female
        } else {
            Gender::Male
        });
        let mut passport =
            Identifier::new(IdentifierKind::Passport, format!("P{}", r(10) % 10_000_000));
        passport.country = Some(country.into());
        e.identifiers.push(passport);
    } else {
        e.names.push(Name::new(
            format!("{surname} TRADING {n} LLC"),
            NameKind::Primary,
        ));
        e.names.push(Name::new(
            format!("{surname} GROUP {n}"),
            NameKind::WeakAlias,
        ));
        e.identifiers.push(Identifier::new(
            IdentifierKind::Registration,
            format!("{}", r(11) % 100_000_000),
        ));
        e.links.push(Link {
            relation: "linked to".into(),
            name: format!("{surname} {}, {given}", n + 1),
            target: None,
        });
    }
    e.addresses.push(Address {
        street: Some(format!(
            "{} Avenida {}",
            r(12) % 500,
            SURNAMES[r(13) % SURNAMES.len()]
        )),
        city: Some(format!("City {}", r(14) % 90)),
        country: Some(country.into()),
        ..Address::default()
    });
    for k in 0..1 + r(15) % 2 {
        let (tag, name, basis, regulation) = PROGRAMS[(r(16) + k) % PROGRAMS.len()];
        e.designations.push(Designation {
            program: tag.into(),
            program_name: Some(name.into()),
            authority: Some(Authority {
                legal_basis: vec![basis.into()],
                regulations: vec![regulation.into()],
                body: "U.S. Department of the Treasury, OFAC".into(),
            }),
            listed_on: None,
        });
    }
    e.remarks.push(format!(
        "Additional Sanctions Information - Subject to Secondary Sanctions; ref {}",
        r(17) % 1000
    ));
    if version > 0 {
        e.remarks
            .push(format!("Amended entry, revision {version}."));
    }
    e
}

/// A publication of the SDN list: Maduro then `entities`, with one source file whose hash is
/// derived from `tag` (so equal tags mean "the same files").
pub fn publication(published: Option<Date>, tag: &str, entities: Vec<Entity>) -> Publication {
    let mut all = vec![maduro()];
    all.extend(entities);
    Publication {
        list: ListId::OfacSdn,
        published,
        files: vec![SourceFile {
            name: "sdn.csv".into(),
            sha256: format!(
                "{:064x}",
                mix(tag.bytes().fold(7, |h, b| h * 31 + b as u64))
            ),
            size: 1_234_567,
        }],
        entities: all,
        warnings: vec![Warning {
            file: "sdn.csv".into(),
            location: "ent_num 36".into(),
            message: format!("unknown program tag [TEST-{tag}]"),
        }],
    }
}

/// `n` synthetic entities (versions 0).
pub fn synthetics(n: u64) -> Vec<Entity> {
    (0..n).map(|i| synthetic(i, 0)).collect()
}

/// A UN publication with one entity.
pub fn un_publication(published: Date) -> Publication {
    let mut e = Entity::new("un", "QDi.006", EntityKind::Person);
    e.names.push(Name::new(
        "AYMAN MUHAMMED RABI AL-ZAWAHIRI",
        NameKind::Primary,
    ));
    e.names
        .push(Name::new("أيمن محمد ربيع الظواهري", NameKind::Primary));
    e.designations.push(Designation {
        program: "Al-Qaida".into(),
        program_name: None,
        authority: None,
        listed_on: Some(date(2001, 1, 25)),
    });
    Publication {
        list: ListId::Un,
        published: Some(published),
        files: vec![SourceFile {
            name: "consolidated.xml".into(),
            sha256: format!("{:064x}", mix(published.day() as u64)),
            size: 99,
        }],
        entities: vec![e],
        warnings: vec![],
    }
}

/// Every row of every table (and the schema and header fields), as text: equal dumps mean an
/// equal registry, row for row.
pub fn dump(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut out = Vec::new();
    for pragma in ["user_version", "application_id"] {
        let v: i64 = conn
            .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
            .unwrap();
        out.push(format!("{pragma}={v}"));
    }
    let tables: Vec<(String, String)> = conn
        .prepare("SELECT name, coalesce(sql, '') FROM sqlite_master ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (name, sql) in tables {
        out.push(sql.clone());
        if !sql.starts_with("CREATE TABLE") {
            continue;
        }
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{name}\"")).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        let mut lines = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            let mut line = format!("{name}:");
            for i in 0..columns {
                match row.get_ref(i).unwrap() {
                    ValueRef::Null => line.push_str(" NULL"),
                    ValueRef::Integer(v) => line.push_str(&format!(" {v}")),
                    ValueRef::Real(v) => line.push_str(&format!(" {v}")),
                    ValueRef::Text(t) => {
                        line.push_str(&format!(" {:?}", String::from_utf8_lossy(t)))
                    }
                    ValueRef::Blob(b) => line.push_str(&format!(" x{}", hex(b))),
                }
            }
            lines.push(line);
        }
        lines.sort();
        out.extend(lines);
    }
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
