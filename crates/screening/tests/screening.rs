//! Screening over the bundled real lists: the index of a registry as of a date, single queries
//! and batches in both formats.

use interdict_registry::Registry;
use interdict_screening::{
    index_from_registry, screen_one, screen_reader, BatchOptions, BatchSummary, MatchIndex,
    Progress, Query, Row, ScreeningError, SearchOptions,
};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn lists() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/lists")
}

/// A registry holding the bundled OFAC SDN of 2023-12-28 and UN list of 2026-02-27.
fn registry() -> Registry {
    let mut registry = Registry::open_in_memory().expect("in-memory registry");
    for path in [
        lists().join("ofac-sdn-2023-12-28"),
        lists().join("un-consolidated-2026-02-27.xml.gz"),
    ] {
        let publication =
            interdict_sources::load(&path, &Default::default()).expect("bundled list parses");
        registry.ingest(&publication).expect("ingest");
    }
    registry
}

fn index() -> &'static MatchIndex {
    static INDEX: OnceLock<MatchIndex> = OnceLock::new();
    INDEX.get_or_init(|| index_from_registry(&registry(), None).expect("index").0)
}

fn batch(name: &str, input: &str, chunk_rows: usize) -> (Vec<Value>, BatchSummary, Vec<Progress>) {
    let mut out = Vec::new();
    let mut progress = Vec::new();
    let options = BatchOptions {
        chunk_rows,
        ..BatchOptions::default()
    };
    let summary = screen_reader(
        index(),
        input.as_bytes(),
        Path::new(name),
        &mut out,
        &options,
        &mut |p| progress.push(p),
    )
    .expect("batch runs");
    let text = String::from_utf8(out).expect("output is UTF-8");
    let lines = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    (lines, summary, progress)
}

fn top(line: &Value) -> Option<String> {
    let m = line["matches"].get(0)?;
    Some(format!("{}:{}", m["list"].as_str()?, m["id"].as_str()?))
}

#[test]
fn index_of_the_lists_as_of_a_date() {
    let registry = registry();
    let (index, publications) = index_from_registry(&registry, None).unwrap();
    let lists: Vec<String> = publications
        .iter()
        .map(|p| format!("{} {}", p.list, p.published.unwrap()))
        .collect();
    assert_eq!(lists, ["ofac-sdn 2023-12-28", "un 2026-02-27"]);
    assert!(index.len() > 14_000, "{}", index.len());

    // In 2024 the UN publication of 2026 did not exist yet.
    let (index_2024, publications) =
        index_from_registry(&registry, Some(jiff::civil::date(2024, 1, 1))).unwrap();
    assert_eq!(publications.len(), 1);
    assert_eq!(index_2024.len(), publications[0].entity_count);

    let err = index_from_registry(&registry, Some(jiff::civil::date(2000, 1, 1))).unwrap_err();
    assert!(matches!(err, ScreeningError::NoLists { .. }));
    assert_eq!(
        err.to_string(),
        "the registry holds no list publication published on or before 2000-01-01"
    );
}

#[test]
fn maduro_is_found_however_written() {
    let options = SearchOptions::default();
    for name in ["Nicolas Maduro Moros", "MADURO, Nicolás", "Николас Мадуро"] {
        let matches = screen_one(index(), &Query::name(name), &options);
        let top = matches.first().map(|m| format!("{}:{}", m.list, m.id));
        assert_eq!(
            top.as_deref(),
            Some("ofac-sdn:22790"),
            "{name}: {matches:#?}"
        );
    }
    assert!(screen_one(index(), &Query::name("George Bush"), &options).is_empty());
}

#[test]
fn results_keep_the_contract() {
    let options = SearchOptions {
        limit: 3,
        threshold: 0.0,
    };
    let matches = screen_one(index(), &Query::name("Maduro"), &options);
    assert_eq!(matches.len(), 3);
    assert!(matches.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn countries_in_any_form_count_the_same() {
    let score = |country: Option<&str>| {
        let query = Row {
            name: Some("Nicolas Maduro"),
            country,
            ..Row::default()
        }
        .to_query()
        .unwrap();
        let options = SearchOptions {
            limit: 1,
            threshold: 0.0,
        };
        let m = screen_one(index(), &query, &options);
        assert_eq!(m[0].id, "22790");
        m[0].score
    };
    let venezuela = score(Some("VE"));
    assert_eq!(score(Some("VEN")), venezuela);
    assert_eq!(score(Some("Venezuela (Bolivarian Republic of)")), venezuela);
    assert!(
        venezuela >= score(None),
        "agreement does not lower the score"
    );
    assert!(
        score(Some("Mexico")) <= score(None),
        "conflict does not raise it"
    );
}

#[test]
fn csv_batch_keeps_order_and_reports_bad_rows() {
    let input = "id,name,type,dob,country,identifiers\n\
                 r1,Nicolas Maduro Moros,person,1962-11-23,VE,5892464\n\
                 r2,Zzyzx Qwertyuiop,,,,\n\
                 r3,Nicolas Maduro,,1962-13-01,,\n\
                 r4,,person,,,\n\
                 r5,HIZBALLAH,organization,,,\n\
                 r6,too,many,fields,here,x,y\n\
                 r7,\"MADURO, Nicolás\",,,,\n";
    // Chunks of 2 rows: order must hold across chunk boundaries.
    let (lines, summary, progress) = batch("in.csv", input, 2);
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["r1", "r2", "r3", "r4", "r5", "r6", "r7"]);
    assert_eq!(top(&lines[0]).as_deref(), Some("ofac-sdn:22790"));
    assert_eq!(lines[1]["matches"], serde_json::json!([]));
    assert_eq!(
        lines[2]["error"],
        "line 4: dob \"1962-13-01\": expected YYYY, YYYY-MM or YYYY-MM-DD"
    );
    assert!(
        lines[2].get("matches").is_none(),
        "an error row has no matches"
    );
    assert_eq!(lines[3]["error"], "line 5: no name");
    assert_eq!(top(&lines[4]).as_deref(), Some("ofac-sdn:4697"));
    assert_eq!(lines[5]["error"], "line 7: 7 fields where the header has 6");
    assert_eq!(top(&lines[6]).as_deref(), Some("ofac-sdn:22790"));
    let m = &lines[0]["matches"][0];
    for key in ["list", "id", "name", "matched_name", "score", "explanation"] {
        assert!(m.get(key).is_some(), "{key} in {m}");
    }
    assert_eq!(
        summary,
        BatchSummary {
            rows: 7,
            rows_with_matches: 3,
            errors: 3
        }
    );
    assert_eq!(progress.len(), 4);
    assert_eq!(progress.last().unwrap().rows, 7);
    assert_eq!(progress.last().unwrap().bytes, input.len() as u64);
}

#[test]
fn csv_batch_with_invalid_utf8_goes_on() {
    let mut input = b"id;name\n1;Nicolas Maduro Moros\n2;\xff\xfe\n".to_vec();
    input.extend_from_slice("3;Николас Мадуро\n".as_bytes());
    let mut out = Vec::new();
    let summary = screen_reader(
        index(),
        &input[..],
        Path::new("semicolons.txt"),
        &mut out,
        &BatchOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    let lines: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(summary.rows, 3);
    assert_eq!(
        lines[1]["error"],
        "line 3: column \"name\" is not valid UTF-8"
    );
    assert_eq!(top(&lines[2]).as_deref(), Some("ofac-sdn:22790"));
}

#[test]
fn json_lines_batch() {
    let input = "{\"id\": 1, \"name\": \"Nicolas Maduro Moros\", \"dob\": \"1962\", \"identifiers\": [\"5892464\"]}\n\
                 \n\
                 {\"id\": \"two\", \"name\": \"Zzyzx Qwertyuiop\", \"country\": \"Germany\"}\n\
                 [\"not\", \"an object\"]\n\
                 {\"id\": 4, \"name\": 5}\n\
                 {\"id\": 5, \"name\": \"MADURO, Nicolás\", \"type\": \"person\"}\n";
    let (lines, summary, _) = batch("in.jsonl", input, 4096);
    let ids: Vec<&Value> = lines.iter().map(|l| &l["id"]).collect();
    assert_eq!(
        ids,
        [
            &Value::from(1),
            &Value::from("two"),
            &Value::Null,
            &Value::from(4),
            &Value::from(5)
        ]
    );
    assert_eq!(top(&lines[0]).as_deref(), Some("ofac-sdn:22790"));
    assert_eq!(lines[1]["matches"], serde_json::json!([]));
    assert_eq!(
        lines[2]["error"],
        "line 4: not a JSON object: found an array"
    );
    assert_eq!(lines[3]["error"], "line 5: \"name\" must be a string");
    assert_eq!(top(&lines[4]).as_deref(), Some("ofac-sdn:22790"));
    assert_eq!(summary.errors, 2);
}

#[test]
fn files_that_are_not_screening_input_are_refused_by_name() {
    let run = |name: &str, input: &[u8]| {
        screen_reader(
            index(),
            input,
            Path::new(name),
            Vec::new(),
            &BatchOptions::default(),
            &mut |_| {},
        )
        .unwrap_err()
        .to_string()
    };
    let e = run("customers.csv", b"PK\x03\x04\x14\x00\x06\x00");
    assert!(e.starts_with("customers.csv: not a screening input"), "{e}");
    assert!(e.contains("xlsx"), "{e}");
    let e = run("notes.txt", b"Dear team,\nplease screen these.\n");
    assert!(e.starts_with("notes.txt: not a screening input"), "{e}");
    assert!(e.contains("no `name` column"), "{e}");
    let e = run("rows.json", b"[{\"name\": \"x\"}]");
    assert!(e.contains("JSON array"), "{e}");
}

#[test]
fn empty_inputs_have_no_rows() {
    for (name, input) in [("a.csv", ""), ("a.csv", "id,name\n"), ("a.jsonl", "\n\n")] {
        let (lines, summary, _) = batch(name, input, 4096);
        assert!(lines.is_empty());
        assert_eq!(summary, BatchSummary::default());
    }
}
