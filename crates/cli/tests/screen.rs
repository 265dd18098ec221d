//! End-to-end tests of `interdict screen`, `compare` and `index build` on the bundled lists.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

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

/// A registry with the bundled lists and an index file built from it, shared by the tests
/// (building them is the slow part).
struct Shared {
    _dir: tempfile::TempDir,
    db: PathBuf,
    index: PathBuf,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("registry.sqlite");
        let index = dir.path().join("lists.index");
        let o = run(
            &db,
            &["index", "build", "--output", index.to_str().unwrap()],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("ofac-sdn of 2023-12-28, un of 2026-02-27"));
        assert!(!dir.path().join("lists.index.partial").exists());
        Shared {
            _dir: dir,
            db,
            index,
        }
    })
}

/// `screen ARGS... --json` on the shared index: the matches.
fn screen_json(args: &[&str]) -> Vec<Value> {
    let s = shared();
    let mut all = vec!["screen", "--index", s.index.to_str().unwrap(), "--json"];
    all.extend_from_slice(args);
    let o = run(&s.db, &all);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("--json prints JSON");
    v.as_array().expect("an array of matches").clone()
}

fn key(m: &Value) -> String {
    format!(
        "{}:{}",
        m["list"].as_str().unwrap(),
        m["id"].as_str().unwrap()
    )
}

#[test]
fn maduro_is_the_top_match_however_written() {
    // On a fresh registry: the bundled lists are loaded, the index built from them.
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        &dir.path().join("r.sqlite"),
        &["screen", "Nicolas Maduro Moros", "--json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("loaded the bundled"), "{}", stderr(&o));
    let matches: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(key(&matches[0]), "ofac-sdn:22790");
    let m = &matches[0];
    assert_eq!(m["name"], "MADURO MOROS, Nicolas");
    for k in ["matched_name", "score", "explanation"] {
        assert!(m.get(k).is_some(), "{k} in {m}");
    }

    for name in ["MADURO, Nicolás", "Николас Мадуро"] {
        let matches = screen_json(&[name]);
        assert_eq!(
            matches.first().map(key).as_deref(),
            Some("ofac-sdn:22790"),
            "{name}: {matches:#?}"
        );
    }
}

#[test]
fn secondary_attributes_are_accepted() {
    let matches = screen_json(&[
        "Nicolas Maduro",
        "--type",
        "person",
        "--dob",
        "1962-11-23",
        "--country",
        "VE",
        "--id",
        "5892464",
    ]);
    assert_eq!(matches.first().map(key).as_deref(), Some("ofac-sdn:22790"));
}

#[test]
fn george_bush_is_not_listed() {
    assert_eq!(screen_json(&["George Bush"]), Vec::<Value>::new());
    let s = shared();
    let o = run(
        &s.db,
        &[
            "screen",
            "George Bush",
            "--index",
            s.index.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("No match."), "{}", stdout(&o));
}

#[test]
fn threshold_zero_returns_exactly_limit_candidates() {
    let matches = screen_json(&["George Bush", "--threshold", "0", "--limit", "3"]);
    assert_eq!(matches.len(), 3, "{matches:#?}");
    let scores: Vec<f64> = matches
        .iter()
        .map(|m| m["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn human_table() {
    let s = shared();
    let o = run(
        &s.db,
        &[
            "screen",
            "MADURO MOROS, Nicolas",
            "--limit",
            "1",
            // Explicit, so that recalibrating the default does not change this output.
            "--threshold",
            "0.8",
            "--index",
            s.index.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o).replace(s.index.to_str().unwrap(), "[INDEX]");
    insta::assert_snapshot!("screen_maduro_table", text);

    let o = run(
        &s.db,
        &[
            "screen",
            "Nicolas Maduro Moros",
            "--limit",
            "1",
            "--explain",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with(
            "\"Nicolas Maduro Moros\" against ofac-sdn of 2023-12-28, un of 2026-02-27"
        ),
        "{text}"
    );
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[3].contains("ofac-sdn:22790"), "{text}");
    assert!(lines.len() > 4, "an explanation follows the match: {text}");
    assert!(lines[4].starts_with("       "), "indented under it: {text}");
}

#[test]
fn as_of_screens_the_lists_of_that_date() {
    let s = shared();
    let o = run(
        &s.db,
        &["screen", "Nicolas Maduro Moros", "--as-of", "2024-01-01"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("against ofac-sdn of 2023-12-28 ("),
        "only the SDN list existed then: {}",
        stdout(&o)
    );
    let o = run(&s.db, &["screen", "x", "--as-of", "2000-01-01"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no list publication published on or before 2000-01-01"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn compare_scores_a_pair() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never-created.sqlite");
    let o = run(&db, &["compare", "EMMA LLC", "Emma Daniels", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let score = v["score"].as_f64().unwrap();
    assert!(score < 1.0, "{v}");
    assert!(
        score < interdict_matching::DEFAULT_THRESHOLD,
        "below the default threshold: {v}"
    );
    assert!(v["explanation"].is_object(), "{v}");
    assert!(!db.exists(), "compare needs no registry");

    let o = run(&db, &["compare", "EMMA LLC", "Emma Daniels"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("below the default screening threshold"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn index_file_gives_the_same_results_as_the_registry() {
    let s = shared();
    for args in [
        &["Nicolas Maduro Moros"][..],
        &["HIZBALLAH", "--type", "organization"],
        &["Ayman al-Zawahiri"],
        &["Maduro", "--threshold", "0", "--limit", "5"],
    ] {
        let mut with_registry = vec!["screen", "--json"];
        with_registry.extend_from_slice(args);
        let o = run(&s.db, &with_registry);
        assert!(o.status.success(), "{}", stderr(&o));
        let from_registry: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(Value::Array(screen_json(args)), from_registry, "{args:?}");
    }
    // A worker with only the index file needs no registry.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none/registry.sqlite");
    let o = run(
        &db,
        &[
            "screen",
            "Nicolas Maduro Moros",
            "--index",
            s.index.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!db.exists());
}

fn output_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("output written")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

fn top(line: &Value) -> Option<String> {
    line["matches"].get(0).map(key)
}

#[test]
fn csv_batch() {
    let s = shared();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("customers.csv");
    std::fs::write(
        &input,
        "id,name,type,dob,country,identifiers\n\
         c1,Nicolas Maduro Moros,person,1962-11-23,VE,5892464\n\
         c2,Emma Daniels,person,1985,GB,\n\
         c3,Nicolas Maduro,person,23/11/1962,,\n\
         c4,,person,,,\n\
         c5,HIZBALLAH,organization,,LB,\n\
         c6,Northwind Traders Ltd,organization,,,\n",
    )
    .unwrap();
    let output = dir.path().join("out.jsonl");
    let o = run(
        &s.db,
        &[
            "screen",
            "--input",
            input.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ],
    );
    // Finished, with rows that could not be screened: exit code 2.
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("screened 6 rows against ofac-sdn of 2023-12-28, un of 2026-02-27"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("2 with matches, 2 errors"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
    let lines = output_lines(&output);
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["c1", "c2", "c3", "c4", "c5", "c6"]);
    assert_eq!(top(&lines[0]).as_deref(), Some("ofac-sdn:22790"));
    assert_eq!(lines[1]["matches"], serde_json::json!([]));
    assert_eq!(
        lines[2]["error"],
        "line 4: dob \"23/11/1962\": expected YYYY, YYYY-MM or YYYY-MM-DD"
    );
    assert_eq!(lines[3]["error"], "line 5: no name");
    assert_eq!(top(&lines[4]).as_deref(), Some("ofac-sdn:4697"));
    assert_eq!(lines[5]["matches"], serde_json::json!([]));
    assert!(!dir.path().join("out.jsonl.partial").exists());

    // The same batch against the index file gives the same lines.
    let output2 = dir.path().join("out2.jsonl");
    let o = run(
        &s.db,
        &[
            "screen",
            "--input",
            input.to_str().unwrap(),
            "--output",
            output2.to_str().unwrap(),
            "--index",
            s.index.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(output_lines(&output2), lines);
}

#[test]
fn json_lines_batch_to_stdout() {
    let s = shared();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rows.jsonl");
    std::fs::write(
        &input,
        "{\"id\": 1, \"name\": \"Николас Мадуро\", \"identifiers\": [\"5892464\"]}\n\
         {\"id\": 2, \"name\": \"Emma Daniels\"}\n",
    )
    .unwrap();
    let o = run(
        &s.db,
        &[
            "screen",
            "--index",
            s.index.to_str().unwrap(),
            "--input",
            input.to_str().unwrap(),
            "--output",
            "-",
            "--threshold",
            "0",
            "--limit",
            "3",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(top(&lines[0]).as_deref(), Some("ofac-sdn:22790"));
    assert_eq!(lines[1]["matches"].as_array().unwrap().len(), 3);
}

#[test]
fn bad_invocations_say_what_is_wrong() {
    let s = shared();
    let index = s.index.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "Dear team,\nplease screen these.\n").unwrap();
    for (args, expected) in [
        (
            vec!["screen", "x", "--dob", "1962-13", "--index", index],
            "dob \"1962-13\"",
        ),
        (
            vec!["screen", "x", "--type", "boat", "--index", index],
            "type \"boat\"",
        ),
        (
            vec!["screen", "x", "--threshold", "2", "--index", index],
            "--threshold 2",
        ),
        (
            vec![
                "screen",
                "--input",
                notes.to_str().unwrap(),
                "--index",
                index,
            ],
            "notes.txt: not a screening input",
        ),
        (
            vec!["screen", "x", "--index", "/nonexistent/lists.index"],
            "/nonexistent/lists.index",
        ),
    ] {
        let o = run(&s.db, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
    }
    // An index file that is not one.
    let o = run(&s.db, &["screen", "x", "--index", notes.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("notes.txt"), "{}", stderr(&o));
}
