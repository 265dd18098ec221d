//! Parse and ingest benchmarks on the bundled real lists.
//!
//! `cargo bench -p interdict-cli --bench ingest`; results are recorded in docs/benchmarks.md.
//! Targets (2-core machine): parse of the OFAC 2023-12-28 set ≤ 300 ms, ingest ≤ 2 s.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use interdict_registry::Registry;
use interdict_sources::{load, LoadOptions};
use std::path::PathBuf;
use std::time::Duration;

fn lists() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/lists")
}

fn bench(c: &mut Criterion) {
    let sdn = lists().join("ofac-sdn-2023-12-28");
    let un = lists().join("un-consolidated-2026-02-27.xml.gz");
    let opts = LoadOptions::default();
    let mut g = c.benchmark_group("lists");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("parse ofac-sdn 2023-12-28 (csv set, gz)", |b| {
        b.iter(|| load(&sdn, &opts).expect("bundled list parses"))
    });
    g.bench_function("parse un 2026-02-27 (xml, gz)", |b| {
        b.iter(|| load(&un, &opts).expect("bundled list parses"))
    });
    let publication = load(&sdn, &opts).expect("bundled list parses");
    g.bench_function("ingest ofac-sdn 2023-12-28 into a new registry file", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("temp dir");
                let reg = Registry::open(dir.path().join("r.sqlite")).expect("registry opens");
                (dir, reg)
            },
            |(dir, mut reg)| {
                reg.ingest(&publication).expect("ingest succeeds");
                drop(reg);
                dir
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
