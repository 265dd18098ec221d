//! The CSV and XML readers agree on one OFAC publication published in both formats
//! (Consolidated list of 2018-04-06): same ids, names, aliases (with their kinds) and programs.

use interdict_model::{Entity, NameKind, Publication};
use interdict_sources::{load, LoadOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn testdata(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(p)
}

/// What both formats must agree on, per entity. Program order is not compared (the CSV writes
/// `SYRIA] [FSE-SY` where the XML lists FSE-SY first), and double quotes inside names are
/// compared as single quotes, because OFAC's CSV export replaces `"` with `'` (entity 22391:
/// XML `OIL TRUNK PIPELINES 'DRUZHBA'` in double quotes, CSV `'OIL TRUNK PIPELINES 'DRUZHBA''`).
#[derive(Debug, PartialEq, Eq)]
struct Facts {
    kind: String,
    primary: String,
    names: BTreeSet<(String, NameKind)>,
    programs: BTreeSet<String>,
}

fn quotes(name: &str) -> String {
    name.replace('"', "'")
}

fn facts(e: &Entity) -> Facts {
    Facts {
        kind: e.kind.as_str().to_string(),
        primary: e
            .primary_name()
            .map(|n| quotes(&n.full))
            .unwrap_or_default(),
        names: e.names.iter().map(|n| (quotes(&n.full), n.kind)).collect(),
        programs: e.programs().map(str::to_string).collect(),
    }
}

fn by_id(p: &Publication) -> BTreeMap<String, Facts> {
    p.entities
        .iter()
        .map(|e| (e.id.clone(), facts(e)))
        .collect()
}

#[test]
fn csv_and_xml_of_the_2018_04_06_consolidated_list_agree() {
    let dir = testdata("ofac/consolidated-2018-04-06");
    let csv = load(&dir, &LoadOptions::default()).expect("CSV set parses");
    let xml = load(&dir.join("consolidated.xml.gz"), &LoadOptions::default()).expect("XML parses");
    assert_eq!(csv.list, xml.list);
    assert_eq!(csv.published, xml.published);
    assert_eq!(csv.entities.len(), 639);
    assert_eq!(xml.entities.len(), 639);

    let (c, x) = (by_id(&csv), by_id(&xml));
    assert_eq!(
        c.keys().collect::<Vec<_>>(),
        x.keys().collect::<Vec<_>>(),
        "same ids"
    );
    let mut differences = Vec::new();
    for (id, cf) in &c {
        let xf = &x[id];
        if cf != xf {
            differences.push(format!("{id}:\n  csv {cf:?}\n  xml {xf:?}"));
        }
    }
    assert!(
        differences.is_empty(),
        "{} entities differ:\n{}",
        differences.len(),
        differences.join("\n")
    );

    // The comparison is not vacuous: aliases of both strengths are present.
    let all: Vec<&Facts> = c.values().collect();
    assert!(all
        .iter()
        .any(|f| f.names.iter().any(|(_, k)| *k == NameKind::Alias)));
    assert!(all
        .iter()
        .any(|f| f.names.iter().any(|(_, k)| *k == NameKind::WeakAlias)));
}
