//! Per-query latency percentiles, index build time and memory, and batch throughput, on the
//! bundled lists and the ~24k real-looking queries of `eval/decks/`.
//!
//! `cargo bench -p interdict-screening --bench latency` prints one report. Criterion (the
//! `screen` bench) gives means; screening targets are stated as percentiles (p50 ≤ 50 µs,
//! p99 ≤ 500 µs on one thread), hence this timer of every single query.

mod common;

use common::{bundled_entities, mib, real_looking_queries, rss_bytes};
use interdict_screening::{screen_one, screen_reader, BatchOptions, MatchIndex, SearchOptions};
use std::hint::black_box;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// The allocator of the `interdict` binary, so that the numbers are the ones it gets.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this too: keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");

    let rss_start = rss_bytes();
    let entities = bundled_entities();
    let rss_entities = rss_bytes();
    let start = Instant::now();
    let index = MatchIndex::build(&entities);
    let build = start.elapsed();
    let rss_index = rss_bytes();
    let entity_count = entities.len();
    let (mut queries, source) = real_looking_queries(&entities);
    drop(entities);
    let rss_after_drop = rss_bytes();
    println!(
        "index: {} entities, built in {:.0} ms",
        entity_count,
        build.as_secs_f64() * 1e3
    );
    println!(
        "resident memory: {:.1} MiB at start, {:.1} with the parsed lists, {:.1} with the index \
         (+{:.1}), {:.1} once the lists are dropped",
        mib(rss_start),
        mib(rss_entities),
        mib(rss_index),
        mib(rss_index.saturating_sub(rss_entities)),
        mib(rss_after_drop)
    );

    if quick {
        queries.truncate(500);
    }
    let options = SearchOptions::default();
    for q in queries.iter().take(1000) {
        black_box(screen_one(&index, q, &options)); // warm-up
    }
    let mut times = Vec::with_capacity(queries.len());
    let mut hits = 0usize;
    let mut serialising = Duration::ZERO;
    for q in &queries {
        let t = Instant::now();
        let matches = screen_one(&index, black_box(q), &options);
        times.push(t.elapsed());
        hits += usize::from(!matches.is_empty());
        // What a batch adds per row: the JSON of the matches with their explanations.
        let t = Instant::now();
        black_box(serde_json::to_string(&matches).expect("matches serialise"));
        serialising += t.elapsed();
    }
    times.sort_unstable();
    let total: Duration = times.iter().sum();
    println!(
        "single query, 1 thread, {} queries {source} ({} with matches at threshold {}): mean \
         {:.1} µs, p50 {:.1} µs, p90 {:.1} µs, p99 {:.1} µs, p99.9 {:.1} µs, max {:.1} µs",
        times.len(),
        hits,
        options.threshold,
        micros(total) / times.len() as f64,
        micros(percentile(&times, 0.50)),
        micros(percentile(&times, 0.90)),
        micros(percentile(&times, 0.99)),
        micros(percentile(&times, 0.999)),
        micros(times[times.len() - 1]),
    );
    println!(
        "JSON of a row's matches (batch output): mean {:.1} µs",
        micros(serialising) / queries.len() as f64
    );

    // Batch: the deck names repeated to 200k rows of CSV, screened on every core of the rayon
    // pool (RAYON_NUM_THREADS to change) into a sink.
    let rows = if quick { 2_000 } else { 200_000 };
    let mut csv = Vec::new();
    let _ = writeln!(csv, "id,name");
    for (i, q) in queries.iter().cycle().take(rows).enumerate() {
        let _ = writeln!(csv, "{i},\"{}\"", q.name.replace('"', "\"\""));
    }
    let rss_before_batch = rss_bytes();
    let start = Instant::now();
    let summary = screen_reader(
        &index,
        &csv[..],
        Path::new("bench.csv"),
        std::io::sink(),
        &BatchOptions::default(),
        &mut |_| {},
    )
    .expect("batch runs");
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "batch: {} rows on {} threads in {:.2} s: {:.0} rows/s ({} with matches); resident \
         memory +{:.1} MiB during the batch",
        summary.rows,
        rayon::current_num_threads(),
        seconds,
        summary.rows as f64 / seconds,
        summary.rows_with_matches,
        mib(rss_bytes().saturating_sub(rss_before_batch))
    );
}
