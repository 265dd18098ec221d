//! The shipped notices (`examples/notices/`) and the example in `docs/notices.md` parse, and
//! say exactly what the seed statement of 2025-11-16 says: nothing more.

use interdict_model::{EntityKind, EventDate, NameKind};
use interdict_sources::notice;
use jiff::civil::date;
use std::path::{Path, PathBuf};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

#[test]
fn the_cartel_de_los_soles_notice_states_the_seed_facts_only() {
    let n = notice::read(&repo("examples/notices/cartel-de-los-soles.yaml")).unwrap();
    assert_eq!(n.id, "cartel-de-los-soles");
    assert_eq!(n.kind, EntityKind::Organization);
    let names: Vec<(&str, Option<&str>, NameKind)> = n
        .names
        .iter()
        .map(|x| (x.name.as_str(), x.lang.as_deref(), x.kind))
        .collect();
    assert_eq!(
        names,
        [
            ("Cartel de los Soles", Some("es"), NameKind::Primary),
            ("Cartel of the Suns", Some("en"), NameKind::Alias),
            ("Cartel of the Soles", Some("en"), NameKind::Alias),
        ]
    );
    let [fto, sdgt] = &n.designations[..] else {
        panic!("two designations: {:?}", n.designations);
    };
    assert_eq!(fto.program, "FTO");
    assert!(fto.is_fto());
    assert_eq!(fto.authority.body, "U.S. Department of State");
    assert_eq!(
        fto.events.announced,
        Some(EventDate::On(date(2025, 11, 16)))
    );
    assert_eq!(
        fto.events.effective,
        Some(EventDate::On(date(2025, 11, 24)))
    );
    // Not stated on 2025-11-16: left unknown.
    assert_eq!(fto.events.published, None);
    assert_eq!(fto.events.federal_register, None);
    assert_eq!(fto.events.notified, None);
    assert_eq!(sdgt.authority.legal_basis, ["E.O. 13224"]);
    assert_eq!(
        sdgt.events.effective,
        Some(EventDate::OnOrBefore(date(2025, 11, 16)))
    );
    assert_eq!(n.known_from(), Some(date(2025, 11, 16)));
    let links: Vec<(&str, Option<&str>)> = n
        .links
        .iter()
        .map(|l| (l.relation.as_str(), l.target.as_deref()))
        .collect();
    assert_eq!(
        links,
        [
            ("leader", Some("ofac-sdn:22790")),
            ("associate", Some("notice:tren-de-aragua")),
            ("associate", Some("notice:sinaloa-cartel")),
        ]
    );

    let entity = n.to_entity();
    assert_eq!(entity.key(), "notice:cartel-de-los-soles");
    assert_eq!(entity.programs().collect::<Vec<_>>(), ["FTO", "SDGT"]);
    assert_eq!(entity.designations[0].listed_on, Some(date(2025, 11, 24)));
    assert_eq!(entity.designations[1].listed_on, None);
}

#[test]
fn tren_de_aragua_and_the_sinaloa_cartel_are_ftos_effective_2025_02_20() {
    for (file, name) in [
        ("tren-de-aragua.yaml", "Tren de Aragua"),
        ("sinaloa-cartel.yaml", "Sinaloa Cartel"),
    ] {
        let n = notice::read(&repo(&format!("examples/notices/{file}"))).unwrap();
        assert_eq!(n.names[0].name, name);
        assert_eq!(n.designations.len(), 1);
        let events = &n.designations[0].events;
        assert_eq!(events.effective, Some(EventDate::On(date(2025, 2, 20))));
        assert_eq!(
            events.all().len(),
            1,
            "{file}: only the effective date is known"
        );
    }
}

#[test]
fn the_documented_example_parses() {
    let doc = std::fs::read_to_string(repo("docs/notices.md")).unwrap();
    let start = doc.find("```yaml\n").expect("a YAML example") + "```yaml\n".len();
    let end = start + doc[start..].find("```").expect("closed");
    let n = notice::parse("docs/notices.md", &doc[start..end]).unwrap();
    let shipped = notice::read(&repo("examples/notices/cartel-de-los-soles.yaml")).unwrap();
    // The same notice, but for the shortened remark.
    assert_eq!(
        (&n.id, &n.names, &n.designations, &n.links, &n.sources),
        (
            &shipped.id,
            &shipped.names,
            &shipped.designations,
            &shipped.links,
            &shipped.sources
        )
    );
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let err = notice::read(Path::new("no/such/notice.yaml")).unwrap_err();
    assert!(err.to_string().contains("no/such/notice.yaml"), "{err}");
}

#[test]
fn every_prefix_of_a_real_notice_is_a_notice_or_an_error_with_a_position() {
    let text = std::fs::read_to_string(repo("examples/notices/cartel-de-los-soles.yaml")).unwrap();
    let mut accepted = 0;
    for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
        match notice::parse("x.yaml", &text[..end]) {
            Ok(n) => {
                accepted += 1;
                assert!(n.known_from().is_some());
            }
            Err(e) => assert!(e.to_string().starts_with("x.yaml: "), "{e}"),
        }
    }
    assert!(accepted > 0, "the whole file parses");
}

proptest::proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = notice::parse("x.yaml", &text);
    }

    #[test]
    fn arbitrary_edits_of_a_real_notice_never_panic(
        at in 0usize..2000,
        insert in "[ a-z:{}\\[\\]\\-0-9\n]{0,12}",
    ) {
        let text = std::fs::read_to_string(repo("examples/notices/tren-de-aragua.yaml")).unwrap();
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let edited = format!("{}{insert}{}", &text[..at], &text[at..]);
        let _ = notice::parse("x.yaml", &edited);
    }
}
