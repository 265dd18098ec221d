//! The lists as they stood on a date, from the registry, as one matching index.

use crate::ScreeningError;
use interdict_matching::MatchIndex;
use interdict_model::{Entity, ListId};
use interdict_registry::{PublicationId, PublicationInfo, Registry};

/// Builds the index of every list as it stood on `as_of` (today's lists when `None`): the
/// latest publication of each list published on or before that date. Lists with no such
/// publication are left out; the publications used are returned, so that every result can say
/// which releases it was screened against. The entities of the designation notices counted
/// by that date are added ([`NoticeSet::entities`](crate::NoticeSet::entities)).
///
/// Entity countries are rewritten as ISO codes first
/// ([`normalize_entity_countries`](crate::country::normalize_entity_countries)), as queries'
/// are by [`Row::to_query`](crate::Row::to_query).
///
/// An error when no list has a publication at all: screening against nothing would report
/// every name as clean.
pub fn index_from_registry(
    registry: &Registry,
    as_of: Option<jiff::civil::Date>,
) -> Result<(MatchIndex, Vec<PublicationInfo>), ScreeningError> {
    let (entities, publications) = latest_entities(registry, as_of)?;
    Ok((index_of(&entities), publications))
}

/// The entities of the latest publication of every list as of a date, as stored, with those
/// publications; the error of [`index_from_registry`] when there is none.
pub(crate) fn latest_entities(
    registry: &Registry,
    as_of: Option<jiff::civil::Date>,
) -> Result<(Vec<Entity>, Vec<PublicationInfo>), ScreeningError> {
    latest_entities_with(registry, as_of, &[])
}

/// [`latest_entities`], taking the entities of the publications in `known` as given rather
/// than reading them back (a caller that just ingested a publication holds them already; a
/// publication reads back exactly as it was ingested).
pub(crate) fn latest_entities_with(
    registry: &Registry,
    as_of: Option<jiff::civil::Date>,
    known: &[(PublicationId, &[Entity])],
) -> Result<(Vec<Entity>, Vec<PublicationInfo>), ScreeningError> {
    let publications = latest_publications(registry, as_of)?;
    if publications.is_empty() {
        return Err(ScreeningError::NoLists { as_of });
    }
    let mut entities = Vec::new();
    for publication in &publications {
        match known.iter().find(|(id, _)| *id == publication.id) {
            Some((_, given)) => entities.extend_from_slice(given),
            None => entities.extend(registry.entities(publication.id)?),
        }
    }
    // Designations announced but on no list yet are screened too (`notices.rs`).
    entities.extend(crate::NoticeSet::from_registry(registry, as_of)?.entities());
    Ok((entities, publications))
}

/// The latest publication of every list published on or before `as_of` (today when `None`),
/// in the order of [`ListId::ALL`]; lists with none are left out.
pub(crate) fn latest_publications(
    registry: &Registry,
    as_of: Option<jiff::civil::Date>,
) -> Result<Vec<PublicationInfo>, ScreeningError> {
    let mut out = Vec::new();
    for list in ListId::ALL {
        out.extend(registry.latest_publication(list, as_of)?);
    }
    Ok(out)
}

/// The screening index of some entities. The index compares countries as ISO codes, which it
/// derives itself (`normalize_country` in the build), so the entities are taken as stored:
/// rewriting their countries first gave the very same index (tested below) at the cost of a
/// copy of every entity.
pub(crate) fn index_of(entities: &[Entity]) -> MatchIndex {
    MatchIndex::build(entities)
}

/// [`index_of`] over entities held in several places.
pub(crate) fn index_of_refs(entities: &[&Entity]) -> MatchIndex {
    MatchIndex::build_refs(entities)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn countries_rewritten_first_give_the_same_index() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/lists/ofac-sdn-2023-12-28");
        let p = interdict_sources::load(&path, &Default::default()).expect("bundled list parses");
        let mut rewritten = p.entities.clone();
        rewritten
            .iter_mut()
            .for_each(crate::country::normalize_entity_countries);
        assert_ne!(rewritten, p.entities, "some countries are rewritten");
        let bytes = |entities: &[Entity]| {
            let mut out = Vec::new();
            index_of(entities).save(&mut out).expect("saves");
            out
        };
        assert!(bytes(&rewritten) == bytes(&p.entities));
    }
}
