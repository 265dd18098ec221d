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

/// A link of a notice, with the party its `list:id` names as the registry holds it on the day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResolvedLink {
    /// `leader`, `associate`.
    pub relation: String,
    /// The name the notice gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `list:id`, when the notice gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The primary name of the party `target` names in the registry on the day; `None` when it
    /// is not there (or there is no target, or the target is not a `list:id`).
    pub resolved: Option<String>,
}

/// The links of a notice, each with the party its `list:id` names resolved in the registry as
/// it stood on `as_of` (today when `None`).
pub fn resolve_links(
    registry: &Registry,
    notice: &Notice,
    as_of: Option<jiff::civil::Date>,
) -> Result<Vec<ResolvedLink>, ScreeningError> {
    let mut out = Vec::with_capacity(notice.links.len());
    for link in &notice.links {
        let target = link.target.as_deref().and_then(|t| {
            let (list, id) = t.split_once(':')?;
            Some((ListId::parse(list.trim())?, id.trim()))
        });
        let resolved = match target {
            Some((_, "")) | None => None,
            Some((ListId::Notice, id)) => registry
                .notice(id, as_of)?
                .map(|v| notice_primary_name(&v.notice).to_string()),
            Some((list, id)) => registry
                .entity(list, id, as_of)?
                .and_then(|(_, e)| e.primary_name().map(|n| n.full.clone())),
        };
        out.push(ResolvedLink {
            relation: link.relation.clone(),
            name: link.name.clone(),
            target: link.target.clone(),
            resolved,
        });
    }
    Ok(out)
}

/// The name a notice is known by: its primary name, else its first.
pub fn notice_primary_name(notice: &Notice) -> &str {
    notice
        .names
        .iter()
        .find(|x| x.kind == interdict_model::NameKind::Primary)
        .or(notice.names.first())
        .map(|x| x.name.as_str())
        .unwrap_or("(no name)")
}

/// What a match on a notice entity carries besides its score (the `"notice"` member of
/// `screen --json` and of batch output lines): the screening day, the notice version, its
/// designations with their status that day, and its links resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoticeAnnotation {
    /// The screening day.
    pub as_of: jiff::civil::Date,
    /// The notice version counted that day.
    pub version: u32,
    /// The first public event of that version: when the registry starts counting it.
    pub known_from: jiff::civil::Date,
    /// Its designations and their status on the day.
    pub designations: Vec<DesignationOnDay>,
    /// Its linked parties, resolved.
    pub links: Vec<ResolvedLink>,
}

/// The annotation of every notice of a [`NoticeSet`], computed once so that a batch of any
/// size annotates its notice matches without going back to the registry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoticeAnnotations {
    by_id: BTreeMap<String, NoticeAnnotation>,
}

impl NoticeAnnotations {
    /// Annotations of the notices of `set`, links resolved in `registry` on the set's day.
    pub fn of(set: &NoticeSet, registry: &Registry) -> Result<NoticeAnnotations, ScreeningError> {
        let mut by_id = BTreeMap::new();
        for v in set.notices() {
            let annotation = NoticeAnnotation {
                as_of: set.day(),
                version: v.version,
                known_from: v.known_from,
                designations: designation_statuses(&v.notice, set.day()),
                links: resolve_links(registry, &v.notice, Some(set.day()))?,
            };
            by_id.insert(v.notice.id.clone(), annotation);
        }
        Ok(NoticeAnnotations { by_id })
    }

    /// The annotation of a match on `list:id`; `None` for entities of the lists.
    pub fn get(&self, list: &str, id: &str) -> Option<&NoticeAnnotation> {
        if list != ListId::Notice.as_str() {
            return None;
        }
        self.by_id.get(id)
    }

    /// True when there is no notice to annotate.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}
