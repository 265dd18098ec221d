//! Notices in screening, on the bundled SDN list and the seed notices of `examples/notices/`:
//! which notice entities an index holds on each day, and the status a match on one carries.

use interdict_model::DesignationStatus;
use interdict_registry::Registry;
use interdict_screening::{index_from_registry, screen_one, NoticeSet, Row, SearchOptions};
use std::path::{Path, PathBuf};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn registry() -> Registry {
    let mut registry = Registry::open_in_memory().expect("in-memory registry");
    let sdn = interdict_sources::load(&repo("data/lists/ofac-sdn-2023-12-28"), &Default::default())
        .expect("bundled list parses");
    registry.ingest(&sdn).expect("ingest");
    for name in ["cartel-de-los-soles", "tren-de-aragua", "sinaloa-cartel"] {
        let notice =
            interdict_sources::notice::read(&repo(&format!("examples/notices/{name}.yaml")))
                .expect("seed notice parses");
        registry.add_notice(&notice, None).expect("recorded");
    }
    registry
}

fn keys_found(registry: &Registry, name: &str, day: &str) -> Vec<String> {
    let day = day.parse().unwrap();
    let (index, _) = index_from_registry(registry, Some(day)).expect("index");
    let query = Row {
        name: Some(name),
        ..Row::default()
    }
    .to_query()
    .expect("query");
    screen_one(&index, &query, &SearchOptions::default())
        .into_iter()
        .map(|m| format!("{}:{}", m.list, m.id))
        .collect()
}

#[test]
fn the_index_holds_a_notice_from_its_first_public_event() {
    let registry = registry();
    let cartel = "notice:cartel-de-los-soles".to_string();
    assert!(!keys_found(&registry, "Cartel of the Suns", "2025-11-15").contains(&cartel));
    assert!(keys_found(&registry, "Cartel of the Suns", "2025-11-16").contains(&cartel));
    assert!(keys_found(&registry, "Tren de Aragua", "2025-02-20")
        .contains(&"notice:tren-de-aragua".to_string()));
    // The SDN list of 2023-12-28 has its own entries for the cartel; the notice is not there yet.
    assert!(!keys_found(&registry, "Sinaloa Cartel", "2025-02-19")
        .contains(&"notice:sinaloa-cartel".to_string()));
}

#[test]
fn a_match_carries_the_status_of_each_designation_on_the_day() {
    let registry = registry();
    let set = NoticeSet::from_registry(&registry, Some("2025-11-20".parse().unwrap())).unwrap();
    assert_eq!(set.len(), 3);
    let status = set
        .status("notice", "cartel-de-los-soles")
        .expect("a notice");
    assert_eq!(status[0].program, "FTO");
    assert_eq!(status[0].status_text, "announced, effective 2025-11-24");
    assert!(matches!(
        status[0].status,
        DesignationStatus::Announced { .. }
    ));
    assert!(status[1].status.is_in_force());
    assert!(set.status("ofac-sdn", "22790").is_none());

    let later = NoticeSet::from_registry(&registry, Some("2025-11-25".parse().unwrap())).unwrap();
    let status = later.status("notice", "cartel-de-los-soles").unwrap();
    assert!(status.iter().all(|d| d.status.is_in_force()));
    assert_eq!(status[0].review_due, Some("2030-11-24".parse().unwrap()));
}
