//! Search latency, index build time and memory over the bundled lists (OFAC SDN 2023-12-28 + UN
//! 2026-02-27).
//!
//! `cargo bench -p interdict-matching --bench search` runs the criterion benchmarks and then
//! prints a latency distribution (p50/p90/p99/max of single searches, one thread) and the
//! resident memory the index adds. The queries mix what a screening system sees: list names
//! with a typo, list names with a token dropped, names as printed in other orders, and names
//! that are on no list (company names and common person names), so that both the hit path and
//! the miss path are measured.

use criterion::{criterion_group, Criterion};
use interdict_matching::{MatchIndex, Query, SearchOptions};
use interdict_model::Entity;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

fn entities() -> Vec<Entity> {
    let lists = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/lists");
    let mut all = Vec::new();
    for file in ["ofac-sdn-2023-12-28", "un-consolidated-2026-02-27.xml.gz"] {
        let p = interdict_sources::load(&lists.join(file), &Default::default())
            .expect("bundled list loads");
        all.extend(p.entities);
    }
    all
}

/// A deterministic mix of queries (see the module docs).
fn queries(entities: &[Entity]) -> Vec<String> {
    let mut out = Vec::new();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for _ in 0..600 {
        let e = &entities[next(entities.len())];
        let Some(name) = e.names.get(next(e.names.len().max(1))) else {
            continue;
        };
        let mut words: Vec<String> = name
            .full
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        match next(4) {
            0 => {
                // A typo: one letter doubled.
                let i = next(words.len());
                let w = &mut words[i];
                if let Some((at, c)) = w.char_indices().nth(w.chars().count() / 2) {
                    w.insert(at, c);
                }
            }
            1 if words.len() > 2 => {
                words.remove(next(words.len()));
            }
            2 => words.reverse(),
            _ => {}
        }
        out.push(words.join(" "));
    }
    let firsts = [
        "James", "Maria", "John", "Wei", "Ahmed", "Olga", "Carlos", "Emma", "Peter", "Fatima",
    ];
    let lasts = [
        "Smith", "Garcia", "Johnson", "Wang", "Hassan", "Ivanova", "Silva", "Brown", "Schmidt",
        "Khan",
    ];
    for f in firsts {
        for l in lasts {
            out.push(format!("{f} {l}"));
        }
    }
    for company in [
        "NVIDIA CORP",
        "Apple Inc.",
        "BERKSHIRE HATHAWAY INC",
        "Bank of America Corp",
        "Tesla, Inc.",
        "Shanghai Fudan Microelectronics Co Limited",
        "Restaurant Brands International Limited Partnership",
        "Contemporary Amperex Technology Co., Limited",
        "First Real Estate Investment Trust of New Jersey",
        "Global Shipping Trading LLC",
    ] {
        out.push(company.to_string());
    }
    out
}

fn resident_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn benches(c: &mut Criterion) {
    let entities = entities();
    let index = MatchIndex::build(&entities);
    let queries = queries(&entities);
    let options = SearchOptions::default();

    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    group.bench_function("build", |b| {
        b.iter(|| MatchIndex::build(black_box(&entities)))
    });
    // A day's changes: the previous index lacked 40 of today's entities and had 20 others
    // with another name; `rebuild` takes the rest from it.
    let yesterday: Vec<Entity> = entities
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 370 != 0)
        .map(|(i, e)| {
            let mut e = e.clone();
            if i % 741 == 5 {
                e.names.push(interdict_model::Name::new(
                    "Yesterday Trading",
                    interdict_model::NameKind::Alias,
                ));
            }
            e
        })
        .collect();
    let today: Vec<&Entity> = entities.iter().collect();
    let changed = |e: &Entity| e.names.iter().any(|n| n.full == "Yesterday Trading");
    let yesterday_ids: std::collections::HashSet<(&str, &str)> = yesterday
        .iter()
        .filter(|e| changed(e))
        .map(|e| (e.list.as_str(), e.id.as_str()))
        .collect();
    let unchanged = |e: &Entity| !yesterday_ids.contains(&(e.list.as_str(), e.id.as_str()));
    group.bench_function("rebuild_after_a_day", |b| {
        b.iter_batched(
            || MatchIndex::build(&yesterday),
            |previous| MatchIndex::rebuild(previous, black_box(&today), &unchanged),
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();

    let mut i = 0;
    c.bench_function("search/single", |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            index.search(&Query::name(queries[i].as_str()), black_box(&options))
        })
    });
    c.bench_function("search/exact-hit", |b| {
        b.iter(|| index.search(&Query::name("MADURO MOROS, Nicolas"), black_box(&options)))
    });
}

/// Latency distribution of single searches and the memory of the index.
fn report() {
    let before = resident_kb();
    let entities = entities();
    let loaded = resident_kb();
    let started = Instant::now();
    let index = MatchIndex::build(&entities);
    let build = started.elapsed();
    let built = resident_kb();
    let queries = queries(&entities);
    let options = SearchOptions::default();
    // Warm up (page in the index, thread-local buffers).
    for q in &queries {
        black_box(index.search(&Query::name(q.as_str()), &options));
    }
    let mut times: Vec<Duration> = Vec::with_capacity(queries.len() * 5);
    for _ in 0..5 {
        for q in &queries {
            let t = Instant::now();
            black_box(index.search(&Query::name(q.as_str()), &options));
            times.push(t.elapsed());
        }
    }
    times.sort();
    let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    let mut file = Vec::new();
    let saved = index.save(&mut file).is_ok();
    let t = Instant::now();
    let reloaded = MatchIndex::load(&file[..]).is_ok();
    let load = t.elapsed();
    let stats = index.stats();
    println!(
        "\nsingle-name search, {} queries × 5, one thread: p50 {:?}  p90 {:?}  p99 {:?}  max {:?}",
        queries.len(),
        at(0.5),
        at(0.9),
        at(0.99),
        times[times.len() - 1]
    );
    println!(
        "index: {} entities, {} names, {} terms, {} keys; build {:?}; heap ≈ {:.1} MB",
        stats.entities,
        stats.names,
        stats.terms,
        stats.keys,
        build,
        stats.heap_bytes as f64 / 1e6
    );
    if let (Some(b), Some(l), Some(a)) = (before, loaded, built) {
        println!(
            "resident: {:.1} MB before, {:.1} MB with entities, {:.1} MB with index (+{:.1} MB)",
            b as f64 / 1024.0,
            l as f64 / 1024.0,
            a as f64 / 1024.0,
            (a.saturating_sub(l)) as f64 / 1024.0
        );
    }
    if saved && reloaded {
        println!(
            "index file: {:.1} MB, load {:?}",
            file.len() as f64 / 1e6,
            load
        );
    }
}

criterion_group!(search, benches);

fn main() {
    report();
    search();
    Criterion::default().configure_from_args().final_summary();
}
