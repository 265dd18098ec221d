//! Ongoing monitoring end to end, on real SDN publications: on 2021-12-02 OFAC revoked the
//! FARC's designation (ent_num 4711 left the SDN list) and designated Segunda Marquetalia
//! (33974) and the FARC-EP (33983). A book holding customers with those names, and harmless
//! ones, must see the FARC alert closed and new alerts raised by that ingest alone; a decided
//! false positive stays quiet until the customer changes.

use interdict_registry::{AlertStatus, Registry};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn history(date: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../testdata/ofac/sdn-history/sdn-{date}.csv.gz"))
        .display()
        .to_string()
}

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interdict"))
        .env_remove("INTERDICT_DB")
        .env("USER", "analyst")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn alerts(db: &Path) -> Vec<Value> {
    let o = ok(run(db, &["alerts", "--json"]));
    let v: Value = serde_json::from_slice(&o.stdout).expect("alerts --json is JSON");
    v.as_array().expect("an array").clone()
}

/// (customer, entity key, status) of every alert, in id order.
fn summary(alerts: &[Value]) -> Vec<(String, String, String)> {
    alerts
        .iter()
        .map(|a| {
            (
                a["customer"]["id"].as_str().unwrap_or_default().to_string(),
                a["entity"]["key"].as_str().unwrap_or_default().to_string(),
                a["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn book(dir: &Path, name: &str, rows: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, rows).unwrap();
    path
}

const BOOK: &str = "id,name,type,country
c-segunda,Segunda Marquetalia,organization,
c-farc,Revolutionary Armed Forces of Colombia,organization,CO
c-maria,Maria Fernanda Lopez,person,ES
c-acme,Acme Widgets Inc,organization,US
c-jon,Jonathan Smithers,person,GB
,No Id Here,person,
";

fn s(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

#[test]
fn the_2021_12_02_update_closes_the_farc_alert_and_raises_its_successors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    ok(run(&db, &["ingest", &history("2021-11-23")]));

    // The row without an id is reported and left out; the others are screened.
    let input = book(dir.path(), "customers.csv", BOOK);
    let o = run(&db, &["monitor", "add", "--input", input.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("line 7: no id"), "{}", stderr(&o));
    assert_eq!(
        summary(&alerts(&db)),
        [s("c-farc", "ofac-sdn:4711", "open")],
        "before the update only the FARC is listed"
    );

    let o = ok(run(&db, &["ingest", &history("2021-12-02")]));
    assert!(stderr(&o).contains("monitoring:"), "{}", stderr(&o));
    let after = alerts(&db);
    assert_eq!(
        summary(&after),
        [
            s("c-farc", "ofac-sdn:4711", "closed"),
            s("c-segunda", "ofac-sdn:33974", "open"),
            s("c-farc", "ofac-sdn:33983", "open"),
        ]
    );
    assert_eq!(after[0]["closed_reason"], "delisted");
    assert_eq!(after[1]["trigger"], "ingest");
    assert_eq!(after[1]["publication"]["published"], "2021-12-02");

    // The same files again, and an explicit update: nothing new.
    ok(run(&db, &["ingest", &history("2021-12-02")]));
    let o = ok(run(&db, &["monitor", "update"]));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("latest lists already"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert_eq!(alerts(&db).len(), 3);
}

/// The lists' index a monitored ingest screens with is rebuilt from the index cache beside the
/// registry when there is one (written here by a `screen`), and built from scratch (then
/// cached) when there is none: the alerts, scores included, are the same either way, and so
/// is what `screen` finds through the cache left behind — an older publication ingested late
/// included.
#[test]
fn an_update_from_the_index_cache_raises_what_one_from_scratch_raises() {
    let outcome = |with_cache: bool| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("registry.sqlite");
        let cache = dir.path().join("registry.sqlite.index");
        ok(run(&db, &["ingest", &history("2021-11-23")]));
        let input = book(dir.path(), "customers.csv", BOOK);
        run(&db, &["monitor", "add", "--input", input.to_str().unwrap()]);
        if with_cache {
            ok(run(&db, &["screen", "Segunda Marquetalia"]));
            assert!(cache.exists());
        } else {
            let _ = std::fs::remove_file(&cache);
        }
        ok(run(&db, &["ingest", &history("2022-05-19")]));
        // Either way a cached index is there now for the next update to start from.
        assert!(cache.exists());
        // An older publication ingested late (not the latest of its list), then a newer one.
        ok(run(&db, &["ingest", &history("2021-12-02")]));
        ok(run(&db, &["ingest", &history("2022-05-20")]));
        let screened: Vec<String> = ["Segunda Marquetalia", "FARC-EP", "Natalia Dirks"]
            .iter()
            .map(|name| {
                let o = ok(run(&db, &["screen", name, "--json"]));
                String::from_utf8_lossy(&o.stdout).into_owned()
            })
            .collect();
        let _ = std::fs::remove_file(&cache);
        for (name, before) in ["Segunda Marquetalia", "FARC-EP", "Natalia Dirks"]
            .iter()
            .zip(&screened)
        {
            let o = ok(run(&db, &["screen", name, "--json"]));
            assert_eq!(&String::from_utf8_lossy(&o.stdout), before, "{name}");
        }
        alerts(&db)
            .iter()
            .map(|a| {
                (
                    a["customer"]["id"].to_string(),
                    a["entity"]["key"].to_string(),
                    a["status"].to_string(),
                    a["score"].to_string(),
                    a["matched_name"].to_string(),
                    a["explanation"].to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    let rebuilt = outcome(true);
    assert!(rebuilt.len() >= 3, "{rebuilt:?}");
    assert_eq!(rebuilt, outcome(false));
}

#[test]
fn a_decided_false_positive_is_raised_again_only_when_the_customer_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    ok(run(
        &db,
        &["ingest", &history("2021-11-23"), &history("2021-12-02")],
    ));
    let input = book(
        dir.path(),
        "customers.csv",
        "id,name,type\nc-segunda,Segunda Marquetalia,organization\nc-jon,Jonathan Smithers,person\n",
    );
    ok(run(
        &db,
        &["monitor", "add", "--input", input.to_str().unwrap()],
    ));
    let first = alerts(&db);
    assert_eq!(summary(&first), [s("c-segunda", "ofac-sdn:33974", "open")]);
    let id = first[0]["id"].to_string();

    // Decide: who defaults to $USER, the reason is kept, the audit log has it.
    let o = ok(run(
        &db,
        &[
            "alerts",
            "decide",
            &id,
            "--status",
            "false_positive",
            "--reason",
            "a cooperative of the same name, registered in 1998",
        ],
    ));
    assert!(String::from_utf8_lossy(&o.stdout).contains("false_positive"));
    let decided = alerts(&db);
    assert_eq!(decided[0]["status"], "false_positive");
    assert_eq!(decided[0]["decisions"][0]["by"], "analyst");
    {
        let registry = Registry::open(&db).unwrap();
        let entries = registry.audit_entries(1).unwrap();
        let decision = entries
            .iter()
            .find(|e| e.kind == "alert.decision")
            .expect("the decision is audited");
        assert_eq!(
            decision.payload["reason"],
            "a cooperative of the same name, registered in 1998"
        );
        assert_eq!(decision.payload["by"], "analyst");
        assert!(registry.audit_verify().unwrap().is_intact());
    }

    // Re-adding the same book, later publications (Segunda Marquetalia's record does not
    // change), explicit updates: the decided pair stays quiet.
    ok(run(
        &db,
        &["monitor", "add", "--input", input.to_str().unwrap()],
    ));
    ok(run(
        &db,
        &["ingest", &history("2022-05-19"), &history("2022-05-20")],
    ));
    ok(run(&db, &["monitor", "update"]));
    assert_eq!(
        summary(&alerts(&db)),
        [s("c-segunda", "ofac-sdn:33974", "false_positive")]
    );

    // The customer changes: the pair is looked at again.
    let changed = book(
        dir.path(),
        "changed.csv",
        "id,name,type\nc-segunda,La Segunda Marquetalia,organization\n",
    );
    let o = ok(run(
        &db,
        &["monitor", "add", "--input", changed.to_str().unwrap()],
    ));
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 updated"));
    let again = alerts(&db);
    assert_eq!(
        summary(&again),
        [
            s("c-segunda", "ofac-sdn:33974", "false_positive"),
            s("c-segunda", "ofac-sdn:33974", "open"),
        ]
    );
    assert_ne!(again[0]["customer"]["hash"], again[1]["customer"]["hash"]);
    assert_eq!(again[1]["customer"]["name"], "La Segunda Marquetalia");
    assert_eq!(again[1]["trigger"], "customer");

    // Deciding `closed` is refused; removing the customer closes its pending alert.
    let id = again[1]["id"].to_string();
    let o = run(
        &db,
        &[
            "alerts", "decide", &id, "--status", "closed", "--reason", "x",
        ],
    );
    assert!(!o.status.success());
    ok(run(&db, &["monitor", "remove", "c-segunda"]));
    let removed = alerts(&db);
    assert_eq!(removed[1]["status"], "closed");
    assert_eq!(removed[1]["closed_reason"], "customer_removed");
    let registry = Registry::open(&db).unwrap();
    assert_eq!(registry.book_len().unwrap(), 1);
    assert!(registry.alerts(Some(AlertStatus::Open)).unwrap().is_empty());
}

#[test]
fn alerts_json_has_the_customer_the_entity_the_score_why_when_and_from_which_publication() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    ok(run(&db, &["ingest", &history("2021-12-02")]));
    let input = book(
        dir.path(),
        "customers.jsonl",
        r#"{"id": 17, "name": "SEGUNDA MARQUETALIA", "type": "organization", "country": "CO"}"#,
    );
    ok(run(
        &db,
        &["monitor", "add", "--input", input.to_str().unwrap()],
    ));
    let a = &alerts(&db)[0];
    let keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "closed_reason",
            "customer",
            "decisions",
            "entity",
            "explanation",
            "id",
            "matched_name",
            "publication",
            "raised_at",
            "score",
            "status",
            "trigger",
            "updated_at"
        ]
    );
    assert_eq!(a["customer"]["id"], "17");
    assert_eq!(a["customer"]["name"], "SEGUNDA MARQUETALIA");
    assert_eq!(a["customer"]["hash"].as_str().unwrap().len(), 64);
    assert_eq!(a["entity"]["key"], "ofac-sdn:33974");
    assert_eq!(a["entity"]["name"], "SEGUNDA MARQUETALIA");
    assert_eq!(a["entity"]["record_hash"].as_str().unwrap().len(), 64);
    assert_eq!(a["score"], 1.0);
    assert_eq!(a["explanation"]["algorithm"], "name-v16");
    assert_eq!(a["publication"]["list"], "ofac-sdn");
    assert!(a["raised_at"]
        .as_str()
        .unwrap()
        .parse::<jiff::Timestamp>()
        .is_ok());
    assert_eq!(a["decisions"], Value::Array(vec![]));

    // The record hash is the registry's own name for the record.
    let registry = Registry::open(&db).unwrap();
    let versions = registry
        .entity_versions(interdict_model::ListId::OfacSdn, "33974")
        .unwrap();
    assert_eq!(a["entity"]["record_hash"], versions[0].record.to_hex());

    let o = ok(run(&db, &["alerts", "show", &a["id"].to_string()]));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("SEGUNDA MARQUETALIA"), "{text}");
    assert!(text.contains("explanation"), "{text}");
    let o = ok(run(&db, &["alerts", "--status", "open"]));
    assert!(String::from_utf8_lossy(&o.stdout).contains("ofac-sdn:33974"));
    assert!(!run(&db, &["alerts", "--status", "maybe"]).status.success());
}
