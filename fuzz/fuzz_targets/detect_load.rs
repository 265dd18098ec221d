//! Format detection and loading of a file on disk with arbitrary content (gzip or not), under
//! each name the detector treats differently.
#![no_main]

use interdict_sources::{load, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("interdict-fuzz-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let name = match data.first().map(|b| b % 4) {
        Some(0) => "sdn.csv",
        Some(1) => "cons_prim.csv",
        Some(2) => "list-2024-01-01.xml",
        _ => "sdn.csv.gz",
    };
    let path = dir.join(name);
    if std::fs::write(&path, data.get(1..).unwrap_or_default()).is_ok() {
        let _ = load(&path, &LoadOptions::default());
        let _ = std::fs::remove_file(&path);
    }
});
