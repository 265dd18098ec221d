//! What the screening benchmarks share: the bundled lists, real-looking queries, resident
//! memory.

#![allow(dead_code)] // each bench uses part of it

use interdict_model::Entity;
use interdict_screening::{Query, Row};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The entities of the bundled lists (OFAC SDN of 2023-12-28, UN of 2026-02-27), countries
/// normalised as `index_from_registry` does.
pub fn bundled_entities() -> Vec<Entity> {
    let lists = repo().join("data/lists");
    let mut entities = Vec::new();
    for path in [
        lists.join("ofac-sdn-2023-12-28"),
        lists.join("un-consolidated-2026-02-27.xml.gz"),
    ] {
        let publication =
            interdict_sources::load(&path, &Default::default()).expect("bundled list parses");
        entities.extend(publication.entities);
    }
    entities
        .iter_mut()
        .for_each(interdict_screening::country::normalize_entity_countries);
    entities
}

/// Real-looking queries and where they come from: the evaluation decks of `eval/decks/` (real
/// non-sanctioned companies and person names, and listed names perturbed the ways screening
/// must survive: typos, reordering, dropped tokens, initials, transliterations, aliases), name
/// and type; when the decks are absent, [`generated_queries`] from the lists.
pub fn real_looking_queries(entities: &[Entity]) -> (Vec<Query>, &'static str) {
    let decks = deck_queries();
    if decks.len() >= 10_000 {
        (decks, "eval/decks")
    } else {
        (
            generated_queries(entities, 20_000),
            "generated from the lists",
        )
    }
}

fn deck_queries() -> Vec<Query> {
    let Ok(dir) = std::fs::read_dir(repo().join("eval/decks")) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = dir
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    paths.sort();
    let mut queries = Vec::new();
    for path in paths {
        let Ok(mut reader) = csv::Reader::from_path(&path) else {
            continue;
        };
        let Ok(headers) = reader.headers().cloned() else {
            continue;
        };
        let col = |n: &str| headers.iter().position(|h| h == n);
        let (Some(name), kind) = (col("name"), col("type")) else {
            continue;
        };
        for record in reader.records().filter_map(Result::ok) {
            let row = Row {
                name: record.get(name),
                kind: kind.and_then(|k| record.get(k)),
                ..Row::default()
            };
            if let Ok(q) = row.to_query() {
                queries.push(q);
            }
        }
    }
    queries
}

/// `n` queries from the listed names, in four equal parts: names as listed; reordered,
/// lower-cased and accent-free; with one letter changed; and non-listed person names made of
/// the given name of one listed person and the surname of another (seeded, reproducible).
pub fn generated_queries(entities: &[Entity], n: usize) -> Vec<Query> {
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move |bound: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % bound.max(1) as u64) as usize
    };
    let names: Vec<&str> = entities
        .iter()
        .flat_map(|e| e.names.iter().map(|n| n.full.as_str()))
        .collect();
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let persons: Vec<Vec<String>> = entities
        .iter()
        .filter(|e| e.kind == interdict_model::EntityKind::Person)
        .filter_map(|e| e.primary_name().map(|n| words(&n.full)))
        .filter(|w| w.len() >= 2)
        .collect();
    (0..n)
        .map(|i| {
            let name = names[next(names.len())];
            let text = match i % 4 {
                0 => name.to_string(),
                1 => {
                    let mut w = words(&any_ascii::any_ascii(name).to_lowercase());
                    w.rotate_left(1);
                    w.join(" ")
                }
                2 => {
                    let mut chars: Vec<char> = name.chars().collect();
                    let at = next(chars.len());
                    if chars[at].is_alphabetic() {
                        chars[at] = (b'a' + next(26) as u8) as char;
                    }
                    chars.into_iter().collect()
                }
                _ => {
                    let a = &persons[next(persons.len())];
                    let b = &persons[next(persons.len())];
                    format!("{} {}", a[a.len() - 1], b[0])
                }
            };
            Query::name(text)
        })
        .collect()
}

/// Resident set size of this process in bytes (Linux `/proc/self/status` VmRSS), 0 elsewhere.
pub fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
