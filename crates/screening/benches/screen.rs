//! Screening benchmarks on the bundled lists: single-name latency on one thread, index build,
//! resident memory of the index.
//!
//! `cargo bench -p interdict-screening --bench screen`. Criterion reports means; the latency
//! percentiles (p50/p99 over the ~24k queries of `eval/decks/`) come from
//! `cargo bench -p interdict-screening --bench latency`. Targets: p50 ≤ 50 µs, p99 ≤ 500 µs,
//! build ≤ 300 ms, index ≤ 150 MB resident.

mod common;

use common::{bundled_entities, mib, real_looking_queries, rss_bytes};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use interdict_screening::{screen_one, MatchIndex, Query, SearchOptions};
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let entities = bundled_entities();
    let before = rss_bytes();
    let index = MatchIndex::build(&entities);
    let after = rss_bytes();
    eprintln!(
        "index of {} entities: resident memory +{:.1} MiB (VmRSS {:.1} → {:.1} MiB)",
        index.len(),
        mib(after.saturating_sub(before)),
        mib(before),
        mib(after)
    );
    let options = SearchOptions::default();

    let mut g = c.benchmark_group("screen one name (1 thread)");
    for (label, name) in [
        ("hit: Nicolas Maduro Moros", "Nicolas Maduro Moros"),
        ("hit, Cyrillic: Николас Мадуро", "Николас Мадуро"),
        ("miss: George Bush", "George Bush"),
        (
            "miss, company: Northwind Traders Ltd",
            "Northwind Traders Ltd",
        ),
    ] {
        let query = Query::name(name);
        g.bench_function(label, |b| {
            b.iter(|| screen_one(&index, black_box(&query), &options))
        });
    }
    let (queries, source) = real_looking_queries(&entities);
    let sample: Vec<&Query> = queries.iter().step_by(queries.len() / 1000 + 1).collect();
    g.throughput(Throughput::Elements(sample.len() as u64));
    g.bench_function(format!("{} queries {source}", sample.len()), |b| {
        b.iter(|| {
            for q in &sample {
                black_box(screen_one(&index, q, &options));
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("index");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function(format!("build ({} entities)", entities.len()), |b| {
        b.iter(|| MatchIndex::build(black_box(&entities)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
