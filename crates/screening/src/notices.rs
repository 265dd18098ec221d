//! Designation notices in screening: which notice entities are screened on a date, and the
//! status of their designations that day, for every match on one.
//!
//! A notice entity is screened on day D when the registry counts the notice by D (its first
//! public event is on or before D; see the registry's `notice` module for why that date
//! governs) and at least one of its designations is not revoked on D: a party whose every
//! designation was revoked is no longer designated, as a party dropped from a list is no longer
//! listed. `interdict show notice:ID --as-of D` still shows it.

use crate::ScreeningError;
use interdict_model::{DesignationStatus, Entity, ListId, Notice};
use interdict_registry::{NoticeVersion, Registry};
use serde::Serialize;
use std::collections::BTreeMap;

/// The notices as of a day, for building an index and annotating its matches.
#[derive(Clone, Debug)]
pub struct NoticeSet {
    day: jiff::civil::Date,
    notices: BTreeMap<String, NoticeVersion>,
}

/// One designation of a notice entity and where it stands on the screening day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DesignationOnDay {
    /// The program tag (`FTO`).
    pub program: String,
    /// The legal basis (`INA §219 (8 U.S.C. §1189)`).
    pub legal_basis: Vec<String>,
    /// The designating body.
    pub body: String,
    /// Its status on the day.
    pub status: DesignationStatus,
    /// The status in words (`announced, effective 2025-11-24`).
    pub status_text: String,
    /// For an FTO designation in force, when its five-year review falls due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_due: Option<jiff::civil::Date>,
}

/// Today in UTC: the day "now" means for notices when no `as_of` is given. UTC, not local time,
/// so that two machines agree on what was in force.
pub fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}

impl NoticeSet {
    /// The notices the registry counts by `as_of` (all of them, on today's date, when `None`).
    pub fn from_registry(
        registry: &Registry,
        as_of: Option<jiff::civil::Date>,
    ) -> Result<NoticeSet, ScreeningError> {
        let day = as_of.unwrap_or_else(today);
        let notices = registry
            .notices(Some(day))?
            .into_iter()
            .map(|v| (v.notice.id.clone(), v))
            .collect();
        Ok(NoticeSet { day, notices })
    }

    /// The day statuses are computed for.
    pub fn day(&self) -> jiff::civil::Date {
        self.day
    }

    /// How many notices count by the day.
    pub fn len(&self) -> usize {
        self.notices.len()
    }

    /// True when no notice counts by the day.
    pub fn is_empty(&self) -> bool {
        self.notices.is_empty()
    }

    /// The notice `id`, when counted.
    pub fn get(&self, id: &str) -> Option<&NoticeVersion> {
        self.notices.get(id)
    }

    /// The notices counted, by id.
    pub fn notices(&self) -> impl Iterator<Item = &NoticeVersion> {
        self.notices.values()
    }

    /// The entities to screen: those of notices with a designation not revoked on the day.
    pub fn entities(&self) -> Vec<Entity> {
        self.notices
            .values()
            .filter(|v| {
                v.notice
                    .designations
                    .iter()
                    .any(|d| !matches!(d.status_on(self.day), DesignationStatus::Revoked { .. }))
            })
            .map(|v| v.notice.to_entity())
            .collect()
    }

    /// The designations of the notice entity `list:id` with their status on the day; `None`
    /// for entities of other lists and unknown notices.
    pub fn status(&self, list: &str, id: &str) -> Option<Vec<DesignationOnDay>> {
        if list != ListId::Notice.as_str() {
            return None;
        }
        let version = self.notices.get(id)?;
        Some(designation_statuses(&version.notice, self.day))
    }
}

/// The designations of a notice with their status on `day`, in notice order.
pub fn designation_statuses(notice: &Notice, day: jiff::civil::Date) -> Vec<DesignationOnDay> {
    notice
        .designations
        .iter()
        .map(|d| {
            let status = d.status_on(day);
            DesignationOnDay {
                program: d.program.clone(),
                legal_basis: d.authority.legal_basis.clone(),
                body: d.authority.body.clone(),
                status_text: status.to_string(),
                status,
                review_due: d.review_due(day),
            }
        })
        .collect()
}
