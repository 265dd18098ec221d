//! The index cache beside a registry: used while the lists and notices stay as they are,
//! rebuilt when a publication or a notice is added or the file is damaged, and always giving
//! the matches a freshly built index gives.

use interdict_registry::Registry;
use interdict_screening::{
    cache_path, index_from_registry, index_from_registry_cached, screen_one, CacheUse, MatchIndex,
    Row, SearchOptions,
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

    // A new publication: rebuilt, and it screens what a fresh index screens. DIRKS, Natalia
    // Germanova (ofac-sdn:35759) is listed on 2022-05-19.
    ingest(&mut r, "2022-05-19");
    let (after, used) = cached(&r);
    assert_eq!(used, CacheUse::Built);
    let (fresh, _) = index_from_registry(&r, None).unwrap();
    let dirks = keys(&after, "Natalia Germanova Dirks");
    assert_eq!(dirks[0].0, "ofac-sdn:35759");
    assert_eq!(dirks, keys(&fresh, "Natalia Germanova Dirks"));
    assert_eq!(cached(&r).1, CacheUse::Loaded);

    // A notice: its entity is screened, so the cache is rebuilt.
    let notice =
        interdict_sources::notice::read(&repo("examples/notices/cartel-de-los-soles.yaml"))
            .expect("seed notice parses");
    r.add_notice(&notice, None).expect("recorded");
    let (with_notice, used) = cached(&r);
    assert_eq!(used, CacheUse::Built);
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
