//! The OFAC remarks-column parser on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = interdict_sources::remarks::parse(text);
    let _ = interdict_sources::remarks::parse_birth_date(text);
});
