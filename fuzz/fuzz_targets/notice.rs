//! The designation notice reader (YAML) on arbitrary text: never a panic, and whatever it
//! accepts is a notice the registry can place in time.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(notice) = interdict_sources::notice::parse("fuzz.yaml", text) {
        assert!(notice.known_from().is_some());
        let _ = notice.to_entity();
    }
});
