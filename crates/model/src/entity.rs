//! The designated party itself.

use crate::{DateOfBirth, Designation, Identifier, Name, NameKind};
use serde::{Deserialize, Serialize};

/// What kind of party an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A natural person.
    Person,
    /// A company, group, government body or other organisation (OFAC leaves the type blank for
    /// these).
    Organization,
    /// A ship.
    Vessel,
    /// An aircraft.
    Aircraft,
}

impl EntityKind {
    /// The lower-case name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Vessel => "vessel",
            EntityKind::Aircraft => "aircraft",
        }
    }
}

/// Gender, as lists state it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Male.
    Male,
    /// Female.
    Female,
}

/// A postal address, any part of which may be missing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Address {
    /// Street lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// City, with postal code where the source merges them (OFAC "London EC3N 1DY").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State or province.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Postal code, where separate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Country name as written by the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Remarks on the address ("as of June 2016").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Address {
    /// True when no part is known.
    pub fn is_empty(&self) -> bool {
        self == &Address::default()
    }
}

/// Details only ships have.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VesselInfo {
    /// Radio call sign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_sign: Option<String>,
    /// Vessel type ("Crude Oil Tanker").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vessel_type: Option<String>,
    /// Flag state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    /// Owner or operator as stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Tonnage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tonnage: Option<String>,
    /// Gross registered tonnage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gross_registered_tonnage: Option<String>,
    /// Year built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_built: Option<String>,
}

/// Details only aircraft have.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AircraftInfo {
    /// Model ("Airbus A340-313X").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Manufacture date as stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufactured: Option<String>,
}

/// A party this entity is linked to (OFAC "Linked To: NAME").
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Link {
    /// The relation as the source names it ("linked to").
    pub relation: String,
    /// The linked party's name, as the source writes it.
    pub name: String,
    /// The linked party's id in the same list, when the name resolves to exactly one entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// One designated party, as one publication of one list states it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entity {
    /// The list it is on (`ofac-sdn`, `ofac-cons`, `un`).
    pub list: String,
    /// The source-native id (OFAC ent_num `22790`, UN reference number `QDi.006`).
    pub id: String,
    /// Person, organisation, vessel or aircraft.
    pub kind: EntityKind,
    /// All names; the first is the primary name.
    pub names: Vec<Name>,
    /// Programs and their authorities.
    pub designations: Vec<Designation>,
    /// Documents, registrations, network addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    /// Dates of birth (or of incorporation, for organisations that state it), main first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub birth_dates: Vec<DateOfBirth>,
    /// Places of birth.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub birth_places: Vec<String>,
    /// Nationalities (country names as stated).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationalities: Vec<String>,
    /// Citizenships (country names as stated).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citizenships: Vec<String>,
    /// Gender, for persons that state it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// Addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    /// Titles and positions ("President of the Bolivarian Republic of Venezuela").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub positions: Vec<String>,
    /// Ship details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vessel: Option<VesselInfo>,
    /// Aircraft details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aircraft: Option<AircraftInfo>,
    /// Linked parties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Statements the source makes that have no typed field (sanctions information notes,
    /// free comments), each as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
}

impl Entity {
    /// An entity with only its identity filled in.
    pub fn new(list: impl Into<String>, id: impl Into<String>, kind: EntityKind) -> Entity {
        Entity {
            list: list.into(),
            id: id.into(),
            kind,
            names: Vec::new(),
            designations: Vec::new(),
            identifiers: Vec::new(),
            birth_dates: Vec::new(),
            birth_places: Vec::new(),
            nationalities: Vec::new(),
            citizenships: Vec::new(),
            gender: None,
            addresses: Vec::new(),
            positions: Vec::new(),
            vessel: None,
            aircraft: None,
            links: Vec::new(),
            remarks: Vec::new(),
        }
    }

    /// The primary name (the first name of kind `Primary`, else the first name at all).
    pub fn primary_name(&self) -> Option<&Name> {
        self.names
            .iter()
            .find(|n| n.kind == NameKind::Primary)
            .or_else(|| self.names.first())
    }

    /// `list:id`, the key used on the command line and in the API.
    pub fn key(&self) -> String {
        format!("{}:{}", self.list, self.id)
    }

    /// The program tags, in source order.
    pub fn programs(&self) -> impl Iterator<Item = &str> {
        self.designations.iter().map(|d| d.program.as_str())
    }
}
