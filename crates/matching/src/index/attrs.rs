//! Secondary attributes: entity type, date of birth, country, identifiers.
//!
//! A name match is the primary evidence; these move its score by declared amounts
//! ([`ATTRIBUTES_V1`]). Agreement raises the score a little (it makes a name match more
//! credible but never makes a non-matching name a match), conflict lowers it more (a different
//! date of birth is strong evidence of a different person). The exception is an identifier:
//! an exact passport, IMO or BIC number is evidence on its own, so it lifts the score to at
//! least `identifier_floor` whatever the name says.

use super::explain::{Agreement, Attribute, AttributeEffect};
use interdict_model::{DateOfBirth, EntityKind, PartialDate};
use serde::{Deserialize, Serialize};

/// The declared effects of secondary attributes (part of the scoring version).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct AttributeWeights {
    /// Query type differs from the entity's.
    pub kind_conflict: f64,
    /// The query states no type but carries a legal form (`EMMA LLC`), and the entity is a
    /// person.
    pub inferred_kind_conflict: f64,
    /// Same full date of birth.
    pub dob_exact: f64,
    /// Same year and month.
    pub dob_month: f64,
    /// Same year (or the year within a listed range).
    pub dob_year: f64,
    /// One year apart, or within a circa window.
    pub dob_near: f64,
    /// Every listed date more than a year away.
    pub dob_conflict: f64,
    /// The query country is one of the entity's.
    pub country_match: f64,
    /// The entity states countries and the query's is none of them.
    pub country_conflict: f64,
    /// The least score of an entity sharing an identifier with the query; the name score adds
    /// up to `1 - identifier_floor` on top.
    pub identifier_floor: f64,
}

/// The effects `name-v16` uses.
pub const ATTRIBUTES_V1: AttributeWeights = AttributeWeights {
    kind_conflict: -0.15,
    inferred_kind_conflict: -0.1,
    dob_exact: 0.06,
    dob_month: 0.04,
    dob_year: 0.03,
    dob_near: 0.01,
    dob_conflict: -0.15,
    country_match: 0.03,
    country_conflict: -0.05,
    identifier_floor: 0.9,
};

/// A date as the index file stores it. `PartialDate` itself skips absent fields when
/// serialised, which a schema-less binary format cannot read back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Date {
    year: i16,
    month: Option<u8>,
    day: Option<u8>,
}

impl From<PartialDate> for Date {
    fn from(d: PartialDate) -> Date {
        Date {
            year: d.year,
            month: d.month,
            day: d.day,
        }
    }
}

impl From<Date> for PartialDate {
    fn from(d: Date) -> PartialDate {
        PartialDate {
            year: d.year,
            month: d.month,
            day: d.day,
        }
    }
}

/// A listed date of birth, as the index stores it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Dob {
    from: Date,
    to: Option<Date>,
    circa: bool,
}

impl From<&DateOfBirth> for Dob {
    fn from(d: &DateOfBirth) -> Dob {
        Dob {
            from: d.date.into(),
            to: d.to.map(Date::from),
            circa: d.circa,
        }
    }
}

impl Dob {
    fn describe(&self) -> String {
        let mut s = String::new();
        if self.circa {
            s.push_str("circa ");
        }
        s.push_str(&PartialDate::from(self.from).to_string());
        if let Some(to) = self.to {
            s.push_str(" to ");
            s.push_str(&PartialDate::from(to).to_string());
        }
        s
    }

    /// How `q` compares with this date, and the effect.
    fn compare(&self, q: PartialDate, w: &AttributeWeights) -> (Agreement, f64) {
        let listed = PartialDate::from(self.from);
        let (y, from) = (q.year as i32, listed.year as i32);
        if let Some(to) = self.to {
            let to = to.year as i32;
            return if (from..=to).contains(&y) {
                (Agreement::Partial, w.dob_year)
            } else if (from - 1..=to + 1).contains(&y) {
                (Agreement::Near, w.dob_near)
            } else {
                (Agreement::Conflict, w.dob_conflict)
            };
        }
        let window = if self.circa { 3 } else { 1 };
        if y != from {
            return if (y - from).abs() <= window {
                (Agreement::Near, w.dob_near)
            } else {
                (Agreement::Conflict, w.dob_conflict)
            };
        }
        if self.circa {
            return (Agreement::Partial, w.dob_year);
        }
        match ((q.month, listed.month), (q.day, listed.day)) {
            ((Some(a), Some(b)), _) if a != b => (Agreement::Near, w.dob_near),
            ((Some(_), Some(_)), (Some(a), Some(b))) if a != b => (Agreement::Near, w.dob_near),
            ((Some(_), Some(_)), (Some(_), Some(_))) => (Agreement::Exact, w.dob_exact),
            ((Some(_), Some(_)), _) => (Agreement::Partial, w.dob_month),
            _ => (Agreement::Partial, w.dob_year),
        }
    }
}

/// Compares the query's date with the listed ones (the closest counts); `None` when the entity
/// states none.
pub(crate) fn compare_dob(
    q: PartialDate,
    listed: &[Dob],
    w: &AttributeWeights,
) -> Option<AttributeEffect> {
    let mut best: Option<(Agreement, f64, &Dob)> = None;
    for d in listed {
        let (a, e) = d.compare(q, w);
        if best.is_none_or(|(_, be, _)| e > be) {
            best = Some((a, e, d));
        }
    }
    best.map(|(agreement, effect, d)| AttributeEffect {
        attribute: Attribute::DateOfBirth,
        query: q.to_string(),
        listed: d.describe(),
        agreement,
        effect,
    })
}

/// Compares the query's country (normalised) with the entity's; `None` when it states none.
pub(crate) fn compare_country(
    q: &str,
    q_raw: &str,
    listed: &[String],
    w: &AttributeWeights,
) -> Option<AttributeEffect> {
    if listed.is_empty() {
        return None;
    }
    let hit = listed.iter().any(|c| c == q);
    Some(AttributeEffect {
        attribute: Attribute::Country,
        query: q_raw.to_string(),
        listed: if hit {
            q.to_string()
        } else {
            listed.join(", ")
        },
        agreement: if hit {
            Agreement::Exact
        } else {
            Agreement::Conflict
        },
        effect: if hit {
            w.country_match
        } else {
            w.country_conflict
        },
    })
}

/// Compares entity types.
pub(crate) fn compare_kind(
    q: EntityKind,
    listed: EntityKind,
    w: &AttributeWeights,
) -> AttributeEffect {
    let same = q == listed;
    AttributeEffect {
        attribute: Attribute::EntityType,
        query: q.as_str().to_string(),
        listed: listed.as_str().to_string(),
        agreement: if same {
            Agreement::Exact
        } else {
            Agreement::Conflict
        },
        effect: if same { 0.0 } else { w.kind_conflict },
    }
}

/// A query with a legal form names an organisation: against a person, that is a (weaker,
/// because inferred) type conflict.
pub(crate) fn inferred_kind(listed: EntityKind, w: &AttributeWeights) -> Option<AttributeEffect> {
    (listed == EntityKind::Person).then(|| AttributeEffect {
        attribute: Attribute::EntityType,
        query: "organization (legal form)".to_string(),
        listed: listed.as_str().to_string(),
        agreement: Agreement::Conflict,
        effect: w.inferred_kind_conflict,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: Option<u8>, day: Option<u8>) -> PartialDate {
        PartialDate::new(y, m, day).expect("valid test date")
    }

    #[test]
    fn dates_of_birth_grade_agreement() {
        let w = &ATTRIBUTES_V1;
        let listed = [Dob::from(&DateOfBirth::exact(d(1962, Some(11), Some(23))))];
        let e = |q| compare_dob(q, &listed, w).map(|e| (e.agreement, e.effect));
        assert_eq!(
            e(d(1962, Some(11), Some(23))),
            Some((Agreement::Exact, w.dob_exact))
        );
        assert_eq!(
            e(d(1962, Some(11), None)),
            Some((Agreement::Partial, w.dob_month))
        );
        assert_eq!(
            e(d(1962, None, None)),
            Some((Agreement::Partial, w.dob_year))
        );
        assert_eq!(e(d(1963, None, None)), Some((Agreement::Near, w.dob_near)));
        assert_eq!(
            e(d(1970, None, None)),
            Some((Agreement::Conflict, w.dob_conflict))
        );
        let range = [Dob::from(&DateOfBirth {
            date: d(1960, None, None),
            to: Some(d(1964, None, None)),
            circa: false,
        })];
        assert_eq!(
            compare_dob(d(1963, Some(1), Some(1)), &range, w).map(|e| e.agreement),
            Some(Agreement::Partial)
        );
        assert!(compare_dob(d(1963, None, None), &[], w).is_none());
    }
}
