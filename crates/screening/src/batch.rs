//! Batch screening: a CSV or JSON-lines file in, one JSON line per row out, in input order.
//!
//! The input is read in chunks of [`BatchOptions::chunk_rows`] rows; each chunk is parsed,
//! screened and serialised on all cores (rayon) while the next chunk is read, then written in
//! order. Memory is a few chunks whatever the size of the input, and the record buffers of a
//! chunk are reused for the next, so the reading side allocates nothing per row.
//!
//! Input: CSV with a header row (columns `id`, `name`, and optionally `type`, `dob`, `country`,
//! `identifiers` separated by `;`; names matched ignoring case, other columns ignored; `,` `;`
//! tab or `|` as separator) or JSON lines with the same keys (`identifiers` may also be an
//! array of strings; blank lines are skipped). Output, one line per row:
//! `{"id": …, "matches": [{"list", "id", "name", "matched_name", "score", "explanation"}, …]}`,
//! best match first, where `id` is the row's id as given (a string for CSV, any JSON value for
//! JSON lines, `null` when absent).
//!
//! A row that cannot be screened (no name, a bad date, invalid UTF-8, a wrong number of fields,
//! a JSON line that is not an object) gets an output line with an `"error"` and no `"matches"`
//! (so that no consumer mistakes it for a clean row), and the batch goes on. Only an input that
//! is not CSV or JSON lines at all, or failing I/O, stops it.

use crate::notices::{NoticeAnnotation, NoticeAnnotations};
use crate::row::{split_identifiers, Row, RowError};
use crate::{screen_one, ScreeningError};
use interdict_matching::{
    Explanation, Match, MatchIndex, SearchOptions, TokenPair, UnmatchedToken,
};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Longest JSON line read; a longer one is reported as a bad row and skipped, so a file with no
/// line breaks cannot make the reader hold all of it.
const MAX_JSON_LINE: u64 = 1 << 20;

/// Settings of a batch.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchOptions {
    /// Limit and threshold of every row's search.
    pub search: SearchOptions,
    /// Rows read, screened and written at a time: large enough to keep every core busy, small
    /// enough that memory stays constant.
    pub chunk_rows: usize,
    /// Where designation notices were counted: each match on a notice entity then carries a
    /// `"notice"` member with its designations' status on the day (as `screen --json` does).
    pub notices: Option<Arc<NoticeAnnotations>>,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            search: SearchOptions::default(),
            chunk_rows: 4096,
            notices: None,
        }
    }
}

/// How far a batch has come, reported after every chunk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Rows written.
    pub rows: u64,
    /// Input bytes consumed (compare with the file size for a progress bar).
    pub bytes: u64,
}

/// What a finished batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchSummary {
    /// Rows read (one output line each).
    pub rows: u64,
    /// Rows with at least one match.
    pub rows_with_matches: u64,
    /// Rows that could not be screened.
    pub errors: u64,
}

/// The two input formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// CSV with a header row, fields separated by `delimiter`.
    Csv {
        /// `,`, `;`, tab or `|`, detected from the header.
        delimiter: u8,
    },
    /// One JSON object per line.
    JsonLines,
}

/// Decides the format of an input from its name and its first bytes: the extension when it
/// says (`.csv`, `.tsv`, `.jsonl`, `.ndjson`, `.json`), else the content (a line starting with
/// `{` is JSON). Files that are plainly something else (a workbook, a PDF, gzip, binary data)
/// are refused with a reason, before any row is read.
pub fn detect_format(path: &Path, head: &[u8]) -> Result<InputFormat, String> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    for (magic, what) in [
        (
            &b"PK\x03\x04"[..],
            "a ZIP archive (an .xlsx workbook? export it as CSV)",
        ),
        (&b"\x1f\x8b"[..], "gzip-compressed (decompress it first)"),
        (&b"%PDF"[..], "a PDF document"),
    ] {
        if head.starts_with(magic) {
            return Err(what.to_string());
        }
    }
    if head.contains(&0) {
        return Err("binary data (NUL bytes)".into());
    }
    let first = head.iter().copied().find(|b| !b.is_ascii_whitespace());
    let json = || match first {
        Some(b'{') | None => Ok(InputFormat::JsonLines),
        Some(b'[') => Err("a JSON array; write one JSON object per line (JSON lines)".into()),
        Some(_) => Err("the first line is not a JSON object".into()),
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("jsonl" | "ndjson" | "json") => json(),
        Some("tsv") => Ok(InputFormat::Csv { delimiter: b'\t' }),
        Some("csv") => Ok(InputFormat::Csv {
            delimiter: delimiter(head),
        }),
        _ if matches!(first, Some(b'{' | b'[')) => json(),
        _ => Ok(InputFormat::Csv {
            delimiter: delimiter(head),
        }),
    }
}

/// The separator of a CSV file: the most frequent of `,` `;` tab `|` on its header line
/// (identifiers inside a row may contain `;`, the header does not).
fn delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let count = |d: u8| line.iter().filter(|&&b| b == d).count();
    [b',', b'\t', b';', b'|']
        .into_iter()
        .max_by_key(|&d| (count(d), d == b','))
        .unwrap_or(b',')
}

/// Screens a file (`-` for standard input) and writes one JSON line per row to `output`.
/// `progress` is called after every chunk.
pub fn screen_file(
    index: &MatchIndex,
    input: &Path,
    output: impl Write,
    options: &BatchOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<BatchSummary, ScreeningError> {
    if input == Path::new("-") {
        let reader = BufReader::with_capacity(1 << 16, io::stdin());
        screen_reader(index, reader, input, output, options, progress)
    } else {
        let file = File::open(input).map_err(|e| read_error(input, e))?;
        let reader = BufReader::with_capacity(1 << 16, file);
        screen_reader(index, reader, input, output, options, progress)
    }
}

/// Screens what `input` holds; `name` is the input's name in messages and for format
/// detection by extension.
pub fn screen_reader<R: BufRead + Send>(
    index: &MatchIndex,
    mut input: R,
    name: &Path,
    output: impl Write,
    options: &BatchOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<BatchSummary, ScreeningError> {
    let head = input.fill_buf().map_err(|e| read_error(name, e))?;
    let format = detect_format(name, head).map_err(|reason| not_input(name, reason))?;
    let (source, columns) = open_source(input, name, format)?;
    let Some(mut source) = source else {
        return Ok(BatchSummary::default()); // an empty file: nothing to screen
    };

    let mut output = io::BufWriter::with_capacity(1 << 18, output);
    let chunk_rows = options.chunk_rows.max(1);
    let mut summary = BatchSummary::default();
    let mut current = Chunk::default();
    let mut next = Chunk::default();
    source
        .read_chunk(&mut current, chunk_rows)
        .map_err(|e| read_error(name, e))?;
    // The lines of the chunk screened before `current`, not written yet.
    let mut done: Vec<Piece> = Vec::new();
    while current.len > 0 {
        // The pool screens this chunk while this thread writes the previous chunk's lines and
        // reads the next chunk. Written after each chunk (and the next one read on a thread
        // of the pool), the lines left both threads of a 2-core machine idle while they were
        // written, once a chunk.
        let mut pieces = Vec::new();
        let (written, read) = rayon::in_place_scope(|scope| {
            let rows = &current.rows[..current.len];
            let screened = &mut pieces;
            let columns = columns.as_ref();
            scope.spawn(move |_| {
                *screened = rows
                    .par_chunks(PIECE_ROWS)
                    .map(|rows| screen_piece(index, columns, rows, options))
                    .collect();
            });
            let written = write_pieces(&mut output, &done, &mut summary);
            (written, source.read_chunk(&mut next, chunk_rows))
        });
        written?;
        if !done.is_empty() {
            progress(Progress {
                rows: summary.rows,
                bytes: source.bytes(),
            });
        }
        if let Err(e) = read {
            write_pieces(&mut output, &pieces, &mut summary)?;
            return Err(read_error(name, e));
        }
        done = pieces;
        std::mem::swap(&mut current, &mut next);
    }
    if !done.is_empty() {
        write_pieces(&mut output, &done, &mut summary)?;
        progress(Progress {
            rows: summary.rows,
            bytes: source.bytes(),
        });
    }
    output.flush().map_err(ScreeningError::Write)?;
    Ok(summary)
}

/// Writes the lines of screened pieces, in order, and counts them into `summary`.
fn write_pieces(
    output: &mut impl Write,
    pieces: &[Piece],
    summary: &mut BatchSummary,
) -> Result<(), ScreeningError> {
    for piece in pieces {
        output
            .write_all(&piece.lines)
            .map_err(ScreeningError::Write)?;
        summary.rows += piece.rows;
        summary.rows_with_matches += piece.rows_with_matches;
        summary.errors += piece.errors;
    }
    Ok(())
}

fn read_error(name: &Path, source: io::Error) -> ScreeningError {
    ScreeningError::Read {
        path: name.to_path_buf(),
        source,
    }
}

fn not_input(name: &Path, reason: String) -> ScreeningError {
    ScreeningError::NotScreeningInput {
        path: PathBuf::from(name),
        reason,
    }
}

/// The I/O error inside a CSV error. With flexible records read as bytes, I/O is the only way
/// the reader fails; anything else is passed on as an I/O error of its own.
fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Where the fields of a CSV record are, from its header.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Columns {
    names: Vec<String>,
    id: Option<usize>,
    name: usize,
    kind: Option<usize>,
    dob: Option<usize>,
    country: Option<usize>,
    identifiers: Option<usize>,
}

impl Columns {
    /// Reads a header: column names are matched ignoring case and surrounding spaces; a `name`
    /// column is required (its absence is the sign of a file that is not screening input),
    /// others are optional and unknown ones ignored.
    fn of(header: &csv::ByteRecord) -> Result<Columns, String> {
        let names: Vec<String> = header
            .iter()
            .map(|f| {
                String::from_utf8_lossy(f)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_lowercase()
            })
            .collect();
        let find = |n: &str| names.iter().position(|c| c == n);
        let Some(name) = find("name") else {
            let mut shown: Vec<String> = names
                .iter()
                .take(8)
                .map(|n| n.chars().take(30).collect())
                .collect();
            if names.len() > shown.len() {
                shown.push("…".into());
            }
            return Err(format!(
                "the header has no `name` column (it has: {})",
                shown.join(", ")
            ));
        };
        Ok(Columns {
            id: find("id"),
            name,
            kind: find("type"),
            dob: find("dob"),
            country: find("country"),
            identifiers: find("identifiers"),
            names,
        })
    }
}

/// One record as read, before parsing. Its buffers are reused from chunk to chunk.
#[derive(Default)]
struct RawRow {
    /// The line the record starts on (the header is line 1).
    line: u64,
    csv: csv::ByteRecord,
    json: Vec<u8>,
    /// A JSON line longer than [`MAX_JSON_LINE`] (its bytes were skipped).
    too_long: bool,
}

#[derive(Default)]
struct Chunk {
    rows: Vec<RawRow>,
    len: usize,
}

enum Source<R> {
    Csv { reader: csv::Reader<R> },
    Json { reader: R, line: u64, bytes: u64 },
}

impl<R: BufRead> Source<R> {
    /// Reads up to `n` records into `chunk`, reusing its buffers; fewer at the end of input.
    fn read_chunk(&mut self, chunk: &mut Chunk, n: usize) -> io::Result<()> {
        chunk.len = 0;
        while chunk.len < n {
            if chunk.rows.len() == chunk.len {
                chunk.rows.push(RawRow::default());
            }
            let raw = &mut chunk.rows[chunk.len];
            let more = match self {
                Source::Csv { reader } => {
                    let more = reader.read_byte_record(&mut raw.csv).map_err(csv_io)?;
                    raw.line = raw.csv.position().map_or(0, |p| p.line());
                    more
                }
                Source::Json {
                    reader,
                    line,
                    bytes,
                } => read_json_line(reader, raw, line, bytes)?,
            };
            if !more {
                break;
            }
            chunk.len += 1;
        }
        Ok(())
    }

    /// Input bytes consumed so far.
    fn bytes(&self) -> u64 {
        match self {
            Source::Csv { reader } => reader.position().byte(),
            Source::Json { bytes, .. } => *bytes,
        }
    }
}

/// Reads the next non-blank line into `raw.json`; false at the end of input.
fn read_json_line(
    reader: &mut impl BufRead,
    raw: &mut RawRow,
    line: &mut u64,
    bytes: &mut u64,
) -> io::Result<bool> {
    loop {
        raw.json.clear();
        raw.too_long = false;
        let n = reader
            .by_ref()
            .take(MAX_JSON_LINE)
            .read_until(b'\n', &mut raw.json)?;
        if n == 0 {
            return Ok(false);
        }
        *bytes += n as u64;
        *line += 1;
        raw.line = *line;
        if raw.json.last() != Some(&b'\n') && n as u64 == MAX_JSON_LINE {
            // Skip the rest of the over-long line, holding none of it.
            raw.too_long = true;
            raw.json.clear();
            loop {
                let buf = reader.fill_buf()?;
                if buf.is_empty() {
                    break;
                }
                let (used, done) = match buf.iter().position(|&b| b == b'\n') {
                    Some(i) => (i + 1, true),
                    None => (buf.len(), false),
                };
                reader.consume(used);
                *bytes += used as u64;
                if done {
                    break;
                }
            }
            return Ok(true);
        }
        if !raw.json.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(true);
        }
    }
}

/// Rows of a chunk screened as one task, their output lines written into one buffer: a
/// buffer per row (and a `String` per line) was two allocations a row and a copy of every
/// line.
const PIECE_ROWS: usize = 64;

/// Room made for each row's output line: most lines are shorter (331 bytes on average on the
/// throughput deck of `bench/throughput.sh`, a few dozen without matches), so a piece's buffer
/// rarely grows (with half the room, growing and copying it cost 0.2% of the instructions).
const LINE_BYTES: usize = 512;

/// The output of consecutive rows of a chunk.
#[derive(Default)]
struct Piece {
    /// Their output lines, each ending in a line break.
    lines: Vec<u8>,
    rows: u64,
    rows_with_matches: u64,
    errors: u64,
}

/// Parses, screens and serialises consecutive records.
fn screen_piece(
    index: &MatchIndex,
    columns: Option<&Columns>,
    rows: &[RawRow],
    options: &BatchOptions,
) -> Piece {
    let mut piece = Piece {
        lines: Vec::with_capacity(rows.len() * LINE_BYTES),
        ..Piece::default()
    };
    for raw in rows {
        let outcome = screen_raw(index, columns, raw, options, &mut piece.lines);
        piece.lines.push(b'\n');
        piece.rows += 1;
        match outcome {
            Outcome::Clean => {}
            Outcome::Matched => piece.rows_with_matches += 1,
            Outcome::Error => piece.errors += 1,
        }
    }
    piece
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Clean,
    Matched,
    Error,
}

/// The output line of a row that could not be screened: an `error` and no `matches` (a
/// screened row's line is written by [`write_matches`]).
#[derive(Serialize)]
struct ErrorLine<'a> {
    id: &'a Value,
    error: String,
}

/// Appends the output line of a screened row, written field by field: byte for byte what
/// `serde_json` writes for the row's id and matches as plain serde structs (`OutputLine` in
/// the tests, which compare the two). Through `serde_json` a line was 5% of a batch's instructions (callgrind, throughput deck of
/// `bench/throughput.sh`), most of it escaping the same field names again for every line and
/// the map a flattened struct becomes; the values are still written by `serde_json`.
fn write_matches<'a>(
    out: &mut Vec<u8>,
    id: &Value,
    matches: &'a [Match],
    notice: impl Fn(&'a Match) -> Option<&'a NoticeAnnotation>,
) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"id\":");
    json(out, id)?;
    out.extend_from_slice(b",\"matches\":[");
    for (k, m) in matches.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"list\":");
        json(out, &m.list)?;
        out.extend_from_slice(b",\"id\":");
        json(out, &m.id)?;
        out.extend_from_slice(b",\"name\":");
        json(out, &m.name)?;
        out.extend_from_slice(b",\"matched_name\":");
        json(out, &m.matched_name)?;
        out.extend_from_slice(b",\"score\":");
        json(out, &m.score)?;
        out.extend_from_slice(b",\"explanation\":");
        write_explanation(out, &m.explanation)?;
        if let Some(n) = notice(m) {
            out.extend_from_slice(b",\"notice\":");
            json(out, n)?;
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
    Ok(())
}

/// One value as `serde_json` writes it.
fn json<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    serde_json::to_writer(&mut *out, value)
}

/// A list of values as `serde_json` writes it, each by `write`.
fn json_list<T>(
    out: &mut Vec<u8>,
    items: &[T],
    mut write: impl FnMut(&mut Vec<u8>, &T) -> serde_json::Result<()>,
) -> serde_json::Result<()> {
    out.push(b'[');
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        write(out, item)?;
    }
    out.push(b']');
    Ok(())
}

/// An [`Explanation`] as its `Serialize` derive writes it: its fields in order, the lists
/// marked `skip_serializing_if = "Vec::is_empty"` left out when empty, a pair's
/// `residual_penalty` when it is zero.
fn write_explanation(out: &mut Vec<u8>, e: &Explanation) -> serde_json::Result<()> {
    let unmatched = |out: &mut Vec<u8>, t: &UnmatchedToken| {
        out.extend_from_slice(b"{\"token\":");
        json(out, &t.token)?;
        out.extend_from_slice(b",\"class\":");
        json(out, &t.class)?;
        out.extend_from_slice(b",\"weight\":");
        json(out, &t.weight)?;
        out.extend_from_slice(b",\"penalty\":");
        json(out, &t.penalty)?;
        if let Some(d) = &t.discount {
            out.extend_from_slice(b",\"discount\":");
            json(out, d)?;
        }
        out.push(b'}');
        Ok(())
    };
    out.extend_from_slice(b"{\"algorithm\":");
    json(out, &e.algorithm)?;
    out.extend_from_slice(b",\"score\":");
    json(out, &e.score)?;
    out.extend_from_slice(b",\"name_score\":");
    json(out, &e.name_score)?;
    if let Some(u) = &e.uncalibrated_name_score {
        out.extend_from_slice(b",\"uncalibrated_name_score\":");
        json(out, u)?;
    }
    out.extend_from_slice(b",\"matched_name\":");
    json(out, &e.matched_name)?;
    out.extend_from_slice(b",\"name_kind\":");
    json(out, &e.name_kind)?;
    out.extend_from_slice(b",\"original_script\":");
    json(out, &e.original_script)?;
    out.extend_from_slice(b",\"name_kind_factor\":");
    json(out, &e.name_kind_factor)?;
    if !e.query_rules.is_empty() {
        out.extend_from_slice(b",\"query_rules\":");
        json(out, &e.query_rules)?;
    }
    if !e.name_rules.is_empty() {
        out.extend_from_slice(b",\"name_rules\":");
        json(out, &e.name_rules)?;
    }
    out.extend_from_slice(b",\"pairs\":");
    json_list(out, &e.pairs, |out, p: &TokenPair| {
        out.extend_from_slice(b"{\"query\":");
        json(out, &p.query)?;
        out.extend_from_slice(b",\"name\":");
        json(out, &p.name)?;
        out.extend_from_slice(b",\"similarity\":");
        json(out, &p.similarity)?;
        out.extend_from_slice(b",\"credit\":");
        json(out, &p.credit)?;
        out.extend_from_slice(b",\"method\":");
        json(out, &p.method)?;
        out.extend_from_slice(b",\"weight\":");
        json(out, &p.weight)?;
        if p.residual_penalty != 0.0 {
            out.extend_from_slice(b",\"residual_penalty\":");
            json(out, &p.residual_penalty)?;
        }
        out.push(b'}');
        Ok(())
    })?;
    if !e.unmatched_query.is_empty() {
        out.extend_from_slice(b",\"unmatched_query\":");
        json_list(out, &e.unmatched_query, unmatched)?;
    }
    if !e.unmatched_name.is_empty() {
        out.extend_from_slice(b",\"unmatched_name\":");
        json_list(out, &e.unmatched_name, unmatched)?;
    }
    out.extend_from_slice(b",\"evidence_factor\":");
    json(out, &e.evidence_factor)?;
    if !e.ignored.is_empty() {
        out.extend_from_slice(b",\"ignored\":");
        json(out, &e.ignored)?;
    }
    if !e.attributes.is_empty() {
        out.extend_from_slice(b",\"attributes\":");
        json(out, &e.attributes)?;
    }
    out.push(b'}');
    Ok(())
}

/// Calls `f` with the id and the fields of one record (or why they cannot be read): the one
/// place both formats are turned into [`Row`]s, for screening and for [`read_rows`].
fn with_row<T>(
    columns: Option<&Columns>,
    raw: &RawRow,
    f: impl FnOnce(Value, Result<Row<'_>, RowError>) -> T,
) -> T {
    match columns {
        Some(columns) => {
            let (id, row) = csv_row(columns, &raw.csv);
            f(id, row)
        }
        None if raw.too_long => f(
            Value::Null,
            Err(RowError::Json(format!(
                "line longer than {MAX_JSON_LINE} bytes"
            ))),
        ),
        None => match parse_json(&raw.json) {
            Ok(object) => {
                let id = object.get("id").cloned().unwrap_or(Value::Null);
                f(id, json_row(&object))
            }
            Err(e) => f(Value::Null, Err(e)),
        },
    }
}

/// One row of an input, read but not screened (for callers that keep rows, such as the
/// monitoring book).
#[derive(Debug)]
pub struct InputRow<'a> {
    /// The line the row starts on (a CSV header is line 1).
    pub line: u64,
    /// The row's `id` as given: a string for CSV, any JSON value for JSON lines, `null` when
    /// absent.
    pub id: Value,
    /// Its fields, or why they cannot be read.
    pub row: Result<Row<'a>, RowError>,
}

/// Reads every row of a screening input (`-` for standard input) in order, in the formats and
/// with the per-row errors of [`screen_file`], and calls `f` with each. Returns the number of
/// rows read. Only input that is not CSV or JSON lines at all, and I/O failures, are errors.
pub fn read_rows(input: &Path, f: &mut dyn FnMut(InputRow<'_>)) -> Result<u64, ScreeningError> {
    let reader: Box<dyn BufRead> = if input == Path::new("-") {
        Box::new(BufReader::with_capacity(1 << 16, io::stdin()))
    } else {
        let file = File::open(input).map_err(|e| read_error(input, e))?;
        Box::new(BufReader::with_capacity(1 << 16, file))
    };
    read_rows_from(reader, input, f)
}

fn read_rows_from<R: BufRead>(
    mut input: R,
    name: &Path,
    f: &mut dyn FnMut(InputRow<'_>),
) -> Result<u64, ScreeningError> {
    let head = input.fill_buf().map_err(|e| read_error(name, e))?;
    let format = detect_format(name, head).map_err(|reason| not_input(name, reason))?;
    let (source, columns) = open_source(input, name, format)?;
    let Some(mut source) = source else {
        return Ok(0);
    };
    let mut chunk = Chunk::default();
    let mut rows = 0;
    loop {
        source
            .read_chunk(&mut chunk, 1024)
            .map_err(|e| read_error(name, e))?;
        if chunk.len == 0 {
            return Ok(rows);
        }
        for raw in &chunk.rows[..chunk.len] {
            with_row(columns.as_ref(), raw, |id, row| {
                f(InputRow {
                    line: raw.line,
                    id,
                    row,
                })
            });
            rows += 1;
        }
    }
}

/// The record source of an input of a known format, with its CSV columns; no source for an
/// empty CSV file (no header: nothing to read).
#[allow(clippy::type_complexity)]
fn open_source<R: BufRead>(
    input: R,
    name: &Path,
    format: InputFormat,
) -> Result<(Option<Source<R>>, Option<Columns>), ScreeningError> {
    match format {
        InputFormat::JsonLines => Ok((
            Some(Source::Json {
                reader: input,
                line: 0,
                bytes: 0,
            }),
            None,
        )),
        InputFormat::Csv { delimiter } => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(input);
            let mut header = csv::ByteRecord::new();
            if !reader
                .read_byte_record(&mut header)
                .map_err(|e| read_error(name, csv_io(e)))?
            {
                return Ok((None, None));
            }
            let columns = Columns::of(&header).map_err(|reason| not_input(name, reason))?;
            Ok((Some(Source::Csv { reader }), Some(columns)))
        }
    }
}

/// Parses, screens and serialises one record: its output line (without the line break) is
/// appended to `out`.
fn screen_raw(
    index: &MatchIndex,
    columns: Option<&Columns>,
    raw: &RawRow,
    options: &BatchOptions,
    out: &mut Vec<u8>,
) -> Outcome {
    let start = out.len();
    let (id, query) = with_row(columns, raw, |id, row| (id, row.and_then(|r| r.to_query())));
    let (line, outcome) = match query {
        Ok(query) => {
            let matches = screen_one(index, &query, &options.search);
            let outcome = if matches.is_empty() {
                Outcome::Clean
            } else {
                Outcome::Matched
            };
            let notices = options.notices.as_deref();
            let line = write_matches(out, &id, &matches, |m| {
                notices.and_then(|n| n.get(&m.list, &m.id))
            });
            (line, outcome)
        }
        Err(e) => {
            let line = serde_json::to_writer(
                &mut *out,
                &ErrorLine {
                    id: &id,
                    error: format!("line {}: {e}", raw.line),
                },
            );
            (line, Outcome::Error)
        }
    };
    match line {
        Ok(()) => outcome,
        // Matches are plain data and always serialise; should a float ever be NaN, the row
        // still gets its line.
        Err(e) => {
            out.truncate(start);
            out.extend_from_slice(
                format!(
                    r#"{{"id":null,"error":"line {}: cannot serialise the result: {}"}}"#,
                    raw.line,
                    e.to_string().replace('"', "'")
                )
                .as_bytes(),
            );
            Outcome::Error
        }
    }
}

/// The id and fields of a CSV record.
fn csv_row<'a>(
    columns: &Columns,
    record: &'a csv::ByteRecord,
) -> (Value, Result<Row<'a>, RowError>) {
    let id = columns
        .id
        .and_then(|i| record.get(i))
        .map_or(Value::Null, |id| {
            Value::String(String::from_utf8_lossy(id).trim().to_string())
        });
    if record.len() != columns.names.len() {
        let found = record.len();
        let expected = columns.names.len();
        return (id, Err(RowError::FieldCount { found, expected }));
    }
    let field = |i: Option<usize>| -> Result<Option<&'a str>, RowError> {
        match i.and_then(|i| record.get(i).map(|f| (i, f))) {
            None => Ok(None),
            Some((i, f)) => std::str::from_utf8(f)
                .map(Some)
                .map_err(|_| RowError::Utf8(format!("column {:?}", columns.names[i]))),
        }
    };
    let row = (|| {
        Ok(Row {
            name: field(Some(columns.name))?,
            kind: field(columns.kind)?,
            dob: field(columns.dob)?,
            country: field(columns.country)?,
            identifiers: field(columns.identifiers)?
                .map(|s| split_identifiers(s).collect())
                .unwrap_or_default(),
        })
    })();
    (id, row)
}

fn parse_json(line: &[u8]) -> Result<serde_json::Map<String, Value>, RowError> {
    let text = std::str::from_utf8(line).map_err(|_| RowError::Utf8("the line".into()))?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(other) => Err(RowError::Json(format!("found {}", json_type(&other)))),
        Err(e) => Err(RowError::Json(e.to_string())),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The fields of a JSON object. `identifiers` may be a `;`-separated string or an array of
/// strings; `null` is the same as absent.
fn json_row(object: &serde_json::Map<String, Value>) -> Result<Row<'_>, RowError> {
    let text = |key: &'static str| -> Result<Option<&str>, RowError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(RowError::FieldType {
                field: key,
                expected: "a string",
            }),
        }
    };
    let identifiers = match object.get("identifiers") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => split_identifiers(s).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str())
            .collect::<Option<Vec<&str>>>()
            .ok_or(RowError::FieldType {
                field: "identifiers",
                expected: "a string or an array of strings",
            })?,
        Some(_) => {
            return Err(RowError::FieldType {
                field: "identifiers",
                expected: "a string or an array of strings",
            })
        }
    };
    Ok(Row {
        name: text("name")?,
        kind: text("type")?,
        dob: text("dob")?,
        country: text("country")?,
        identifiers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_matching::{
        Agreement, Attribute, AttributeEffect, Discount, MatchedNameKind, Method, TokenClass,
    };

    /// A screened row's output line as serde writes it: what [`write_matches`] must write.
    #[derive(Serialize)]
    struct OutputLine<'a> {
        id: &'a Value,
        matches: Vec<MatchLine<'a>>,
    }

    #[derive(Serialize)]
    struct MatchLine<'a> {
        #[serde(flatten)]
        found: &'a Match,
        #[serde(skip_serializing_if = "Option::is_none")]
        notice: Option<&'a NoticeAnnotation>,
    }

    fn pair(query: &str, similarity: f64, method: Method, residual_penalty: f64) -> TokenPair {
        TokenPair {
            query: query.into(),
            name: format!("{query}\u{e9}"),
            similarity,
            credit: similarity * similarity,
            method,
            weight: 0.123_456_789,
            residual_penalty,
        }
    }

    fn unmatched(token: &str, weight: f64) -> UnmatchedToken {
        UnmatchedToken {
            token: token.into(),
            class: TokenClass::LegalForm,
            weight,
            penalty: weight / 3.0,
            discount: (weight > 0.0).then_some(Discount::Descriptor),
        }
    }

    #[test]
    fn output_lines_are_what_serde_writes() {
        let full = Explanation {
            algorithm: "name-v8".into(),
            score: 0.912_3,
            name_score: 1.0,
            uncalibrated_name_score: Some(0.987_6),
            matched_name: "AL-\"QAIDA\" \\ \u{1}\n\u{627}".into(),
            name_kind: MatchedNameKind::WeakAlias,
            original_script: true,
            name_kind_factor: 0.9,
            query_rules: vec!["variant:mohamed→muhammad".into(), "x\ty".into()],
            name_rules: vec!["translit:ц→ts".into()],
            pairs: vec![
                pair("al", 1.0, Method::Exact, 0.0),
                pair("s", 0.8, Method::Initial, 0.25),
                pair("qaida", 1e-7, Method::Typo, f64::NAN),
            ],
            unmatched_query: vec![unmatched("ltd", 0.4)],
            unmatched_name: vec![unmatched("llc", 0.0), unmatched("co", -0.0)],
            evidence_factor: 0.75,
            ignored: vec!["sheikh".into()],
            attributes: vec![AttributeEffect {
                attribute: Attribute::DateOfBirth,
                query: "1970".into(),
                listed: "1970-01-02".into(),
                agreement: Agreement::Partial,
                effect: -0.05,
            }],
        };
        let bare = Explanation {
            pairs: Vec::new(),
            score: f64::INFINITY,
            ..Explanation::default()
        };
        let found = |list: &str, explanation: &Explanation| Match {
            list: list.into(),
            id: "12\"3".into(),
            name: "Name \u{2028} name".into(),
            matched_name: String::new(),
            score: 0.1 + 0.2,
            explanation: explanation.clone(),
        };
        let matches = [found("ofac-sdn", &full), found("un", &bare)];
        for id in [
            Value::Null,
            Value::String("n\"1".into()),
            serde_json::json!(17),
            serde_json::json!({"a": [1, 2.5]}),
        ] {
            for n in 0..=matches.len() {
                let rows = &matches[..n];
                let mut out = Vec::new();
                write_matches(&mut out, &id, rows, |_| None).expect("writes");
                let expected = serde_json::to_vec(&OutputLine {
                    id: &id,
                    matches: rows
                        .iter()
                        .map(|m| MatchLine {
                            found: m,
                            notice: None,
                        })
                        .collect(),
                })
                .expect("serialises");
                assert_eq!(
                    String::from_utf8_lossy(&out),
                    String::from_utf8_lossy(&expected)
                );
            }
        }
    }

    fn format(name: &str, head: &str) -> Result<InputFormat, String> {
        detect_format(Path::new(name), head.as_bytes())
    }

    #[test]
    fn formats_by_extension_and_content() {
        let csv = Ok(InputFormat::Csv { delimiter: b',' });
        assert_eq!(format("a.csv", "id,name\n1,x"), csv);
        assert_eq!(format("a.CSV", "\u{feff}id,name\n"), csv);
        assert_eq!(
            format("a.jsonl", "{\"name\":\"x\"}\n"),
            Ok(InputFormat::JsonLines)
        );
        assert_eq!(
            format("a.txt", "  {\"name\":\"x\"}"),
            Ok(InputFormat::JsonLines)
        );
        assert_eq!(format("-", "id,name"), csv);
        assert_eq!(
            format("a", "id;name;identifiers\n1;x;a,b"),
            Ok(InputFormat::Csv { delimiter: b';' })
        );
        assert_eq!(
            format("a.csv", "id\tname\n"),
            Ok(InputFormat::Csv { delimiter: b'\t' })
        );
        assert_eq!(
            format("a.tsv", "name"),
            Ok(InputFormat::Csv { delimiter: b'\t' })
        );
        assert!(format("a.json", "[{\"name\":1}]")
            .unwrap_err()
            .contains("JSON array"));
        assert!(format("a.jsonl", "name\nx").is_err());
        assert!(format("a.csv", "PK\u{3}\u{4}xxxx")
            .unwrap_err()
            .contains("xlsx"));
        assert!(format("a.csv", "a\0b").is_err());
    }

    #[test]
    fn headers() {
        let header = csv::ByteRecord::from(vec!["\u{feff}ID", " Name ", "dob", "extra"]);
        let c = Columns::of(&header).unwrap();
        assert_eq!((c.id, c.name, c.dob, c.kind), (Some(0), 1, Some(2), None));
        let header = csv::ByteRecord::from(vec!["id", "full_name"]);
        assert!(Columns::of(&header)
            .unwrap_err()
            .contains("no `name` column (it has: id, full_name)"));
    }

    #[test]
    fn json_rows() {
        let object =
            parse_json(br#"{"id":7,"name":"x","identifiers":["a"," b"],"dob":null}"#).unwrap();
        let row = json_row(&object).unwrap();
        assert_eq!(row.name, Some("x"));
        assert_eq!(row.identifiers, ["a", " b"]);
        assert_eq!(row.dob, None);
        let object = parse_json(br#"{"name":5}"#).unwrap();
        assert_eq!(
            json_row(&object).unwrap_err().to_string(),
            r#""name" must be a string"#
        );
        assert_eq!(
            parse_json(b"[1]").unwrap_err().to_string(),
            "not a JSON object: found an array"
        );
        assert!(matches!(
            parse_json(b"{\"name\":\"\xff\"}"),
            Err(RowError::Utf8(_))
        ));
    }
}
