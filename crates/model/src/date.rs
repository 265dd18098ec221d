//! Partial dates, as sanctions lists state them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar date of which only the year may be known ("1962", "Nov 1962", "23 Nov 1962").
///
/// Fields are validated by [`PartialDate::new`]: a day needs a month, months are 1–12 and days
/// fit the month. The fields are public for pattern matching; build values through `new` so
/// invalid dates never enter the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PartialDate {
    /// Year (lists carry years from the 1900s on; any `i16` is accepted).
    pub year: i16,
    /// Month 1–12 when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<u8>,
    /// Day of month when known (requires `month`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<u8>,
}

impl PartialDate {
    /// Builds a partial date, or `None` when the parts do not form a real calendar date.
    pub fn new(year: i16, month: Option<u8>, day: Option<u8>) -> Option<PartialDate> {
        match (month, day) {
            (None, Some(_)) => None,
            (Some(m), _) if !(1..=12).contains(&m) => None,
            (Some(m), Some(d)) => {
                jiff::civil::Date::new(year, m as i8, d as i8).ok()?;
                Some(PartialDate { year, month, day })
            }
            _ => Some(PartialDate { year, month, day }),
        }
    }

    /// A year-only date.
    pub fn year(year: i16) -> PartialDate {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    /// The full civil date, when day and month are known.
    pub fn to_civil(&self) -> Option<jiff::civil::Date> {
        jiff::civil::Date::new(self.year, self.month? as i8, self.day? as i8).ok()
    }
}

impl From<jiff::civil::Date> for PartialDate {
    fn from(d: jiff::civil::Date) -> Self {
        PartialDate {
            year: d.year(),
            month: Some(d.month() as u8),
            day: Some(d.day() as u8),
        }
    }
}

/// ISO 8601 with reduced precision: `1962`, `1962-11`, `1962-11-23`.
impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

/// One stated date of birth: a partial date, possibly approximate or a range.
///
/// A person with several candidate dates (OFAC "DOB 1938; alt. DOB 1936") has several
/// `DateOfBirth` values; the first is the one the source lists as main.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateOfBirth {
    /// The date, or the start of the range.
    pub date: PartialDate,
    /// The end of the range ("1960 to 1962"), if the source gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<PartialDate>,
    /// True for "circa"/"approximately" dates.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub circa: bool,
}

impl DateOfBirth {
    /// An exact (not circa, not range) date of birth.
    pub fn exact(date: PartialDate) -> DateOfBirth {
        DateOfBirth {
            date,
            to: None,
            circa: false,
        }
    }
}

impl fmt::Display for DateOfBirth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.circa {
            f.write_str("circa ")?;
        }
        write!(f, "{}", self.date)?;
        if let Some(to) = &self.to {
            write!(f, " to {to}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_impossible_dates() {
        assert!(PartialDate::new(1962, Some(2), Some(30)).is_none());
        assert!(PartialDate::new(1962, None, Some(3)).is_none());
        assert!(PartialDate::new(1962, Some(13), None).is_none());
        assert_eq!(
            PartialDate::new(1962, Some(11), Some(23))
                .unwrap()
                .to_string(),
            "1962-11-23"
        );
        assert_eq!(
            PartialDate::new(1962, Some(11), None).unwrap().to_string(),
            "1962-11"
        );
    }
}
