//! Timings of the operations with a budget, on a publication the size of the SDN list.
//!
//! Ignored by default (timings mean nothing in a debug build or on a busy machine); run with
//!
//! ```text
//! cargo test --release -p interdict-registry --test timing -- --ignored --nocapture
//! ```

mod common;

use common::*;
use interdict_model::ListId;
use interdict_registry::*;
use jiff::civil::date;
use std::time::{Duration, Instant};

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    println!("{what}: {:.1} ms", took.as_secs_f64() * 1e3);
    (out, took)
}

#[test]
#[ignore = "timing; run in release"]
fn sdn_sized_publication_within_budget() {
    // 13,821 entities, as the 2023-12-28 SDN list.
    let first = publication(Some(date(2023, 12, 28)), "a", synthetics(13_820));
    let mut next = first.clone();
    next.files[0].sha256 = "cd".repeat(32);
    for i in (1..next.entities.len()).step_by(100) {
        next.entities[i] = synthetic(i as u64 - 1, 1);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.sqlite");
    let mut reg = Registry::open(&path).unwrap();

    let (outcome, ingest) = timed("ingest 13,821 new entities", || reg.ingest(&first).unwrap());
    let (_, _) = timed("re-ingest (no-op)", || reg.ingest(&first).unwrap());
    let (next_outcome, _) = timed("ingest next publication, 1% changed", || {
        reg.ingest(&next).unwrap()
    });
    let id = next_outcome.publication().id;
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let (entities, took) = timed("entities() of 13,821", || reg.entities(id).unwrap());
        assert_eq!(entities.len(), 13_821);
        best = best.min(took);
    }
    timed("entity() current", || {
        reg.entity(ListId::OfacSdn, "22790", None).unwrap().unwrap()
    });
    timed("entity_versions()", || {
        reg.entity_versions(ListId::OfacSdn, "30099").unwrap()
    });
    let stats = reg.stats().unwrap();
    drop(reg);
    println!(
        "{stats:?}\nfile: {} bytes",
        std::fs::metadata(&path).unwrap().len()
    );
    assert!(outcome.is_new());
    if !cfg!(debug_assertions) {
        assert!(ingest < Duration::from_secs(2), "ingest took {ingest:?}");
        assert!(
            best < Duration::from_millis(300),
            "entities() took {best:?}"
        );
    }
}
