//! OFAC `sdnList` XML (placeholder: being written).

use crate::input::Input;
use crate::SourceError;
use interdict_model::{ListId, Publication};

/// Parses an `sdnList` XML file.
pub fn parse(input: &Input, list: ListId) -> Result<Publication, SourceError> {
    let _ = list;
    Err(SourceError::malformed(&input.name, "-", "not implemented"))
}
