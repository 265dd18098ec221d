//! One row of screening input: text fields → a [`Query`].
//!
//! This is kept apart from any file format so that every front end (the batch reader here, the
//! command line, Python or Spark bindings) validates a row the same way and reports the same
//! error for it.

use crate::country;
use interdict_matching::Query;
use interdict_model::{EntityKind, PartialDate};

/// Why one row cannot be screened. The batch goes on; the row's output line carries the message
/// prefixed by its line number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RowError {
    /// The name is missing or blank: there is nothing to screen.
    #[error("no name")]
    MissingName,
    /// The date of birth is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or not a real date.
    #[error("dob {0:?}: expected YYYY, YYYY-MM or YYYY-MM-DD")]
    Dob(String),
    /// The entity type is not one interdict knows.
    #[error("type {0:?}: expected person, organization, vessel or aircraft")]
    Kind(String),
    /// A field (CSV) or line (JSON) is not valid UTF-8; says which.
    #[error("{0} is not valid UTF-8")]
    Utf8(String),
    /// A CSV record has another number of fields than the header.
    #[error("{found} fields where the header has {expected}")]
    FieldCount {
        /// Fields in the record.
        found: usize,
        /// Fields in the header.
        expected: usize,
    },
    /// A JSON line is not a JSON object.
    #[error("not a JSON object: {0}")]
    Json(String),
    /// A JSON field has the wrong type.
    #[error("{field:?} must be {expected}")]
    FieldType {
        /// The key.
        field: &'static str,
        /// What it must be.
        expected: &'static str,
    },
}

/// The fields of one input row, as text, borrowed from wherever the row was read.
///
/// Absent and blank fields are the same thing: a spreadsheet export writes an empty cell where
/// a JSON producer omits the key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row<'a> {
    /// The name to screen (required).
    pub name: Option<&'a str>,
    /// `person`, `organization`, `vessel` or `aircraft`.
    pub kind: Option<&'a str>,
    /// Date of birth or incorporation: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub dob: Option<&'a str>,
    /// Country: ISO 3166 alpha-2 or alpha-3 code, or name.
    pub country: Option<&'a str>,
    /// Identifier values (passport, IMO, BIC…).
    pub identifiers: Vec<&'a str>,
}

impl Row<'_> {
    /// Validates the row and builds the query it asks.
    pub fn to_query(&self) -> Result<Query, RowError> {
        let name = non_blank(self.name).ok_or(RowError::MissingName)?;
        Ok(Query {
            name: name.to_string(),
            kind: self.kind.map(parse_kind).transpose()?.flatten(),
            // A date of birth the name field writes into the name stands for the one the row
            // lacks (`interdict_matching::date_in_name`).
            dob: match self.dob.map(parse_dob).transpose()?.flatten() {
                Some(dob) => Some(dob),
                None => interdict_matching::date_in_name(name),
            },
            country: non_blank(self.country).map(normalize_country),
            identifiers: self
                .identifiers
                .iter()
                .filter_map(|i| non_blank(Some(i)))
                .map(str::to_string)
                .collect(),
        })
    }
}

fn non_blank(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// Parses an entity type. Blank is `None`; besides the four model names, the words lists and
/// spreadsheets use for them are accepted (`individual`, `entity`, `organisation`, `ship`).
pub fn parse_kind(text: &str) -> Result<Option<EntityKind>, RowError> {
    let t = text.trim();
    let kind = match t.to_ascii_lowercase().as_str() {
        "" => return Ok(None),
        "person" | "individual" => EntityKind::Person,
        "organization" | "organisation" | "entity" | "company" => EntityKind::Organization,
        "vessel" | "ship" => EntityKind::Vessel,
        "aircraft" => EntityKind::Aircraft,
        _ => return Err(RowError::Kind(t.to_string())),
    };
    Ok(Some(kind))
}

/// Parses a date of birth: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real calendar date. Blank is
/// `None`.
pub fn parse_dob(text: &str) -> Result<Option<PartialDate>, RowError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let bad = || RowError::Dob(t.to_string());
    let mut parts = t.split('-');
    let mut number = |digits: usize| -> Result<Option<u16>, RowError> {
        match parts.next() {
            None => Ok(None),
            Some(p) if p.len() == digits && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse().map(Some).map_err(|_| bad())
            }
            Some(_) => Err(bad()),
        }
    };
    let year = number(4)?.ok_or_else(bad)?;
    let month = number(2)?;
    let day = if month.is_some() { number(2)? } else { None };
    if parts.next().is_some() {
        return Err(bad());
    }
    let year = i16::try_from(year).map_err(|_| bad())?;
    PartialDate::new(year, month.map(|m| m as u8), day.map(|d| d as u8))
        .map(Some)
        .ok_or_else(bad)
}

/// Splits a `;`-separated list of identifiers, dropping blanks.
pub fn split_identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// The form a country takes in a query: the ISO 3166 alpha-2 code when the table knows the
/// code or name, else the text as given (a region or a spelling the table lacks still means
/// something to a reader of the explanation).
pub fn normalize_country(text: &str) -> String {
    match country::lookup(text) {
        Some(c) => c.alpha2.to_string(),
        None => text.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_birth() {
        let d = |s| parse_dob(s).map(|d| d.map(|d| d.to_string()));
        assert_eq!(d("1962"), Ok(Some("1962".into())));
        assert_eq!(d(" 1962-11 "), Ok(Some("1962-11".into())));
        assert_eq!(d("1962-11-23"), Ok(Some("1962-11-23".into())));
        assert_eq!(d(""), Ok(None));
        for bad in [
            "62",
            "1962-13",
            "1962-02-30",
            "1962-1-3",
            "23/11/1962",
            "1962-11-23-1",
            "1962--",
            "abcd",
            "+962",
        ] {
            assert_eq!(d(bad), Err(RowError::Dob(bad.into())), "{bad}");
        }
    }

    #[test]
    fn kinds() {
        assert_eq!(parse_kind("Person"), Ok(Some(EntityKind::Person)));
        assert_eq!(parse_kind("individual"), Ok(Some(EntityKind::Person)));
        assert_eq!(
            parse_kind("organisation"),
            Ok(Some(EntityKind::Organization))
        );
        assert_eq!(parse_kind(" "), Ok(None));
        assert_eq!(parse_kind("boat"), Err(RowError::Kind("boat".into())));
    }

    #[test]
    fn rows_to_queries() {
        let row = Row {
            name: Some(" Nicolás Maduro "),
            kind: Some("person"),
            dob: Some("1962-11-23"),
            country: Some("Venezuela"),
            identifiers: split_identifiers("5892464; ;V-5892464").collect(),
        };
        let q = row.to_query().unwrap();
        assert_eq!(q.name, "Nicolás Maduro");
        assert_eq!(q.kind, Some(EntityKind::Person));
        assert_eq!(q.dob, PartialDate::new(1962, Some(11), Some(23)));
        assert_eq!(q.country.as_deref(), Some("VE"));
        assert_eq!(q.identifiers, ["5892464", "V-5892464"]);

        let blank = Row {
            name: Some("  "),
            ..Row::default()
        };
        assert_eq!(blank.to_query(), Err(RowError::MissingName));
        let unknown_country = Row {
            name: Some("x"),
            country: Some(" Crimea "),
            ..Row::default()
        };
        assert_eq!(
            unknown_country.to_query().unwrap().country.as_deref(),
            Some("Crimea")
        );
    }

    /// A date written into the name is the date of birth a row without one is screened with;
    /// a date column wins over it.
    #[test]
    fn a_date_in_the_name_is_the_date_of_birth() {
        let dob = |name, dob| {
            Row {
                name: Some(name),
                dob,
                ..Row::default()
            }
            .to_query()
            .unwrap()
            .dob
        };
        let nov23 = PartialDate::new(1962, Some(11), Some(23));
        assert_eq!(dob("MADURO MOROS NICOLAS 23/11/1962", None), nov23);
        assert_eq!(dob("MADURO MOROS NICOLAS 11/23/1962", None), nov23);
        assert_eq!(dob("1962-11-23 MADURO MOROS NICOLAS", None), nov23);
        // Day and month undecided: the year only.
        assert_eq!(
            dob("MADURO MOROS NICOLAS 11/12/1962", None),
            PartialDate::new(1962, None, None)
        );
        assert_eq!(
            dob("MADURO MOROS NICOLAS 23/11/1962", Some("1970")),
            PartialDate::new(1970, None, None)
        );
        assert_eq!(dob("FU YUAN YU 7884", None), None);
        assert_eq!(dob("A 01/02/1960 B 03/04/1970", None), None);
    }
}
