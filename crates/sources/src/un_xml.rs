//! UN Security Council Consolidated List XML (placeholder: being written).

use crate::input::Input;
use crate::SourceError;
use interdict_model::Publication;

/// Parses a UN consolidated list XML file.
pub fn parse(input: &Input) -> Result<Publication, SourceError> {
    Err(SourceError::malformed(&input.name, "-", "not implemented"))
}
