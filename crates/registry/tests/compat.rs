//! Registries written by every schema version open, migrate and read back unchanged.
//!
//! Each schema version has a fixture, `tests/fixtures/registry-v{N}.sqlite`, written by
//! [`write_fixture`] while N was the current version and committed, together with
//! `registry-v{N}.json`: the publications it holds, as ingested. The test opens a copy of
//! every fixture with the current code (which migrates it) and checks that every publication
//! reads back exactly as the JSON says.
//!
//! When adding schema version N+1: append the migration in `src/schema.rs`, then run
//!
//! ```text
//! cargo test -p interdict-registry --test compat -- --ignored write_fixture
//! ```
//!
//! which writes the fixture of the new version, and commit it. Never rewrite the fixture of an
//! older version: it stands for files already out there.

mod common;

use common::*;
use interdict_model::{ListId, Publication};
use interdict_registry::*;
use jiff::civil::date;
use jiff::Timestamp;
use std::path::PathBuf;

fn fixture(version: u32, ext: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("registry-v{version}.{ext}"))
}

/// What a fixture holds: publications, each with the time it was ingested at.
fn fixture_content() -> Vec<(Timestamp, Publication)> {
    let first = publication(Some(date(2024, 3, 4)), "fixture-1", synthetics(20));
    let mut second = first.clone();
    second.files[0].sha256 = "ab".repeat(32);
    second.published = Some(date(2024, 3, 5));
    second.entities[3] = synthetic(2, 1); // amended
    second.entities.remove(10); // delisted
    second.entities.push(synthetic(20, 0)); // added
    second.warnings.clear();
    let at = |s: &str| s.parse::<Timestamp>().unwrap();
    vec![
        (at("2024-03-04T18:00:00Z"), first),
        (at("2024-03-05T18:00:00.5Z"), second),
        (at("2024-03-06T09:30:00Z"), un_publication(date(2024, 3, 6))),
    ]
}

/// Writes the fixture of the current schema version (run by hand; see the module comment).
#[test]
#[ignore = "writes a fixture file; run by hand when adding a schema version"]
fn write_fixture() {
    let (db, json) = (
        fixture(SCHEMA_VERSION, "sqlite"),
        fixture(SCHEMA_VERSION, "json"),
    );
    assert!(
        !db.exists(),
        "{} exists: fixtures of released versions are never rewritten",
        db.display()
    );
    let content = fixture_content();
    {
        let mut reg = Registry::open(&db).unwrap();
        for (at, publication) in &content {
            assert!(reg.ingest_at(publication, *at).unwrap().is_new());
        }
        write_monitoring(&mut reg);
    }
    let expected: Vec<serde_json::Value> = content
        .iter()
        .map(|(at, p)| serde_json::json!({ "ingested_at": at.to_string(), "publication": p }))
        .collect();
    std::fs::write(&json, serde_json::to_string_pretty(&expected).unwrap()).unwrap();
}

#[test]
fn fixtures_of_every_schema_version_open_and_read_back() {
    for version in 1..=SCHEMA_VERSION {
        let (db, json) = (fixture(version, "sqlite"), fixture(version, "json"));
        assert!(db.exists(), "missing fixture {}", db.display());
        let expected: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();

        // Opening migrates in place: work on a copy.
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("registry.sqlite");
        std::fs::copy(&db, &copy).unwrap();
        let user_version = |path: &PathBuf| -> u32 {
            rusqlite::Connection::open(path)
                .unwrap()
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(user_version(&copy), version);

        let reg = Registry::open(&copy).unwrap();
        assert_eq!(user_version(&copy), SCHEMA_VERSION);

        let stored = reg.publications(None).unwrap();
        assert_eq!(stored.len(), expected.len(), "v{version}");
        for item in &expected {
            let at: Timestamp = item["ingested_at"].as_str().unwrap().parse().unwrap();
            let p: Publication = serde_json::from_value(item["publication"].clone()).unwrap();
            let info = stored
                .iter()
                .find(|i| i.ingested_at == at)
                .unwrap_or_else(|| panic!("v{version}: no publication ingested at {at}"));
            assert_eq!(
                (info.list, info.published, &info.files),
                (p.list, p.published, &p.files),
                "v{version}"
            );
            assert_eq!(info.entity_count, p.entities.len());
            assert_eq!(info.warning_count, p.warnings.len());
            assert_eq!(reg.entities(info.id).unwrap(), p.entities, "v{version}");
            assert_eq!(reg.warnings(info.id).unwrap(), p.warnings, "v{version}");
        }

        // History and point-in-time reads work across the migration.
        let versions = reg.entity_versions(ListId::OfacSdn, "30002").unwrap();
        assert_eq!(versions.len(), 2);
        assert_ne!(versions[0].record, versions[1].record);
        let (_, maduro_then) = reg
            .entity(ListId::OfacSdn, "22790", Some(date(2024, 3, 4)))
            .unwrap()
            .unwrap();
        assert_eq!(maduro_then.names[0].full, "MADURO MOROS, Nicolas");
        assert!(reg
            .entity(ListId::OfacSdn, "30009", None)
            .unwrap()
            .is_none());
        assert!(reg.entity(ListId::Un, "QDi.006", None).unwrap().is_some());

        // From version 2 on, every ingest left an audit entry, and the chain survives the
        // migrations after it. (Version 1 had no audit log: its publications have none.)
        let report = reg.audit_verify().unwrap();
        assert!(report.is_intact(), "v{version}: {report:?}");
        let ingests = reg
            .audit_entries(1)
            .unwrap()
            .into_iter()
            .filter(|e| e.kind == "ingest")
            .count();
        assert_eq!(
            ingests,
            if version >= 2 { expected.len() } else { 0 },
            "v{version}"
        );

        check_monitoring(&reg, version);

        // Re-ingesting what it holds is recognised.
        drop(reg);
        let mut reg = Registry::open(&copy).unwrap();
        for item in &expected {
            let p: Publication = serde_json::from_value(item["publication"].clone()).unwrap();
            assert!(!reg.ingest(&p).unwrap().is_new(), "v{version}");
        }
    }
}

/// The monitoring content of fixtures from version 3 on (which introduced it): a book of two
/// customers screened against the second SDN publication, an alert on one of them and a
/// decision on that alert. Deterministic, so the check needs no JSON of its own.
fn monitoring_content(reg: &Registry) -> MonitorWrite {
    let customer = |id: &str, name: &str| Customer {
        id: id.into(),
        name: name.into(),
        kind: Some("person".into()),
        dob: None,
        country: Some("VE".into()),
        identifiers: vec!["V-5892464".into()],
    };
    let sdn = reg
        .latest_publication(ListId::OfacSdn, None)
        .unwrap()
        .unwrap();
    let maduro = reg
        .entity(ListId::OfacSdn, "22790", None)
        .unwrap()
        .unwrap()
        .1;
    let c1 = customer("c-1", "Nicolas Maduro");
    let term = |text: &str, keys: &[u64]| NewTerm {
        term: BookTerm {
            text: text.into(),
            class: "word".into(),
            canonical: None,
            weight: 0.9,
        },
        keys: keys.to_vec(),
    };
    MonitorWrite {
        at: "2024-03-07T08:00:00Z".parse().unwrap(),
        expected_state: Default::default(),
        state: [(ListId::OfacSdn, sdn.id)].into_iter().collect(),
        book: BookUpdate {
            upsert: vec![
                FiledCustomer {
                    customer: c1.clone(),
                    terms: vec![0, 1],
                    identifiers: vec!["V5892464".into()],
                    weight: 1.8,
                    weighted_terms: vec![],
                },
                FiledCustomer {
                    customer: customer("c-2", "Ana Maria Lopez"),
                    terms: vec![2, 3, 4],
                    identifiers: vec![],
                    weight: 2.7,
                    weighted_terms: vec![],
                },
            ],
            terms: vec![
                term("nicolas", &[11, 12]),
                term("maduro", &[13]),
                term("ana", &[14]),
                term("maria", &[15, 16]),
                term("lopez", &[17]),
            ],
            remove: vec![],
            source: Some("customers.csv".into()),
            refile: false,
            filing: None,
        },
        raise: vec![NewAlert {
            customer: c1.id.clone(),
            customer_name: c1.name.clone(),
            customer_hash: c1.hash(),
            list: "ofac-sdn".into(),
            entity_id: "22790".into(),
            entity_name: "MADURO MOROS, Nicolas".into(),
            matched_name: "MADURO MOROS, Nicolas".into(),
            record_hash: record_hash(&maduro).unwrap(),
            score: 0.93,
            explanation: serde_json::json!({ "algorithm": "name-v1", "score": 0.93 }),
            trigger: Trigger::Customer,
            publication: Some(sdn.id),
        }],
        refresh: vec![],
        close: vec![],
        audit: Some(("monitor".into(), serde_json::json!({ "raised": 1 }))),
    }
}

fn write_monitoring(reg: &mut Registry) {
    if SCHEMA_VERSION < 3 {
        return;
    }
    let write = monitoring_content(reg);
    let raised = reg.apply_monitoring(&write).unwrap().raised;
    reg.decide_alert_at(
        raised[0],
        AlertStatus::TrueMatch,
        "fixture",
        "same cedula",
        "2024-03-07T09:00:00Z".parse().unwrap(),
    )
    .unwrap();
}

fn check_monitoring(reg: &Registry, version: u32) {
    if version < 3 {
        assert_eq!(reg.book_len().unwrap(), 0, "v{version}");
        assert!(reg.alerts(None).unwrap().is_empty(), "v{version}");
        assert!(reg.monitor_state().unwrap().is_empty(), "v{version}");
        return;
    }
    let expected = monitoring_content(reg);
    assert_eq!(reg.monitor_state().unwrap(), expected.state, "v{version}");
    let customers: Vec<Customer> = reg
        .customers()
        .unwrap()
        .into_iter()
        .map(|c| c.customer)
        .collect();
    let given: Vec<Customer> = expected
        .book
        .upsert
        .iter()
        .map(|f| f.customer.clone())
        .collect();
    assert_eq!(customers, given, "v{version}");
    let (lopez, _) = reg.book_term("lopez").unwrap().unwrap();
    let postings = reg.book_postings(lopez).unwrap();
    assert_eq!(postings.len(), 1, "v{version}");
    assert!((postings[0].weight - 2.7).abs() < 1.0 / 32.0, "v{version}");
    assert_eq!(
        reg.book_terms_by_keys(&[13]).unwrap().len(),
        1,
        "v{version}"
    );
    let alerts = reg.alerts(None).unwrap();
    assert_eq!(alerts.len(), 1, "v{version}");
    assert_eq!(alerts[0].found, expected.raise[0], "v{version}");
    assert_eq!(alerts[0].status, AlertStatus::TrueMatch, "v{version}");
    assert_eq!(alerts[0].decisions[0].reason, "same cedula", "v{version}");
    let kinds: Vec<String> = reg
        .audit_entries(1)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .filter(|k| k != "ingest")
        .collect();
    assert_eq!(kinds, ["monitor", "alert.decision"], "v{version}");
}
