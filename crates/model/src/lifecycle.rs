//! Designations over time: the dated events of a designation, what follows from them on any
//! date, and designation notices (what an authority announced before any list file carries it).
//!
//! A list file says *that* a party is designated on the day it was published. Compliance work
//! needs more: on 2025-11-16 the Secretary of State announced that the Cartel de los Soles would
//! be designated a Foreign Terrorist Organization, effective 2025-11-24, official on publication
//! in the Federal Register. On 2025-11-20 that designation was announced but not in force; on
//! 2025-11-25 it was in force; no list file of those days carried it. A [`DatedDesignation`]
//! records such a designation as events with dates, and [`DatedDesignation::status_on`] derives
//! its standing on any date as a pure function, so "what was in force on D" is always
//! recomputable from what was recorded.
//!
//! Dates are often unknown, or known only as a bound: the article announcing the FTO
//! designation says Treasury "had previously" designated the group under E.O. 13224, without a
//! date. [`EventDate`] is therefore an exact date or "on or before" a date; an event whose date
//! is not known at all is simply not recorded (`None`), and nothing is ever inferred from it.
//! Status uses the date by which an event had *certainly* happened ([`EventDate::certain_by`]),
//! so a designation is never reported in force on a day it might not yet have been.

use crate::{Authority, Designation, Entity, EntityKind, Link, ListId, Name, NameKind};
use jiff::civil::Date;
use jiff::ToSpan;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// When an event happened: on a known day, or on an unknown day no later than a known one.
///
/// Serialised as `"2025-11-24"` or `{"on_or_before": "2025-11-16"}`, the forms notices use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventDate {
    /// On this day.
    On(Date),
    /// On this day or earlier; the exact day is not known ("had previously been designated",
    /// said in a statement of this date).
    OnOrBefore(Date),
}

impl EventDate {
    /// The day by which the event had certainly happened. Status on a date compares this, so
    /// that an event of uncertain date counts only once it is certain.
    pub fn certain_by(self) -> Date {
        match self {
            EventDate::On(d) | EventDate::OnOrBefore(d) => d,
        }
    }

    /// The exact day, when known.
    pub fn exact(self) -> Option<Date> {
        match self {
            EventDate::On(d) => Some(d),
            EventDate::OnOrBefore(_) => None,
        }
    }

    /// True when the event had certainly happened by the end of `day`.
    pub fn happened_by(self, day: Date) -> bool {
        self.certain_by() <= day
    }
}

/// `2025-11-24`, or `on or before 2025-11-16`.
impl fmt::Display for EventDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventDate::On(d) => write!(f, "{d}"),
            EventDate::OnOrBefore(d) => write!(f, "on or before {d}"),
        }
    }
}

impl Serialize for EventDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            EventDate::On(d) => s.collect_str(d),
            EventDate::OnOrBefore(d) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("on_or_before", &d.to_string())?;
                map.end()
            }
        }
    }
}

/// Parses `YYYY-MM-DD` strictly: four-digit year, real calendar day.
fn parse_day<E: serde::de::Error>(s: &str) -> Result<Date, E> {
    let bytes = s.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape {
        return Err(E::custom(format!(
            "invalid date {s:?}, expected YYYY-MM-DD"
        )));
    }
    s.parse::<Date>()
        .map_err(|_| E::custom(format!("invalid date {s:?}: no such day")))
}

/// Accepts what [`Serialize`] writes; errors say which form was expected, so that a notice
/// author sees "invalid date "2025-11-31": no such day", not a type name.
impl<'de> Deserialize<'de> for EventDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<EventDate, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = EventDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date YYYY-MM-DD or {on_or_before: YYYY-MM-DD}")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<EventDate, E> {
                parse_day(s).map(EventDate::On)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<EventDate, A::Error> {
                use serde::de::Error;
                let mut bound = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "on_or_before" {
                        return Err(A::Error::unknown_field(&key, &["on_or_before"]));
                    }
                    if bound.is_some() {
                        return Err(A::Error::duplicate_field("on_or_before"));
                    }
                    let text: String = map.next_value()?;
                    bound = Some(parse_day::<A::Error>(&text)?);
                }
                bound
                    .map(EventDate::OnOrBefore)
                    .ok_or_else(|| A::Error::missing_field("on_or_before"))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A change to a designation that leaves it in force (a new alias, a corrected address).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Amendment {
    /// When.
    pub date: EventDate,
    /// What changed, as the authority states it.
    pub note: String,
}

/// The dated events of one designation. Each is `None` when it has not happened or its date is
/// not known at all; nothing is inferred from a missing event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesignationEvents {
    /// The authority announced its decision (a press statement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<EventDate>,
    /// Congress was notified (INA §219(a)(2)(A)(i): seven days before an FTO designation is
    /// published).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notified: Option<EventDate>,
    /// Published in the official journal (the Federal Register).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<EventDate>,
    /// The citation of that publication, when known (`90 FR 10030`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub federal_register: Option<String>,
    /// The designation took (or takes) legal effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<EventDate>,
    /// Amendments, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amended: Vec<Amendment>,
    /// Reviews that kept the designation (FTO five-year reviews), oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviewed: Vec<EventDate>,
    /// The designation was revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<EventDate>,
}

impl DesignationEvents {
    /// Every dated event, with its name, in lifecycle order (for display and validation).
    pub fn all(&self) -> Vec<(&'static str, EventDate)> {
        let mut out = Vec::new();
        let mut one = |name, date: Option<EventDate>| {
            if let Some(d) = date {
                out.push((name, d));
            }
        };
        one("announced", self.announced);
        one("notified", self.notified);
        one("published", self.published);
        one("effective", self.effective);
        out.extend(self.amended.iter().map(|a| ("amended", a.date)));
        out.extend(self.reviewed.iter().map(|&d| ("reviewed", d)));
        out.extend(self.revoked.map(|d| ("revoked", d)));
        out
    }

    /// The first day on which the designation is certainly known to the public: the earliest
    /// of announcement, notification, publication and effect. `None` when none is dated.
    pub fn known_from(&self) -> Option<Date> {
        [
            self.announced,
            self.notified,
            self.published,
            self.effective,
        ]
        .into_iter()
        .flatten()
        .map(EventDate::certain_by)
        .min()
    }
}

/// Where a designation stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DesignationStatus {
    /// Nothing about it had been announced (or nothing is dated by then).
    NotAnnounced,
    /// Announced (or notified, or published) but not yet in force.
    Announced {
        /// When it is to take effect, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        effective: Option<EventDate>,
    },
    /// In force.
    InForce {
        /// Since when.
        since: EventDate,
    },
    /// Revoked.
    Revoked {
        /// When.
        on: EventDate,
    },
}

impl DesignationStatus {
    /// True for [`DesignationStatus::InForce`].
    pub fn is_in_force(&self) -> bool {
        matches!(self, DesignationStatus::InForce { .. })
    }

    /// True unless [`DesignationStatus::NotAnnounced`]: the public could know of it.
    pub fn is_known(&self) -> bool {
        !matches!(self, DesignationStatus::NotAnnounced)
    }

    /// A short machine-friendly name: `not_announced`, `announced`, `in_force`, `revoked`.
    pub fn state(&self) -> &'static str {
        match self {
            DesignationStatus::NotAnnounced => "not_announced",
            DesignationStatus::Announced { .. } => "announced",
            DesignationStatus::InForce { .. } => "in_force",
            DesignationStatus::Revoked { .. } => "revoked",
        }
    }
}

/// `announced, effective 2025-11-24`, `in force since 2025-11-24`, …
impl fmt::Display for DesignationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DesignationStatus::NotAnnounced => f.write_str("not yet announced"),
            DesignationStatus::Announced { effective: Some(d) } => {
                write!(f, "announced, effective {d}")
            }
            DesignationStatus::Announced { effective: None } => {
                f.write_str("announced, effective date not known")
            }
            DesignationStatus::InForce { since } => write!(f, "in force since {since}"),
            DesignationStatus::Revoked { on } => write!(f, "revoked {on}"),
        }
    }
}

/// One designation with its history: an authority, a program, and dated events.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedDesignation {
    /// The program tag (`FTO`, `SDGT`).
    pub program: String,
    /// The program's full name when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program_name: Option<String>,
    /// The legal basis and the designating body.
    pub authority: Authority,
    /// What happened when.
    #[serde(default)]
    pub events: DesignationEvents,
}

/// How long an FTO designation may go without review: INA §219(a)(4)(C).
const FTO_REVIEW_YEARS: i16 = 5;

impl DatedDesignation {
    /// Where the designation stands at the end of `day`, from the events certainly past by
    /// then: revoked, else in force from its effective date, else announced once announced,
    /// notified or published, else not announced.
    ///
    /// Monotone by construction: never in force before its effective date, always revoked from
    /// its revocation on.
    pub fn status_on(&self, day: Date) -> DesignationStatus {
        let e = &self.events;
        if let Some(on) = e.revoked.filter(|d| d.happened_by(day)) {
            return DesignationStatus::Revoked { on };
        }
        if let Some(since) = e.effective.filter(|d| d.happened_by(day)) {
            return DesignationStatus::InForce { since };
        }
        let announced = [e.announced, e.notified, e.published]
            .into_iter()
            .flatten()
            .any(|d| d.happened_by(day));
        if announced {
            DesignationStatus::Announced {
                effective: e.effective,
            }
        } else {
            DesignationStatus::NotAnnounced
        }
    }

    /// True for a Foreign Terrorist Organization designation: program `FTO`, or an authority
    /// citing INA §219 (8 U.S.C. §1189).
    pub fn is_fto(&self) -> bool {
        self.program.eq_ignore_ascii_case("FTO")
            || self.authority.legal_basis.iter().any(|b| {
                let b = b.to_ascii_lowercase();
                b.contains("ina §219") || b.contains("1189") || b.contains("section 219")
            })
    }

    /// For an FTO designation in force on `day`, the date by which it must be reviewed:
    /// INA §219(a)(4)(C) requires a review when none has taken place in the preceding five
    /// years, so the due date is five years after the last review held by `day`, or after the
    /// effective date when there has been none. `None` for other designations and for FTOs not
    /// in force on `day`.
    ///
    /// Uncertain dates count at their bound ([`EventDate::certain_by`]): for an effective date
    /// known only as "on or before D", the review is due five years after D at the latest.
    pub fn review_due(&self, day: Date) -> Option<Date> {
        if !self.is_fto() || !self.status_on(day).is_in_force() {
            return None;
        }
        let last_review = self
            .events
            .reviewed
            .iter()
            .filter(|d| d.happened_by(day))
            .map(|d| d.certain_by())
            .max();
        let base = last_review.or(self.events.effective.map(EventDate::certain_by))?;
        base.checked_add(FTO_REVIEW_YEARS.years()).ok()
    }

    /// The designation in the form list entities carry it.
    pub fn to_designation(&self) -> Designation {
        Designation {
            program: self.program.clone(),
            program_name: self.program_name.clone(),
            authority: Some(self.authority.clone()),
            listed_on: self.events.effective.and_then(EventDate::exact),
        }
    }
}

/// A name of the party a notice is about, with its language.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NoticeName {
    /// The name as written.
    pub name: String,
    /// Its language (BCP 47: `es`, `en`), when stated. Kept because the same name in several
    /// languages ("Cartel de los Soles", "Cartel of the Suns") is one party, not several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Primary name or alias.
    pub kind: NameKind,
}

/// A party a notice links to: by name, by `list:id`, or both.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NoticeLink {
    /// The relation as the authority states it (`leader`, `associate`).
    pub relation: String,
    /// The party's name, as the authority writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The party's key, `list:id` (`ofac-sdn:22790`, `notice:tren-de-aragua`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// Where a notice's facts come from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NoticeSource {
    /// Its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Its date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
}

/// What an authority announced about one party: its names, its designations with their dated
/// events, the parties it is linked to, and where this is stated.
///
/// A notice stands for designations no list file carries yet (or ever: an FTO designation
/// reaches OFAC's list days or weeks after it is announced). It becomes an [`Entity`] of list
/// [`ListId::Notice`] ([`Notice::to_entity`]) so that it is screened like any listed party.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Notice {
    /// Its id, unique among notices: the entity id of [`Notice::to_entity`].
    pub id: String,
    /// A one-line title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What kind of party.
    pub kind: EntityKind,
    /// Its names; the first primary one is its primary name.
    pub names: Vec<NoticeName>,
    /// Its designations.
    pub designations: Vec<DatedDesignation>,
    /// Linked parties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<NoticeLink>,
    /// Sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<NoticeSource>,
    /// Statements with no typed field, as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
}

impl Notice {
    /// The day from which the notice counts in "as of" questions: the earliest day any of its
    /// designations is certainly known ([`DesignationEvents::known_from`]). `None` when no
    /// event is dated.
    pub fn known_from(&self) -> Option<Date> {
        self.designations
            .iter()
            .filter_map(|d| d.events.known_from())
            .min()
    }

    /// Each designation with its status on `day`, in notice order.
    pub fn status_on(&self, day: Date) -> Vec<(&DatedDesignation, DesignationStatus)> {
        self.designations
            .iter()
            .map(|d| (d, d.status_on(day)))
            .collect()
    }

    /// The key `notice:ID`.
    pub fn key(&self) -> String {
        format!("{}:{}", ListId::Notice, self.id)
    }

    /// The notice as a list entity: names, designations (listing date = exact effective date),
    /// links (target `list:id` when given), and its title and sources as remarks. Languages and
    /// dated events are not part of [`Entity`]; they stay with the notice.
    pub fn to_entity(&self) -> Entity {
        let mut e = Entity::new(ListId::Notice.as_str(), self.id.clone(), self.kind);
        e.names = self
            .names
            .iter()
            .map(|n| Name::new(n.name.clone(), n.kind))
            .collect();
        e.designations = self
            .designations
            .iter()
            .map(DatedDesignation::to_designation)
            .collect();
        e.links = self
            .links
            .iter()
            .map(|l| Link {
                relation: l.relation.clone(),
                name: l
                    .name
                    .clone()
                    .or_else(|| l.target.clone())
                    .unwrap_or_default(),
                target: l.target.clone(),
            })
            .collect();
        e.remarks.extend(self.title.clone());
        e.remarks.extend(self.sources.iter().map(|s| {
            let mut text = String::from("Source: ");
            text.push_str(s.title.as_deref().unwrap_or("(untitled)"));
            if let Some(date) = s.date {
                text.push_str(&format!(", {date}"));
            }
            if let Some(url) = &s.url {
                text.push_str(&format!(" <{url}>"));
            }
            text
        }));
        e.remarks.extend(self.remarks.iter().cloned());
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn fto(events: DesignationEvents) -> DatedDesignation {
        DatedDesignation {
            program: "FTO".into(),
            program_name: None,
            authority: Authority {
                legal_basis: vec!["INA §219 (8 U.S.C. §1189)".into()],
                regulations: vec![],
                body: "U.S. Department of State".into(),
            },
            events,
        }
    }

    #[test]
    fn the_cartel_de_los_soles_on_each_day() {
        let d = fto(DesignationEvents {
            announced: Some(EventDate::On(date(2025, 11, 16))),
            effective: Some(EventDate::On(date(2025, 11, 24))),
            ..Default::default()
        });
        assert_eq!(
            d.status_on(date(2025, 11, 10)),
            DesignationStatus::NotAnnounced
        );
        let announced = d.status_on(date(2025, 11, 20));
        assert_eq!(announced.to_string(), "announced, effective 2025-11-24");
        assert_eq!(
            d.status_on(date(2025, 11, 24)).to_string(),
            "in force since 2025-11-24"
        );
        assert_eq!(d.review_due(date(2025, 11, 20)), None);
        assert_eq!(d.review_due(date(2025, 11, 25)), Some(date(2030, 11, 24)));
    }

    #[test]
    fn reviews_move_the_due_date_and_revocation_ends_it() {
        let mut d = fto(DesignationEvents {
            effective: Some(EventDate::On(date(2016, 2, 29))),
            reviewed: vec![EventDate::On(date(2021, 3, 1))],
            revoked: Some(EventDate::On(date(2024, 1, 1))),
            ..Default::default()
        });
        assert_eq!(d.review_due(date(2020, 1, 1)), Some(date(2021, 2, 28)));
        assert_eq!(d.review_due(date(2022, 1, 1)), Some(date(2026, 3, 1)));
        assert_eq!(d.review_due(date(2024, 1, 1)), None);
        d.program = "SDGT".into();
        d.authority.legal_basis = vec!["E.O. 13224".into()];
        assert_eq!(d.review_due(date(2022, 1, 1)), None);
    }

    #[test]
    fn uncertain_dates_count_from_their_bound() {
        let sdgt = DatedDesignation {
            program: "SDGT".into(),
            program_name: None,
            authority: Authority {
                legal_basis: vec!["E.O. 13224".into()],
                regulations: vec![],
                body: "U.S. Department of the Treasury".into(),
            },
            events: DesignationEvents {
                effective: Some(EventDate::OnOrBefore(date(2025, 11, 16))),
                ..Default::default()
            },
        };
        assert_eq!(
            sdgt.status_on(date(2025, 11, 15)),
            DesignationStatus::NotAnnounced
        );
        assert_eq!(
            sdgt.status_on(date(2025, 11, 16)).to_string(),
            "in force since on or before 2025-11-16"
        );
        assert_eq!(sdgt.events.known_from(), Some(date(2025, 11, 16)));
    }

    #[test]
    fn event_dates_round_trip_and_reject_bad_days() {
        for d in [
            EventDate::On(date(2025, 2, 20)),
            EventDate::OnOrBefore(date(2025, 11, 16)),
        ] {
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(serde_json::from_str::<EventDate>(&json).unwrap(), d);
        }
        for bad in [
            "\"2025-11-31\"",
            "\"2025-1-5\"",
            "\"yesterday\"",
            "{\"before\": \"2025-11-16\"}",
            "{}",
            "20251116",
        ] {
            assert!(serde_json::from_str::<EventDate>(bad).is_err(), "{bad}");
        }
    }
}
