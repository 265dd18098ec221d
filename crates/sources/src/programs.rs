//! Program tags → designations with their legal authority.
//!
//! The tables are data files (see `data/README.md` for their sources), embedded at build time
//! and parsed once. A tag not in the tables still yields a designation (the program is what the
//! list says), without an authority, and the caller records a warning.

use interdict_model::{Authority, Designation};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Deserialize)]
struct ProgramRow {
    tag: String,
    program: Option<String>,
    authorities: Vec<String>,
    #[serde(default)]
    regulations: Vec<String>,
    #[serde(default)]
    body: Option<String>,
}

struct Table {
    rows: HashMap<String, ProgramRow>,
    body: &'static str,
}

fn load(json: &str, body: &'static str) -> Table {
    // The tables are compiled in and checked by the tests below; an error here is a build defect.
    let rows: Vec<ProgramRow> =
        serde_json::from_str(json).expect("embedded program table is valid JSON");
    Table {
        rows: rows
            .into_iter()
            .map(|r| (r.tag.to_ascii_uppercase(), r))
            .collect(),
        body,
    }
}

fn ofac() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        load(
            include_str!("../data/ofac-programs.json"),
            "U.S. Department of the Treasury, OFAC",
        )
    })
}

fn un() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        load(
            include_str!("../data/un-regimes.json"),
            "UN Security Council",
        )
    })
}

fn lookup(table: &Table, tag: &str) -> (Designation, bool) {
    let tag = tag.trim();
    let upper = tag.to_ascii_uppercase();
    match table.rows.get(&upper) {
        Some(row) => (
            Designation {
                program: tag.to_string(),
                program_name: row.program.clone(),
                authority: Some(Authority {
                    legal_basis: row.authorities.clone(),
                    regulations: row.regulations.clone(),
                    body: row.body.clone().unwrap_or_else(|| table.body.to_string()),
                }),
                listed_on: None,
            },
            true,
        ),
        None => {
            // Tags named after their executive order ("ILLICIT-DRUGS-EO14059") carry their
            // authority in the name.
            let authority = upper
                .rsplit_once("-EO")
                .filter(|(_, n)| n.len() == 5 && n.bytes().all(|b| b.is_ascii_digit()))
                .map(|(_, n)| Authority {
                    legal_basis: vec![format!("E.O. {n}")],
                    regulations: Vec::new(),
                    body: table.body.to_string(),
                });
            let known = authority.is_some();
            (
                Designation {
                    program: tag.to_string(),
                    program_name: None,
                    authority,
                    listed_on: None,
                },
                known,
            )
        }
    }
}

/// The designation for an OFAC program tag (`SDGT`, `FTO`, `VENEZUELA`), and whether the tag is
/// known (unknown tags should be reported as warnings).
pub fn ofac_designation(tag: &str) -> (Designation, bool) {
    lookup(ofac(), tag)
}

/// The designation for a UN `UN_LIST_TYPE` (`Al-Qaida`, `DPRK`), and whether it is known.
pub fn un_designation(list_type: &str) -> (Designation, bool) {
    lookup(un(), list_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fto_rests_on_ina_219_and_is_designated_by_state() {
        let (d, known) = ofac_designation("FTO");
        assert!(known);
        let a = d.authority.unwrap();
        assert_eq!(a.legal_basis, ["INA §219 (8 U.S.C. §1189)"]);
        assert_eq!(a.body, "U.S. Department of State");
        assert_eq!(a.regulations, ["31 C.F.R. part 597"]);
    }

    #[test]
    fn sdgt_rests_on_eo_13224() {
        let (d, _) = ofac_designation("SDGT");
        assert_eq!(d.authority.unwrap().legal_basis, ["E.O. 13224"]);
        assert_eq!(
            d.program_name.as_deref(),
            Some("Counter Terrorism Sanctions")
        );
    }

    #[test]
    fn eo_tags_not_in_table_get_their_order() {
        let (d, known) = ofac_designation("SOMETHING-NEW-EO14999");
        assert!(known);
        assert_eq!(d.authority.unwrap().legal_basis, ["E.O. 14999"]);
        let (d, known) = ofac_designation("NOT-A-TAG");
        assert!(!known);
        assert_eq!(d.program, "NOT-A-TAG");
        assert!(d.authority.is_none());
    }

    #[test]
    fn un_regimes_name_their_resolutions() {
        let (d, known) = un_designation("Al-Qaida");
        assert!(known);
        let a = d.authority.unwrap();
        assert_eq!(a.body, "UN Security Council");
        assert!(a.legal_basis[0].contains("1267"));
    }
}
