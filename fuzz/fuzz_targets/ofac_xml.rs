//! The OFAC sdnList XML reader on arbitrary bytes.
#![no_main]

use interdict_model::ListId;
use interdict_sources::input::Input;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(input) = Input::from_bytes("sdn.xml", data.to_vec()) {
        let _ = interdict_sources::ofac_xml::parse(&input, ListId::OfacSdn);
    }
});
