//! The OFAC CSV reader on arbitrary bytes: the input is split at 0xFF bytes into the main,
//! alt, add and comments files, so relations between files are exercised too.
#![no_main]

use interdict_model::ListId;
use interdict_sources::input::Input;
use interdict_sources::ofac_csv::{parse, CsvSet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0xFF);
    let mut next = |name: &str| parts.next().and_then(|p| Input::from_bytes(name, p.to_vec()).ok());
    let Some(main) = next("sdn.csv") else { return };
    let set = CsvSet { list: ListId::OfacSdn, main, alt: next("alt.csv"), add: next("add.csv"), comments: next("sdn_comments.csv") };
    let _ = parse(&set);
});
