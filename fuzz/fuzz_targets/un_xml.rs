//! The UN consolidated list XML reader on arbitrary bytes.
#![no_main]

use interdict_sources::input::Input;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(input) = Input::from_bytes("consolidated.xml", data.to_vec()) {
        let _ = interdict_sources::un_xml::parse(&input);
    }
});
