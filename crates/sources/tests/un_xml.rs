//! The UN consolidated list reader against real publications kept in the repository.

use interdict_model::{
    AliasQuality, Entity, EntityKind, Gender, IdentifierKind, ListId, NameKind, NamePartKind,
    Publication, Script,
};
use interdict_sources::input::Input;
use interdict_sources::{load, un_xml, LoadOptions, SourceError};
use std::path::{Path, PathBuf};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn bundled() -> Publication {
    load(
        &repo("data/lists/un-consolidated-2026-02-27.xml.gz"),
        &LoadOptions::default(),
    )
    .unwrap()
}

fn entity<'p>(p: &'p Publication, id: &str) -> &'p Entity {
    p.entities
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no entity {id}"))
}

fn kinds(p: &Publication, kind: EntityKind) -> usize {
    p.entities.iter().filter(|e| e.kind == kind).count()
}

fn names_of_kind(p: &Publication, kind: NameKind) -> usize {
    p.entities
        .iter()
        .map(|e| e.names.iter().filter(|n| n.kind == kind).count())
        .sum()
}

#[test]
fn bundled_2026_02_27_counts() {
    let p = bundled();
    assert_eq!(p.list, ListId::Un);
    assert_eq!(p.published.unwrap().to_string(), "2026-02-27");
    assert_eq!(p.files[0].name, "un-consolidated-2026-02-27.xml");
    // `grep -c '<INDIVIDUAL>'` and `grep -c '<ENTITY>'` on the file.
    assert_eq!(kinds(&p, EntityKind::Person), 730);
    assert_eq!(kinds(&p, EntityKind::Organization), 273);
    assert_eq!(p.entities.len(), 1003);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    // Counted in the file: non-blank aliases by QUALITY (Good and a.k.a. 2,118, Low 615,
    // f.k.a. 19) plus 378 original-script names, plus the second name of CDe.003; and the names
    // held by the 24 alias and 3 weak alias fields that hold several (97 and 9, counted by
    // splitting those fields as `alias_names` does, in a script of its own).
    assert_eq!(names_of_kind(&p, NameKind::Primary), 1003);
    assert_eq!(names_of_kind(&p, NameKind::Alias), 2497 + 97);
    assert_eq!(names_of_kind(&p, NameKind::WeakAlias), 615 + 9);
    assert_eq!(names_of_kind(&p, NameKind::FormerName), 19);
    let original = p
        .entities
        .iter()
        .flat_map(|e| &e.names)
        .filter(|n| n.original_script)
        .count();
    assert_eq!(original, 378);
    // Every record is designated, with its listing date.
    assert!(p
        .entities
        .iter()
        .all(|e| e.designations.len() == 1 && e.designations[0].listed_on.is_some()));
    // Ids are trimmed (128 reference numbers in the UN files carry stray spaces).
    assert!(p.entities.iter().all(|e| e.id.trim() == e.id));
}

#[test]
fn al_zawahiri() {
    let p = bundled();
    let e = entity(&p, "QDi.006");
    assert_eq!(e.kind, EntityKind::Person);
    let primary = e.primary_name().unwrap();
    assert_eq!(primary.full, "AIMAN MUHAMMED RABI AL-ZAWAHIRI");
    assert_eq!(primary.kind, NameKind::Primary);
    let parts: Vec<(NamePartKind, &str)> = primary
        .parts
        .iter()
        .map(|p| (p.kind, p.value.as_str()))
        .collect();
    assert_eq!(
        parts,
        [
            (NamePartKind::First, "AIMAN"),
            (NamePartKind::Second, "MUHAMMED"),
            (NamePartKind::Third, "RABI"),
            (NamePartKind::Fourth, "AL-ZAWAHIRI"),
        ]
    );

    let arabic = e.names.iter().find(|n| n.original_script).unwrap();
    assert_eq!(arabic.full, "أيمن محمد ربيع الظواهري");
    assert_eq!(arabic.script, Script::Arabic);
    assert_eq!(arabic.kind, NameKind::Alias);

    let alias = e
        .names
        .iter()
        .find(|n| n.full == "Ayman Al-Zawahari")
        .unwrap();
    assert_eq!(alias.kind, NameKind::Alias);
    assert_eq!(alias.quality, Some(AliasQuality::Good));
    let weak = e.names.iter().find(|n| n.full == "Abu Fatma").unwrap();
    assert_eq!(weak.kind, NameKind::WeakAlias);
    assert_eq!(weak.quality, Some(AliasQuality::Low));

    assert_eq!(e.designations.len(), 1);
    let d = &e.designations[0];
    assert_eq!(d.program, "Al-Qaida");
    assert_eq!(d.listed_on.unwrap().to_string(), "2001-01-25");
    let authority = d.authority.as_ref().unwrap();
    assert!(authority.legal_basis.iter().any(|b| b.contains("1267")));
    assert_eq!(authority.body, "UN Security Council");

    assert_eq!(e.positions, ["Doctor", "Dr."]);
    assert_eq!(e.nationalities, ["Egypt"]);
    assert_eq!(e.birth_dates.len(), 1);
    assert_eq!(e.birth_dates[0].to_string(), "1951-06-19");
    assert!(!e.birth_dates[0].circa);
    assert_eq!(e.birth_places, ["Giza, Egypt"]);
    assert_eq!(e.identifiers.len(), 2);
    let passport = &e.identifiers[0];
    assert_eq!(passport.kind, IdentifierKind::Passport);
    assert_eq!(passport.value, "1084010");
    assert_eq!(passport.country.as_deref(), Some("Egypt"));
    assert_eq!(e.identifiers[1].country, None);
    assert!(e.remarks[0].starts_with("Leader of Al-Qaida (QDe.004)."));
    // Amendment dates are not kept.
    assert!(!e.remarks.iter().any(|r| r.contains("2025-03-11")));
}

#[test]
fn dates_of_birth_approximate_and_between() {
    let p = bundled();
    let approx = &entity(&p, "CDi.036").birth_dates;
    assert_eq!(approx.len(), 1);
    assert!(approx[0].circa);
    assert_eq!(approx[0].to_string(), "circa 1977");
    let between = &entity(&p, "CDi.030").birth_dates;
    assert_eq!(between.len(), 1);
    assert!(!between[0].circa);
    assert_eq!(between[0].date.year, 1973);
    assert_eq!(between[0].to.unwrap().year, 1974);
    // Gender is read; organisations have entity aliases and addresses.
    assert_eq!(entity(&p, "CDi.001").gender, Some(Gender::Male));
    let adf = entity(&p, "CDe.001");
    assert_eq!(adf.kind, EntityKind::Organization);
    assert_eq!(adf.primary_name().unwrap().full, "ADF");
    assert!(adf.primary_name().unwrap().parts.is_empty());
    // Two names in one field are a primary name and an alias.
    let cagl = entity(&p, "CDe.003");
    assert_eq!(
        cagl.primary_name().unwrap().full,
        "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL)"
    );
    assert!(cagl
        .names
        .iter()
        .any(|n| n.kind == NameKind::Alias && n.full == "GREAT LAKES BUSINESS COMPANY (GLBC)"));
}

#[test]
fn documents_with_their_details() {
    let p = bundled();
    let national_ids = p
        .entities
        .iter()
        .flat_map(|e| &e.identifiers)
        .filter(|i| i.kind == IdentifierKind::NationalId)
        .count();
    assert!(national_ids > 100, "{national_ids}");
    // `COUNTRY_OF_ISSUE` stands in for `ISSUING_COUNTRY`; issue date and note are kept.
    let doc = p
        .entities
        .iter()
        .flat_map(|e| &e.identifiers)
        .find(|i| i.value == "AAID00437")
        .unwrap();
    assert_eq!(doc.kind, IdentifierKind::Passport);
    assert_eq!(doc.country.as_deref(), Some("Guinea-Bissau"));
    assert_eq!(
        doc.note.as_deref(),
        Some("issued 2010-02-18; Expiration date 18 Feb. 2013")
    );
}

#[test]
fn release_of_2018_06_07() {
    let p = load(
        &repo("testdata/un/consolidated-2018-06-07.xml.gz"),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(p.published.unwrap().to_string(), "2018-06-07");
    assert_eq!(kinds(&p, EntityKind::Person), 693);
    assert_eq!(kinds(&p, EntityKind::Organization), 405);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    // 569 weak aliases in the file, and the 9 names its 3 weak alias fields of several hold.
    assert_eq!(names_of_kind(&p, NameKind::WeakAlias), 569 + 9);
    assert_eq!(names_of_kind(&p, NameKind::FormerName), 15);
    // That release still wrote `a.k.a.` as a quality: an alias without a quality grade.
    assert!(p
        .entities
        .iter()
        .flat_map(|e| &e.names)
        .any(|n| n.kind == NameKind::Alias && n.quality.is_none() && !n.original_script));
}

fn malformed(err: SourceError) -> (String, String, String) {
    match err {
        SourceError::Malformed {
            file,
            location,
            message,
        } => (file, location, message),
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn a_malformed_release_is_refused_with_its_position() {
    let path = repo("testdata/un/consolidated-2025-08-16-malformed.xml.gz");
    let err = load(&path, &LoadOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "consolidated-2025-08-16-malformed.xml: line 54, column 4: invalid UTF-8: byte 0xE9 at \
         byte offset 2192"
    );
    let (file, location, _) = malformed(err);
    assert_eq!(file, "consolidated-2025-08-16-malformed.xml");
    assert_eq!(location, "line 54, column 4");

    // With the Latin-1 letters replaced, the control byte before them is still refused.
    let input = Input::read(&path).unwrap();
    let repaired = String::from_utf8_lossy(&input.bytes).into_owned();
    let repaired = Input::from_bytes("c.xml", repaired.into_bytes()).unwrap();
    let (_, location, message) = malformed(un_xml::parse(&repaired).unwrap_err());
    assert_eq!(location, "line 53, column 11");
    assert!(message.contains("U+0019"), "{message}");
}

#[test]
fn other_xml_is_refused() {
    for (xml, expect) in [
        ("<foo/>", "root element is <foo>"),
        ("<sdnList></sdnList>", "sdnList"),
        (
            "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>A",
            "end of file",
        ),
        ("<CONSOLIDATED_LIST>&bogus;</CONSOLIDATED_LIST>", ""),
    ] {
        let input = Input::from_bytes("x.xml", xml.as_bytes().to_vec()).unwrap();
        let (file, location, message) = malformed(un_xml::parse(&input).unwrap_err());
        assert_eq!(file, "x.xml");
        assert!(location.starts_with("line 1, column "), "{location}");
        assert!(message.contains(expect), "{xml}: {message}");
    }
}

#[test]
fn unknown_elements_and_blank_values_are_ignored() {
    let xml = "<CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:09.554Z\"><NEW_SECTION><X/></NEW_SECTION>\
        <INDIVIDUALS><INDIVIDUAL><FIRST_NAME> A </FIRST_NAME><SECOND_NAME/><THIRD_NAME>C</THIRD_NAME>\
        <REFERENCE_NUMBER> QDi.999 </REFERENCE_NUMBER><UN_LIST_TYPE>Unheard-of</UN_LIST_TYPE>\
        <LISTED_ON>2015-03-27-04:00</LISTED_ON><FUTURE_FIELD>x</FUTURE_FIELD>\
        <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>\
        <INDIVIDUAL_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Old</ALIAS_NAME></INDIVIDUAL_ALIAS>\
        <INDIVIDUAL_ADDRESS><COUNTRY/></INDIVIDUAL_ADDRESS><GENDER>Unknown</GENDER>\
        </INDIVIDUAL><INDIVIDUAL><FIRST_NAME>NO ID</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
    let input = Input::from_bytes("x.xml", xml.as_bytes().to_vec()).unwrap();
    let p = un_xml::parse(&input).unwrap();
    assert_eq!(p.published.unwrap().to_string(), "2026-02-27");
    assert_eq!(p.entities.len(), 1);
    let e = &p.entities[0];
    assert_eq!(e.id, "QDi.999");
    assert_eq!(e.names[0].full, "A C");
    assert_eq!(e.names.len(), 2);
    assert_eq!(e.names[1].kind, NameKind::FormerName);
    assert!(e.addresses.is_empty());
    assert_eq!(e.gender, None);
    assert_eq!(e.designations[0].program, "Unheard-of");
    assert!(e.designations[0].authority.is_none());
    assert_eq!(
        e.designations[0].listed_on.unwrap().to_string(),
        "2015-03-27"
    );
    let warnings: Vec<String> = p.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "x.xml: REFERENCE_NUMBER QDi.999: unknown UN_LIST_TYPE 'Unheard-of'",
            "x.xml: line 1, column 577: INDIVIDUAL without a REFERENCE_NUMBER is skipped"
        ]
    );
}

#[test]
fn snapshot_of_one_record() {
    let p = bundled();
    insta::assert_json_snapshot!("un_xml_2026_qdi_006", entity(&p, "QDi.006"));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// The first records of the 2018 release, closed off so the whole is well-formed.
    fn sample() -> &'static [u8] {
        static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        BYTES.get_or_init(|| {
            let input = Input::read(&repo("testdata/un/consolidated-2018-06-07.xml.gz")).unwrap();
            let text = input.text().unwrap();
            let end = text.match_indices("</INDIVIDUAL>").nth(5).unwrap().0;
            format!(
                "{}</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
                &text[..end]
            )
            .into_bytes()
        })
    }

    #[test]
    fn the_sample_is_well_formed() {
        let input = Input::from_bytes("c.xml", sample().to_vec()).unwrap();
        assert_eq!(un_xml::parse(&input).unwrap().entities.len(), 6);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn on_mutated_real_files(cut in 0usize..20_000, at in 0usize..20_000, byte: u8) {
            let mut bytes = sample().to_vec();
            if let Some(b) = bytes.get_mut(at) {
                *b = byte;
            }
            bytes.truncate(cut);
            if let Ok(input) = Input::from_bytes("c.xml", bytes) {
                let _ = un_xml::parse(&input);
            }
        }

        #[test]
        fn on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            if let Ok(input) = Input::from_bytes("c.xml", bytes) {
                let _ = un_xml::parse(&input);
            }
        }

        #[test]
        fn on_tag_soup(parts in proptest::collection::vec(
            prop_oneof![
                Just("<CONSOLIDATED_LIST>"), Just("</CONSOLIDATED_LIST>"),
                Just("<INDIVIDUALS>"), Just("</INDIVIDUALS>"),
                Just("<INDIVIDUAL>"), Just("</INDIVIDUAL>"), Just("<ENTITY>"), Just("</ENTITY>"),
                Just("<REFERENCE_NUMBER>"), Just("</REFERENCE_NUMBER>"),
                Just("<INDIVIDUAL_DATE_OF_BIRTH>"), Just("</INDIVIDUAL_DATE_OF_BIRTH>"),
                Just("<TYPE_OF_DATE>"), Just("</TYPE_OF_DATE>"), Just("BETWEEN"),
                Just("<YEAR>"), Just("</YEAR>"), Just("<DATE>"), Just("</DATE>"),
                Just("2001-01-2"), Just("1960"), Just("<INDIVIDUAL_ALIAS>"),
                Just("</INDIVIDUAL_ALIAS>"), Just("<ALIAS_NAME>x</ALIAS_NAME>"),
                Just("<QUALITY>Low</QUALITY>"), Just("&lt;"), Just("<a b='&#x19;'/>"), Just("ü"),
            ],
            0..40,
        )) {
            let xml = parts.concat();
            let input = Input::from_bytes("c.xml", xml.into_bytes()).unwrap();
            let _ = un_xml::parse(&input);
        }
    }
}

/// Some `ALIAS_NAME` fields hold several names separated by `;`: each is an alias of its own,
/// besides the field as written.
/// IRi.039 (SOLEIMANI) lists eight spellings in one field; QDi.306 writes `حسن غول (Hassan
/// Ghul; Hassan Gul; Hasan Gul)`; IRi.034 letters its names (`… b) M. Javad Kareemi Sabet`);
/// QDe.137 marks its Arabic name `(original script)` inside a parenthesis that lists the rest.
#[test]
fn an_alias_field_of_several_names_gives_each_name() {
    let p = bundled();
    let names = |id: &str| -> Vec<String> {
        entity(&p, id)
            .names
            .iter()
            .map(|n| n.full.clone())
            .collect()
    };
    let expected: [(&str, &[&str]); 4] = [
        (
            "IRi.039",
            &[
                "Qasim Soleimani",
                "Qasem Sulaimani",
                "Kasim Sulaymani",
                "Haj Qasem",
            ],
        ),
        (
            "QDi.306",
            &["حسن غول", "Hassan Ghul", "Hassan Gul", "Hasan Gul"],
        ),
        (
            "IRi.034",
            &[
                "Mohammad Sabet",
                "M. Javad Kareemi Sabet",
                "M. Jawad Karimi Sabet",
            ],
        ),
        (
            "QDe.137",
            &[
                "Hay’at Tahrir al-Sham (HTS)",
                "هيئة تحرير الشام",
                "Hayat Tahrir al-Sham",
                "Tahrir al-Sham Hay’at",
            ],
        ),
    ];
    for (id, want) in expected {
        let got = names(id);
        for n in want {
            assert!(got.iter().any(|x| x == n), "{id} {n}: {got:?}");
        }
    }
    // The fields stay as written too; the names split from them keep no parenthesis the split
    // left open or closed.
    assert!(names("IRi.039")
        .iter()
        .any(|n| n.starts_with("Qasim Soleimani; Qasem Sulaimani;")));
    for (id, _) in expected {
        for n in names(id).iter().filter(|n| !n.contains(';')) {
            assert_eq!(n.matches('(').count(), n.matches(')').count(), "{id}: {n}");
        }
    }
}
