//! `interdict screen NAME` and `interdict screen --input FILE`

use super::spinner;
use crate::args::ScreenArgs;
use crate::config;
use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use interdict_matching::{Match, MatchIndex, SearchOptions};
use interdict_registry::{PublicationInfo, Registry};
use interdict_screening::{
    screen_file, screen_one, BatchOptions, NoticeAnnotation, NoticeAnnotations, NoticeSet, Row,
};
use serde_json::Value;
use std::fmt::{self, Write as _};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

pub fn run(args: ScreenArgs, registry: impl FnOnce() -> Result<Registry>) -> Result<ExitCode> {
    let options = search_options(args.limit, args.threshold)?;
    // Screening from the registry also knows the notices, to tell each notice match where its
    // designations stand on the day; an index file carries entities only.
    let mut notices = None;
    let (index, lists) = match &args.index {
        Some(path) => (load_index(path)?, Lists::File(path.clone())),
        None => {
            let as_of = args
                .as_of
                .as_deref()
                .map(|d| config::date("--as-of", d))
                .transpose()?;
            let registry = registry()?;
            let (index, publications) = build_index(&registry, as_of)?;
            let set = NoticeSet::from_registry(&registry, as_of)?;
            let annotations = Arc::new(NoticeAnnotations::of(&set, &registry)?);
            notices = Some(Notices { set, annotations });
            (index, Lists::Publications(publications))
        }
    };
    let code = match &args.input {
        Some(input) => batch(
            &index,
            &lists,
            input,
            args.output.as_deref(),
            options,
            notices.map(|n| n.annotations),
        ),
        None => single(&index, &lists, &args, &options, notices.as_ref()),
    };
    // The command ends with this: the process returns the index's memory at once, where
    // freeing its hundreds of thousands of allocations one by one (and the allocator handing
    // the pages back) took 10 ms of a run's wall time (`strace -T`).
    std::mem::forget(index);
    code
}

/// The notices counted on the screening day, with every notice's annotation.
struct Notices {
    set: NoticeSet,
    annotations: Arc<NoticeAnnotations>,
}

impl Notices {
    /// For a match on a notice entity: the day, the notice version, its designations with
    /// their status that day, and its links resolved. `None` for list entities.
    fn annotation(&self, m: &Match) -> Option<&NoticeAnnotation> {
        self.annotations.get(&m.list, &m.id)
    }

    /// The lines shown under a notice match in the table: each designation's status on the
    /// day, then the links.
    fn lines(&self, m: &Match) -> Vec<String> {
        let Some(designations) = self.set.status(&m.list, &m.id) else {
            return Vec::new();
        };
        let day = self.set.day();
        let mut lines: Vec<String> = designations
            .iter()
            .map(|d| format!("{} on {day}: {}", super::notice::label(d), d.status_text))
            .collect();
        if let Some(version) = self.set.get(&m.id) {
            for l in &version.notice.links {
                let name = l.name.as_deref().unwrap_or("");
                let target = l
                    .target
                    .as_deref()
                    .map(|t| format!(" → {t}"))
                    .unwrap_or_default();
                lines.push(format!("{}: {name}{target}", l.relation));
            }
        }
        lines
    }
}

/// Checks `--limit` and `--threshold`.
fn search_options(limit: usize, threshold: f64) -> Result<SearchOptions> {
    if limit == 0 {
        bail!("--limit 0: ask for at least one match");
    }
    if !(0.0..=1.0).contains(&threshold) {
        bail!("--threshold {threshold}: scores are between 0 and 1");
    }
    Ok(SearchOptions { limit, threshold })
}

/// What an index was built from, to tell the user what they screened against.
pub enum Lists {
    /// These publications, from the registry.
    Publications(Vec<PublicationInfo>),
    /// An index file.
    File(PathBuf),
}

impl fmt::Display for Lists {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lists::Publications(publications) => {
                let names: Vec<String> = publications
                    .iter()
                    .map(|p| match p.published {
                        Some(d) => format!("{} of {d}", p.list),
                        None => format!("{} (undated)", p.list),
                    })
                    .collect();
                f.write_str(&names.join(", "))
            }
            Lists::File(path) => write!(f, "index file {}", path.display()),
        }
    }
}

/// The index of the lists as of a date, with a spinner while it is built. Today's lists come
/// through the index cache beside the registry (`<registry>.index`, rebuilt when the lists or
/// notices change); the lists of another day are built each time.
pub fn build_index(
    registry: &Registry,
    as_of: Option<jiff::civil::Date>,
) -> Result<(MatchIndex, Vec<PublicationInfo>)> {
    let when = as_of.map(|d| format!(" as of {d}")).unwrap_or_default();
    let bar = spinner(format!("building the screening index of the lists{when}"));
    let built = match as_of {
        None => interdict_screening::index_from_registry_cached(registry)
            .map(|(index, publications, _)| (index, publications)),
        Some(_) => interdict_screening::index_from_registry(registry, as_of),
    };
    bar.finish_and_clear();
    Ok(built?)
}

fn load_index(path: &Path) -> Result<MatchIndex> {
    let bar = spinner(format!("loading index {}", path.display()));
    let file = File::open(path).with_context(|| format!("opening index {}", path.display()))?;
    let index = MatchIndex::load(BufReader::with_capacity(1 << 20, file))
        .with_context(|| format!("reading index {}", path.display()))?;
    bar.finish_and_clear();
    Ok(index)
}

fn single(
    index: &MatchIndex,
    lists: &Lists,
    args: &ScreenArgs,
    options: &SearchOptions,
    notices: Option<&Notices>,
) -> Result<ExitCode> {
    let row = Row {
        name: args.name.as_deref(),
        kind: args.kind.as_deref(),
        dob: args.dob.as_deref(),
        country: args.country.as_deref(),
        identifiers: args.identifiers.iter().map(String::as_str).collect(),
    };
    let query = row.to_query().context("invalid query")?;
    let matches = screen_one(index, &query, options);
    if args.json {
        // Notice matches carry a "notice" member: their designations' status on the day.
        let mut values = Vec::with_capacity(matches.len());
        for m in &matches {
            let mut value = serde_json::to_value(m)?;
            if let (Some(n), Value::Object(fields)) = (notices, &mut value) {
                if let Some(annotation) = n.annotation(m) {
                    fields.insert("notice".into(), serde_json::to_value(annotation)?);
                }
            }
            values.push(value);
        }
        println!("{}", serde_json::to_string_pretty(&values)?);
    } else {
        let with_notices = match notices {
            Some(n) if !n.set.is_empty() => {
                format!(" and {} notices as of {}", n.set.len(), n.set.day())
            }
            _ => String::new(),
        };
        println!(
            "{:?} against {lists}{with_notices} ({} entities), threshold {:.2}\n",
            query.name,
            index.len(),
            options.threshold
        );
        let extra = |m: &Match| notices.map(|n| n.lines(m)).unwrap_or_default();
        print!("{}", table(&matches, args.explain, &extra));
    }
    Ok(ExitCode::SUCCESS)
}

/// Matches as a table of score, `list:id`, primary and matched name, each followed by the
/// lines `extra` gives for it (a notice's designation status) and its explanation when
/// `explain`.
fn table(matches: &[Match], explain: bool, extra: &dyn Fn(&Match) -> Vec<String>) -> String {
    if matches.is_empty() {
        return "No match.\n".into();
    }
    const NAME_WIDTH: usize = 40;
    let keys: Vec<String> = matches
        .iter()
        .map(|m| format!("{}:{}", m.list, m.id))
        .collect();
    let key_width = keys.iter().map(|k| k.chars().count()).max().unwrap_or(0);
    let name_width = matches
        .iter()
        .map(|m| m.name.chars().count().min(NAME_WIDTH))
        .max()
        .unwrap_or(0)
        .max("NAME".len());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>5}  {:<key_width$}  {:<name_width$}  MATCHED NAME",
        "SCORE", "LIST:ID", "NAME"
    );
    for (m, key) in matches.iter().zip(&keys) {
        let _ = writeln!(
            out,
            "{:>5.2}  {key:<key_width$}  {}  {}",
            m.score,
            pad(&m.name, name_width),
            m.matched_name
        );
        for line in extra(m) {
            let _ = writeln!(out, "       {line}");
        }
        if explain {
            let value = serde_json::to_value(&m.explanation).unwrap_or(Value::Null);
            out.push_str(&explanation_text(&value, 7));
            out.push('\n');
        }
    }
    out
}

/// `text` cut or padded to `width` characters.
fn pad(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n > width {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        format!("{text}{}", " ".repeat(width - n))
    }
}

/// An explanation as indented `key: value` lines.
///
/// Explanations are matching's to define and change; this renders any JSON readably instead of
/// knowing their fields, so the terminal shows whatever matching explains.
pub fn explanation_text(value: &Value, indent: usize) -> String {
    let mut out = String::new();
    write_value(&mut out, indent, None, value);
    out
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some("-".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) if n.is_f64() => n.as_f64().map(|f| format!("{f:.3}")),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

fn write_value(out: &mut String, indent: usize, key: Option<&str>, value: &Value) {
    let pad = " ".repeat(indent);
    let label = key.map(|k| k.replace('_', " "));
    match (value, label) {
        (Value::Object(fields), label) => {
            let inner = match label {
                Some(l) => {
                    let _ = writeln!(out, "{pad}{l}:");
                    indent + 2
                }
                None => indent,
            };
            for (k, v) in fields {
                write_value(out, inner, Some(k), v);
            }
        }
        (Value::Array(items), label) if items.iter().all(|i| scalar(i).is_some()) => {
            let items: Vec<String> = items.iter().filter_map(scalar).collect();
            let label = label.map(|l| format!("{l}: ")).unwrap_or_default();
            let _ = writeln!(out, "{pad}{label}{}", items.join(", "));
        }
        (Value::Array(items), label) => {
            if let Some(l) = label {
                let _ = writeln!(out, "{pad}{l}:");
            }
            for item in items {
                // One line per item when it is flat, nested lines otherwise.
                let flat = match item {
                    Value::Object(fields) => fields
                        .iter()
                        .map(|(k, v)| scalar(v).map(|v| format!("{}: {v}", k.replace('_', " "))))
                        .collect::<Option<Vec<_>>>()
                        .map(|parts| parts.join(", ")),
                    other => scalar(other),
                };
                match flat {
                    Some(line) => {
                        let _ = writeln!(out, "{pad}- {line}");
                    }
                    None => {
                        let _ = writeln!(out, "{pad}-");
                        write_value(out, indent + 2, None, item);
                    }
                }
            }
        }
        (scalar_value, label) => {
            let text = scalar(scalar_value).unwrap_or_default();
            match label {
                Some(l) => {
                    let _ = writeln!(out, "{pad}{l}: {text}");
                }
                None => {
                    let _ = writeln!(out, "{pad}{text}");
                }
            }
        }
    }
}

fn batch(
    index: &MatchIndex,
    lists: &Lists,
    input: &Path,
    output: Option<&Path>,
    search: SearchOptions,
    notices: Option<Arc<NoticeAnnotations>>,
) -> Result<ExitCode> {
    let size = (input != Path::new("-"))
        .then(|| std::fs::metadata(input).map(|m| m.len()).ok())
        .flatten()
        .unwrap_or(0);
    let bar = if size > 0 {
        let bar = ProgressBar::new(size);
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} {msg} [{elapsed}, {eta} left]",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        spinner(String::new())
    };
    let options = BatchOptions {
        search,
        notices: notices.filter(|n| !n.is_empty()),
        ..BatchOptions::default()
    };
    let mut report = |p: interdict_screening::Progress| {
        bar.set_position(p.bytes);
        bar.set_message(format!("{} rows", p.rows));
    };
    let start = Instant::now();
    let summary = match output.filter(|p| *p != Path::new("-")) {
        None => screen_file(
            index,
            input,
            std::io::stdout().lock(),
            &options,
            &mut report,
        )?,
        Some(path) => write_then_rename(path, |file| {
            Ok(screen_file(index, input, file, &options, &mut report)?)
        })?,
    };
    bar.finish_and_clear();
    let seconds = start.elapsed().as_secs_f64();
    eprintln!(
        "screened {} rows against {lists} in {seconds:.2} s ({:.0} rows/s): {} with matches, {} errors",
        summary.rows,
        summary.rows as f64 / seconds.max(1e-9),
        summary.rows_with_matches,
        summary.errors
    );
    if summary.errors > 0 {
        eprintln!(
            "{} rows could not be screened: their output lines carry an \"error\"",
            summary.errors
        );
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `path` through `write` into `<path>.partial`, renamed to `path` once complete and
/// on disk: a failed or interrupted run leaves nothing that could pass for a finished batch
/// output or a whole index.
///
/// A path that is no regular file — `/dev/null`, `/dev/stdout`, a named pipe another program
/// reads — is written as it is: renamed over, a device or pipe would be replaced by a regular
/// file (`--output /dev/null` run as root once left the system without its null device).
pub fn write_then_rename<T>(path: &Path, write: impl FnOnce(&File) -> Result<T>) -> Result<T> {
    let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    if special {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("opening {}", path.display()))?;
        return write(&file);
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let result = (|| {
        let file =
            File::create(&partial).with_context(|| format!("creating {}", partial.display()))?;
        let value = write(&file)?;
        file.sync_all()
            .with_context(|| format!("writing {}", partial.display()))?;
        std::fs::rename(&partial, path)
            .with_context(|| format!("renaming to {}", path.display()))?;
        Ok(value)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn explanations_render_any_json() {
        let value = json!({
            "score": 0.96875,
            "rules": ["cyrillic", "reorder"],
            "tokens": [{"query": "maduro", "candidate": "maduro", "score": 1.0}],
            "secondary": {"dob": {"query": "1962", "candidate": "1962-11-23"}},
            "empty_list": [],
        });
        let text = explanation_text(&value, 2);
        assert_eq!(
            text,
            "  empty list: \n\
             \x20 rules: cyrillic, reorder\n\
             \x20 score: 0.969\n\
             \x20 secondary:\n\
             \x20   dob:\n\
             \x20     candidate: 1962-11-23\n\
             \x20     query: 1962\n\
             \x20 tokens:\n\
             \x20 - candidate: maduro, query: maduro, score: 1.000\n"
        );
    }

    /// A named pipe (as `/dev/null` or a pipe another program reads) is written as it is and
    /// stays what it was; a regular file is written whole through `.partial`.
    #[test]
    fn outputs_that_are_no_regular_file_are_written_in_place() {
        use std::io::{Read, Write};
        use std::os::unix::fs::FileTypeExt;
        let dir = std::env::temp_dir().join(format!("interdict-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("out.pipe");
        let _ = std::fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut text = String::new();
                File::open(&fifo)
                    .unwrap()
                    .read_to_string(&mut text)
                    .unwrap();
                text
            })
        };
        write_then_rename(&fifo, |mut file| Ok(file.write_all(b"line\n")?)).unwrap();
        assert_eq!(reader.join().unwrap(), "line\n");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert!(!dir.join("out.pipe.partial").exists());

        let regular = dir.join("out.jsonl");
        write_then_rename(&regular, |mut file| Ok(file.write_all(b"row\n")?)).unwrap();
        assert_eq!(std::fs::read_to_string(&regular).unwrap(), "row\n");
        assert!(!dir.join("out.jsonl.partial").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn names_are_cut_to_the_column() {
        assert_eq!(pad("abc", 5), "abc  ");
        assert_eq!(pad("abcdef", 4), "abc…");
        assert_eq!(pad("Мадуро", 6), "Мадуро");
    }
}
