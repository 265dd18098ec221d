//! The OFAC legacy CSV reader against real publications bundled in the repository, and against
//! damaged input.

use interdict_model::{
    DateOfBirth, Entity, EntityKind, Gender, IdentifierKind, ListId, NameKind, NamePartKind,
    PartialDate, Publication,
};
use interdict_sources::input::Input;
use interdict_sources::ofac_csv::{parse, CsvSet};
use interdict_sources::remarks::{self, Fact};
use interdict_sources::{load, LoadOptions};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

/// The bundled SDN set of 2023-12-28, parsed once for all tests.
fn sdn() -> &'static Publication {
    static P: OnceLock<Publication> = OnceLock::new();
    P.get_or_init(|| {
        load(
            &repo("data/lists/ofac-sdn-2023-12-28"),
            &LoadOptions::default(),
        )
        .expect("bundled SDN set loads")
    })
}

fn entity<'a>(p: &'a Publication, id: &str) -> &'a Entity {
    p.entities
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("ent_num {id} is in the publication"))
}

fn names_of(e: &Entity, kind: NameKind) -> Vec<&str> {
    e.names
        .iter()
        .filter(|n| n.kind == kind)
        .map(|n| n.full.as_str())
        .collect()
}

fn date(y: i16, m: u8, d: u8) -> PartialDate {
    PartialDate::new(y, Some(m), Some(d)).unwrap()
}

#[test]
fn sdn_2023_12_28_has_every_entity_and_its_files() {
    let p = sdn();
    assert_eq!(p.list, ListId::OfacSdn);
    assert_eq!(p.entities.len(), 13_821);
    assert_eq!(p.published, Some(jiff::civil::date(2023, 12, 28)));
    let files: Vec<&str> = p.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(files, ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]);
    assert_eq!(p.files[0].size, 3_477_010);
    assert!(p.entities.iter().all(|e| e.list == "ofac-sdn"));
    assert!(p.entities.iter().all(|e| !e.designations.is_empty()));
    let count = |k| p.entities.iter().filter(|e| e.kind == k).count();
    assert_eq!(count(EntityKind::Vessel), 764);
    assert!(count(EntityKind::Person) > 6000);
    assert!(count(EntityKind::Aircraft) > 100);
}

#[test]
fn comments_of_an_older_date_warn_about_missing_entities() {
    // sdn_comments.csv of 2023-12-22 continues three records that were gone by 2023-12-28.
    let missing: Vec<&str> = sdn()
        .warnings
        .iter()
        .filter(|w| w.file == "sdn_comments.csv")
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(
        missing,
        [
            "ent_num 12300 is not in sdn.csv; row ignored",
            "ent_num 15599 is not in sdn.csv; row ignored",
            "ent_num 15600 is not in sdn.csv; row ignored",
        ]
    );
    // Nothing else is doubtful in this publication but program tags newer than our table.
    for w in &sdn().warnings {
        assert!(
            w.file == "sdn_comments.csv" || w.message.starts_with("unknown program tag"),
            "{w}"
        );
    }
}

#[test]
fn maduro() {
    let e = entity(sdn(), "22790");
    assert_eq!(e.kind, EntityKind::Person);
    let primary = e.primary_name().unwrap();
    assert_eq!(primary.full, "MADURO MOROS, Nicolas");
    assert_eq!(primary.kind, NameKind::Primary);
    let parts: Vec<_> = primary
        .parts
        .iter()
        .map(|p| (p.kind, p.value.as_str()))
        .collect();
    assert_eq!(
        parts,
        [
            (NamePartKind::Surname, "MADURO MOROS"),
            (NamePartKind::Given, "Nicolas")
        ]
    );
    assert_eq!(
        e.programs().collect::<Vec<_>>(),
        ["VENEZUELA", "IRAN-CON-ARMS-EO"]
    );
    assert_eq!(e.birth_dates, [DateOfBirth::exact(date(1962, 11, 23))]);
    assert_eq!(e.birth_places, ["Caracas, Venezuela"]);
    assert_eq!(e.citizenships, ["Venezuela"]);
    assert_eq!(e.gender, Some(Gender::Male));
    assert_eq!(e.identifiers.len(), 1);
    let cedula = &e.identifiers[0];
    assert_eq!(cedula.kind, IdentifierKind::Cedula);
    assert_eq!(cedula.value, "5892464");
    assert_eq!(cedula.country.as_deref(), Some("Venezuela"));
    assert_eq!(
        e.positions,
        ["President of the Bolivarian Republic of Venezuela"]
    );
    // The title repeated at the end of the remarks is not a remark too.
    assert!(e.remarks.is_empty(), "{:?}", e.remarks);
    assert_eq!(e.addresses.len(), 1);
    assert_eq!(
        e.addresses[0].city.as_deref(),
        Some("Caracas, Capital District")
    );
    assert_eq!(e.addresses[0].country.as_deref(), Some("Venezuela"));
}

#[test]
fn hizballah_is_an_fto_under_ina_219_with_weak_aliases() {
    let e = entity(sdn(), "4697");
    assert_eq!(e.primary_name().unwrap().full, "HIZBALLAH");
    assert_eq!(e.kind, EntityKind::Organization);
    assert_eq!(e.programs().collect::<Vec<_>>(), ["FTO", "SDGT", "SYRIA"]);
    let fto = e.designations.iter().find(|d| d.program == "FTO").unwrap();
    let authority = fto.authority.as_ref().unwrap();
    assert!(authority
        .legal_basis
        .iter()
        .any(|b| b == "INA §219 (8 U.S.C. §1189)"));
    let weak = names_of(e, NameKind::WeakAlias);
    assert!(weak.contains(&"LH"), "{weak:?}");
    assert!(weak.contains(&"FOREIGN RELATIONS DEPARTMENT"), "{weak:?}");
    assert_eq!(weak.len(), 8);
    assert_eq!(
        e.remarks,
        [
            "Additional Sanctions Information - Subject to Secondary Sanctions Pursuant to the \
          Hizballah Financial Sanctions Regulations"
        ]
    );
}

#[test]
fn nasrallah_has_four_birth_dates_a_passport_and_a_resolved_link() {
    let e = entity(sdn(), "2686");
    assert_eq!(e.primary_name().unwrap().full, "NASRALLAH, Hasan");
    let years: Vec<i16> = e.birth_dates.iter().map(|d| d.date.year).collect();
    assert_eq!(years, [1960, 1953, 1955, 1958]);
    assert_eq!(e.birth_dates[0], DateOfBirth::exact(date(1960, 8, 31)));
    assert_eq!(e.birth_places, ["Al Basuriyah, Lebanon"]);
    let passport = e
        .identifiers
        .iter()
        .find(|i| i.kind == IdentifierKind::Passport)
        .unwrap();
    assert_eq!(passport.value, "042833");
    assert_eq!(passport.country.as_deref(), Some("Lebanon"));
    assert_eq!(e.links.len(), 1);
    assert_eq!(e.links[0].relation, "linked to");
    assert_eq!(e.links[0].name, "HIZBALLAH");
    assert_eq!(e.links[0].target.as_deref(), Some("4697"));
    assert_eq!(e.positions, ["Secretary General of Hizballah"]);
    // The strong alias from alt.csv comes after the primary name, with its parts.
    let alias = e.names.iter().find(|n| n.kind == NameKind::Alias).unwrap();
    assert_eq!(alias.full, "NASRALLAH, Hasan Abd-al-Karim");
    assert_eq!(alias.parts.len(), 2);
}

#[test]
fn banco_nacional_de_cuba_weak_alias_and_strong_aliases() {
    let e = entity(sdn(), "306");
    assert_eq!(names_of(e, NameKind::WeakAlias), ["BNC"]);
    assert!(names_of(e, NameKind::Alias).contains(&"NATIONAL BANK OF CUBA"));
    assert_eq!(e.addresses[0].street.as_deref(), Some("Zweierstrasse 35"));
    assert_eq!(e.addresses[0].city.as_deref(), Some("Zurich CH-8022"));
}

#[test]
fn vessel_columns_and_imo_number() {
    let e = entity(sdn(), "4243");
    assert_eq!(e.kind, EntityKind::Vessel);
    assert_eq!(e.primary_name().unwrap().full, "EBANO");
    let v = e.vessel.as_ref().unwrap();
    assert_eq!(v.vessel_type.as_deref(), Some("General Cargo"));
    assert_eq!(v.tonnage.as_deref(), Some("2595"));
    assert_eq!(v.gross_registered_tonnage.as_deref(), Some("1865"));
    assert_eq!(v.flag.as_deref(), Some("Panama"));
    assert_eq!(v.call_sign, None);
    let imo = e
        .identifiers
        .iter()
        .find(|i| i.kind == IdentifierKind::Imo)
        .unwrap();
    assert_eq!(imo.value, "7406784");
    assert_eq!(names_of(e, NameKind::FormerName), ["ANA I", "SAND SWAN"]);
}

#[test]
fn aircraft_details() {
    let e = entity(sdn(), "15431");
    assert_eq!(e.kind, EntityKind::Aircraft);
    let a = e.aircraft.as_ref().unwrap();
    assert_eq!(a.model.as_deref(), Some("IL76-TD"));
    assert_eq!(a.operator.as_deref(), Some("YAS AIR"));
    assert_eq!(a.manufactured.as_deref(), Some("1992"));
    let msn = e
        .identifiers
        .iter()
        .find(|i| i.kind == IdentifierKind::AircraftSerialNumber)
        .unwrap();
    assert_eq!(msn.value, "1023409321");
    assert_eq!(e.links[0].name, "POUYA AIR");
    assert_eq!(e.links[0].target.as_deref(), Some("13109"));
    assert!(e.remarks.is_empty(), "{:?}", e.remarks);
}

#[test]
fn digital_currency_and_contact_identifiers() {
    let e = entity(sdn(), "26138");
    let ids: Vec<(IdentifierKind, &str, Option<&str>)> = e
        .identifiers
        .iter()
        .map(|i| (i.kind.clone(), i.value.as_str(), i.country.as_deref()))
        .collect();
    assert_eq!(
        ids,
        [
            (IdentifierKind::Website, "www.enexchanger.com", None),
            (IdentifierKind::Email, "EnExchanger@gmail.com", None),
            (IdentifierKind::Email, "Ensaniyat1365@gmail.com", None),
            (
                IdentifierKind::DigitalCurrencyAddress("XBT".into()),
                "1AjZPMsnmpdK2Rv9KQNfMurTXinscVro9V",
                None
            ),
            (
                IdentifierKind::Other("Identification Number".into()),
                "008-046347-9",
                Some("Iran")
            ),
            (
                IdentifierKind::Other("Birth Certificate Number".into()),
                "32270",
                Some("Iran")
            ),
        ]
    );
    assert_eq!(
        names_of(e, NameKind::WeakAlias),
        ["Ensaniyat", "Ensaniyat_Exchanger", "EnExchanger"]
    );
    assert_eq!(e.nationalities, ["Iran"]);
}

#[test]
fn remarks_continued_in_the_comments_file_are_joined() {
    // sdn.csv cuts Sberbank's remarks at "…; Listing Date (EO 14024 Directive 3)"; the comments
    // file goes on with ": 24 Feb 2022; Effective Date …; Tax ID No. 7707083893 (Russia); …".
    let e = entity(sdn(), "17018");
    assert!(e
        .remarks
        .iter()
        .any(|r| r == "Listing Date (EO 14024 Directive 3): 24 Feb 2022"));
    assert!(e
        .remarks
        .iter()
        .any(|r| r == "Effective Date (EO 14024 Directive 3): 26 Mar 2022"));
    let tax = e
        .identifiers
        .iter()
        .find(|i| i.kind == IdentifierKind::TaxId)
        .unwrap();
    assert_eq!(
        (tax.value.as_str(), tax.country.as_deref()),
        ("7707083893", Some("Russia"))
    );
    let reg = e
        .identifiers
        .iter()
        .find(|i| i.kind == IdentifierKind::Registration)
        .unwrap();
    assert_eq!(reg.value, "1027700132195");

    // Lazarus Group: an a.k.a. cut mid-name ("WHOIS HACKIN" + "G TEAM'").
    let e = entity(sdn(), "27307");
    let weak = names_of(e, NameKind::WeakAlias);
    assert!(weak.contains(&"WHOIS HACKING TEAM"), "{weak:?}");
    assert_eq!(weak.last(), Some(&"APPLEWORM"));
}

#[test]
fn links_resolve_within_the_publication() {
    let p = sdn();
    let links: Vec<_> = p.entities.iter().flat_map(|e| &e.links).collect();
    let resolved = links.iter().filter(|l| l.target.is_some()).count();
    assert_eq!(links.len(), 5_966);
    // The 141 others name a party whose name several entities carry (NATIONAL IRANIAN TANKER
    // COMPANY is a primary name and also a strong alias of entity 15119), which the resolver
    // leaves alone rather than guess.
    assert_eq!(resolved, 5_825);
    // A last "Linked To: NEW AHMADI LTD." keeps the dot that belongs to the name.
    let e = entity(p, "13124");
    assert_eq!(e.links[0].name, "NEW AHMADI LTD.");
    assert_eq!(e.links[0].target.as_deref(), Some("13128"));
    // … and one whose name has no dot loses the remarks' full stop.
    let e = entity(p, "16855");
    assert_eq!(e.links[0].name, "SAZEH MORAKAB CO. LTD");
    assert_eq!(e.links[0].target.as_deref(), Some("16854"));
}

#[test]
fn consolidated_2018_and_2025() {
    let p = load(
        &repo("testdata/ofac/consolidated-2018-04-06"),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(p.list, ListId::OfacCons);
    assert_eq!(p.entities.len(), 639);
    assert!(p.entities.iter().all(|e| e.list == "ofac-cons"));
    assert_eq!(p.files.len(), 3, "no comments file in this set");
    let e = entity(&p, "4632");
    assert_eq!(
        e.primary_name().unwrap().full,
        "BANK MARKAZI JOMHOURI ISLAMI IRAN"
    );
    assert!(e.remarks.iter().any(|r| r
        == "Additional Sanctions Information - Not on the SDN List and Not Subject to Secondary \
            Sanctions"));

    let p = load(
        &repo("testdata/ofac/consolidated-2025-12-19"),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(p.entities.len(), 442);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    // RUSAG is only in cons_comments.csv.
    let e = entity(&p, "17014");
    assert_eq!(names_of(e, NameKind::WeakAlias), ["RUSAG"]);
    assert_eq!(names_of(e, NameKind::Alias).len(), 4);
    assert_eq!(e.addresses.len(), 2);
    let swift = e
        .identifiers
        .iter()
        .find(|i| i.kind == IdentifierKind::SwiftBic)
        .unwrap();
    assert_eq!(swift.value, "RUAGRUMM");
}

#[test]
fn fto_changes_of_2021_12_02() {
    let before = load(
        &repo("testdata/ofac/sdn-history/sdn-2021-11-23.csv.gz"),
        &LoadOptions::default(),
    )
    .unwrap();
    let after = load(
        &repo("testdata/ofac/sdn-history/sdn-2021-12-02.csv.gz"),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(before.published, Some(jiff::civil::date(2021, 11, 23)));
    assert_eq!(before.files.len(), 1);
    assert_eq!(before.entities.len(), 9_107);
    assert_eq!(after.entities.len(), 9_000);
    let farc = entity(&before, "4711");
    assert_eq!(
        farc.programs().collect::<Vec<_>>(),
        ["SDNTK", "FTO", "SDGT"]
    );
    assert!(after.entities.iter().all(|e| e.id != "4711"));
    for id in ["33974", "33983"] {
        assert!(entity(&after, id).programs().any(|p| p == "FTO"));
        assert!(before.entities.iter().all(|e| e.id != id));
    }
    assert_eq!(
        entity(&after, "33974").primary_name().unwrap().full,
        "SEGUNDA MARQUETALIA"
    );
}

// ---- damaged input ----

const MADURO_ROW: &str = "22790,\"MADURO MOROS, Nicolas\",\"individual\",\"VENEZUELA\",-0- ,-0- ,\
                          -0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 23 Nov 1962; Gender Male.\"\r\n";

/// A file that opens like a gzip stream but is none is refused with an error naming it (the
/// case the never-panics property once met with random bytes).
#[test]
fn a_damaged_gzip_stream_is_an_error_naming_the_file() {
    let err = Input::from_bytes("alt.csv", vec![0x1f, 0x8b, 0x00, 0x01]).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("alt.csv") && text.contains("gzip"), "{text}");
}

fn input(name: &str, bytes: &[u8]) -> Input {
    Input::from_bytes(name, bytes.to_vec()).unwrap()
}

fn set(main: &[u8], alt: Option<&[u8]>, add: Option<&[u8]>, comments: Option<&[u8]>) -> CsvSet {
    CsvSet {
        list: ListId::OfacSdn,
        main: input("sdn.csv", main),
        alt: alt.map(|b| input("alt.csv", b)),
        add: add.map(|b| input("add.csv", b)),
        comments: comments.map(|b| input("sdn_comments.csv", b)),
    }
}

#[test]
fn wrong_column_count_is_a_warning_with_file_and_line() {
    let main =
        format!("{MADURO_ROW}173,\"ANGLO-CARIBBEAN CO., LTD.\",-0- ,\"CUBA\",-0- \r\n\u{1a}");
    let p = parse(&set(main.as_bytes(), None, None, None)).unwrap();
    assert_eq!(p.entities.len(), 2, "short rows are still read by position");
    assert_eq!(p.published, None);
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    let w = &p.warnings[0];
    assert_eq!(
        (w.file.as_str(), w.location.as_str()),
        ("sdn.csv", "line 2")
    );
    assert!(w.message.contains("expected 12 columns, found 5"), "{w}");
}

#[test]
fn truncated_file_is_read_up_to_the_cut_and_warns() {
    let path = repo("data/lists/ofac-sdn-2023-12-28/sdn.csv.gz");
    let full = Input::read(&path).unwrap().bytes;
    // Cut inside Maduro's quoted remarks.
    let find = |needle: &[u8], from: usize| {
        full[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .unwrap()
            + from
    };
    let row = find(b"\n22790,", 0);
    let at = find(b"POB Caracas", row);
    let line = full[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let p = parse(&set(&full[..at + 10], None, None, None)).unwrap();
    let last = p.entities.last().unwrap();
    assert_eq!(last.id, "22790");
    assert_eq!(p.entities.len(), line);
    let w = p
        .warnings
        .iter()
        .find(|w| w.message.contains("truncated"))
        .expect("a truncation warning");
    assert_eq!(w.file, "sdn.csv");
    assert_eq!(w.location, format!("line {line}"));
    // Every prefix of a few rows parses without panicking.
    let head = &full[..2000];
    for cut in 0..head.len() {
        let _ = parse(&set(
            &head[..cut],
            Some(&head[..cut]),
            Some(&head[..cut]),
            None,
        ));
    }
}

#[test]
fn unknown_program_tag_is_kept_with_a_warning() {
    let main =
        "1,\"ACME\",-0- ,\"SDGT] [NOT-A-PROGRAM\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
    let p = parse(&set(main.as_bytes(), None, None, None)).unwrap();
    let e = &p.entities[0];
    assert_eq!(e.programs().collect::<Vec<_>>(), ["SDGT", "NOT-A-PROGRAM"]);
    assert!(e.designations[1].authority.is_none());
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(p.warnings[0].location, "ent_num 1");
    assert!(p.warnings[0].message.contains("`NOT-A-PROGRAM`"));
}

#[test]
fn unreadable_date_of_birth_is_a_warning_and_stays_a_remark() {
    let main = "7,\"DOE, John\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\
                \"DOB 31 Feb 1962; alt. DOB 1961; POB Nowhere.\"\r\n";
    let p = parse(&set(main.as_bytes(), None, None, None)).unwrap();
    let e = &p.entities[0];
    assert_eq!(e.birth_dates, [DateOfBirth::exact(PartialDate::year(1961))]);
    assert_eq!(e.remarks, ["DOB 31 Feb 1962"]);
    assert_eq!(e.birth_places, ["Nowhere"]);
    assert_eq!(p.warnings.len(), 1);
    let w = &p.warnings[0];
    assert_eq!(
        (w.file.as_str(), w.location.as_str()),
        ("sdn.csv", "ent_num 7")
    );
    assert!(w.message.contains("31 Feb 1962"), "{w}");
}

#[test]
fn invalid_utf8_falls_back_to_windows_1252_with_a_warning() {
    let main = b"5,\"ARM\xc9S TRADING\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
    let p = parse(&set(main, None, None, None)).unwrap();
    assert_eq!(p.entities[0].primary_name().unwrap().full, "ARMÉS TRADING");
    assert_eq!(p.warnings.len(), 1);
    let w = &p.warnings[0];
    assert_eq!(w.file, "sdn.csv");
    assert_eq!(w.location, "line 1, byte 6");
    assert!(w.message.contains("Windows-1252"));
}

#[test]
fn companion_rows_for_unknown_entities_are_warnings() {
    let alt = b"22790,1,\"aka\",\"MADURO, Nicolas\",-0- \r\n99,2,\"aka\",\"NOBODY\",-0- \r\n\x1a";
    let add = b"98,3,-0- ,\"Caracas\",\"Venezuela\",-0- \r\n\x1a";
    let comments = b"97,\"more\"\r\n";
    let p = parse(&set(
        MADURO_ROW.as_bytes(),
        Some(alt),
        Some(add),
        Some(comments),
    ))
    .unwrap();
    let e = &p.entities[0];
    assert_eq!(names_of(e, NameKind::Alias), ["MADURO, Nicolas"]);
    assert!(e.addresses.is_empty());
    let w: Vec<String> = p.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        w,
        [
            "sdn_comments.csv: line 1: ent_num 97 is not in sdn.csv; row ignored",
            "alt.csv: line 2: ent_num 99 is not in sdn.csv; row ignored",
            "add.csv: line 1: ent_num 98 is not in sdn.csv; row ignored",
        ]
    );
    let files: Vec<&str> = p.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(files, ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]);
}

#[test]
fn garbage_is_warned_about_not_fatal() {
    for bytes in [
        &b""[..],
        b"\x1a",
        b"\"",
        b"not,a,list\r\n",
        b"\xff\xfe\x00\x01",
        b",,,,,,,,,,,,,,,,,,,,,\n\n\n",
        b"1,\"X\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. '",
        b"1,1,1,1,1,1,1,1,1,1,1,1\n1,1,1,1,1,1,1,1,1,1,1,1\n",
    ] {
        let p = parse(&set(bytes, Some(bytes), Some(bytes), Some(bytes))).unwrap();
        assert!(p.entities.len() <= 1);
    }
}

// ---- the remarks parser ----

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Fragments of real remarks, to build strings that reach deep into the parser.
const FRAGMENTS: &[&str] = &[
    "a.k.a. '",
    "f.k.a. ",
    "'",
    "';",
    ";",
    ". ",
    ".",
    " ",
    "DOB ",
    "circa ",
    " to ",
    "-",
    "1962",
    "23 ",
    "Nov ",
    "alt. ",
    "Passport ",
    "No. ",
    "#",
    "(",
    ")",
    "Venezuela",
    " issued ",
    " expires ",
    "Linked To: ",
    "POB ",
    "Gender ",
    "Male",
    "nationality ",
    "Digital Currency Address - ",
    "XBT ",
    "www.",
    "é",
    "ж",
    "\u{1a}",
    "\"",
    ",",
    "Company Number ",
    "IMO ",
    "Nr.",
    ":",
];

proptest! {
    #[test]
    fn remarks_parser_never_panics(s in "\\PC*") {
        let _ = remarks::parse(&s);
    }

    #[test]
    fn remarks_parser_never_panics_on_remark_like_text(
        parts in prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40)
    ) {
        let s: String = parts.concat();
        for fact in remarks::split(&s) {
            prop_assert!(!fact.is_empty());
            prop_assert_eq!(fact, fact.trim());
        }
        let _ = remarks::parse(&s);
    }

    #[test]
    fn dob_round_trips(y in 1900i16..2030, m in 1u8..=12, d in 1u8..=31, alt in any::<bool>()) {
        prop_assume!(PartialDate::new(y, Some(m), Some(d)).is_some());
        let month = MONTHS[usize::from(m - 1)];
        let text = format!("{}DOB {d:02} {month} {y}", if alt { "alt. " } else { "" });
        let expected = DateOfBirth::exact(PartialDate::new(y, Some(m), Some(d)).unwrap());
        prop_assert_eq!(remarks::parse_fact(&text), Fact::BirthDate(expected.clone()));
        // As the last fact of a remarks column, with its full stop.
        let facts = remarks::parse(&format!("Gender Male; {text}."));
        prop_assert_eq!(facts.last(), Some(&Fact::BirthDate(expected)));
    }

    #[test]
    fn year_and_month_dobs_round_trip(y in 1900i16..2030, m in 1u8..=12) {
        let month = MONTHS[usize::from(m - 1)];
        prop_assert_eq!(
            remarks::parse_fact(&format!("DOB {month} {y}")),
            Fact::BirthDate(DateOfBirth::exact(PartialDate::new(y, Some(m), None).unwrap()))
        );
        prop_assert_eq!(
            remarks::parse_fact(&format!("DOB circa {y}")),
            Fact::BirthDate(DateOfBirth { date: PartialDate::year(y), to: None, circa: true })
        );
    }

    #[test]
    fn csv_reader_never_panics(
        main in prop::collection::vec(any::<u8>(), 0..400),
        alt in prop::collection::vec(any::<u8>(), 0..100),
    ) {
        let mut row = MADURO_ROW.as_bytes().to_vec();
        row.extend_from_slice(&main);
        // Bytes that open like a gzip stream (1f 8b) are refused when the input is made, with
        // an error naming the file: that is the clear error, not a panic.
        let made = |name: &str, bytes: &[u8]| Input::from_bytes(name, bytes.to_vec());
        let inputs = (|| {
            Ok::<_, interdict_sources::SourceError>(CsvSet {
                list: ListId::OfacSdn,
                main: made("sdn.csv", &row)?,
                alt: Some(made("alt.csv", &alt)?),
                add: Some(made("add.csv", &main)?),
                comments: Some(made("sdn_comments.csv", &alt)?),
            })
        })();
        match inputs {
            Ok(set) => {
                let _ = parse(&set);
            }
            Err(e) => prop_assert!(e.to_string().contains(".csv"), "{e}"),
        }
    }
}
