//! End-to-end tests of the `interdict` binary on the real bundled and test lists.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn testdata(p: &str) -> PathBuf {
    repo().join("testdata").join(p)
}

/// Runs `interdict --db DB args...` with no INTERDICT_DB from the environment.
fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interdict"))
        .env_remove("INTERDICT_DB")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn lists_json(db: &Path) -> serde_json::Value {
    let o = run(db, &["lists", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("lists --json is JSON")
}

#[test]
fn show_on_a_fresh_registry_loads_the_bundled_lists() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sub/dir/registry.sqlite");
    let o = run(&db, &["show", "ofac-sdn:22790"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("loaded the bundled"), "{}", stderr(&o));
    let text = stdout(&o);
    insta::assert_snapshot!("show_22790", text);

    // Both bundled publications are there, and a second command does not load them again.
    let lists = lists_json(&db);
    let lists = lists.as_array().unwrap();
    assert_eq!(lists.len(), 2);
    let sdn = lists.iter().find(|p| p["list"] == "ofac-sdn").unwrap();
    assert_eq!(sdn["published"], "2023-12-28");
    assert_eq!(sdn["entities"], 13821);
    let un = lists.iter().find(|p| p["list"] == "un").unwrap();
    assert_eq!(un["published"], "2026-02-27");
}

#[test]
fn show_json_carries_the_typed_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let o = run(&db, &["show", "ofac-sdn:22790", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let e = &v["entity"];
    assert_eq!(v["publication"]["published"], "2023-12-28");
    assert_eq!(e["id"], "22790");
    assert_eq!(e["kind"], "person");
    assert_eq!(e["names"][0]["full"], "MADURO MOROS, Nicolas");
    let programs: Vec<&str> = e["designations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["program"].as_str().unwrap())
        .collect();
    assert_eq!(programs, ["VENEZUELA", "IRAN-CON-ARMS-EO"]);
    assert_eq!(e["birth_dates"][0]["date"]["year"], 1962);
    assert!(e["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["kind"] == "cedula" && i["value"] == "5892464"));

    let o = run(&db, &["show", "un:QDi.006", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let names = v["entity"]["names"].as_array().unwrap();
    assert!(names
        .iter()
        .any(|n| n["full"] == "أيمن محمد ربيع الظواهري" && n["script"] == "Arab"));
}

#[test]
fn fto_designation_shows_its_authority() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let o = run(&db, &["show", "ofac-sdn:4697"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("HIZBALLAH"), "{text}");
    assert!(
        text.contains("FTO") && text.contains("INA §219 (8 U.S.C. §1189)"),
        "{text}"
    );
    assert!(text.contains("by U.S. Department of State"), "{text}");
}

#[test]
fn explicit_ingest_into_an_empty_registry_loads_only_what_it_was_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let o = run(
        &db,
        &[
            "ingest",
            testdata("ofac/consolidated-2018-04-06").to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("ingested ofac-cons 2018-04-06"),
        "{}",
        stdout(&o)
    );
    let lists = lists_json(&db);
    assert_eq!(lists.as_array().unwrap().len(), 1, "{lists}");
    assert_eq!(lists[0]["list"], "ofac-cons");

    // The same publication again is a no-op.
    let o = run(
        &db,
        &[
            "ingest",
            testdata("ofac/consolidated-2018-04-06").to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("already in the registry: ofac-cons 2018-04-06"),
        "{}",
        stdout(&o)
    );
    assert_eq!(lists_json(&db).as_array().unwrap().len(), 1);

    // An entity of a list that is not in the registry is reported as absent, exit code 2.
    let o = run(&db, &["show", "ofac-sdn:22790"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("ofac-sdn:22790 is not in the registry"));
}

#[test]
fn malformed_file_fails_with_file_and_position_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let o = run(
        &db,
        &[
            "ingest",
            testdata("un/consolidated-2018-06-07.xml.gz")
                .to_str()
                .unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let before = lists_json(&db);

    let bad = testdata("un/consolidated-2025-08-16-malformed.xml.gz");
    let o = run(&db, &["ingest", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("consolidated-2025-08-16-malformed.xml"),
        "{err}"
    );
    assert!(err.contains("line "), "{err}");
    assert_eq!(lists_json(&db), before);
}

#[test]
fn ingest_of_several_paths_stops_at_the_first_bad_one_keeping_earlier_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let good = testdata("ofac/sdn-history/sdn-2021-11-23.csv.gz");
    let bad = testdata("ofac/xml/sdn-sample.xml.gz");
    let o = run(
        &db,
        &["ingest", good.to_str().unwrap(), bad.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("sdn-sample.xml"), "{}", stderr(&o));
    let lists = lists_json(&db);
    assert_eq!(lists.as_array().unwrap().len(), 1);
    assert_eq!(lists[0]["published"], "2021-11-23");
}

#[test]
fn published_option_overrides_and_bad_values_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let f = testdata("ofac/sdn-history/sdn-2021-12-02.csv.gz");
    let o = run(
        &db,
        &["ingest", f.to_str().unwrap(), "--published", "2021-12-03"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(lists_json(&db)[0]["published"], "2021-12-03");

    let o = run(
        &db,
        &["ingest", f.to_str().unwrap(), "--published", "03/12/2021"],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("expected a date as YYYY-MM-DD"),
        "{}",
        stderr(&o)
    );

    let o = run(&db, &["show", "sdn:1"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("unknown list \"sdn\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn registry_path_comes_from_the_environment_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.sqlite");
    let o = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .env("INTERDICT_DB", &db)
        .args([
            "ingest",
            testdata("un/consolidated-2018-06-07.xml.gz")
                .to_str()
                .unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(db.is_file());
}

#[test]
fn as_of_picks_the_publication_known_then() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    for f in [
        "ofac/sdn-history/sdn-2021-11-23.csv.gz",
        "ofac/sdn-history/sdn-2021-12-02.csv.gz",
    ] {
        let o = run(&db, &["ingest", testdata(f).to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let show = |as_of: &str| {
        let o = run(&db, &["show", "ofac-sdn:22790", "--json", "--as-of", as_of]);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["publication"]["published"].as_str().unwrap().to_string()
    };
    assert_eq!(show("2021-11-30"), "2021-11-23");
    assert_eq!(show("2021-12-02"), "2021-12-02");
    let o = run(&db, &["show", "ofac-sdn:22790", "--as-of", "2020-01-01"]);
    assert_eq!(o.status.code(), Some(2));

    // The FARC (ent_num 4711) left the SDN list on 2021-12-02: shown as its last version,
    // marked as not listed.
    let o = run(&db, &["show", "ofac-sdn:4711", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["listed"], false);
    assert_eq!(v["publication"]["published"], "2021-11-23");
    assert_eq!(v["not_in_publication"]["published"], "2021-12-02");
    assert_eq!(
        v["entity"]["names"][0]["full"],
        "REVOLUTIONARY ARMED FORCES OF COLOMBIA"
    );
    let o = run(
        &db,
        &["show", "ofac-sdn:4711", "--as-of", "2021-11-30", "--json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["listed"], true);
}
