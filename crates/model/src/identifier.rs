//! Identifiers: documents, registration numbers, addresses on networks.

use serde::{Deserialize, Serialize};

/// What an identifier identifies. `Other` keeps the source's label for everything else.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "label")]
pub enum IdentifierKind {
    /// Passport number.
    Passport,
    /// National identity document number (national ID, NIC, DNI, cédula de identidad…).
    NationalId,
    /// Venezuelan/Colombian cédula number.
    Cedula,
    /// Tax identification (RFC, NIT, RUC, INN, TIN, CUIT…).
    TaxId,
    /// US Social Security number.
    Ssn,
    /// Company registration number (registration ID, OGRN, company number…).
    Registration,
    /// Driver's license number.
    DriversLicense,
    /// IMO ship or company number.
    Imo,
    /// Maritime Mobile Service Identity.
    Mmsi,
    /// SWIFT/BIC code.
    SwiftBic,
    /// E-mail address.
    Email,
    /// Website.
    Website,
    /// Telephone number.
    Phone,
    /// Digital currency address; the label is the currency code (`XBT`, `ETH`…).
    DigitalCurrencyAddress(String),
    /// Aircraft tail number (registration mark).
    AircraftTailNumber,
    /// Aircraft manufacturer's serial number (MSN).
    AircraftSerialNumber,
    /// Any other identifier; the label is the source's own (`Residency Number`).
    Other(String),
}

/// One identifier of an entity.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identifier {
    /// What it is.
    #[serde(flatten)]
    pub kind: IdentifierKind,
    /// The identifier itself, as the source writes it.
    pub value: String,
    /// Issuing country, when stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Anything else the source says about it (issue/expiry dates, "expires 2020").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Identifier {
    /// An identifier with no country and no note.
    pub fn new(kind: IdentifierKind, value: impl Into<String>) -> Identifier {
        Identifier {
            kind,
            value: value.into(),
            country: None,
            note: None,
        }
    }
}
