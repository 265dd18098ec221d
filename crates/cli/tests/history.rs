//! History on real publications: program-tag changes between SDN publications become dated
//! lifecycle events (the FARC's FTO designation revoked on 2021-12-02; five FTOs revoked on
//! 2022-05-20), and an entity's record stays stable across publications.

use interdict_model::ListId;
use interdict_registry::{HistoryEvent, ProgramChange, Registry};
use interdict_sources::{load, LoadOptions};
use std::path::{Path, PathBuf};

fn history_file(date: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../testdata/ofac/sdn-history/sdn-{date}.csv.gz"))
}

fn registry_with(dates: &[&str]) -> Registry {
    let mut r = Registry::open_in_memory().expect("in-memory registry");
    for d in dates {
        let p = load(&history_file(d), &LoadOptions::default()).expect("real file parses");
        r.ingest(&p).expect("ingest");
    }
    r
}

/// (entity id, primary name, program, change, still listed), sorted.
fn fto_events(r: &Registry) -> Vec<(String, String, String, ProgramChange, bool)> {
    let mut v: Vec<_> = r
        .program_events(ListId::OfacSdn)
        .expect("events")
        .into_iter()
        .filter(|e| e.program == "FTO")
        .map(|e| {
            let name = e
                .entity
                .primary_name()
                .map(|n| n.full.clone())
                .unwrap_or_default();
            let date = e
                .publication
                .published
                .map(|d| d.to_string())
                .unwrap_or_default();
            (e.entity.id.clone(), name, date, e.change, e.still_listed)
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

#[test]
fn farc_fto_revoked_and_successors_designated_on_2021_12_02() {
    let r = registry_with(&["2021-11-23", "2021-12-02"]);
    let events = fto_events(&r);
    let expected = [
        (
            "33974",
            "SEGUNDA MARQUETALIA",
            ProgramChange::Designated,
            true,
        ),
        (
            "33983",
            "REVOLUTIONARY ARMED FORCES OF COLOMBIA - PEOPLE'S ARMY",
            ProgramChange::Designated,
            true,
        ),
        (
            "4711",
            "REVOLUTIONARY ARMED FORCES OF COLOMBIA",
            ProgramChange::Revoked,
            false,
        ),
    ];
    assert_eq!(events.len(), expected.len(), "{events:#?}");
    for ((id, name, date, change, listed), (eid, ename, echange, elisted)) in
        events.iter().zip(expected)
    {
        assert_eq!(
            (id.as_str(), name.as_str(), date.as_str(), *change, *listed),
            (eid, ename, "2021-12-02", echange, elisted)
        );
    }
}

#[test]
fn five_ftos_revoked_on_2022_05_20_stay_listed_as_sdgt() {
    let r = registry_with(&["2022-05-19", "2022-05-20"]);
    let events = fto_events(&r);
    let got: Vec<(&str, &str, &str, ProgramChange, bool)> = events
        .iter()
        .map(|(i, n, d, c, l)| (i.as_str(), n.as_str(), d.as_str(), *c, *l))
        .collect();
    assert_eq!(
        got,
        [
            (
                "17187",
                "MUJAHIDIN SHURA COUNCIL IN THE ENVIRONS OF JERUSALEM",
                "2022-05-20",
                ProgramChange::Revoked,
                true
            ),
            (
                "4691",
                "AUM SHINRIKYO",
                "2022-05-20",
                ProgramChange::Revoked,
                true
            ),
            (
                "4693",
                "EUZKADI TA ASKATASUNA",
                "2022-05-20",
                ProgramChange::Revoked,
                true
            ),
            (
                "4694",
                "GAMA'A AL-ISLAMIYYA",
                "2022-05-20",
                ProgramChange::Revoked,
                true
            ),
            (
                "4700",
                "KAHANE CHAI",
                "2022-05-20",
                ProgramChange::Revoked,
                true
            ),
        ]
    );
    // Still designated under E.O. 13224.
    let (_, kahane) = r.entity(ListId::OfacSdn, "4700", None).unwrap().unwrap();
    assert_eq!(kahane.programs().collect::<Vec<_>>(), ["SDGT"]);
}

#[test]
fn maduro_record_is_stable_and_farc_history_ends_in_delisting() {
    let r = registry_with(&["2021-11-23", "2021-12-02", "2022-05-19", "2022-05-20"]);
    let h = r.history(ListId::OfacSdn, "22790").unwrap();
    assert_eq!(
        h.len(),
        1,
        "Maduro's record did not change in these publications: {h:#?}"
    );
    let HistoryEvent::Listed {
        publication,
        entity,
        relisted,
    } = &h[0]
    else {
        panic!("{h:#?}")
    };
    assert_eq!(publication.published.unwrap().to_string(), "2021-11-23");
    assert_eq!(entity.primary_name().unwrap().full, "MADURO MOROS, Nicolas");
    assert!(!relisted);

    let h = r.history(ListId::OfacSdn, "4711").unwrap();
    assert_eq!(h.len(), 2);
    assert!(
        matches!(&h[1], HistoryEvent::Delisted { publication } if publication.published.unwrap().to_string() == "2021-12-02")
    );

    let h = r.history(ListId::OfacSdn, "4700").unwrap();
    let HistoryEvent::Changed {
        publication,
        changes,
    } = &h[1]
    else {
        panic!("{h:#?}")
    };
    assert_eq!(publication.published.unwrap().to_string(), "2022-05-20");
    let designations = changes.iter().find(|c| c.field == "designations").unwrap();
    assert_eq!(designations.removed[0]["program"], "FTO");
}

#[test]
fn diff_between_publications_counts_real_changes() {
    let r = registry_with(&["2022-05-19", "2022-05-20"]);
    let pubs = r.publications(Some(ListId::OfacSdn)).unwrap();
    let d = r.diff(pubs[0].id, pubs[1].id).unwrap();
    let changed: Vec<&str> = d.changed.iter().map(|c| c.entity.id.as_str()).collect();
    for id in ["4691", "4693", "4694", "4700", "17187"] {
        assert!(changed.contains(&id), "{id} not among changed {changed:?}");
    }
    assert_eq!(
        (d.added.len(), d.removed.len(), d.changed.len()),
        (0, 6, 5),
        "{changed:?}"
    );
}

#[test]
fn history_and_diff_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_interdict"))
            .env_remove("INTERDICT_DB")
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap()
    };
    let files: Vec<String> = ["2022-05-19", "2022-05-20"]
        .iter()
        .map(|d| history_file(d).display().to_string())
        .collect();
    let o = run(&["ingest", &files[0], &files[1]]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let o = run(&["history", "ofac-sdn:4700"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("2022-05-19  listed under FTO, SDGT"),
        "{text}"
    );
    assert!(
        text.contains("2022-05-20  changed\n    - designations: FTO"),
        "{text}"
    );

    let o = run(&["diff", "ofac-sdn", "2022-05-19", "2022-05-20", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["added"].as_array().unwrap().len(), 0);
    assert_eq!(v["removed"].as_array().unwrap().len(), 6);
    assert_eq!(v["changed"].as_array().unwrap().len(), 5);
    assert_eq!(v["changed"][0]["changes"][0]["field"], "designations");
    assert_eq!(v["list"], "ofac-sdn");
    assert_eq!(v["from"]["published"], "2022-05-19");
    assert_eq!(v["to"]["published"], "2022-05-20");
    assert!(v["removed"][0]["programs"].is_array(), "{v}");
    assert!(v["changed"][0]["name"].is_string(), "{v}");

    let o = run(&["diff", "un", "2022-05-19", "2022-05-20"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no publication of un on or before 2022-05-19")
    );
    let o = run(&["history", "ofac-sdn:99999999"]);
    assert_eq!(o.status.code(), Some(2));
}
