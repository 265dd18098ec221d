//! Format and list detection, and the one entry point [`load`].

use crate::input::Input;
use crate::{ofac_csv, ofac_xml, resolve_links, un_xml, SourceError};
use interdict_model::{ListId, Publication};
use std::path::{Path, PathBuf};

/// The file formats interdict reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// OFAC legacy CSV set (`sdn.csv` + `alt.csv` + `add.csv` + `sdn_comments.csv`, or the
    /// `cons_*` twins).
    OfacCsv,
    /// OFAC `sdnList` XML (`sdn.xml`, `consolidated.xml`).
    OfacXml,
    /// UN Security Council Consolidated List XML.
    UnXml,
}

/// What a path holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detected {
    /// The format.
    pub format: Format,
    /// The list.
    pub list: ListId,
    /// The files of the publication; for the CSV set the main file first, then `alt`, `add`,
    /// `comments` where present (missing companions are `None`).
    pub files: Vec<Option<PathBuf>>,
}

/// Options for [`load`].
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// The publication date to record, overriding what the file or its name says.
    pub published: Option<jiff::civil::Date>,
}

/// Finds `name` or `name.gz` in `dir`.
fn companion(dir: &Path, name: &str) -> Option<PathBuf> {
    [name.to_string(), format!("{name}.gz")]
        .into_iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// The first bytes of a file, decompressed (enough to see an XML root element).
fn sniff(path: &Path) -> Result<Vec<u8>, SourceError> {
    use std::io::Read;
    let io = |source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut raw = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(64 * 1024)
        .read_to_end(&mut raw)
        .map_err(io)?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        // A truncated read of a gzip stream fails at its end; what was decoded is enough.
        let _ = flate2::read::GzDecoder::new(raw.as_slice())
            .take(4096)
            .read_to_end(&mut out);
        Ok(out)
    } else {
        raw.truncate(4096);
        Ok(raw)
    }
}

/// Detects the format and list of a path: a file, or a directory holding one publication.
pub fn detect(path: &Path) -> Result<Detected, SourceError> {
    let unknown = |reason: &str| SourceError::UnknownFormat {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    if path.is_dir() {
        for (main, list, alt, add, comments) in [
            (
                "sdn.csv",
                ListId::OfacSdn,
                "alt.csv",
                "add.csv",
                "sdn_comments.csv",
            ),
            (
                "cons_prim.csv",
                ListId::OfacCons,
                "cons_alt.csv",
                "cons_add.csv",
                "cons_comments.csv",
            ),
        ] {
            if let Some(main) = companion(path, main) {
                return Ok(Detected {
                    format: Format::OfacCsv,
                    list,
                    files: vec![
                        Some(main),
                        companion(path, alt),
                        companion(path, add),
                        companion(path, comments),
                    ],
                });
            }
        }
        let mut xml: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|source| SourceError::Io {
                path: path.to_path_buf(),
                source,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let n = p.to_string_lossy().to_ascii_lowercase();
                n.ends_with(".xml") || n.ends_with(".xml.gz")
            })
            .collect();
        xml.sort();
        return match xml.as_slice() {
            [one] => detect(one),
            [] => Err(unknown("a directory needs sdn.csv, cons_prim.csv or one XML file")),
            _ => Err(unknown("a directory holds one publication, but it has several XML files; ingest them one by one")),
        };
    }
    let head = sniff(path)?;
    let head_text = String::from_utf8_lossy(&head);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name).to_string();
    if head_text.contains("<sdnList") {
        let list = if name.contains("cons") {
            ListId::OfacCons
        } else {
            ListId::OfacSdn
        };
        return Ok(Detected {
            format: Format::OfacXml,
            list,
            files: vec![Some(path.to_path_buf())],
        });
    }
    if head_text.contains("<CONSOLIDATED_LIST") {
        return Ok(Detected {
            format: Format::UnXml,
            list: ListId::Un,
            files: vec![Some(path.to_path_buf())],
        });
    }
    if name.ends_with(".csv") {
        let dir = path.parent().unwrap_or(Path::new("."));
        let with = |alt: &str, add: &str, comments: &str| {
            vec![
                Some(path.to_path_buf()),
                companion(dir, alt),
                companion(dir, add),
                companion(dir, comments),
            ]
        };
        // Companions are taken only for the canonical file names: a dated copy such as
        // `sdn-2021-08-18.csv` stands alone, as archives keep only the main file.
        let (list, files) = match name.as_str() {
            "sdn.csv" => (
                ListId::OfacSdn,
                with("alt.csv", "add.csv", "sdn_comments.csv"),
            ),
            "cons_prim.csv" => (
                ListId::OfacCons,
                with("cons_alt.csv", "cons_add.csv", "cons_comments.csv"),
            ),
            n if n.starts_with("cons") => (
                ListId::OfacCons,
                vec![Some(path.to_path_buf()), None, None, None],
            ),
            n if n.starts_with("sdn") => (
                ListId::OfacSdn,
                vec![Some(path.to_path_buf()), None, None, None],
            ),
            _ => {
                return Err(unknown(
                    "a CSV file must be named sdn*.csv or cons_prim*.csv",
                ))
            }
        };
        return Ok(Detected {
            format: Format::OfacCsv,
            list,
            files,
        });
    }
    if head_text.trim_start().starts_with('<') {
        return Err(unknown(
            "XML, but neither an OFAC <sdnList> nor a UN <CONSOLIDATED_LIST>",
        ));
    }
    Err(unknown("expected OFAC CSV or XML, or UN XML"))
}

/// A date `YYYY-MM-DD` inside a file or directory name (`sdn-2021-08-18.csv.gz`,
/// `complete-2023-12-28`).
pub(crate) fn date_in_name(path: &Path) -> Option<jiff::civil::Date> {
    let mut candidates = Vec::new();
    for comp in path.components().rev().take(2) {
        let s = comp.as_os_str().to_string_lossy();
        let b = s.as_bytes();
        for i in 0..b.len().saturating_sub(9) {
            if let Some(Ok(d)) = s.get(i..i + 10).map(|w| w.parse::<jiff::civil::Date>()) {
                candidates.push(d);
                break;
            }
        }
        if !candidates.is_empty() {
            break;
        }
    }
    candidates.into_iter().next()
}

/// Reads the publication at `path` (file or directory), whatever its format.
///
/// The publication date is, in order: `options.published`, the date the file states (OFAC XML
/// `Publish_Date`, UN `dateGenerated`), a `YYYY-MM-DD` in the file or directory name. Linked
/// parties are resolved to ids within the publication.
pub fn load(path: &Path, options: &LoadOptions) -> Result<Publication, SourceError> {
    let detected = detect(path)?;
    let read = |p: &Option<PathBuf>| p.as_deref().map(Input::read).transpose();
    let mut publication = match detected.format {
        Format::OfacCsv => {
            let main = read(&detected.files[0])?.ok_or_else(|| SourceError::UnknownFormat {
                path: path.to_path_buf(),
                reason: "no main CSV file".into(),
            })?;
            let set = ofac_csv::CsvSet {
                list: detected.list,
                main,
                alt: read(&detected.files[1])?,
                add: read(&detected.files[2])?,
                comments: read(&detected.files[3])?,
            };
            ofac_csv::parse(&set)?
        }
        Format::OfacXml => {
            let input = read(&detected.files[0])?.ok_or_else(|| SourceError::UnknownFormat {
                path: path.to_path_buf(),
                reason: "no XML file".into(),
            })?;
            ofac_xml::parse(&input, detected.list)?
        }
        Format::UnXml => {
            let input = read(&detected.files[0])?.ok_or_else(|| SourceError::UnknownFormat {
                path: path.to_path_buf(),
                reason: "no XML file".into(),
            })?;
            un_xml::parse(&input)?
        }
    };
    if let Some(d) = options.published {
        publication.published = Some(d);
    } else if publication.published.is_none() {
        publication.published = date_in_name(detected.files[0].as_deref().unwrap_or(path))
            .or_else(|| date_in_name(path));
    }
    if publication.published.is_none() {
        return Err(SourceError::NoPublicationDate {
            path: path.to_path_buf(),
        });
    }
    resolve_links(&mut publication);
    Ok(publication)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_names() {
        assert_eq!(
            date_in_name(Path::new("x/sdn-2021-08-18.csv.gz"))
                .unwrap()
                .to_string(),
            "2021-08-18"
        );
        assert_eq!(
            date_in_name(Path::new("complete-2023-12-28/sdn.csv"))
                .unwrap()
                .to_string(),
            "2023-12-28"
        );
        assert_eq!(date_in_name(Path::new("data/sdn.csv")), None);
    }
}
