//! Designations over time, end to end, on the seed case: the bundled lists plus the notices of
//! `examples/notices/` (the Cartel de los Soles FTO designation announced on 2025-11-16,
//! effective 2025-11-24, after Treasury's earlier E.O. 13224 designation; Tren de Aragua and the
//! Sinaloa Cartel, FTOs effective 2025-02-20). What a compliance team asks on each day: what was
//! announced, what was in force, and what the registry says about it.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

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

fn example_notices() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/notices");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("examples/notices")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 3, "{files:?}");
    files
}

/// `interdict notice add examples/notices/*.yaml` into a fresh registry, then the bundled lists
/// (loaded by the first command that reads data). Shared by the read-only tests.
fn seeded() -> &'static Path {
    static DB: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DB.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("registry.sqlite");
        seed(&db);
        (dir, db)
    })
    .1
}

fn seed(db: &Path) {
    let mut args = vec!["notice", "add"];
    let files = example_notices();
    args.extend(files.iter().map(String::as_str));
    let o = run(db, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.matches(": recorded notice:").count(), 3, "{out}");
    // The bundled lists load on the first read.
    let o = run(db, &["lists"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn screen(name: &str, as_of: &str) -> Vec<Value> {
    let o = run(seeded(), &["screen", name, "--as-of", as_of, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice::<Vec<Value>>(&o.stdout).expect("a JSON array")
}

fn find<'a>(matches: &'a [Value], key: &str) -> Option<&'a Value> {
    matches.iter().find(|m| {
        format!(
            "{}:{}",
            m["list"].as_str().unwrap(),
            m["id"].as_str().unwrap()
        ) == key
    })
}

/// (program, state, status text) of each designation of a notice match.
fn statuses(m: &Value) -> Vec<(String, String, String)> {
    m["notice"]["designations"]
        .as_array()
        .expect("designations")
        .iter()
        .map(|d| {
            (
                d["program"].as_str().unwrap().to_string(),
                d["status"]["state"].as_str().unwrap().to_string(),
                d["status_text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_cartel_of_the_suns_on_each_day() {
    // Before the announcement: not known, not found.
    let before = screen("Cartel of the Suns", "2025-11-10");
    assert!(
        find(&before, "notice:cartel-de-los-soles").is_none(),
        "{before:#?}"
    );

    // Announced on the 16th, effective on the 24th; Treasury's SDGT designation already in
    // force.
    let announced = screen("Cartel of the Suns", "2025-11-20");
    let m = find(&announced, "notice:cartel-de-los-soles").expect("found as of 2025-11-20");
    assert_eq!(m["matched_name"], "Cartel of the Suns");
    assert_eq!(m["notice"]["as_of"], "2025-11-20");
    let fto = &m["notice"]["designations"][0];
    assert_eq!(fto["status"]["state"], "announced");
    assert_eq!(fto["status"]["effective"], "2025-11-24");
    assert_eq!(fto["status_text"], "announced, effective 2025-11-24");
    assert_eq!(
        statuses(m)[1],
        (
            "SDGT".into(),
            "in_force".into(),
            "in force since on or before 2025-11-16".into()
        )
    );
    // The leader link resolves to Maduro's SDN record.
    let leader = &m["notice"]["links"][0];
    assert_eq!(leader["relation"], "leader");
    assert_eq!(leader["target"], "ofac-sdn:22790");
    assert_eq!(leader["resolved"], "MADURO MOROS, Nicolas");

    // The day after it took effect: in force under INA §219 and E.O. 13224.
    let in_force = screen("Cartel of the Suns", "2025-11-25");
    let m = find(&in_force, "notice:cartel-de-los-soles").expect("found as of 2025-11-25");
    let designations = m["notice"]["designations"].as_array().unwrap();
    assert!(statuses(m).iter().all(|(_, state, _)| state == "in_force"));
    let bases: Vec<&str> = designations
        .iter()
        .flat_map(|d| d["legal_basis"].as_array().unwrap())
        .map(|b| b.as_str().unwrap())
        .collect();
    assert_eq!(bases, ["INA §219 (8 U.S.C. §1189)", "E.O. 13224"]);
    assert_eq!(designations[0]["review_due"], "2030-11-24");

    // Its Spanish name finds it too.
    let es = screen("Cartel de los Soles", "2025-11-25");
    assert!(find(&es, "notice:cartel-de-los-soles").is_some());
}

#[test]
fn the_human_output_shows_the_status() {
    let o = run(
        seeded(),
        &["screen", "Cartel of the Suns", "--as-of", "2025-11-20"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("notice:cartel-de-los-soles"), "{out}");
    assert!(
        out.contains(
            "FTO (INA §219 (8 U.S.C. §1189)) on 2025-11-20: announced, effective 2025-11-24"
        ),
        "{out}"
    );
    assert!(
        out.contains("leader: Nicolás Maduro → ofac-sdn:22790"),
        "{out}"
    );
    assert!(out.contains("and 3 notices as of 2025-11-20"), "{out}");
}

#[test]
fn batch_output_carries_the_notice_status() {
    // A customer file screened as of the announcement: the notice match carries its
    // designations' status on that day, exactly as `screen --json` does; list matches don't.
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("customers.csv");
    std::fs::write(
        &input,
        "id,name\nc1,Cartel of the Suns\nc2,Nicolas Maduro Moros\nc3,Jane Q Public\n",
    )
    .expect("write input");
    let input = input.to_string_lossy().into_owned();
    let o = run(
        seeded(),
        &["screen", "--input", &input, "--as-of", "2025-11-20"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 3);
    let cartel = lines[0]["matches"].as_array().expect("matches");
    let m = find(cartel, "notice:cartel-de-los-soles").expect("the notice matches");
    assert_eq!(m["notice"]["as_of"], "2025-11-20");
    assert_eq!(
        statuses(m)[0],
        (
            "FTO".into(),
            "announced".into(),
            "announced, effective 2025-11-24".into()
        )
    );
    assert_eq!(m["notice"]["links"][0]["resolved"], "MADURO MOROS, Nicolas");
    let maduro = lines[1]["matches"].as_array().expect("matches");
    let m = find(maduro, "ofac-sdn:22790").expect("Maduro matches");
    assert!(m.get("notice").is_none(), "{m}");
    assert_eq!(lines[2]["matches"], serde_json::json!([]));

    // Before the announcement the notice is not screened at all.
    let o = run(
        seeded(),
        &["screen", "--input", &input, "--as-of", "2025-11-10"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains("notice:") && !stdout(&o).contains("\"notice\""));
}

#[test]
fn tren_de_aragua_and_the_sinaloa_cartel_from_2025_02_20() {
    for (name, key) in [
        ("Tren de Aragua", "notice:tren-de-aragua"),
        ("Sinaloa Cartel", "notice:sinaloa-cartel"),
    ] {
        assert!(find(&screen(name, "2025-02-19"), key).is_none(), "{name}");
        let m = screen(name, "2025-02-20");
        let m = find(&m, key).unwrap_or_else(|| panic!("{name} as of 2025-02-20"));
        assert_eq!(
            statuses(m),
            [(
                "FTO".to_string(),
                "in_force".to_string(),
                "in force since 2025-02-20".to_string()
            )]
        );
    }
}

#[test]
fn show_notice_resolves_links_and_respects_as_of() {
    let o = run(
        seeded(),
        &[
            "show",
            "notice:cartel-de-los-soles",
            "--as-of",
            "2025-11-20",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["known_from"], "2025-11-16");
    assert_eq!(v["version"], 1);
    let names: Vec<(&str, &str)> = v["notice"]["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["name"].as_str().unwrap(), n["lang"].as_str().unwrap()))
        .collect();
    assert_eq!(
        names,
        [
            ("Cartel de los Soles", "es"),
            ("Cartel of the Suns", "en"),
            ("Cartel of the Soles", "en")
        ]
    );
    // Unknown dates stay unknown: no Federal Register publication, no citation.
    let fto_events = &v["notice"]["designations"][0]["events"];
    assert_eq!(
        fto_events,
        &serde_json::json!({"announced": "2025-11-16", "effective": "2025-11-24"})
    );
    let links: Vec<(&str, &str)> = v["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["target"].as_str().unwrap(),
                l["resolved"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            ("ofac-sdn:22790", "MADURO MOROS, Nicolas"),
            ("notice:tren-de-aragua", "Tren de Aragua"),
            ("notice:sinaloa-cartel", "Sinaloa Cartel")
        ]
    );

    let o = run(seeded(), &["show", "notice:cartel-de-los-soles"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("in force since 2025-11-24"), "{text}");
    assert!(
        text.contains("Federal Register publication: not known"),
        "{text}"
    );

    let o = run(
        seeded(),
        &[
            "show",
            "notice:cartel-de-los-soles",
            "--as-of",
            "2025-11-15",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("its first public event is on 2025-11-16"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn lists_as_of_a_date() {
    let o = run(seeded(), &["lists", "--as-of", "2025-11-20", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    let seen: Vec<String> = rows
        .iter()
        .map(|r| match r["notice"].as_str() {
            Some(n) => format!("notice:{n}"),
            None => format!("{} of {}", r["list"], r["published"]),
        })
        .collect();
    // The UN list of 2026-02-27 was not published yet.
    assert_eq!(
        seen,
        [
            "\"ofac-sdn\" of \"2023-12-28\"",
            "notice:cartel-de-los-soles",
            "notice:sinaloa-cartel",
            "notice:tren-de-aragua"
        ]
    );
    let o = run(
        seeded(),
        &["lists", "--as-of", "2025-02-19", "--list", "notice"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "", "no notice counts before 2025-02-20");
}

#[test]
fn adding_again_is_a_no_op_and_a_change_is_a_new_version() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    seed(&db);
    let entries = |db: &Path| -> usize {
        let o = run(db, &["audit", "log", "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o).lines().count()
    };
    let before = entries(&db);
    assert_eq!(before, 5, "three notices, two bundled publications");

    let files = example_notices();
    let mut args = vec!["notice", "add"];
    args.extend(files.iter().map(String::as_str));
    let o = run(&db, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).matches("unchanged (version 1)").count(), 3);
    assert_eq!(entries(&db), before);

    // The Federal Register publication becomes known (a made-up citation, for the test only).
    let cartel = files
        .iter()
        .find(|f| f.ends_with("cartel-de-los-soles.yaml"))
        .unwrap();
    let text = std::fs::read_to_string(cartel).unwrap().replace(
        "      effective: 2025-11-24\n",
        "      effective: 2025-11-24\n      published: 2025-11-24\n      federal_register: TEST-CITATION\n",
    );
    let changed = dir.path().join("cartel-de-los-soles.yaml");
    std::fs::write(&changed, text).unwrap();
    let o = run(&db, &["notice", "add", changed.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("recorded version 2 (supersedes 1)"),
        "{}",
        stdout(&o)
    );
    assert_eq!(entries(&db), before + 1);
    let o = run(&db, &["show", "notice:cartel-de-los-soles", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["version"].clone(), v["versions"].clone()),
        (2.into(), 2.into())
    );
    assert_eq!(
        v["notice"]["designations"][0]["events"]["federal_register"],
        "TEST-CITATION"
    );

    // The history lists both versions, what the second changed, and the events by date.
    let o = run(&db, &["history", "notice:cartel-de-los-soles", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let h: Value = serde_json::from_slice(&o.stdout).unwrap();
    let versions = h["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["changed"], serde_json::json!([]));
    assert_eq!(
        versions[1]["changed"],
        serde_json::json!([
            "designation FTO: +published 2025-11-24 Federal Register TEST-CITATION"
        ])
    );
    let events: Vec<(String, String, String)> = h["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["program"].as_str().unwrap().to_string(),
                e["event"].as_str().unwrap().to_string(),
                serde_json::to_string(&e["date"]).unwrap(),
            )
        })
        .collect();
    let fto: Vec<&str> = events
        .iter()
        .filter(|e| e.0 == "FTO")
        .map(|e| e.1.as_str())
        .collect();
    assert_eq!(fto, ["announced", "published", "effective"], "{events:?}");
    let o = run(&db, &["history", "notice:cartel-de-los-soles"]);
    let text = stdout(&o);
    assert!(
        text.contains("2025-11-24  FTO published: TEST-CITATION"),
        "{text}"
    );
    assert!(text.contains("v2  recorded"), "{text}");
    let o = run(&db, &["history", "notice:no-such-notice"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn invalid_notices_are_refused_with_their_line_and_nothing_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let files = example_notices();
    let cartel = files
        .iter()
        .find(|f| f.ends_with("cartel-de-los-soles.yaml"))
        .unwrap();
    let source = std::fs::read_to_string(cartel).unwrap();
    let line = source
        .lines()
        .position(|l| l.trim_start().starts_with("effective: 2025-11-24"))
        .expect("the effective line")
        + 1;
    let bad = dir.path().join("x.yaml");
    std::fs::write(
        &bad,
        source.replace("effective: 2025-11-24", "efective: 2025-11-24"),
    )
    .unwrap();
    let bad_path = bad.to_str().unwrap();
    let o = run(&db, &["notice", "add", &files[1], bad_path]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{bad_path}: line {line}, column 7: designations[0].events: unknown field `efective`, expected one of"
        )),
        "{err}"
    );
    assert!(err.contains("nothing recorded"), "{err}");
    let o = run(&db, &["notice", "list", "--json"]);
    assert_eq!(stdout(&o).trim(), "[]");

    let date = dir.path().join("d.yaml");
    std::fs::write(&date, source.replace("2025-11-24", "2025-11-31")).unwrap();
    let o = run(&db, &["notice", "add", date.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("line {line}, column 18"))
            && stderr(&o).contains("no such day"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn audit_verify_passes_then_names_the_altered_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    seed(&db);
    let o = run(&db, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("5 entries, chain intact"),
        "{}",
        stdout(&o)
    );

    // Someone edits the ingest of the bundled SDN list out of the record.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET payload = json_set(payload, '$.entities', 13820)
         WHERE kind = 'ingest' AND json_extract(payload, '$.list') = 'ofac-sdn';",
    )
    .unwrap();
    let seq: i64 = conn
        .query_row(
            "SELECT seq FROM audit_log WHERE json_extract(payload, '$.list') = 'ofac-sdn'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    let o = run(&db, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("audit log BROKEN at entry {seq} of 5")),
        "{}",
        stderr(&o)
    );
    let o = run(&db, &["audit", "verify", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["first_bad"]["seq"], seq);
}
