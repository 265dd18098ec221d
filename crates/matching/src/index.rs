//! Candidate index and scoring (placeholder API; being written).

use interdict_model::{Entity, EntityKind, PartialDate};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MatchingError {
    /// Reading or writing an index file failed.
    #[error("index file: {0}")]
    Io(#[from] std::io::Error),
    /// An index file is not an interdict index, or of another version.
    #[error("index file: {0}")]
    Format(String),
}

/// What to screen.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Query {
    /// The name.
    pub name: String,
    /// Entity type, when known.
    pub kind: Option<EntityKind>,
    /// Date of birth (or incorporation), when known.
    pub dob: Option<PartialDate>,
    /// Country (nationality, citizenship, address), name or ISO code, when known.
    pub country: Option<String>,
    /// Identifier values (passport, IMO, BIC...), when known.
    pub identifiers: Vec<String>,
}

/// Search options.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchOptions {
    /// Maximum matches returned.
    pub limit: usize,
    /// Minimum score; 0 returns the top `limit` candidates whatever their score.
    pub threshold: f64,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            threshold: 0.8,
        }
    }
}

/// Why a name matched: serialisable, for `--explain` and JSON output.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Free-form detail, structured as JSON.
    pub detail: serde_json::Value,
}

/// One match.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Match {
    /// List id (`ofac-sdn`).
    pub list: String,
    /// Entity id on that list.
    pub id: String,
    /// The entity's primary name.
    pub name: String,
    /// The name of the entity that matched.
    pub matched_name: String,
    /// Score in [0, 1].
    pub score: f64,
    /// Why.
    pub explanation: Explanation,
}

/// The screening index over a set of entities.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct MatchIndex {
    names: Vec<(usize, String)>,
    entities: Vec<(String, String, String)>,
}

impl MatchIndex {
    /// Builds the index.
    pub fn build(entities: &[Entity]) -> MatchIndex {
        let mut index = MatchIndex::default();
        for (i, e) in entities.iter().enumerate() {
            let primary = e.primary_name().map(|n| n.full.clone()).unwrap_or_default();
            index.entities.push((e.list.clone(), e.id.clone(), primary));
            for n in &e.names {
                index.names.push((i, n.full.clone()));
            }
        }
        index
    }

    /// Number of entities indexed.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Finds the entities a query may be, best first.
    pub fn search(&self, query: &Query, options: &SearchOptions) -> Vec<Match> {
        let _ = (query, options);
        Vec::new()
    }

    /// Writes the index to one file.
    pub fn save(&self, writer: impl Write) -> Result<(), MatchingError> {
        serde_json::to_writer(writer, self).map_err(|e| MatchingError::Format(e.to_string()))
    }

    /// Reads an index written by [`save`](Self::save).
    pub fn load(reader: impl Read) -> Result<MatchIndex, MatchingError> {
        serde_json::from_reader(reader).map_err(|e| MatchingError::Format(e.to_string()))
    }
}

/// Scores one pair of names.
pub fn compare(a: &str, b: &str, kind: Option<EntityKind>) -> (f64, Explanation) {
    let _ = (a, b, kind);
    (0.0, Explanation::default())
}
