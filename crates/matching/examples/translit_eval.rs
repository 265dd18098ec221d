//! How often a Cyrillic or Arabic word and its Latin spelling get the same key, over Wikidata
//! token pairs (`latin<TAB>spaced target<TAB>count`).
//!
//! `cargo run --release -p interdict-matching --example translit_eval [FILE...]`
//! (default: `../shared/data/translit/wikidata-en-{ru,ar}-tokens.tsv`). Pairs are weighted by
//! count. On the pairs the tables were generated from, the `canonical` column is optimistic
//! (the dictionary has seen them); the `text`, `skeleton` and `phonetic` columns are not, since
//! the text is always the rule-based romanisation.

use interdict_matching::analyze::{analyze, phonetic_key, skeleton};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/translit");
    let mut files: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if files.is_empty() {
        files.push(root.join("wikidata-en-ru-tokens.tsv"));
        files.push(root.join("wikidata-en-ar-tokens.tsv"));
    }
    for f in files {
        let text = std::fs::read_to_string(&f)?;
        let (mut total, mut exact, mut skel, mut phon, mut canon, mut any) = (0u64, 0, 0, 0, 0, 0);
        for line in text.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            let [latin, target, count] = cols[..] else {
                continue;
            };
            let n: u64 = count.parse().unwrap_or(1);
            let target: String = target.split(' ').collect();
            let (l, t) = (analyze(latin), analyze(&target));
            let (Some(l), Some(t)) = (l.tokens.last(), t.tokens.last()) else {
                continue;
            };
            total += n;
            let e = l.text == t.text;
            let s = skeleton(&l.text) == skeleton(&t.text);
            let p = phonetic_key(&l.text) == phonetic_key(&t.text);
            let c = l.key() == t.key();
            exact += e as u64 * n;
            skel += s as u64 * n;
            phon += p as u64 * n;
            canon += c as u64 * n;
            any += (e || s || p || c) as u64 * n;
        }
        let pct = |x: u64| 100.0 * x as f64 / total.max(1) as f64;
        println!(
            "{}: {total} pairs (weighted) — text {:.1}%, skeleton {:.1}%, phonetic {:.1}%, canonical {:.1}%, any {:.1}%",
            f.display(),
            pct(exact),
            pct(skel),
            pct(phon),
            pct(canon),
            pct(any)
        );
    }
    Ok(())
}
