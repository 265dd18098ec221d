//! OFAC legacy CSV set (placeholder: being written).

use crate::input::Input;
use crate::SourceError;
use interdict_model::{ListId, Publication};

/// The files of one CSV publication. Only the main file is required.
#[derive(Clone, Debug)]
pub struct CsvSet {
    /// `ofac-sdn` for `sdn.csv`, `ofac-cons` for `cons_prim.csv`.
    pub list: ListId,
    /// `sdn.csv` / `cons_prim.csv`.
    pub main: Input,
    /// `alt.csv` / `cons_alt.csv`.
    pub alt: Option<Input>,
    /// `add.csv` / `cons_add.csv`.
    pub add: Option<Input>,
    /// `sdn_comments.csv` / `cons_comments.csv`.
    pub comments: Option<Input>,
}

/// Parses a CSV set.
pub fn parse(set: &CsvSet) -> Result<Publication, SourceError> {
    Err(SourceError::malformed(
        &set.main.name,
        "-",
        "not implemented",
    ))
}
