//! Times `analyze` over every name of the bundled lists and prints statistics.
//!
//! `cargo run --release -p interdict-matching --example analyze_lists [PATH...]`
//! (default: the bundled OFAC SDN list and UN consolidated list).

use interdict_matching::analyze::{self, phonetic_key, skeleton};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        paths.push(root.join("data/lists/ofac-sdn-2023-12-28"));
        paths.push(root.join("data/lists/un-consolidated-2026-02-27.xml.gz"));
    }
    let mut names = Vec::new();
    for p in &paths {
        let publication = interdict_sources::load(p, &Default::default())?;
        for e in &publication.entities {
            names.extend(e.names.iter().map(|n| n.full.clone()));
        }
    }
    let t = Instant::now();
    analyze::preload();
    let load = t.elapsed();

    let t = Instant::now();
    let mut tokens = 0usize;
    let mut classes = [0usize; 6];
    let mut canonical = 0usize;
    for n in &names {
        let a = analyze::analyze(n);
        tokens += a.tokens.len();
        for tok in &a.tokens {
            classes[tok.class as usize] += 1;
            canonical += tok.canonical.is_some() as usize;
        }
    }
    let one_pass = t.elapsed();

    // Best of five for a stable per-name figure.
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for n in &names {
            std::hint::black_box(analyze::analyze(n));
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    let t = Instant::now();
    let mut k = 0usize;
    for n in &names {
        for tok in analyze::analyze(n).tokens {
            k += phonetic_key(&tok.text).len() + skeleton(&tok.text).len();
        }
    }
    let with_keys = t.elapsed();
    std::hint::black_box(k);
    let all: Vec<String> = names
        .iter()
        .flat_map(|n| analyze::analyze(n).tokens.into_iter().map(|t| t.text))
        .collect();
    let t = Instant::now();
    for tok in &all {
        std::hint::black_box(phonetic_key(tok));
    }
    let phonetic = t.elapsed();
    let t = Instant::now();
    for tok in &all {
        std::hint::black_box(skeleton(tok));
    }
    let skel = t.elapsed();

    println!("names: {} ({} tokens)", names.len(), tokens);
    println!("tables loaded in {load:?}");
    println!("first pass: {one_pass:?}");
    println!(
        "analyze: best {:.1} ms total, {:.2} µs/name",
        best * 1e3,
        best * 1e6 / names.len() as f64
    );
    println!("analyze + phonetic_key + skeleton per token: {with_keys:?}");
    println!(
        "phonetic_key: {:.0} ns/token, skeleton: {:.0} ns/token",
        phonetic.as_secs_f64() * 1e9 / all.len() as f64,
        skel.as_secs_f64() * 1e9 / all.len() as f64
    );
    let labels = [
        "word",
        "initial",
        "legal form",
        "honorific",
        "particle",
        "number",
    ];
    for (l, c) in labels.iter().zip(classes) {
        println!("  {l}: {c}");
    }
    println!("  with canonical: {canonical}");
    Ok(())
}
