//! The JSON form of an alert, one shape for every front end (`interdict alerts --json`,
//! `GET /v1/alerts`, `POST /v1/alerts/{id}/decision`): who, what, how well, why, when, against
//! which publication, and every decision.

use crate::ScreeningError;
use interdict_registry::{Alert, PublicationId, PublicationInfo, Registry};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Writes alerts as JSON, reading each publication an alert names once however many alerts
/// name it.
pub struct AlertJson<'a> {
    registry: &'a Registry,
    seen: HashMap<PublicationId, Option<PublicationInfo>>,
}

impl<'a> AlertJson<'a> {
    /// A writer reading publications from `registry`.
    pub fn new(registry: &'a Registry) -> Self {
        AlertJson {
            registry,
            seen: HashMap::new(),
        }
    }

    /// The publication an alert was raised against, when it names one still in the registry.
    pub fn publication(
        &mut self,
        id: Option<PublicationId>,
    ) -> Result<Option<&PublicationInfo>, ScreeningError> {
        let Some(id) = id else {
            return Ok(None);
        };
        if !self.seen.contains_key(&id) {
            let info = self.registry.publication(id)?;
            self.seen.insert(id, info);
        }
        Ok(self.seen.get(&id).and_then(|p| p.as_ref()))
    }

    /// The alert as JSON.
    pub fn value(&mut self, a: &Alert) -> Result<Value, ScreeningError> {
        let f = &a.found;
        let publication = self.publication(f.publication)?.map(|p| {
            json!({
                "id": p.id.0,
                "list": p.list.as_str(),
                "published": p.published.map(|d| d.to_string()),
            })
        });
        Ok(json!({
            "id": a.id.0,
            "status": a.status.as_str(),
            "customer": { "id": f.customer, "name": f.customer_name, "hash": f.customer_hash.to_hex() },
            "entity": {
                "key": format!("{}:{}", f.list, f.entity_id),
                "list": f.list,
                "id": f.entity_id,
                "name": f.entity_name,
                "record_hash": f.record_hash.to_hex(),
            },
            "matched_name": f.matched_name,
            "score": f.score,
            "explanation": f.explanation,
            "trigger": f.trigger.as_str(),
            "publication": publication,
            "raised_at": a.raised_at.to_string(),
            "updated_at": a.updated_at.to_string(),
            "closed_reason": a.closed_reason.map(|r| r.as_str()),
            "decisions": a.decisions.iter().map(|d| json!({
                "status": d.status.as_str(),
                "by": d.by,
                "at": d.at.to_string(),
                "reason": d.reason,
            })).collect::<Vec<_>>(),
        }))
    }
}
