//! The OFAC `sdnList` XML reader against real publications kept in `testdata/`.

use interdict_model::{
    Entity, EntityKind, Gender, IdentifierKind, ListId, NameKind, NamePartKind, Publication,
};
use interdict_sources::input::Input;
use interdict_sources::{load, ofac_xml, LoadOptions, SourceError};
use std::path::{Path, PathBuf};

fn testdata(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(path)
}

fn load_xml(path: &str) -> Publication {
    load(&testdata(path), &LoadOptions::default()).unwrap()
}

fn entity<'p>(p: &'p Publication, id: &str) -> &'p Entity {
    p.entities
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no entity {id}"))
}

fn names(e: &Entity, kind: NameKind) -> Vec<&str> {
    e.names
        .iter()
        .filter(|n| n.kind == kind)
        .map(|n| n.full.as_str())
        .collect()
}

fn count(p: &Publication, f: impl Fn(&Entity) -> usize) -> usize {
    p.entities.iter().map(f).sum()
}

#[test]
fn consolidated_2018_tempuri_namespace() {
    let p = load_xml("ofac/consolidated-2018-04-06/consolidated.xml.gz");
    assert_eq!(p.list, ListId::OfacCons);
    assert_eq!(p.published.unwrap().to_string(), "2018-04-06");
    assert_eq!(p.entities.len(), 639);
    assert_eq!(p.files[0].name, "consolidated.xml");
    let kinds = |k| p.entities.iter().filter(|e| e.kind == k).count();
    assert_eq!(kinds(EntityKind::Person), 94);
    assert_eq!(kinds(EntityKind::Organization), 471);
    assert_eq!(kinds(EntityKind::Vessel), 74);
    // Name kinds, counted in the file: 1,024 strong a.k.a., 45 weak a.k.a., 186 f.k.a.
    let of_kind = |k| count(&p, |e| e.names.iter().filter(|n| n.kind == k).count());
    assert_eq!(of_kind(NameKind::Primary), 639);
    assert_eq!(of_kind(NameKind::Alias), 1024);
    assert_eq!(of_kind(NameKind::WeakAlias), 45);
    assert_eq!(of_kind(NameKind::FormerName), 186);
    // The one tag the program table does not know is reported, not fatal.
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert_eq!(p.warnings[0].location, "uid 15268");
    assert!(p.warnings[0].message.contains("561List"));

    let bank = entity(&p, "4632");
    assert_eq!(bank.kind, EntityKind::Organization);
    assert_eq!(
        bank.primary_name().unwrap().full,
        "BANK MARKAZI JOMHOURI ISLAMI IRAN"
    );
    // Organisations' names are not split into person-name parts.
    assert!(bank.names.iter().all(|n| n.parts.is_empty()));
    assert_eq!(
        names(bank, NameKind::Alias),
        [
            "CENTRAL BANK OF THE ISLAMIC REPUBLIC OF IRAN",
            "BANK MARKAZI IRAN",
            "CENTRAL BANK OF IRAN"
        ]
    );
    assert_eq!(bank.programs().collect::<Vec<_>>(), ["IRAN"]);
    assert!(bank.designations[0].authority.is_some());
    assert_eq!(bank.addresses.len(), 2);
    assert_eq!(
        bank.addresses[0].street.as_deref(),
        Some("PO Box 15875/7177, 144 Mirdamad Blvd")
    );
    assert_eq!(bank.addresses[1].postal_code.as_deref(), Some("11365"));
    assert_eq!(bank.addresses[1].city.as_deref(), Some("Tehran"));
    // Sanctions notes filed as ids are remarks, written as the CSV writes them.
    assert!(bank.identifiers.is_empty());
    assert!(bank.remarks[0].starts_with(
        "Additional Sanctions Information - Not on the SDN List and Not Subject to Secondary \
         Sanctions"
    ));
    assert!(bank.remarks[1].starts_with("For more information, please see: https://"));

    // A weak a.k.a. is a weak alias.
    let bim = entity(&p, "4637");
    assert_eq!(names(bim, NameKind::WeakAlias), ["BIM"]);

    // A weak f.k.a. is still a former name.
    assert_eq!(
        names(entity(&p, "18812"), NameKind::FormerName),
        ["NMZ OAO"]
    );
}

#[test]
fn vessels_carry_their_details_identifiers_and_links() {
    let p = load_xml("ofac/consolidated-2018-04-06/consolidated.xml.gz");
    let shona = p
        .entities
        .iter()
        .find(|e| e.primary_name().is_some_and(|n| n.full == "SHONA"))
        .unwrap();
    assert_eq!(shona.kind, EntityKind::Vessel);
    let id = |k: IdentifierKind| {
        shona
            .identifiers
            .iter()
            .find(|i| i.kind == k)
            .map(|i| i.value.as_str())
    };
    assert_eq!(id(IdentifierKind::Mmsi), Some("572469210"));
    assert_eq!(id(IdentifierKind::Imo), Some("IMO 9187629"));
    assert_eq!(shona.links.len(), 1);
    assert_eq!(shona.links[0].name, "NATIONAL IRANIAN TANKER COMPANY");
    let vessel = shona.vessel.as_ref().unwrap();
    assert!(vessel.flag.is_some() && vessel.vessel_type.is_some());

    let alpha = p
        .entities
        .iter()
        .find(|e| {
            e.vessel
                .as_ref()
                .is_some_and(|v| v.call_sign.as_deref() == Some("T2EU4"))
        })
        .unwrap();
    let v = alpha.vessel.as_ref().unwrap();
    assert_eq!(v.vessel_type.as_deref(), Some("Crude/Oil Products Tanker"));
    assert_eq!(v.flag.as_deref(), Some("Tanzania"));
    assert_eq!(v.tonnage.as_deref(), Some("99144"));
    assert_eq!(v.gross_registered_tonnage.as_deref(), Some("56068"));
}

#[test]
fn consolidated_2025_sanctions_list_service_namespace() {
    let p = load_xml("ofac/xml/consolidated-2025-03-28.xml.gz");
    assert_eq!(p.list, ListId::OfacCons);
    assert_eq!(p.published.unwrap().to_string(), "2025-03-28");
    assert_eq!(p.entities.len(), 443);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let persons = p
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Person)
        .count();
    assert_eq!(persons, 80);

    let haniya = entity(&p, "9639");
    assert_eq!(haniya.kind, EntityKind::Person);
    let primary = haniya.primary_name().unwrap();
    assert_eq!(primary.full, "HANIYA, Ismail Abdul Salah");
    assert_eq!(primary.parts[0].kind, NamePartKind::Surname);
    assert_eq!(primary.parts[0].value, "HANIYA");
    assert_eq!(primary.parts[1].kind, NamePartKind::Given);
    assert_eq!(primary.parts[1].value, "Ismail Abdul Salah");
    assert_eq!(
        names(haniya, NameKind::Alias),
        ["HANIYA, Ismail", "HANIYYA, Ismaeel"]
    );
    assert_eq!(haniya.birth_dates.len(), 1);
    assert_eq!(haniya.birth_dates[0].to_string(), "1962");
    assert_eq!(haniya.birth_places, ["Shati"]);
    assert_eq!(haniya.programs().collect::<Vec<_>>(), ["NS-PLC"]);

    // Passport with its country; the `Gender` "id" is the gender.
    let kayakiran = entity(&p, "26182");
    assert_eq!(kayakiran.gender, Some(Gender::Male));
    let passport = kayakiran
        .identifiers
        .iter()
        .find(|i| i.kind == IdentifierKind::Passport)
        .unwrap();
    assert_eq!(passport.value, "U00242309");
    assert_eq!(passport.country.as_deref(), Some("Turkey"));
    assert!(kayakiran
        .identifiers
        .iter()
        .all(|i| !matches!(&i.kind, IdentifierKind::Other(l) if l == "Gender")));
}

#[test]
fn dates_of_birth_main_entry_first() {
    let xml = r#"<sdnList xmlns="http://tempuri.org/sdnList.xsd"><sdnEntry><uid>1</uid>
        <lastName>X</lastName><sdnType>Individual</sdnType>
        <dateOfBirthList>
          <dateOfBirthItem><uid>2</uid><dateOfBirth>1960 to 1962</dateOfBirth><mainEntry>false</mainEntry></dateOfBirthItem>
          <dateOfBirthItem><uid>3</uid><dateOfBirth>circa 1958</dateOfBirth><mainEntry>true</mainEntry></dateOfBirthItem>
          <dateOfBirthItem><uid>4</uid><dateOfBirth>23 Nov 1962</dateOfBirth><mainEntry>false</mainEntry></dateOfBirthItem>
          <dateOfBirthItem><uid>5</uid><dateOfBirth>sometime</dateOfBirth><mainEntry>false</mainEntry></dateOfBirthItem>
        </dateOfBirthList>
        <idList><id><uid>6</uid><idType>Digital Currency Address - XBT</idType><idNumber>1Abc</idNumber></id>
          <id><uid>7</uid><idType>Passport</idType><idNumber>P1</idNumber><idCountry>Iran</idCountry>
            <issueDate>01 Jan 2010</issueDate><expirationDate>01 Jan 2020</expirationDate></id>
          <id><uid>8</uid><idType>Secondary sanctions risk:</idType><idNumber>Section 1(b) of E.O. 13224</idNumber></id>
          <id><uid>9</uid><idType>Residency Number</idType><idNumber>R9</idNumber></id></idList>
        <newElement><whatever/></newElement>
      </sdnEntry></sdnList>"#;
    let input = Input::from_bytes("sdn.xml", xml.as_bytes().to_vec()).unwrap();
    let p = ofac_xml::parse(&input, ListId::OfacSdn).unwrap();
    let e = &p.entities[0];
    assert_eq!(e.list, "ofac-sdn");
    let dobs: Vec<String> = e.birth_dates.iter().map(|d| d.to_string()).collect();
    assert_eq!(dobs, ["circa 1958", "1960 to 1962", "1962-11-23"]);
    assert!(e.birth_dates[0].circa);
    assert_eq!(e.birth_dates[1].to.unwrap().year, 1962);
    assert_eq!(p.warnings.len(), 1);
    assert!(p.warnings[0].message.contains("sometime"));
    assert_eq!(
        e.remarks,
        [
            "Secondary sanctions risk: Section 1(b) of E.O. 13224",
            "DOB sometime"
        ]
    );
    let kinds: Vec<&IdentifierKind> = e.identifiers.iter().map(|i| &i.kind).collect();
    assert_eq!(
        kinds,
        [
            &IdentifierKind::DigitalCurrencyAddress("XBT".into()),
            &IdentifierKind::Passport,
            &IdentifierKind::Other("Residency Number".into())
        ]
    );
    assert_eq!(
        e.identifiers[1].note.as_deref(),
        Some("issued 01 Jan 2010; expires 01 Jan 2020")
    );
    // No Publish_Date in this file: the date is left to the caller.
    assert_eq!(p.published, None);
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
fn a_partial_file_is_an_error_not_a_short_list() {
    // 17 entries of a publication whose Record_Count is 7,449.
    let err = load(
        &testdata("ofac/xml/sdn-sample.xml.gz"),
        &LoadOptions::default(),
    )
    .unwrap_err();
    let (file, location, message) = malformed(err);
    assert_eq!(file, "sdn-sample.xml");
    assert_eq!(location, "line 397, column 1");
    assert!(message.contains("17 entries"), "{message}");
    assert!(message.contains("Record_Count is 7449"), "{message}");
}

#[test]
fn a_file_cut_off_mid_record_is_an_error_with_its_position() {
    let full = Input::read(&testdata("ofac/xml/sdn-sample.xml.gz")).unwrap();
    for cut in [5000, 7000, full.bytes.len() - 3] {
        let input = Input::from_bytes("sdn.xml", full.bytes[..cut].to_vec()).unwrap();
        let (file, location, message) =
            malformed(ofac_xml::parse(&input, ListId::OfacSdn).unwrap_err());
        assert_eq!(file, "sdn.xml");
        assert!(location.starts_with("line "), "{location}");
        assert!(
            message.contains("end of file") || message.contains("end of input"),
            "{message}"
        );
    }
}

#[test]
fn more_entries_than_record_count_is_only_a_warning() {
    let xml = "<sdnList><publshInformation><Publish_Date>04/06/2018</Publish_Date>\
               <Record_Count>1</Record_Count></publshInformation>\
               <sdnEntry><uid>1</uid><lastName>A</lastName></sdnEntry>\
               <sdnEntry><uid>2</uid><lastName>B</lastName></sdnEntry></sdnList>";
    let input = Input::from_bytes("sdn.xml", xml.as_bytes().to_vec()).unwrap();
    let p = ofac_xml::parse(&input, ListId::OfacSdn).unwrap();
    assert_eq!(p.entities.len(), 2);
    assert_eq!(p.published.unwrap().to_string(), "2018-04-06");
    assert_eq!(p.warnings.len(), 1);
    assert!(p.warnings[0].message.contains("Record_Count is 1"));
}

#[test]
fn other_xml_is_refused() {
    for (xml, expect) in [
        ("<foo/>", "root element is <foo>"),
        (
            "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST/>",
            "CONSOLIDATED_LIST",
        ),
        ("not xml at all", "text before the root element"),
        ("", "no root element"),
        (
            "<sdnList><sdnEntry><uid>1</uid></sdnEntry>",
            "end of file inside <sdnList>",
        ),
        ("<sdnList><sdnEntry></sdnList>", "sdnEntry"),
    ] {
        let input = Input::from_bytes("x.xml", xml.as_bytes().to_vec()).unwrap();
        let (file, location, message) =
            malformed(ofac_xml::parse(&input, ListId::OfacSdn).unwrap_err());
        assert_eq!(file, "x.xml");
        assert!(location.starts_with("line "), "{location}");
        assert!(message.contains(expect), "{xml}: {message}");
    }
}

#[test]
fn snapshot_of_one_entry() {
    let p = load_xml("ofac/xml/consolidated-2025-03-28.xml.gz");
    insta::assert_json_snapshot!("ofac_xml_2025_uid_9639", entity(&p, "9639"));
    let p = load_xml("ofac/consolidated-2018-04-06/consolidated.xml.gz");
    insta::assert_json_snapshot!("ofac_xml_2018_uid_4632", entity(&p, "4632"));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> &'static [u8] {
        static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        BYTES.get_or_init(|| {
            Input::read(&testdata("ofac/xml/sdn-sample.xml.gz"))
                .unwrap()
                .bytes
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn on_mutated_real_files(cut in 0usize..10_200, at in 0usize..10_200, byte: u8) {
            let mut bytes = sample().to_vec();
            if let Some(b) = bytes.get_mut(at) {
                *b = byte;
            }
            bytes.truncate(cut);
            if let Ok(input) = Input::from_bytes("sdn.xml", bytes) {
                let _ = ofac_xml::parse(&input, ListId::OfacSdn);
            }
        }

        #[test]
        fn on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            if let Ok(input) = Input::from_bytes("sdn.xml", bytes) {
                let _ = ofac_xml::parse(&input, ListId::OfacSdn);
            }
        }

        #[test]
        fn on_tag_soup(parts in proptest::collection::vec(
            prop_oneof![
                Just("<sdnList>"), Just("</sdnList>"), Just("<sdnEntry>"), Just("</sdnEntry>"),
                Just("<uid>"), Just("</uid>"), Just("<lastName>"), Just("</lastName>"),
                Just("<aka>"), Just("</aka>"), Just("<akaList>"), Just("</akaList>"),
                Just("<dateOfBirth>"), Just("</dateOfBirth>"), Just("<dateOfBirthList>"),
                Just("<dateOfBirthItem>"), Just("</dateOfBirthItem>"), Just("</dateOfBirthList>"),
                Just("circa 1960 to"), Just("12"), Just("&amp;"), Just("&#0;"), Just("<![CDATA[x]]>"),
                Just("<!-- c -->"), Just("<a/>"), Just("é"), Just(" "),
            ],
            0..40,
        )) {
            let xml = parts.concat();
            let input = Input::from_bytes("sdn.xml", xml.into_bytes()).unwrap();
            let _ = ofac_xml::parse(&input, ListId::OfacSdn);
        }
    }
}
