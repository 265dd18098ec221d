//! Resolving linked-party names ("Linked To: NAME") to entity ids within one publication.

use interdict_model::{NameKind, Publication};
use std::collections::HashMap;

/// The key two spellings of one name share: letters and digits only, upper case.
/// OFAC writes the same party as `AL-QAIDA` in one place and `AL QAIDA` in another.
fn key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Sets `Link::target` for every link whose name is the primary name or a strong alias of
/// exactly one entity of the same publication (ambiguous or unknown names stay unresolved:
/// a wrong link is worse than none).
pub fn resolve_links(publication: &mut Publication) {
    let mut index: HashMap<String, Option<usize>> = HashMap::new();
    for (i, e) in publication.entities.iter().enumerate() {
        let mut keys: Vec<String> = e
            .names
            .iter()
            .filter(|n| {
                matches!(
                    n.kind,
                    NameKind::Primary | NameKind::Alias | NameKind::NowKnownAs
                )
            })
            .map(|n| key(&n.full))
            .filter(|k| !k.is_empty())
            .collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            index
                .entry(k)
                .and_modify(|slot| {
                    if *slot != Some(i) {
                        *slot = None
                    }
                })
                .or_insert(Some(i));
        }
    }
    let ids: Vec<String> = publication.entities.iter().map(|e| e.id.clone()).collect();
    for e in &mut publication.entities {
        for link in &mut e.links {
            if let Some(Some(i)) = index.get(&key(&link.name)) {
                link.target = Some(ids[*i].clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::{Entity, EntityKind, Link, ListId, Name};

    fn org(id: &str, names: &[(&str, NameKind)]) -> Entity {
        let mut e = Entity::new("ofac-sdn", id, EntityKind::Organization);
        e.names = names.iter().map(|(n, k)| Name::new(*n, *k)).collect();
        e
    }

    #[test]
    fn resolves_unique_names_and_leaves_ambiguous_ones() {
        let mut a = org("1", &[("HIZBALLAH", NameKind::Primary)]);
        a.links.push(Link {
            relation: "linked to".into(),
            name: "AL-QAIDA".into(),
            target: None,
        });
        a.links.push(Link {
            relation: "linked to".into(),
            name: "TWIN".into(),
            target: None,
        });
        let b = org("2", &[("AL QAIDA", NameKind::Primary)]);
        let c = org("3", &[("TWIN", NameKind::Primary)]);
        let d = org("4", &[("X", NameKind::Primary), ("TWIN", NameKind::Alias)]);
        let mut p = Publication {
            list: ListId::OfacSdn,
            published: None,
            files: vec![],
            entities: vec![a, b, c, d],
            warnings: vec![],
        };
        resolve_links(&mut p);
        assert_eq!(p.entities[0].links[0].target.as_deref(), Some("2"));
        assert_eq!(p.entities[0].links[1].target, None);
    }
}
