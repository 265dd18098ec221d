//! OFAC legacy CSV set: `sdn.csv` (or `cons_prim.csv`) with its companions `alt.csv`,
//! `add.csv` and `sdn_comments.csv` (`cons_alt.csv`, `cons_add.csv`, `cons_comments.csv`).
//!
//! The files have no header. The main file has 12 columns (ent_num, name, type, programs,
//! title, call sign, vessel type, tonnage, GRT, vessel flag, vessel owner, remarks); `-0- ` is
//! null; each file ends with a Ctrl-Z (0x1A) byte after its last CRLF. The companions add
//! strong aliases, addresses, and the continuation of remarks too long for the main file (the
//! main file cuts them mid-word, so the continuation is appended as is). Most of what matters
//! for screening (dates of birth, documents, weak aliases, links) is inside the remarks column;
//! [`crate::remarks`] types it.
//!
//! Doubtful rows (wrong column count, unknown ent_num, unknown program tag, unreadable date) are
//! warnings naming the file and the line or ent_num; the rest of the publication is still read.
//! Nothing in this module indexes or unwraps on input data.

use crate::input::Input;
use crate::remarks::{self, Fact};
use crate::{programs, SourceError};
use interdict_model::{
    Address, AircraftInfo, Entity, EntityKind, Gender, Link, ListId, Name, NameKind, NamePartKind,
    Publication, VesselInfo, Warning,
};
use std::collections::{HashMap, HashSet};

/// The files of one CSV publication. Only the main file is required.
#[derive(Clone, Debug)]
pub struct CsvSet {
    /// `ofac-sdn` for `sdn.csv`, `ofac-cons` for `cons_prim.csv`.
    pub list: ListId,
    /// `sdn.csv` / `cons_prim.csv`.
    pub main: Input,
    /// `alt.csv` / `cons_alt.csv`.
    pub alt: Option<Input>,
    /// `add.csv` / `cons_add.csv`.
    pub add: Option<Input>,
    /// `sdn_comments.csv` / `cons_comments.csv`.
    pub comments: Option<Input>,
}

/// Columns of each file, as OFAC documents them.
const MAIN_COLUMNS: usize = 12;
const ALT_COLUMNS: usize = 5;
const ADD_COLUMNS: usize = 6;
const COMMENTS_COLUMNS: usize = 2;

/// The relation OFAC's `Linked To:` states.
const LINKED_TO: &str = "linked to";

/// Parses a CSV set.
///
/// Never fails on content: every problem in the files is a [`Warning`] (the `Result` is kept so
/// the signature matches the other readers, and for problems a future format check may treat as
/// fatal). `published` is left `None`: the files carry no date; [`crate::load`] takes it from
/// the directory or file name.
pub fn parse(set: &CsvSet) -> Result<Publication, SourceError> {
    let mut files = vec![set.main.source_file()];
    files.extend(
        [&set.alt, &set.add, &set.comments]
            .into_iter()
            .flatten()
            .map(Input::source_file),
    );
    let mut reader = Reader {
        list: set.list,
        main_name: set.main.name.clone(),
        entities: Vec::new(),
        raw_remarks: Vec::new(),
        index: HashMap::new(),
        warnings: Vec::new(),
    };
    read_rows(&set.main, MAIN_COLUMNS, &mut reader, Reader::main_row);
    if let Some(input) = &set.comments {
        read_rows(input, COMMENTS_COLUMNS, &mut reader, Reader::comments_row);
    }
    if let Some(input) = &set.alt {
        read_rows(input, ALT_COLUMNS, &mut reader, Reader::alt_row);
    }
    if let Some(input) = &set.add {
        read_rows(input, ADD_COLUMNS, &mut reader, Reader::add_row);
    }
    reader.apply_remarks();
    Ok(Publication {
        list: set.list,
        published: None,
        files,
        entities: reader.entities,
        warnings: reader.warnings,
    })
}

/// The state of one parse: entities in source order, their raw remarks, and warnings.
struct Reader {
    list: ListId,
    /// Name of the main file, for warnings about entities.
    main_name: String,
    entities: Vec<Entity>,
    /// Remarks column of each entity (same index), with the comments file's continuation.
    raw_remarks: Vec<String>,
    /// ent_num → index into `entities`.
    index: HashMap<String, usize>,
    warnings: Vec<Warning>,
}

/// The value of a field, or `None` for OFAC's null `-0- ` and for empty fields.
fn value(field: Option<&str>) -> Option<&str> {
    let f = field?.trim();
    (!f.is_empty() && f != "-0-").then_some(f)
}

/// An ent_num: a non-empty run of ASCII digits.
fn is_ent_num(s: &str) -> bool {
    !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A name; for persons, `SURNAME, Given` is split into its parts.
fn name(full: &str, kind: NameKind, entity: EntityKind) -> Name {
    let n = Name::new(full, kind);
    match full.split_once(',') {
        Some((surname, given)) if entity == EntityKind::Person => n
            .with_part(NamePartKind::Surname, surname.trim())
            .with_part(NamePartKind::Given, given.trim()),
        _ => n,
    }
}

/// Pushes `item` unless an equal one is there (OFAC repeats facts, e.g. in `alt.` forms).
fn push_unique<T: PartialEq>(v: &mut Vec<T>, item: T) {
    if !v.contains(&item) {
        v.push(item);
    }
}

/// One row handler: the reader, the file name, the line and the record.
type RowFn = fn(&mut Reader, &str, u64, &csv::StringRecord);

/// Reads every record of one file and hands it to `row`, warning about encoding, column counts
/// and truncation.
fn read_rows(input: &Input, columns: usize, reader: &mut Reader, row: RowFn) {
    let file = input.name.as_str();
    let (text, fallback) = input.text_lossless();
    if fallback {
        let location = match input.text() {
            Err(SourceError::Malformed { location, .. }) => location,
            _ => "-".to_string(),
        };
        reader.warn(
            file,
            location,
            "not valid UTF-8; read as Windows-1252".to_string(),
        );
    }
    // The Ctrl-Z end-of-file byte and the line break before it are not a record.
    let body = text.trim_end_matches(['\u{1a}', '\r', '\n']);
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut last_start: Option<(u64, u64)> = None;
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let (line, byte) = record_start(body.as_bytes(), record.position());
                last_start = Some((line, byte));
                if record.len() != columns {
                    reader.warn(
                        file,
                        format!("line {line}"),
                        format!(
                            "expected {columns} columns, found {}; read by position",
                            record.len()
                        ),
                    );
                }
                row(reader, file, line, &record);
            }
            Err(e) => {
                let location = e
                    .position()
                    .map_or_else(|| "-".to_string(), |p| format!("line {}", p.line()));
                reader.warn(
                    file,
                    location,
                    format!("unreadable CSV: {e}; rest of file skipped"),
                );
                break;
            }
        }
    }
    if let Some((line, byte)) = last_start {
        let tail = usize::try_from(byte)
            .ok()
            .and_then(|b| body.as_bytes().get(b..))
            .unwrap_or_default();
        if ends_inside_quotes(tail) {
            reader.warn(
                file,
                format!("line {line}"),
                "the file ends inside a quoted field: it is truncated, and its last record is \
                 incomplete"
                    .to_string(),
            );
        }
    }
}

/// Line and byte where a record starts. The `csv` crate ends a record at the `\r` of `\r\n` and
/// reports the next record as starting at the `\n` (and on the previous line), and also counts
/// skipped blank lines into the record; this moves past those line breaks.
fn record_start(body: &[u8], position: Option<&csv::Position>) -> (u64, u64) {
    let Some(p) = position else {
        return (0, 0);
    };
    let (mut line, mut byte) = (p.line(), p.byte());
    let start = usize::try_from(byte).unwrap_or(usize::MAX);
    for &b in body.get(start..).unwrap_or_default() {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
        byte += 1;
    }
    (line, byte)
}

/// Whether a CSV record (its raw bytes, from its start to the end of the file) leaves a quoted
/// field open. A quote opens a field only at the field's start; `""` inside is an escaped quote.
fn ends_inside_quotes(record: &[u8]) -> bool {
    let mut in_quotes = false;
    let mut at_field_start = true;
    let mut bytes = record.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        if in_quotes {
            if b == b'"' {
                if bytes.peek() == Some(&b'"') {
                    bytes.next();
                } else {
                    in_quotes = false;
                }
            }
        } else {
            match b {
                b'"' if at_field_start => in_quotes = true,
                b',' | b'\n' | b'\r' => {
                    at_field_start = true;
                    continue;
                }
                _ => {}
            }
        }
        at_field_start = false;
    }
    in_quotes
}

impl Reader {
    fn warn(&mut self, file: &str, location: String, message: String) {
        self.warnings.push(Warning {
            file: file.to_string(),
            location,
            message,
        });
    }

    /// The entity an ent_num column refers to; warns when it is not in the main file.
    fn lookup(&mut self, file: &str, line: u64, field: Option<&str>) -> Option<usize> {
        let id = value(field).unwrap_or_default();
        match self.index.get(id) {
            Some(&i) => Some(i),
            None => {
                let message = if id.is_empty() {
                    "no ent_num; row ignored".to_string()
                } else {
                    format!("ent_num {id} is not in {}; row ignored", self.main_name)
                };
                self.warn(file, format!("line {line}"), message);
                None
            }
        }
    }

    fn main_row(&mut self, file: &str, line: u64, record: &csv::StringRecord) {
        let id = value(record.get(0)).unwrap_or_default().to_string();
        if !is_ent_num(&id) {
            self.warn(
                file,
                format!("line {line}"),
                format!("ent_num `{id}` is not a number; row skipped"),
            );
            return;
        }
        if self.index.contains_key(&id) {
            self.warn(
                file,
                format!("line {line}"),
                format!("ent_num {id} appears twice; the later row is skipped"),
            );
            return;
        }
        let at = || format!("ent_num {id}");
        let Some(primary) = value(record.get(1)) else {
            self.warn(file, at(), "no name; row skipped".to_string());
            return;
        };
        let kind = match value(record.get(2)) {
            None => EntityKind::Organization,
            Some(t) if t.eq_ignore_ascii_case("individual") => EntityKind::Person,
            Some(t) if t.eq_ignore_ascii_case("vessel") => EntityKind::Vessel,
            Some(t) if t.eq_ignore_ascii_case("aircraft") => EntityKind::Aircraft,
            Some(t) => {
                self.warn(
                    file,
                    at(),
                    format!("unknown SDN_Type `{t}`; read as an organization"),
                );
                EntityKind::Organization
            }
        };
        let mut entity = Entity::new(self.list.as_str(), id.clone(), kind);
        entity.names.push(name(primary, NameKind::Primary, kind));

        // `FTO] [SDGT] [SYRIA`: the column is the inside of `[FTO] [SDGT] [SYRIA]`.
        let program_column = value(record.get(3)).unwrap_or_default();
        for tag in program_column
            .split("] [")
            .map(|t| {
                t.trim()
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .trim()
            })
            .filter(|t| !t.is_empty())
        {
            let (designation, known) = programs::ofac_designation(tag);
            if !known {
                self.warn(
                    file,
                    at(),
                    format!("unknown program tag `{tag}`; kept without an authority"),
                );
            }
            push_unique(&mut entity.designations, designation);
        }
        if entity.designations.is_empty() {
            self.warn(file, at(), "no program".to_string());
        }

        // Several titles are joined with `;` ("Brigadier General; Major General").
        if let Some(title) = value(record.get(4)) {
            for t in title.split(';').map(str::trim).filter(|t| !t.is_empty()) {
                push_unique(&mut entity.positions, t.to_string());
            }
        }

        let field = |i| value(record.get(i)).map(str::to_string);
        let vessel = VesselInfo {
            call_sign: field(5),
            vessel_type: field(6),
            tonnage: field(7),
            gross_registered_tonnage: field(8),
            flag: field(9),
            owner: field(10),
            year_built: None,
        };
        if vessel != VesselInfo::default() {
            entity.vessel = Some(vessel);
        }

        let raw = record
            .get(11)
            .filter(|r| value(Some(r)).is_some())
            .unwrap_or_default();
        self.index.insert(id, self.entities.len());
        self.entities.push(entity);
        self.raw_remarks.push(raw.to_string());
    }

    fn comments_row(&mut self, file: &str, line: u64, record: &csv::StringRecord) {
        let Some(i) = self.lookup(file, line, record.get(0)) else {
            return;
        };
        // Appended as is: the main file cut the text mid-word.
        if let (Some(more), Some(raw)) = (record.get(1), self.raw_remarks.get_mut(i)) {
            if value(Some(more)).is_some() {
                raw.push_str(more);
            }
        }
    }

    fn alt_row(&mut self, file: &str, line: u64, record: &csv::StringRecord) {
        let Some(i) = self.lookup(file, line, record.get(0)) else {
            return;
        };
        let Some(full) = value(record.get(3)) else {
            self.warn(
                file,
                format!("line {line}"),
                "no alias name; row ignored".into(),
            );
            return;
        };
        let alt_type = value(record.get(2)).unwrap_or_default();
        let kind = match alt_type.to_ascii_lowercase().replace('.', "").as_str() {
            "aka" => NameKind::Alias,
            "fka" => NameKind::FormerName,
            "nka" => NameKind::NowKnownAs,
            _ => {
                self.warn(
                    file,
                    format!("line {line}"),
                    format!("unknown alt_type `{alt_type}`; read as a.k.a."),
                );
                NameKind::Alias
            }
        };
        let note = value(record.get(4));
        let Some(entity) = self.entities.get_mut(i) else {
            return;
        };
        let n = name(full, kind, entity.kind);
        push_unique(&mut entity.names, n);
        if let Some(note) = note {
            push_unique(&mut entity.remarks, format!("{full}: {note}"));
        }
    }

    fn add_row(&mut self, file: &str, line: u64, record: &csv::StringRecord) {
        let Some(i) = self.lookup(file, line, record.get(0)) else {
            return;
        };
        let field = |i| value(record.get(i)).map(str::to_string);
        let address = Address {
            street: field(2),
            city: field(3),
            region: None,
            postal_code: None,
            country: field(4),
            note: field(5),
        };
        if let Some(entity) = self.entities.get_mut(i) {
            if !address.is_empty() {
                push_unique(&mut entity.addresses, address);
            }
        }
    }

    /// Types the (continued) remarks of every entity into its fields.
    fn apply_remarks(&mut self) {
        let raw_remarks = std::mem::take(&mut self.raw_remarks);
        // Links in the last fact whose final dot may have been the remarks' own full stop.
        let mut dotted: Vec<(usize, usize)> = Vec::new();
        for (i, raw) in raw_remarks.iter().enumerate() {
            let facts = remarks::split(raw);
            let ends_with_dot = raw.trim_end().ends_with('.');
            let last = facts.len().saturating_sub(1);
            for (k, text) in facts.into_iter().enumerate() {
                let Some(entity) = self.entities.get_mut(i) else {
                    break;
                };
                let fact = remarks::parse_fact(text);
                let is_position = |t: &str| {
                    let t = t.strip_suffix('.').unwrap_or(t);
                    entity.positions.iter().any(|p| p == t)
                };
                if matches!(fact, Fact::Remark(_)) && is_position(text) {
                    // The title column, repeated at the end of the remarks.
                    continue;
                }
                if let Fact::Link(_) = fact {
                    if k == last && ends_with_dot {
                        dotted.push((i, entity.links.len()));
                    }
                }
                if let Some(message) = apply(entity, text, fact) {
                    let at = format!("ent_num {}", entity.id);
                    let file = self.main_name.clone();
                    self.warn(&file, at, message);
                }
            }
        }
        self.restore_link_dots(&dotted);
    }

    /// A last `Linked To: X CO.` lost its dot with the remarks' full stop; gives it back when
    /// the dotted form is a name in the publication and the undotted one is not, so the link
    /// reads as the linked party's name does.
    fn restore_link_dots(&mut self, dotted: &[(usize, usize)]) {
        if dotted.is_empty() {
            return;
        }
        let all_names = || {
            self.entities
                .iter()
                .flat_map(|e| &e.names)
                .map(|n| n.full.as_str())
        };
        // Only names ending in a dot can be the dotted form; hashing just those keeps this cheap.
        let dotted_names: HashSet<&str> = all_names().filter(|n| n.ends_with('.')).collect();
        let candidates: Vec<(usize, usize, String)> = dotted
            .iter()
            .filter_map(|&(i, l)| {
                let link = self.entities.get(i)?.links.get(l)?;
                let with_dot = format!("{}.", link.name);
                dotted_names
                    .contains(with_dot.as_str())
                    .then_some((i, l, with_dot))
            })
            .collect();
        if candidates.is_empty() {
            return;
        }
        // The undotted form must not be a name itself.
        let undotted: HashSet<&str> = candidates
            .iter()
            .filter_map(|(_, _, d)| d.strip_suffix('.'))
            .collect();
        let lengths: HashSet<usize> = undotted.iter().map(|u| u.len()).collect();
        let taken: HashSet<&str> = all_names()
            .filter(|n| lengths.contains(&n.len()) && undotted.contains(n))
            .collect();
        let fixes: Vec<(usize, usize, String)> = candidates
            .into_iter()
            .filter(|(_, _, d)| !d.strip_suffix('.').is_some_and(|u| taken.contains(u)))
            .collect();
        for (i, l, with_dot) in fixes {
            if let Some(link) = self.entities.get_mut(i).and_then(|e| e.links.get_mut(l)) {
                link.name = with_dot;
            }
        }
    }
}

/// Puts one typed fact into the entity; returns a warning message when the fact is doubtful.
fn apply(entity: &mut Entity, text: &str, fact: Fact) -> Option<String> {
    match fact {
        Fact::BirthDate(d) => push_unique(&mut entity.birth_dates, d),
        Fact::UnreadableDate { label, text: date } => {
            push_unique(&mut entity.remarks, text.to_string());
            return Some(format!(
                "unreadable date `{date}` after `{label}`; kept as a remark"
            ));
        }
        Fact::BirthPlace(p) => push_unique(&mut entity.birth_places, p),
        Fact::Nationality(c) => push_unique(&mut entity.nationalities, c),
        Fact::Citizenship(c) => push_unique(&mut entity.citizenships, c),
        Fact::Gender(g) => match entity.gender {
            None => entity.gender = Some(g),
            Some(old) if old == g => {}
            Some(old) => {
                return Some(format!(
                    "gender stated as both {} and {}; the first is kept",
                    gender_str(old),
                    gender_str(g)
                ))
            }
        },
        Fact::Identifier(id) => push_unique(&mut entity.identifiers, id),
        Fact::Name { kind, name: full } => {
            let n = name(&full, kind, entity.kind);
            if !entity
                .names
                .iter()
                .any(|m| m.full == n.full && m.kind == n.kind)
            {
                entity.names.push(n);
            }
        }
        Fact::Link(target) => push_unique(
            &mut entity.links,
            Link {
                relation: LINKED_TO.to_string(),
                name: target,
                target: None,
            },
        ),
        Fact::VesselYearBuilt(y) => {
            let v = entity.vessel.get_or_insert_with(VesselInfo::default);
            if v.year_built.is_none() {
                v.year_built = Some(y);
            } else {
                push_unique(&mut entity.remarks, text.to_string());
            }
        }
        Fact::AircraftModel(s) => set_aircraft(entity, text, s, |a| &mut a.model),
        Fact::AircraftOperator(s) => set_aircraft(entity, text, s, |a| &mut a.operator),
        Fact::AircraftManufactured(s) => set_aircraft(entity, text, s, |a| &mut a.manufactured),
        Fact::Remark(r) => push_unique(&mut entity.remarks, r),
    }
    None
}

/// Sets one aircraft field; a second value for it stays a remark.
fn set_aircraft(
    entity: &mut Entity,
    text: &str,
    value: String,
    field: fn(&mut AircraftInfo) -> &mut Option<String>,
) {
    let slot = field(entity.aircraft.get_or_insert_with(AircraftInfo::default));
    if slot.is_none() {
        *slot = Some(value);
    } else if slot.as_deref() != Some(value.as_str()) {
        push_unique(&mut entity.remarks, text.to_string());
    }
}

fn gender_str(g: Gender) -> &'static str {
    match g {
        Gender::Male => "male",
        Gender::Female => "female",
    }
}
