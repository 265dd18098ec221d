//! One release of one list.

use crate::Entity;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The lists interdict reads. The string form (`ofac-sdn`) is what users type and what the
/// registry stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ListId {
    /// OFAC Specially Designated Nationals and Blocked Persons list.
    #[serde(rename = "ofac-sdn")]
    OfacSdn,
    /// OFAC Consolidated (non-SDN) sanctions list.
    #[serde(rename = "ofac-cons")]
    OfacCons,
    /// UN Security Council Consolidated List.
    #[serde(rename = "un")]
    Un,
    /// Designation notices: what authorities announced, recorded by hand
    /// ([`Notice`](crate::Notice)), not a list file.
    #[serde(rename = "notice")]
    Notice,
}

impl ListId {
    /// All lists.
    pub const ALL: [ListId; 4] = [
        ListId::OfacSdn,
        ListId::OfacCons,
        ListId::Un,
        ListId::Notice,
    ];

    /// The stable string id.
    pub fn as_str(self) -> &'static str {
        match self {
            ListId::OfacSdn => "ofac-sdn",
            ListId::OfacCons => "ofac-cons",
            ListId::Un => "un",
            ListId::Notice => "notice",
        }
    }

    /// Parses the string id.
    pub fn parse(s: &str) -> Option<ListId> {
        ListId::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// A human title.
    pub fn title(self) -> &'static str {
        match self {
            ListId::OfacSdn => "OFAC Specially Designated Nationals and Blocked Persons List",
            ListId::OfacCons => "OFAC Consolidated Sanctions List (non-SDN)",
            ListId::Un => "UN Security Council Consolidated List",
            ListId::Notice => "Designation notices (announced designations)",
        }
    }
}

impl fmt::Display for ListId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A file a publication was read from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceFile {
    /// File name (no directory).
    pub name: String,
    /// SHA-256 of the file's bytes as read (after gzip decompression), lower-case hex.
    pub sha256: String,
    /// Size in bytes (decompressed).
    pub size: u64,
}

/// Something in a source file that was read but is doubtful: an unknown program tag, a date
/// that does not parse, a row with the wrong number of columns. Parsing goes on.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Warning {
    /// The file.
    pub file: String,
    /// Where in it: `line 12`, `ent_num 22790`, `REFERENCE_NUMBER QDi.006`.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.location, self.message)
    }
}

/// One release of one list: its entities and where they were read from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Publication {
    /// Which list.
    pub list: ListId,
    /// The publication date (from the file, its name, or the user).
    pub published: Option<jiff::civil::Date>,
    /// The files read, in a stable order.
    pub files: Vec<SourceFile>,
    /// The entities, in source order.
    pub entities: Vec<Entity>,
    /// Doubtful things found while reading.
    pub warnings: Vec<Warning>,
}
