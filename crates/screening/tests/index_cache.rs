//! The index cache beside a registry: used while the lists and notices stay as they are,
//! rebuilt when a publication or a notice is added or the file is damaged, and always giving
//! the matches a freshly built index gives.

use interdict_registry::Registry;
use interdict_screening::{
    cache_path, index_from_registry, index_from_registry_cached, screen_one, CacheUse, IndexBase,
    MatchIndex, Row, SearchOptions,
};
use std::path::{Path, PathBuf};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn ingest(r: &mut Registry, date: &str) {
    let path = repo(&format!("testdata/ofac/sdn-history/sdn-{date}.csv.gz"));
    let p = interdict_sources::load(&path, &Default::default()).expect("real file parses");
    r.ingest(&p).expect("ingest");
}

fn keys(index: &MatchIndex, name: &str) -> Vec<(String, u32)> {
    let query = Row {
        name: Some(name),
        ..Row::default()
    }
    .to_query()
    .expect("query");
    screen_one(index, &query, &SearchOptions::default())
        .into_iter()
        .map(|m| (format!("{}:{}", m.list, m.id), (m.score * 1e6) as u32))
        .collect()
}

fn cached(r: &Registry) -> (MatchIndex, CacheUse) {
    let (index, _, used) = index_from_registry_cached(r).expect("index");
    (index, used)
}

#[test]
fn the_cache_serves_the_same_lists_and_is_rebuilt_when_they_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = Registry::open(dir.path().join("registry.sqlite")).unwrap();
    let file = cache_path(&r).expect("a registry file has a cache path");
    assert_eq!(file, dir.path().join("registry.sqlite.index"));
    ingest(&mut r, "2021-11-23");

    let (built, used) = cached(&r);
    assert_eq!(used, CacheUse::Built);
    assert!(file.exists());
    let (loaded, used) = cached(&r);
    assert_eq!(used, CacheUse::Loaded);
    let maduro = keys(&built, "Nicolas Maduro Moros");
    assert_eq!(maduro[0].0, "ofac-sdn:22790");
    assert_eq!(keys(&loaded, "Nicolas Maduro Moros"), maduro);

    // A new publication: rebuilt from the outdated cache's index, and it screens what a
    // fresh index screens. DIRKS, Natalia Germanova (ofac-sdn:35759) is listed on 2022-05-19,
    // among hundreds of entities added, changed or removed since 2021-11-23.
    ingest(&mut r, "2022-05-19");
    let (after, used) = cached(&r);
    assert_eq!(used, CacheUse::Rebuilt);
    let (fresh, _) = index_from_registry(&r, None).unwrap();
    assert_eq!(after.stats().entities, fresh.stats().entities);
    assert_eq!(after.stats().names, fresh.stats().names);
    assert_eq!(after.stats().terms, fresh.stats().terms);
    assert_eq!(after.stats().keys, fresh.stats().keys);
    let dirks = keys(&after, "Natalia Germanova Dirks");
    assert_eq!(dirks[0].0, "ofac-sdn:35759");
    assert_eq!(dirks, keys(&fresh, "Natalia Germanova Dirks"));
    for name in [
        "Nicolas Maduro Moros",
        "Fuerzas Armadas Revolucionarias de Colombia",
        "Aum Shinrikyo",
        "Banco Central de Venezuela",
        "Hezbollah",
        "Mohammed Al Zawahiri",
    ] {
        assert_eq!(keys(&after, name), keys(&fresh, name), "{name}");
    }
    assert_eq!(cached(&r).1, CacheUse::Loaded);

    // A notice: its entity is screened, so the cache is rebuilt (the notice's entity analysed,
    // the lists' taken from the cache).
    let notice =
        interdict_sources::notice::read(&repo("examples/notices/cartel-de-los-soles.yaml"))
            .expect("seed notice parses");
    r.add_notice(&notice, None).expect("recorded");
    let (with_notice, used) = cached(&r);
    assert_eq!(used, CacheUse::Rebuilt);
    assert!(keys(&with_notice, "Cartel of the Suns")
        .iter()
        .any(|(k, _)| k.starts_with("notice:")));

    // A damaged file is not used.
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    assert_eq!(cached(&r).1, CacheUse::Built);
    assert_eq!(cached(&r).1, CacheUse::Loaded);
}

#[test]
fn a_registry_in_memory_has_no_cache() {
    let mut r = Registry::open_in_memory().unwrap();
    ingest(&mut r, "2021-11-23");
    assert!(cache_path(&r).is_none());
    assert_eq!(cached(&r).1, CacheUse::BuiltNotSaved);
}

/// What an outdated cache lends a rebuild: every entity but those the registry's diff since
/// its publication adds, removes or changes.
#[test]
fn an_outdated_cache_lends_what_the_diff_leaves_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = Registry::open(dir.path().join("registry.sqlite")).unwrap();
    ingest(&mut r, "2021-11-23");
    assert_eq!(cached(&r).1, CacheUse::Built);
    ingest(&mut r, "2021-12-02");
    let base = IndexBase::read(&cache_path(&r).unwrap()).expect("the cache reads as a base");
    let publications = r.publications(None).unwrap();
    let reuse = base.plan(&r, &publications[1..]);

    let ids: Vec<_> = publications.iter().map(|p| p.id).collect();
    let diff = r.diff(ids[0], ids[1]).unwrap();
    assert!(!diff.changed.is_empty() && !diff.added.is_empty());
    // The registry's cheap answer (no record decoded) names what its full diff names.
    let mut named: Vec<String> = diff
        .added
        .iter()
        .chain(&diff.removed)
        .chain(diff.changed.iter().map(|c| &c.entity))
        .map(|e| e.id.clone())
        .collect();
    named.sort();
    named.dedup();
    let mut cheap = r.changed_entity_ids(ids[0], ids[1]).unwrap();
    cheap.sort();
    assert_eq!(cheap, named);
    for e in diff.changed.iter().map(|c| &c.entity).chain(&diff.added) {
        assert!(!reuse.unchanged(e), "{}:{} changed", e.list, e.id);
    }
    let today = r.entities(ids[1]).unwrap();
    let maduro = today.iter().find(|e| e.id == "22790").expect("listed");
    assert!(reuse.unchanged(maduro));
    let lent = today.iter().filter(|e| reuse.unchanged(e)).count();
    assert_eq!(
        lent,
        today.len() - diff.changed.len() - diff.added.len(),
        "the rest is lent"
    );
}

/// A cache file copied from another registry names publications this one does not have (or
/// has with other content under the same id): it lends nothing, and the index is still right.
#[test]
fn a_cache_from_another_registry_lends_nothing() {
    let one = tempfile::tempdir().unwrap();
    let mut a = Registry::open(one.path().join("registry.sqlite")).unwrap();
    ingest(&mut a, "2021-11-23");
    assert_eq!(cached(&a).1, CacheUse::Built);

    let two = tempfile::tempdir().unwrap();
    let mut b = Registry::open(two.path().join("registry.sqlite")).unwrap();
    ingest(&mut b, "2022-05-19");
    std::fs::copy(cache_path(&a).unwrap(), cache_path(&b).unwrap()).unwrap();
    let reuse = IndexBase::read(&cache_path(&b).unwrap())
        .expect("readable")
        .plan(&b, &b.publications(None).unwrap());
    let p = b.publications(None).unwrap()[0].id;
    assert!(b.entities(p).unwrap().iter().all(|e| !reuse.unchanged(e)));

    let (index, used) = cached(&b);
    assert_eq!(used, CacheUse::Rebuilt);
    let (fresh, _) = index_from_registry(&b, None).unwrap();
    let dirks = keys(&index, "Natalia Germanova Dirks");
    assert_eq!(dirks[0].0, "ofac-sdn:35759");
    assert_eq!(dirks, keys(&fresh, "Natalia Germanova Dirks"));
}
