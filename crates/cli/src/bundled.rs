//! The default lists shipped with interdict, so a new user has a working registry offline.
//!
//! The files under `data/lists/` are compiled into the binary (1.4 MB of gzip): an installed
//! `interdict` works without the source tree. They are loaded only when a command needs data and
//! the registry is empty; an explicit `ingest` into an empty registry loads only what it was
//! given.

use interdict_model::{ListId, Publication};
use interdict_sources::input::Input;
use interdict_sources::{ofac_csv, resolve_links, un_xml, SourceError};

macro_rules! bundled {
    ($path:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/lists/",
            $path
        ))
    };
}

/// What is bundled, for messages.
pub const DESCRIPTION: &str =
    "OFAC SDN list of 2023-12-28 and UN Security Council Consolidated List of 2026-02-27";

fn input(name: &str, bytes: &[u8]) -> Result<Input, SourceError> {
    Input::from_bytes(name, bytes.to_vec())
}

/// Parses the bundled publications.
pub fn publications() -> Result<Vec<Publication>, SourceError> {
    let mut sdn = ofac_csv::parse(&ofac_csv::CsvSet {
        list: ListId::OfacSdn,
        main: input("sdn.csv.gz", bundled!("ofac-sdn-2023-12-28/sdn.csv.gz"))?,
        alt: Some(input(
            "alt.csv.gz",
            bundled!("ofac-sdn-2023-12-28/alt.csv.gz"),
        )?),
        add: Some(input(
            "add.csv.gz",
            bundled!("ofac-sdn-2023-12-28/add.csv.gz"),
        )?),
        comments: Some(input(
            "sdn_comments.csv.gz",
            bundled!("ofac-sdn-2023-12-28/sdn_comments.csv.gz"),
        )?),
    })?;
    sdn.published = Some(jiff::civil::date(2023, 12, 28));
    let mut un = un_xml::parse(&input(
        "un-consolidated-2026-02-27.xml.gz",
        bundled!("un-consolidated-2026-02-27.xml.gz"),
    )?)?;
    for p in [&mut sdn, &mut un] {
        resolve_links(p);
    }
    Ok(vec![sdn, un])
}
