//! Designations: why, by whom and under what a party is listed.

use serde::{Deserialize, Serialize};

/// The legal basis of a sanctions program, and who designates under it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Authority {
    /// Statutes or executive orders, e.g. `INA §219 (8 U.S.C. §1189)`, `E.O. 13224`.
    pub legal_basis: Vec<String>,
    /// Implementing regulations, e.g. `31 C.F.R. part 594`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regulations: Vec<String>,
    /// The designating body, e.g. `U.S. Department of State`, `UN Security Council`.
    pub body: String,
}

/// One program under which a list names an entity.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Designation {
    /// The program tag as the source writes it (`SDGT`, `FTO`, `VENEZUELA`, UN `Al-Qaida`).
    pub program: String,
    /// The program's full name when known (`Counter Terrorism Sanctions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program_name: Option<String>,
    /// The legal authority, when the program is known to us.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<Authority>,
    /// The listing date the source states (UN `LISTED_ON`); OFAC files carry none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_on: Option<jiff::civil::Date>,
}
