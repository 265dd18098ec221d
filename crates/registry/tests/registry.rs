//! Behaviour of the registry through its public API.

mod common;

use common::*;
use interdict_model::{Entity, ListId, Publication};
use interdict_registry::*;
use jiff::civil::date;
use std::path::Path;

fn ingested(outcome: &IngestOutcome) -> (PublicationId, usize) {
    match outcome {
        IngestOutcome::Ingested {
            publication,
            new_records,
        } => (publication.id, *new_records),
        other => panic!("expected a new publication, got {other:?}"),
    }
}

#[test]
fn ingest_then_list_then_show() {
    let mut reg = Registry::open_in_memory().unwrap();
    assert!(reg.is_empty().unwrap());
    let publication = publication(Some(date(2024, 3, 4)), "a", synthetics(200));
    let outcome = reg.ingest(&publication).unwrap();
    let (id, new_records) = ingested(&outcome);
    assert_eq!(new_records, 201);
    assert!(!reg.is_empty().unwrap());

    let lists = reg.publications(None).unwrap();
    assert_eq!(lists.len(), 1);
    let info = &lists[0];
    assert_eq!(info, outcome.publication());
    assert_eq!(info.id, id);
    assert_eq!(info.list, ListId::OfacSdn);
    assert_eq!(info.published, Some(date(2024, 3, 4)));
    assert_eq!(info.files, publication.files);
    assert_eq!(info.entity_count, 201);
    assert_eq!(info.warning_count, 1);
    assert!(info.ingested_at <= jiff::Timestamp::now());
    assert_eq!(reg.publications(Some(ListId::Un)).unwrap(), vec![]);

    let (found_in, maduro_back) = reg.entity(ListId::OfacSdn, "22790", None).unwrap().unwrap();
    assert_eq!(found_in, *info);
    assert_eq!(maduro_back, maduro());
    assert_eq!(maduro_back.names[0].full, "MADURO MOROS, Nicolas");
    assert_eq!(maduro_back.programs().collect::<Vec<_>>(), ["VENEZUELA"]);
    assert!(reg.entity(ListId::OfacSdn, "1", None).unwrap().is_none());
    assert!(reg.entity(ListId::Un, "22790", None).unwrap().is_none());

    // A publication reads back exactly as ingested, in order.
    assert_eq!(reg.entities(id).unwrap(), publication.entities);
    assert_eq!(reg.warnings(id).unwrap(), publication.warnings);
    assert_eq!(reg.entity_in(id, "30007").unwrap(), Some(synthetic(7, 0)));
}

#[test]
fn reingesting_the_same_publication_is_a_no_op() {
    let mut reg = Registry::open_in_memory().unwrap();
    let p = publication(Some(date(2024, 3, 4)), "a", synthetics(50));
    let first = reg.ingest(&p).unwrap();
    let stats = reg.stats().unwrap();
    let again = reg.ingest(&p).unwrap();
    assert!(!again.is_new());
    assert_eq!(
        again,
        IngestOutcome::AlreadyIngested {
            publication: first.publication().clone()
        }
    );
    assert_eq!(reg.stats().unwrap(), stats);

    // The same files read differently (a newer parser) are still the same publication.
    let mut reparsed = p.clone();
    reparsed.entities.truncate(3);
    reparsed.published = None;
    let outcome = reg.ingest(&reparsed).unwrap();
    assert!(!outcome.is_new());
    assert_eq!(outcome.publication().id, first.publication().id);
    assert_eq!(reg.stats().unwrap(), stats);
}

#[test]
fn publications_sharing_records_store_them_once() {
    let mut reg = Registry::open_in_memory().unwrap();
    let base = synthetics(1000);
    let (first, _) = ingested(
        &reg.ingest(&publication(Some(date(2024, 3, 4)), "a", base.clone()))
            .unwrap(),
    );

    // Next day: 10 amended, 5 removed (delisted), 5 added.
    let mut next: Vec<Entity> = base
        .iter()
        .enumerate()
        .filter(|(i, _)| !(100..105).contains(i))
        .map(|(i, e)| {
            if i < 10 {
                synthetic(i as u64, 1)
            } else {
                e.clone()
            }
        })
        .collect();
    next.extend((1000..1005).map(|i| synthetic(i, 0)));
    let (second, new_records) = ingested(
        &reg.ingest(&publication(Some(date(2024, 3, 5)), "b", next.clone()))
            .unwrap(),
    );
    assert_eq!(new_records, 15);

    let stats = reg.stats().unwrap();
    assert_eq!(stats.publications, 2);
    assert_eq!(stats.records, 1001 + 15);
    assert_eq!(reg.entities(second).unwrap()[1..], next[..]);
    assert_eq!(reg.entities(first).unwrap()[1..], base[..]);

    // Amended: the current version is the new one, and history has both.
    let (_, amended) = reg.entity(ListId::OfacSdn, "30003", None).unwrap().unwrap();
    assert_eq!(amended, synthetic(3, 1));
    let versions = reg.entity_versions(ListId::OfacSdn, "30003").unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].publication.id, first);
    assert_eq!(versions[1].publication.id, second);
    assert_ne!(versions[0].record, versions[1].record);
    assert_eq!(
        reg.entity_record(ListId::OfacSdn, "30003", &versions[0].record)
            .unwrap(),
        Some(synthetic(3, 0))
    );
    assert_eq!(
        reg.entity_record(ListId::Un, "30003", &versions[0].record)
            .unwrap(),
        None
    );

    // Unchanged: two versions with one record.
    let versions = reg.entity_versions(ListId::OfacSdn, "22790").unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].record, versions[1].record);

    // Delisted: not current, but its past is kept.
    assert!(reg
        .entity(ListId::OfacSdn, "30100", None)
        .unwrap()
        .is_none());
    let (_, old) = reg
        .entity(ListId::OfacSdn, "30100", Some(date(2024, 3, 4)))
        .unwrap()
        .unwrap();
    assert_eq!(old, synthetic(100, 0));
    assert_eq!(
        reg.entity_versions(ListId::OfacSdn, "30100").unwrap().len(),
        1
    );
    assert!(reg
        .entity_versions(ListId::OfacSdn, "nope")
        .unwrap()
        .is_empty());
}

#[test]
fn as_of_picks_the_publication_in_force() {
    let mut reg = Registry::open_in_memory().unwrap();
    // Ingested out of date order on purpose.
    let march5 = publication(Some(date(2024, 3, 5)), "b", vec![synthetic(1, 1)]);
    let march4 = publication(Some(date(2024, 3, 4)), "a", vec![synthetic(1, 0)]);
    let (id5, _) = ingested(&reg.ingest(&march5).unwrap());
    let (id4, _) = ingested(&reg.ingest(&march4).unwrap());
    let (id_un, _) = ingested(&reg.ingest(&un_publication(date(2024, 3, 6))).unwrap());

    let latest = |reg: &Registry, as_of| {
        reg.latest_publication(ListId::OfacSdn, as_of)
            .unwrap()
            .map(|p| p.id)
    };
    assert_eq!(latest(&reg, None), Some(id5));
    assert_eq!(latest(&reg, Some(date(2024, 3, 5))), Some(id5));
    assert_eq!(latest(&reg, Some(date(2024, 3, 4))), Some(id4));
    assert_eq!(latest(&reg, Some(date(2024, 3, 3))), None);
    assert_eq!(
        reg.latest_publication(ListId::Un, None)
            .unwrap()
            .map(|p| p.id),
        Some(id_un)
    );

    let at = |as_of| reg.entity(ListId::OfacSdn, "30001", as_of).unwrap();
    assert_eq!(
        at(Some(date(2024, 3, 4))).unwrap(),
        (reg.publication(id4).unwrap().unwrap(), synthetic(1, 0))
    );
    assert_eq!(at(None).unwrap().1, synthetic(1, 1));
    assert_eq!(at(Some(date(2020, 1, 1))), None);

    // Listed by date, not by ingest order; lists apart.
    let ids: Vec<_> = reg
        .publications(None)
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, [id4, id5, id_un]);
    let versions = reg.entity_versions(ListId::OfacSdn, "30001").unwrap();
    let ids: Vec<_> = versions.iter().map(|v| v.publication.id).collect();
    assert_eq!(ids, [id4, id5]);

    // A re-issue on the same day supersedes; an undated publication never answers `as_of`.
    let reissue = publication(Some(date(2024, 3, 5)), "b2", vec![synthetic(1, 2)]);
    let (id5b, _) = ingested(&reg.ingest(&reissue).unwrap());
    let undated = publication(None, "c", vec![synthetic(1, 3)]);
    let (undated_id, _) = ingested(&reg.ingest(&undated).unwrap());
    assert_eq!(latest(&reg, None), Some(id5b));
    assert_eq!(latest(&reg, Some(date(2030, 1, 1))), Some(id5b));
    assert_eq!(
        reg.publications(Some(ListId::OfacSdn)).unwrap()[0].id,
        undated_id
    );
}

/// Snapshot of a registry file: its rows, and its bytes once closed.
fn snapshot(path: &Path) -> (Vec<String>, Vec<u8>) {
    (dump(path), std::fs::read(path).unwrap())
}

#[test]
fn a_failed_ingest_leaves_the_registry_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.sqlite");
    {
        let mut reg = Registry::open(&path).unwrap();
        reg.ingest(&publication(Some(date(2024, 3, 4)), "a", synthetics(300)))
            .unwrap();
    }
    // A failure after records and chunks were written: a trigger refuses the publication row,
    // which is inserted last.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON publication \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
        )
        .unwrap();
    let before = snapshot(&path);

    let mut changed: Vec<Entity> = (0..300).map(|i| synthetic(i, 1)).collect();
    changed.extend((300..400).map(|i| synthetic(i, 0)));
    let failing = publication(Some(date(2024, 3, 5)), "b", changed);

    let mut duplicate = publication(Some(date(2024, 3, 5)), "c", synthetics(10));
    duplicate.entities.push(synthetic(3, 1));

    let mut foreign = publication(Some(date(2024, 3, 5)), "d", synthetics(10));
    foreign.entities[4].list = "un".into();

    let mut undatable = publication(Some(date(2024, 3, 5)), "e", vec![]);
    undatable.published = Some(date(0, 1, 1));
    {
        let mut reg = Registry::open(&path).unwrap();
        let err = reg.ingest(&failing).unwrap_err();
        assert!(err.to_string().contains("injected failure"), "{err}");
        let err = reg.ingest(&duplicate).unwrap_err();
        assert!(
            matches!(&err, RegistryError::DuplicateEntity { list: ListId::OfacSdn, id } if id == "30003"),
            "{err}"
        );
        let err = reg.ingest(&foreign).unwrap_err();
        assert!(matches!(err, RegistryError::ForeignEntity { .. }), "{err}");
        let err = reg.ingest(&undatable).unwrap_err();
        assert!(
            matches!(err, RegistryError::InvalidPublication { .. }),
            "{err}"
        );
        assert_eq!(reg.publications(None).unwrap().len(), 1);
    }
    let after = snapshot(&path);
    assert_eq!(before.0, after.0, "rows changed");
    assert!(before.1 == after.1, "file bytes changed");
}

#[test]
fn registries_persist_and_parent_directories_are_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep/er/registry.sqlite");
    let p = publication(Some(date(2024, 3, 4)), "a", synthetics(20));
    let id = {
        let mut reg = Registry::open(&path).unwrap();
        assert_eq!(reg.path(), Some(path.as_path()));
        ingested(&reg.ingest(&p).unwrap()).0
    };
    let reg = Registry::open(&path).unwrap();
    assert_eq!(reg.entities(id).unwrap(), p.entities);
    assert_eq!(reg.publications(None).unwrap()[0].warning_count, 1);
}

#[test]
fn publications_without_files_are_named_by_their_records() {
    let mut reg = Registry::open_in_memory().unwrap();
    let mut a = publication(None, "a", synthetics(3));
    a.files.clear();
    let mut b = a.clone();
    b.entities.push(synthetic(9, 0));
    assert!(reg.ingest(&a).unwrap().is_new());
    assert!(reg.ingest(&b).unwrap().is_new());
    assert!(!reg.ingest(&a).unwrap().is_new());
    let empty = Publication {
        list: ListId::Un,
        published: None,
        files: vec![],
        entities: vec![],
        warnings: vec![],
    };
    let (id, _) = ingested(&reg.ingest(&empty).unwrap());
    assert_eq!(reg.entities(id).unwrap(), vec![]);
    assert_eq!(reg.warnings(id).unwrap(), vec![]);
}

#[test]
fn unknown_publications_are_errors() {
    let reg = Registry::open_in_memory().unwrap();
    let missing = PublicationId(42);
    assert!(
        matches!(reg.entities(missing), Err(RegistryError::NoSuchPublication(p)) if p == missing)
    );
    assert!(matches!(
        reg.warnings(missing),
        Err(RegistryError::NoSuchPublication(_))
    ));
    assert!(matches!(
        reg.entity_in(missing, "1"),
        Err(RegistryError::NoSuchPublication(_))
    ));
    assert_eq!(reg.publication(missing).unwrap(), None);
    assert_eq!(reg.latest_publication(ListId::OfacSdn, None).unwrap(), None);
    assert_eq!(reg.entity(ListId::OfacSdn, "22790", None).unwrap(), None);
}

#[test]
fn files_that_are_not_registries_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();

    let garbage = dir.path().join("sdn.csv");
    let text = "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"\n".repeat(200);
    std::fs::write(&garbage, &text).unwrap();
    let err = Registry::open(&garbage).unwrap_err();
    assert!(matches!(err, RegistryError::NotARegistry { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("sdn.csv") && message.contains("not an interdict registry"),
        "{message}"
    );
    assert_eq!(std::fs::read_to_string(&garbage).unwrap(), text);

    let other_app = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&other_app)
        .unwrap()
        .execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');")
        .unwrap();
    let before = dump(&other_app);
    let err = Registry::open(&other_app).unwrap_err();
    assert!(matches!(err, RegistryError::NotARegistry { .. }), "{err:?}");
    assert_eq!(dump(&other_app), before);

    let err = Registry::open(dir.path()).unwrap_err();
    assert!(
        err.to_string().contains(&dir.path().display().to_string()),
        "{err}"
    );

    // An empty file is an empty registry.
    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, b"").unwrap();
    assert!(Registry::open(&empty).unwrap().is_empty().unwrap());
}

#[test]
fn registries_of_a_newer_schema_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.sqlite");
    drop(Registry::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1))
        .unwrap();
    let err = Registry::open(&path).unwrap_err();
    match &err {
        RegistryError::TooNew {
            found, supported, ..
        } => {
            assert_eq!(*found, SCHEMA_VERSION + 1);
            assert_eq!(*supported, SCHEMA_VERSION);
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert!(err.to_string().contains("upgrade interdict"), "{err}");
}

/// The reason of a `CorruptRecord` error; panics on anything else.
fn corrupt_record_reason<T>(result: Result<T, RegistryError>) -> String {
    match result {
        Err(RegistryError::CorruptRecord { key, reason, .. }) => {
            assert!(key.starts_with("ofac-sdn:"), "{key}");
            reason
        }
        Err(other) => panic!("expected CorruptRecord, got {other:?}"),
        Ok(_) => panic!("expected CorruptRecord, got data"),
    }
}

#[test]
fn damaged_records_are_reported_not_returned() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.sqlite");
    let id = {
        let mut reg = Registry::open(&path).unwrap();
        ingested(
            &reg.ingest(&publication(Some(date(2024, 3, 4)), "a", synthetics(100)))
                .unwrap(),
        )
        .0
    };
    let raw = rusqlite::Connection::open(&path).unwrap();
    let reg = Registry::open(&path).unwrap();

    // A chunk that is not deflate at all.
    let good: Vec<u8> = raw
        .query_row("SELECT data FROM chunk WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    raw.execute("UPDATE chunk SET data = x'00ffee' WHERE id = 1", [])
        .unwrap();
    assert!(corrupt_record_reason(reg.entities(id)).contains("inflate"));
    assert!(corrupt_record_reason(reg.entity(ListId::OfacSdn, "22790", None)).contains("inflate"));

    // A chunk that inflates to something else: the hash check catches it.
    let mut other = good.clone();
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut enc, b"{\"list\":\"ofac-sdn\"}").unwrap();
    other.clear();
    other.extend(enc.finish().unwrap());
    raw.execute("UPDATE chunk SET data = ?1 WHERE id = 1", [&other])
        .unwrap();
    assert!(
        corrupt_record_reason(reg.entity(ListId::OfacSdn, "22790", None)).contains("hashes to")
    );
    assert!(corrupt_record_reason(reg.entity_in(id, "30001")).contains("slot"));

    // Restored, everything reads again; then a damaged member list.
    raw.execute("UPDATE chunk SET data = ?1 WHERE id = 1", [&good])
        .unwrap();
    assert_eq!(reg.entities(id).unwrap().len(), 101);
    raw.execute(
        "UPDATE membership SET records = x'01' WHERE publication_id = ?1",
        [id.0],
    )
    .unwrap();
    assert!(matches!(
        reg.entities(id),
        Err(RegistryError::CorruptPublication { .. })
    ));
    assert!(matches!(
        reg.entity(ListId::OfacSdn, "22790", None),
        Err(RegistryError::CorruptPublication { .. })
    ));
    raw.execute(
        "UPDATE warning_set SET warnings = x'0102' WHERE publication_id = ?1",
        [id.0],
    )
    .unwrap();
    assert!(matches!(
        reg.warnings(id),
        Err(RegistryError::CorruptPublication { .. })
    ));
    raw.execute("UPDATE publication SET published = 'yesterday'", [])
        .unwrap();
    assert!(matches!(
        reg.publications(None),
        Err(RegistryError::CorruptPublication { .. })
    ));
}
