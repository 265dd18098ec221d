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

        // Re-ingesting what it holds is recognised.
        drop(reg);
        let mut reg = Registry::open(&copy).unwrap();
        for item in &expected {
            let p: Publication = serde_json::from_value(item["publication"].clone()).unwrap();
            assert!(!reg.ingest(&p).unwrap().is_new(), "v{version}");
        }
    }
}
