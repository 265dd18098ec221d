//! Notices (versions, "as of") and the audit trail (hash chain, tamper detection), on the
//! seed case: the Cartel de los Soles FTO designation announced on 2025-11-16, effective
//! 2025-11-24, and the Tren de Aragua FTO designation effective 2025-02-20.

mod common;

use common::*;
use interdict_model::*;
use interdict_registry::*;
use jiff::civil::date;
use jiff::Timestamp;

fn fto(events: DesignationEvents) -> DatedDesignation {
    DatedDesignation {
        program: "FTO".into(),
        program_name: Some("Foreign Terrorist Organization".into()),
        authority: Authority {
            legal_basis: vec!["INA §219 (8 U.S.C. §1189)".into()],
            regulations: vec![],
            body: "U.S. Department of State".into(),
        },
        events,
    }
}

fn name(name: &str, lang: &str, kind: NameKind) -> NoticeName {
    NoticeName {
        name: name.into(),
        lang: Some(lang.into()),
        kind,
    }
}

fn cartel_de_los_soles() -> Notice {
    Notice {
        id: "cartel-de-los-soles".into(),
        title: None,
        kind: EntityKind::Organization,
        names: vec![
            name("Cartel de los Soles", "es", NameKind::Primary),
            name("Cartel of the Suns", "en", NameKind::Alias),
        ],
        designations: vec![
            fto(DesignationEvents {
                announced: Some(EventDate::On(date(2025, 11, 16))),
                effective: Some(EventDate::On(date(2025, 11, 24))),
                ..Default::default()
            }),
            DatedDesignation {
                program: "SDGT".into(),
                program_name: None,
                authority: Authority {
                    legal_basis: vec!["E.O. 13224".into()],
                    regulations: vec![],
                    body: "U.S. Department of the Treasury".into(),
                },
                events: DesignationEvents {
                    effective: Some(EventDate::OnOrBefore(date(2025, 11, 16))),
                    ..Default::default()
                },
            },
        ],
        links: vec![NoticeLink {
            relation: "leader".into(),
            name: Some("Nicolás Maduro".into()),
            target: Some("ofac-sdn:22790".into()),
        }],
        sources: vec![],
        remarks: vec![],
    }
}

fn tren_de_aragua() -> Notice {
    Notice {
        id: "tren-de-aragua".into(),
        title: None,
        kind: EntityKind::Organization,
        names: vec![name("Tren de Aragua", "es", NameKind::Primary)],
        designations: vec![fto(DesignationEvents {
            effective: Some(EventDate::On(date(2025, 2, 20))),
            ..Default::default()
        })],
        links: vec![],
        sources: vec![],
        remarks: vec![],
    }
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn ids(versions: &[NoticeVersion]) -> Vec<&str> {
    versions.iter().map(|v| v.notice.id.as_str()).collect()
}

#[test]
fn notices_are_versioned_and_identical_ones_are_no_ops() {
    let mut reg = Registry::open_in_memory().unwrap();
    let first = reg
        .add_notice_at(
            &cartel_de_los_soles(),
            Some("cartel.yaml"),
            at("2025-11-17T08:00:00Z"),
        )
        .unwrap();
    assert!(first.is_new());
    assert_eq!(first.version().version, 1);
    assert_eq!(first.version().known_from, date(2025, 11, 16));

    let again = reg
        .add_notice_at(&cartel_de_los_soles(), None, at("2025-11-18T08:00:00Z"))
        .unwrap();
    assert!(!again.is_new());
    assert_eq!(again.version(), first.version());

    // The Federal Register publication becomes known: a new version supersedes.
    let mut published = cartel_de_los_soles();
    published.designations[0].events.published = Some(EventDate::On(date(2025, 11, 24)));
    let second = reg
        .add_notice_at(&published, Some("cartel.yaml"), at("2025-11-25T08:00:00Z"))
        .unwrap();
    assert_eq!(second.version().version, 2);

    let versions = reg.notice_versions("cartel-de-los-soles").unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].notice, cartel_de_los_soles());
    assert_eq!(versions[1].notice, published);
    assert_eq!(
        reg.notice("cartel-de-los-soles", None)
            .unwrap()
            .unwrap()
            .notice,
        published
    );

    // Two recordings, two audit entries; the no-op left none.
    let kinds: Vec<String> = reg
        .audit_entries(1)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["notice", "notice"]);
    assert_eq!(
        reg.audit_entries(2).unwrap()[0].payload["supersedes"],
        serde_json::json!(1)
    );
}

#[test]
fn as_of_a_date_notices_count_from_their_first_public_event() {
    let mut reg = Registry::open_in_memory().unwrap();
    reg.add_notice(&cartel_de_los_soles(), None).unwrap();
    reg.add_notice(&tren_de_aragua(), None).unwrap();

    let before = reg.notices(Some(date(2025, 11, 10))).unwrap();
    assert_eq!(ids(&before), ["tren-de-aragua"]);
    let after = reg.notices(Some(date(2025, 11, 20))).unwrap();
    assert_eq!(ids(&after), ["cartel-de-los-soles", "tren-de-aragua"]);
    assert_eq!(ids(&reg.notices(None).unwrap()).len(), 2);
    assert!(reg
        .notice("cartel-de-los-soles", Some(date(2025, 11, 15)))
        .unwrap()
        .is_none());

    let cartel = &after[0].notice;
    let statuses: Vec<String> = cartel
        .status_on(date(2025, 11, 20))
        .into_iter()
        .map(|(_, s)| s.to_string())
        .collect();
    assert_eq!(
        statuses,
        [
            "announced, effective 2025-11-24",
            "in force since on or before 2025-11-16"
        ]
    );
    assert!(cartel
        .status_on(date(2025, 11, 25))
        .iter()
        .all(|(_, s)| s.is_in_force()));
}

#[test]
fn notices_without_dates_and_notice_publications_are_refused() {
    let mut reg = Registry::open_in_memory().unwrap();
    let mut undated = tren_de_aragua();
    undated.designations[0].events = DesignationEvents::default();
    let err = reg.add_notice(&undated, None).unwrap_err();
    assert!(matches!(err, RegistryError::InvalidNotice { .. }), "{err}");

    let publication = Publication {
        list: ListId::Notice,
        published: Some(date(2025, 11, 16)),
        files: vec![],
        entities: vec![tren_de_aragua().to_entity()],
        warnings: vec![],
    };
    let err = reg.ingest(&publication).unwrap_err();
    assert!(
        matches!(err, RegistryError::InvalidPublication { .. }),
        "{err}"
    );
    assert_eq!(reg.audit_verify().unwrap().entries, 0);
}

/// A registry with a bit of everything in its log: two ingests, a notice, a decision.
fn registry_with_history(path: &std::path::Path) -> Registry {
    let mut reg = Registry::open(path).unwrap();
    let first = publication(Some(date(2024, 3, 4)), "audit-1", synthetics(5));
    let mut second = first.clone();
    second.files[0].sha256 = "cd".repeat(32);
    second.published = Some(date(2024, 3, 5));
    second.entities.push(synthetic(5, 0));
    reg.ingest_at(&first, at("2024-03-04T18:00:00Z")).unwrap();
    reg.ingest_at(&second, at("2024-03-05T18:00:00Z")).unwrap();
    reg.add_notice_at(&cartel_de_los_soles(), None, at("2025-11-17T08:00:00Z"))
        .unwrap();
    reg.append_audit_at(
        "alert.decision",
        &serde_json::json!({ "alert": 1, "decision": "escalated" }),
        at("2025-11-20T09:00:00Z"),
    )
    .unwrap();
    reg
}

#[test]
fn ingests_notices_and_decisions_chain_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let reg = registry_with_history(&dir.path().join("r.sqlite"));
    let report = reg.audit_verify().unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.entries, 4);
    let entries = reg.audit_entries(1).unwrap();
    let kinds: Vec<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["ingest", "ingest", "notice", "alert.decision"]);
    assert_eq!(entries[0].payload["list"], "ofac-sdn");
    assert_eq!(entries[1].payload["new_records"], 1);
    assert_eq!(entries[2].payload["notice"], "cartel-de-los-soles");
    for pair in entries.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
    assert_eq!(report.head, Some(entries[3].hash));
}

/// Opens the file with plain SQLite, as someone tampering with it would, and runs `sql`.
fn tamper(path: &std::path::Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn altered_removed_or_forged_entries_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite");
    drop(registry_with_history(&path));

    // The triggers refuse plain edits…
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert!(conn
        .execute_batch("UPDATE audit_log SET kind = 'x' WHERE seq = 2")
        .is_err());
    assert!(conn
        .execute_batch("DELETE FROM audit_log WHERE seq = 4")
        .is_err());
    drop(conn);

    // …so a tamperer drops them first. Changing the ingest's entity count in entry 2:
    tamper(
        &path,
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;
         UPDATE audit_log SET payload = json_set(payload, '$.entities', 5) WHERE seq = 2;",
    );
    let report = Registry::open(&path).unwrap().audit_verify().unwrap();
    let bad = report.first_bad.expect("tampering detected");
    assert_eq!(bad.seq, 2, "{}", bad.reason);
    assert!(bad.reason.contains("altered"), "{}", bad.reason);
    assert_eq!(report.entries, 4);
    assert_eq!(report.head, None);

    // Recomputing entry 2's own hash does not help: entry 3 no longer chains to it.
    let dir2 = tempfile::tempdir().unwrap();
    let path2 = dir2.path().join("r.sqlite");
    drop(registry_with_history(&path2));
    tamper(
        &path2,
        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET hash = zeroblob(32) WHERE seq = 2;",
    );
    let bad = Registry::open(&path2)
        .unwrap()
        .audit_verify()
        .unwrap()
        .first_bad
        .unwrap();
    assert_eq!(bad.seq, 2, "{}", bad.reason);

    // A removed entry is named by the position it leaves empty.
    let dir3 = tempfile::tempdir().unwrap();
    let path3 = dir3.path().join("r.sqlite");
    drop(registry_with_history(&path3));
    tamper(
        &path3,
        "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 3;",
    );
    let bad = Registry::open(&path3)
        .unwrap()
        .audit_verify()
        .unwrap()
        .first_bad
        .unwrap();
    assert_eq!(bad.seq, 3, "{}", bad.reason);
    assert!(bad.reason.contains("missing"), "{}", bad.reason);
}

#[test]
fn a_failed_ingest_appends_nothing() {
    let mut reg = Registry::open_in_memory().unwrap();
    let mut bad = publication(Some(date(2024, 3, 4)), "dup", synthetics(3));
    bad.entities.push(bad.entities[0].clone());
    assert!(reg.ingest(&bad).is_err());
    assert_eq!(reg.audit_verify().unwrap().entries, 0);
}

#[test]
fn a_damaged_notice_is_reported_not_returned() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite");
    drop(registry_with_history(&path));
    tamper(
        &path,
        "DROP TRIGGER notice_no_update;
         UPDATE notice SET body = replace(body, '2025-11-24', '2025-12-24');",
    );
    let err = Registry::open(&path).unwrap().notices(None).unwrap_err();
    assert!(
        matches!(err, RegistryError::CorruptNotice { version: 1, .. }),
        "{err}"
    );
}
