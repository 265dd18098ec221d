//! Names of an entity: primary name, aliases, former names, original-script forms.

use crate::Script;
use serde::{Deserialize, Serialize};

/// The standing of a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// The name the list files the entity under.
    Primary,
    /// A strong a.k.a.: sufficient on its own to identify the entity.
    Alias,
    /// OFAC's weak a.k.a. (UN "low quality" alias): a nickname or broad name that alone is not
    /// enough to identify the entity; screening weighs it less.
    WeakAlias,
    /// A former name (f.k.a.).
    FormerName,
    /// A name the entity is now known by (n.k.a.), when it is not the primary name.
    NowKnownAs,
}

/// UN alias quality, kept as stated ("Good", "Low", "a.k.a.", "f.k.a.").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AliasQuality {
    /// Good-quality alias.
    Good,
    /// Low-quality alias.
    Low,
}

/// The role of one part of a structured name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NamePartKind {
    /// Given name(s) (OFAC firstName, the part after the comma in "SURNAME, Given").
    Given,
    /// Surname (OFAC lastName, the part before the comma).
    Surname,
    /// UN FIRST_NAME.
    First,
    /// UN SECOND_NAME.
    Second,
    /// UN THIRD_NAME.
    Third,
    /// UN FOURTH_NAME.
    Fourth,
}

/// One part of a structured name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NamePart {
    /// Its role.
    pub kind: NamePartKind,
    /// Its text.
    pub value: String,
}

/// One name of an entity.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Name {
    /// The whole name as the source writes it (OFAC keeps "SURNAME, Given" order).
    pub full: String,
    /// Primary, alias, weak alias, former name…
    pub kind: NameKind,
    /// The script the name is written in; set for every name, detected from its letters.
    pub script: Script,
    /// True when the source marks this as the original-script form (UN `NAME_ORIGINAL_SCRIPT`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub original_script: bool,
    /// Name parts, where the source gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<NamePart>,
    /// UN alias quality, where stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<AliasQuality>,
}

impl Name {
    /// A name with no parts, its script detected from its text.
    pub fn new(full: impl Into<String>, kind: NameKind) -> Name {
        let full = full.into();
        let script = Script::detect(&full);
        Name {
            full,
            kind,
            script,
            original_script: false,
            parts: Vec::new(),
            quality: None,
        }
    }

    /// Adds a part (builder style).
    pub fn with_part(mut self, kind: NamePartKind, value: impl Into<String>) -> Name {
        let value = value.into();
        if !value.trim().is_empty() {
            self.parts.push(NamePart { kind, value });
        }
        self
    }
}
