//! What changed: between two publications of a list, in one entity's history, and in program
//! designations over a list's publications.
//!
//! Diffs read only the records that differ: two publications share most record ids, so the
//! symmetric difference of their member lists is small (a typical OFAC update touches tens of
//! the 14k records) and only those records are decoded.

use crate::{PublicationId, PublicationInfo, Registry, RegistryError, Result};
use interdict_model::{Entity, ListId};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// One field of an entity that differs between two versions.
///
/// For list-valued fields (names, identifiers, designations…) `removed` and `added` hold the
/// items only in the old and only in the new version; for single values they hold the old and
/// the new value (empty when absent).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    /// The model field (`names`, `designations`, `birth_dates`…).
    pub field: String,
    /// Items or value only in the older version.
    pub removed: Vec<Value>,
    /// Items or value only in the newer version.
    pub added: Vec<Value>,
}

/// An entity present in both publications whose record differs.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityChange {
    /// The entity as the newer publication states it.
    pub entity: Entity,
    /// The fields that differ.
    pub changes: Vec<FieldChange>,
}

/// Added, removed and changed entities between two publications of one list.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicationDiff {
    /// The older publication.
    pub from: PublicationInfo,
    /// The newer publication.
    pub to: PublicationInfo,
    /// Entities only in `to`, in its order.
    pub added: Vec<Entity>,
    /// Entities only in `from`, in its order.
    pub removed: Vec<Entity>,
    /// Entities in both whose records differ, in `to`'s order.
    pub changed: Vec<EntityChange>,
}

/// Whether a program was added to or removed from an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgramChange {
    /// The program tag appears (newly listed entity, or a tag added to a listed one).
    Designated,
    /// The program tag disappears (entity delisted, or the tag removed while other
    /// designations remain).
    Revoked,
}

/// A program tag appearing on or disappearing from an entity between two consecutive
/// publications: the lifecycle event a list file implies, dated by the publication that first
/// shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgramEvent {
    /// The publication that first shows the change.
    pub publication: PublicationInfo,
    /// The entity (as in the newer publication; as in the older one when it was delisted).
    pub entity: Entity,
    /// The program tag.
    pub program: String,
    /// Designated or revoked.
    pub change: ProgramChange,
    /// Whether the entity is still on the list after the change.
    pub still_listed: bool,
}

/// One step of an entity's history over a list's publications.
#[derive(Clone, Debug, PartialEq)]
pub enum HistoryEvent {
    /// First seen, or seen again after an absence.
    Listed {
        /// The publication.
        publication: PublicationInfo,
        /// The entity as listed (boxed: an entity is large, the other variants are not).
        entity: Box<Entity>,
        /// True when it had been delisted before.
        relisted: bool,
    },
    /// The record changed.
    Changed {
        /// The publication with the new record.
        publication: PublicationInfo,
        /// The fields that changed.
        changes: Vec<FieldChange>,
    },
    /// No longer in the list.
    Delisted {
        /// The first publication without it.
        publication: PublicationInfo,
    },
}

/// The JSON form of a diff, one shape for every front end (`interdict diff --json`,
/// `GET /v1/lists/{list}/diff`): the list, both publications (id and date), the entities added
/// and removed (id, primary name, programs) and the changed ones with their field changes.
impl Serialize for PublicationDiff {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let publication = |p: &PublicationInfo| serde_json::json!({"id": p.id.0, "published": p.published.map(|d| d.to_string())});
        let brief = |e: &Entity| {
            serde_json::json!({
                "id": e.id,
                "name": e.primary_name().map(|n| n.full.clone()),
                "programs": e.programs().collect::<Vec<_>>(),
            })
        };
        let mut map = s.serialize_map(Some(6))?;
        map.serialize_entry("list", self.to.list.as_str())?;
        map.serialize_entry("from", &publication(&self.from))?;
        map.serialize_entry("to", &publication(&self.to))?;
        map.serialize_entry("added", &self.added.iter().map(brief).collect::<Vec<_>>())?;
        map.serialize_entry(
            "removed",
            &self.removed.iter().map(brief).collect::<Vec<_>>(),
        )?;
        let changed: Vec<Value> = self
            .changed
            .iter()
            .map(|c| {
                serde_json::json!({
                    "id": c.entity.id,
                    "name": c.entity.primary_name().map(|n| n.full.clone()),
                    "changes": c.changes,
                })
            })
            .collect();
        map.serialize_entry("changed", &changed)?;
        map.end()
    }
}

/// The JSON form of a history step, one shape for every front end (`interdict history
/// --json`, `GET /v1/entities/{list}/{id}/history`): `event` (`listed`, `relisted`, `changed`,
/// `delisted`), the publication's date and id, and the entity as listed or the fields changed.
impl Serialize for HistoryEvent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let (event, publication) = match self {
            HistoryEvent::Listed {
                publication,
                relisted,
                ..
            } => (if *relisted { "relisted" } else { "listed" }, publication),
            HistoryEvent::Changed { publication, .. } => ("changed", publication),
            HistoryEvent::Delisted { publication } => ("delisted", publication),
        };
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("event", event)?;
        map.serialize_entry("published", &publication.published.map(|d| d.to_string()))?;
        map.serialize_entry("publication_id", &publication.id.0)?;
        match self {
            HistoryEvent::Listed { entity, .. } => map.serialize_entry("entity", entity)?,
            HistoryEvent::Changed { changes, .. } => map.serialize_entry("changes", changes)?,
            HistoryEvent::Delisted { .. } => {}
        }
        map.end()
    }
}

/// Field-level differences between two versions of an entity, by field name.
pub fn field_changes(before: &Entity, after: &Entity) -> Vec<FieldChange> {
    let (Ok(Value::Object(a)), Ok(Value::Object(b))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    let mut fields: Vec<&String> = a.keys().collect();
    fields.extend(b.keys().filter(|k| !a.contains_key(*k)));
    let mut out = Vec::new();
    for field in fields {
        let (old, new) = (a.get(field), b.get(field));
        if old == new {
            continue;
        }
        let (removed, added) = match (old, new) {
            (Some(Value::Array(x)), Some(Value::Array(y))) => (
                x.iter().filter(|v| !y.contains(v)).cloned().collect(),
                y.iter().filter(|v| !x.contains(v)).cloned().collect(),
            ),
            (Some(Value::Array(x)), None) => (x.clone(), Vec::new()),
            (None, Some(Value::Array(y))) => (Vec::new(), y.clone()),
            (x, y) => (
                x.cloned().into_iter().collect(),
                y.cloned().into_iter().collect(),
            ),
        };
        // Reordered lists compare equal item by item; they are not a change worth reporting.
        if removed.is_empty() && added.is_empty() {
            continue;
        }
        out.push(FieldChange {
            field: field.clone(),
            removed,
            added,
        });
    }
    out
}

fn programs(e: &Entity) -> BTreeSet<&str> {
    e.programs().collect()
}

impl Registry {
    /// Both publications, refused unless they are of one list (a diff across lists means
    /// nothing).
    fn same_list(
        &self,
        from: PublicationId,
        to: PublicationId,
    ) -> Result<(PublicationInfo, PublicationInfo)> {
        let from_info = self.require_publication(from)?;
        let to_info = self.require_publication(to)?;
        if from_info.list != to_info.list {
            return Err(RegistryError::InvalidPublication {
                list: from_info.list,
                reason: format!(
                    "cannot diff publication {from} with publication {to} of {}",
                    to_info.list
                ),
            });
        }
        Ok((from_info, to_info))
    }

    /// The ids of the entities whose record is in one of publications `from` and `to` (of the
    /// same list) but not the other: those added, removed or changed between them, with no
    /// record decoded. What a screening index of `from` must analyse again to serve `to`;
    /// [`diff`](Self::diff) says what changed.
    pub fn changed_entity_ids(
        &self,
        from: PublicationId,
        to: PublicationId,
    ) -> Result<Vec<String>> {
        self.same_list(from, to)?;
        let old: HashSet<i64> = self.member_ids(from)?.into_iter().collect();
        let new: HashSet<i64> = self.member_ids(to)?.into_iter().collect();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT entity_id FROM record WHERE id = ?1")?;
        let mut ids = BTreeSet::new();
        for rid in old.symmetric_difference(&new) {
            ids.insert(stmt.query_row([rid], |r| r.get::<_, String>(0))?);
        }
        Ok(ids.into_iter().collect())
    }

    /// Entities added, removed and changed from publication `from` to publication `to` (both
    /// of the same list; `from` need not be older).
    pub fn diff(&self, from: PublicationId, to: PublicationId) -> Result<PublicationDiff> {
        let (from_info, to_info) = self.same_list(from, to)?;
        let list = to_info.list;
        let old_ids = self.member_ids(from)?;
        let new_ids = self.member_ids(to)?;
        let old_set: HashSet<i64> = old_ids.iter().copied().collect();
        let new_set: HashSet<i64> = new_ids.iter().copied().collect();
        let only_old: Vec<i64> = old_ids
            .iter()
            .copied()
            .filter(|r| !new_set.contains(r))
            .collect();
        let only_new: Vec<i64> = new_ids
            .iter()
            .copied()
            .filter(|r| !old_set.contains(r))
            .collect();
        let old = self.records_by_id(list, &only_old)?;
        let new = self.records_by_id(list, &only_new)?;

        let mut old_by_id: BTreeMap<&str, &Entity> =
            old.iter().map(|e| (e.id.as_str(), e)).collect();
        let mut added = Vec::new();
        let mut changed = Vec::new();
        for e in &new {
            match old_by_id.remove(e.id.as_str()) {
                Some(before) => changed.push(EntityChange {
                    changes: field_changes(before, e),
                    entity: e.clone(),
                }),
                None => added.push(e.clone()),
            }
        }
        let removed = old
            .iter()
            .filter(|e| old_by_id.contains_key(e.id.as_str()))
            .cloned()
            .collect();
        Ok(PublicationDiff {
            from: from_info,
            to: to_info,
            added,
            removed,
            changed,
        })
    }

    /// Program tags designated and revoked between consecutive publications of a list, oldest
    /// first. The first publication is the baseline and yields no events.
    pub fn program_events(&self, list: ListId) -> Result<Vec<ProgramEvent>> {
        let publications = self.publications(Some(list))?;
        let mut events = Vec::new();
        for pair in publications.windows(2) {
            let d = self.diff(pair[0].id, pair[1].id)?;
            let event = |entity: &Entity, program: &str, change, still_listed| ProgramEvent {
                publication: d.to.clone(),
                entity: entity.clone(),
                program: program.to_string(),
                change,
                still_listed,
            };
            for e in &d.added {
                for p in programs(e) {
                    events.push(event(e, p, ProgramChange::Designated, true));
                }
            }
            for c in &d.changed {
                let after = programs(&c.entity);
                let before: BTreeSet<String> = c
                    .changes
                    .iter()
                    .filter(|f| f.field == "designations")
                    .flat_map(|f| f.removed.iter())
                    .filter_map(|v| v.get("program").and_then(Value::as_str))
                    .map(str::to_string)
                    .collect();
                for p in before.iter().filter(|p| !after.contains(p.as_str())) {
                    events.push(event(&c.entity, p, ProgramChange::Revoked, true));
                }
                let added: BTreeSet<String> = c
                    .changes
                    .iter()
                    .filter(|f| f.field == "designations")
                    .flat_map(|f| f.added.iter())
                    .filter_map(|v| v.get("program").and_then(Value::as_str))
                    .map(str::to_string)
                    .collect();
                for p in &added {
                    // A designation whose details changed (same tag) is not a new designation.
                    let had = c
                        .changes
                        .iter()
                        .filter(|f| f.field == "designations")
                        .any(|f| {
                            f.removed
                                .iter()
                                .any(|v| v.get("program").and_then(Value::as_str) == Some(p))
                        });
                    if !had {
                        events.push(event(&c.entity, p, ProgramChange::Designated, true));
                    }
                }
            }
            for e in &d.removed {
                for p in programs(e) {
                    events.push(event(e, p, ProgramChange::Revoked, false));
                }
            }
        }
        Ok(events)
    }

    /// An entity's history over the publications of its list, oldest first: when it was
    /// listed, each change with the fields that changed, when it was delisted (and relisted).
    pub fn history(&self, list: ListId, id: &str) -> Result<Vec<HistoryEvent>> {
        let versions = self.entity_versions(list, id)?;
        if versions.is_empty() {
            return Ok(Vec::new());
        }
        let held: BTreeMap<PublicationId, crate::ContentHash> = versions
            .iter()
            .map(|v| (v.publication.id, v.record))
            .collect();
        let mut events = Vec::new();
        let mut current: Option<(crate::ContentHash, Entity)> = None;
        let mut seen = false;
        for publication in self.publications(Some(list))? {
            match (held.get(&publication.id), &current) {
                (Some(hash), None) => {
                    let entity = self.require_record(list, id, hash)?;
                    events.push(HistoryEvent::Listed {
                        publication,
                        entity: Box::new(entity.clone()),
                        relisted: seen,
                    });
                    seen = true;
                    current = Some((*hash, entity));
                }
                (Some(hash), Some((old_hash, old))) if hash != old_hash => {
                    let entity = self.require_record(list, id, hash)?;
                    events.push(HistoryEvent::Changed {
                        publication,
                        changes: field_changes(old, &entity),
                    });
                    current = Some((*hash, entity));
                }
                (Some(_), Some(_)) => {}
                (None, Some(_)) => {
                    events.push(HistoryEvent::Delisted { publication });
                    current = None;
                }
                (None, None) => {}
            }
        }
        Ok(events)
    }

    fn require_record(&self, list: ListId, id: &str, hash: &crate::ContentHash) -> Result<Entity> {
        self.entity_record(list, id, hash)?
            .ok_or_else(|| RegistryError::CorruptRecord {
                key: format!("{list}:{id}"),
                hash: *hash,
                reason: "a publication refers to a record that is not stored".into(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::{Designation, EntityKind, ListId, Name, NameKind, Publication};

    fn org(id: &str, name: &str, programs: &[&str]) -> Entity {
        let mut e = Entity::new("ofac-sdn", id, EntityKind::Organization);
        e.names.push(Name::new(name, NameKind::Primary));
        e.designations = programs
            .iter()
            .map(|p| Designation {
                program: p.to_string(),
                program_name: None,
                authority: None,
                listed_on: None,
            })
            .collect();
        e
    }

    fn publication(day: i8, entities: Vec<Entity>) -> Publication {
        Publication {
            list: ListId::OfacSdn,
            published: Some(jiff::civil::date(2022, 5, day)),
            files: Vec::new(),
            entities,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn field_changes_report_items_added_and_removed() {
        let a = org("1", "KAHANE CHAI", &["FTO", "SDGT"]);
        let mut b = org("1", "KAHANE CHAI", &["SDGT"]);
        b.names.push(Name::new("KACH", NameKind::Alias));
        let changes = field_changes(&a, &b);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["designations", "names"]);
        assert_eq!(changes[1].added[0]["full"], "KACH");
        assert!(changes[1].removed.is_empty());
        assert_eq!(changes[0].removed[0]["program"], "FTO");
        assert!(field_changes(&a, &a).is_empty());
    }

    #[test]
    fn diff_history_and_program_events() {
        let mut r = Registry::open_in_memory().unwrap();
        let p1 = publication(
            19,
            vec![
                org("1", "KAHANE CHAI", &["FTO", "SDGT"]),
                org("2", "FARC", &["FTO"]),
                org("3", "X", &["SDGT"]),
            ],
        );
        let p2 = publication(
            20,
            vec![
                org("1", "KAHANE CHAI", &["SDGT"]),
                org("3", "X", &["SDGT"]),
                org("4", "NEW", &["FTO", "SDGT"]),
            ],
        );
        let a = r.ingest(&p1).unwrap().publication().id;
        let b = r.ingest(&p2).unwrap().publication().id;

        let d = r.diff(a, b).unwrap();
        assert_eq!(
            d.added.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["4"]
        );
        assert_eq!(
            d.removed.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["2"]
        );
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].entity.id, "1");

        let events = r.program_events(ListId::OfacSdn).unwrap();
        let summary: Vec<(String, String, ProgramChange, bool)> = events
            .iter()
            .map(|e| {
                (
                    e.entity.id.clone(),
                    e.program.clone(),
                    e.change,
                    e.still_listed,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("4".into(), "FTO".into(), ProgramChange::Designated, true),
                ("4".into(), "SDGT".into(), ProgramChange::Designated, true),
                ("1".into(), "FTO".into(), ProgramChange::Revoked, true),
                ("2".into(), "FTO".into(), ProgramChange::Revoked, false),
            ]
        );

        let h = r.history(ListId::OfacSdn, "2").unwrap();
        assert!(matches!(
            &h[0],
            HistoryEvent::Listed {
                relisted: false,
                ..
            }
        ));
        assert!(matches!(&h[1], HistoryEvent::Delisted { publication } if publication.id == b));
        let h = r.history(ListId::OfacSdn, "1").unwrap();
        assert!(
            matches!(&h[1], HistoryEvent::Changed { changes, .. } if changes[0].field == "designations")
        );
        assert!(r.history(ListId::OfacSdn, "99").unwrap().is_empty());
    }
}
