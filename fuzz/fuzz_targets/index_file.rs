//! The index file reader (`interdict screen --index FILE`) on arbitrary bytes: never a panic,
//! and an index it accepts can be searched (loading validates every internal reference a search
//! follows). Random bytes never pass the header's checksum, so the body decoder and the
//! validation are also fuzzed on their own (`decode_body`).
#![no_main]

use interdict_matching::{decode_body, MatchIndex, Query, SearchOptions};
use libfuzzer_sys::fuzz_target;

fn exercise(index: &MatchIndex) {
    let options = SearchOptions {
        limit: 3,
        threshold: 0.0,
    };
    for name in ["Nicolas Maduro", "AL-QA'IDA", "Николас Мадуро", "a b", "SEA STAR 3"] {
        let _ = index.search(&Query::name(name), &options);
        let _ = index.search_exhaustive(&Query::name(name), &options);
    }
    let _ = index.stats();
}

fuzz_target!(|bytes: &[u8]| {
    if let Ok(index) = MatchIndex::load(bytes) {
        exercise(&index);
    }
    if let Ok(index) = decode_body(bytes) {
        exercise(&index);
    }
});
