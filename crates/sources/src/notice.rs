//! Designation notices: what an authority announced, written by hand in YAML, before (or
//! besides) any list file carrying it. `docs/notices.md` documents the format with a full
//! example; `examples/notices/` holds real ones.
//!
//! A notice is written by a person reading a press statement, so the reader is strict where a
//! typo would silently change meaning: unknown fields are errors (a misspelt `efective:` would
//! otherwise leave a designation without an effective date), dates must be real `YYYY-MM-DD`
//! days, references must be `list:id` of a known list. Every error names the file and, where
//! the YAML parser knows it, the line and column:
//!
//! ```text
//! notices/x.yaml: line 12, column 5: designations[0].events: unknown field `efective`, expected one of `announced`, …
//! ```
//!
//! Checks that span several fields (a revocation dated before the announcement) are made after
//! parsing; they name the field path instead of a line.

use crate::input::Input;
use crate::SourceError;
use interdict_model::{
    DatedDesignation, DesignationEvents, EntityKind, EventDate, ListId, NameKind, Notice,
    NoticeLink, NoticeName, NoticeSource,
};
use serde::{Deserialize, Deserializer};
use std::collections::HashSet;
use std::path::Path;

/// Largest notice file accepted: a notice is a page of YAML; anything far larger is not one.
const MAX_NOTICE_BYTES: usize = 1 << 20;

/// Reads and validates one notice file. Errors name the file as `path` is written.
pub fn read(path: &Path) -> Result<Notice, SourceError> {
    let input = Input::read(path)?;
    let shown = path.display().to_string();
    if input.bytes.len() > MAX_NOTICE_BYTES {
        return Err(SourceError::TooLarge {
            file: shown,
            size: input.bytes.len() as u64,
            limit: MAX_NOTICE_BYTES as u64,
        });
    }
    let text = input.text().map_err(|e| match e {
        SourceError::Malformed {
            location, message, ..
        } => SourceError::malformed(&shown, location, message),
        other => other,
    })?;
    parse(&shown, text)
}

/// Parses and validates a notice from YAML text; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Notice, SourceError> {
    let raw: RawNotice = serde_norway::from_str(text).map_err(|e| yaml_error(file, &e))?;
    raw.into_notice()
        .map_err(|(location, message)| SourceError::malformed(file, location, message))
}

/// A YAML error as `line L, column C: message` (the parser's own "at line L column C" suffix
/// moved to the front, where the file name is).
fn yaml_error(file: &str, e: &serde_norway::Error) -> SourceError {
    let text = e.to_string();
    match e.location() {
        Some(at) => {
            let suffix = format!(" at line {} column {}", at.line(), at.column());
            let message = text.strip_suffix(&suffix).unwrap_or(&text);
            SourceError::malformed(
                file,
                format!("line {}, column {}", at.line(), at.column()),
                message,
            )
        }
        None => SourceError::malformed(file, "document", text),
    }
}

/// Deserialises a string and checks it inside the parser's visitor, so that an error carries
/// the position of the string itself (an error raised after deserialising would be placed at
/// the enclosing mapping).
fn checked_str<'de, D, T>(
    d: D,
    expecting: &'static str,
    check: fn(&str) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct Visitor<T> {
        expecting: &'static str,
        check: fn(&str) -> Result<T, String>,
    }
    impl<T> serde::de::Visitor<'_> for Visitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
            (self.check)(s).map_err(E::custom)
        }
    }
    d.deserialize_str(Visitor { expecting, check })
}

/// A notice id: an identifier, since it becomes the entity id in `notice:ID`.
#[derive(Debug)]
struct NoticeId(String);

impl<'de> Deserialize<'de> for NoticeId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<NoticeId, D::Error> {
        checked_str(d, "a notice id", |s| {
            let ok = !s.is_empty()
                && s.len() <= 64
                && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                && s.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'_')
                });
            if ok {
                Ok(NoticeId(s.to_string()))
            } else {
                Err(format!(
                    "invalid notice id {s:?}: use lower-case letters, digits, '-', '.' and '_' \
                     (at most 64, starting with a letter or digit)"
                ))
            }
        })
    }
}

/// A `list:id` reference to a listed party or another notice.
#[derive(Debug)]
struct Reference(String);

impl<'de> Deserialize<'de> for Reference {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Reference, D::Error> {
        checked_str(d, "a reference LIST:ID", |s| {
            let Some((list, id)) = s.split_once(':') else {
                return Err(format!(
                    "invalid reference {s:?}: expected LIST:ID, e.g. ofac-sdn:22790"
                ));
            };
            if ListId::parse(list).is_none() {
                let known: Vec<&str> = ListId::ALL.iter().map(|l| l.as_str()).collect();
                return Err(format!(
                    "invalid reference {s:?}: unknown list {list:?} (known: {})",
                    known.join(", ")
                ));
            }
            if id.is_empty() || id.chars().any(char::is_whitespace) {
                return Err(format!(
                    "invalid reference {s:?}: the id after ':' must be non-empty, without spaces"
                ));
            }
            Ok(Reference(s.to_string()))
        })
    }
}

/// A language tag, checked loosely as BCP 47 (`es`, `en`, `pt-BR`, `sr-Latn`).
#[derive(Debug)]
struct Lang(String);

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
        checked_str(d, "a language tag", |s| {
            let mut parts = s.split('-');
            let primary_ok = parts.next().is_some_and(|p| {
                (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic())
            });
            let rest_ok = parts.all(|p| {
                (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())
            });
            if primary_ok && rest_ok {
                Ok(Lang(s.to_string()))
            } else {
                Err(format!(
                    "invalid language tag {s:?}: expected e.g. es, en, pt-BR"
                ))
            }
        })
    }
}

/// A plain `YYYY-MM-DD` date (source dates): strict, like event dates.
#[derive(Debug)]
struct Day(jiff::civil::Date);

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        match EventDate::deserialize(d)? {
            EventDate::On(day) => Ok(Day(day)),
            EventDate::OnOrBefore(_) => Err(serde::de::Error::custom(
                "expected a date YYYY-MM-DD, not a bound",
            )),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotice {
    notice: NoticeId,
    #[serde(default)]
    title: Option<String>,
    entity: RawEntity,
    designations: Vec<RawDesignation>,
    #[serde(default)]
    links: Vec<RawLink>,
    #[serde(default)]
    sources: Vec<RawSource>,
    #[serde(default)]
    remarks: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    kind: EntityKind,
    names: Vec<RawName>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawName {
    name: String,
    #[serde(default)]
    lang: Option<Lang>,
    #[serde(default)]
    kind: Option<NameKind>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuthority {
    legal_basis: Vec<String>,
    #[serde(default)]
    regulations: Vec<String>,
    body: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDesignation {
    program: String,
    #[serde(default)]
    program_name: Option<String>,
    authority: RawAuthority,
    #[serde(default)]
    events: DesignationEvents,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLink {
    relation: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, rename = "ref")]
    reference: Option<Reference>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    date: Option<Day>,
}

/// A non-empty trimmed string, or the error `(path, message)`.
fn text(value: &str, path: impl Into<String>, what: &str) -> Result<String, (String, String)> {
    let t = value.trim();
    if t.is_empty() {
        Err((path.into(), format!("{what} is empty")))
    } else {
        Ok(t.to_string())
    }
}

impl RawNotice {
    /// The checks that span fields, and the conversion to the model. Errors are
    /// `(field path, message)`.
    fn into_notice(self) -> Result<Notice, (String, String)> {
        let id = self.notice.0;
        if self.entity.names.is_empty() {
            return Err((
                "entity.names".into(),
                "a notice needs at least one name".into(),
            ));
        }
        let explicit_primary = self
            .entity
            .names
            .iter()
            .filter(|n| n.kind == Some(NameKind::Primary))
            .count();
        if explicit_primary > 1 {
            return Err((
                "entity.names".into(),
                "more than one name is marked primary".into(),
            ));
        }
        let mut seen = HashSet::new();
        let mut names = Vec::with_capacity(self.entity.names.len());
        for (i, n) in self.entity.names.into_iter().enumerate() {
            let path = format!("entity.names[{i}]");
            let name = text(&n.name, &path, "the name")?;
            if !seen.insert(name.to_lowercase()) {
                return Err((path, format!("the name {name:?} is given twice")));
            }
            // The first name is the primary one unless another is marked so.
            let kind = n.kind.unwrap_or(if i == 0 && explicit_primary == 0 {
                NameKind::Primary
            } else {
                NameKind::Alias
            });
            names.push(NoticeName {
                name,
                lang: n.lang.map(|l| l.0),
                kind,
            });
        }

        if self.designations.is_empty() {
            return Err((
                "designations".into(),
                "a notice needs at least one designation".into(),
            ));
        }
        let mut designations = Vec::with_capacity(self.designations.len());
        for (i, d) in self.designations.into_iter().enumerate() {
            let path = format!("designations[{i}]");
            let program = text(&d.program, format!("{path}.program"), "the program")?;
            let body = text(
                &d.authority.body,
                format!("{path}.authority.body"),
                "the designating body",
            )?;
            if d.authority.legal_basis.iter().all(|b| b.trim().is_empty()) {
                return Err((
                    format!("{path}.authority.legal_basis"),
                    "name at least one statute or order (e.g. INA §219, E.O. 13224)".into(),
                ));
            }
            check_event_order(&d.events, &format!("{path}.events"))?;
            designations.push(DatedDesignation {
                program,
                program_name: d.program_name.filter(|p| !p.trim().is_empty()),
                authority: interdict_model::Authority {
                    legal_basis: d.authority.legal_basis,
                    regulations: d.authority.regulations,
                    body,
                },
                events: d.events,
            });
        }

        let mut links = Vec::with_capacity(self.links.len());
        for (i, l) in self.links.into_iter().enumerate() {
            let path = format!("links[{i}]");
            let relation = text(&l.relation, format!("{path}.relation"), "the relation")?;
            let name = l.name.filter(|n| !n.trim().is_empty());
            let target = l.reference.map(|r| r.0);
            if name.is_none() && target.is_none() {
                return Err((path, "a link needs a name, a ref (LIST:ID), or both".into()));
            }
            if target.as_deref() == Some(format!("notice:{id}").as_str()) {
                return Err((path, "a notice cannot link to itself".into()));
            }
            links.push(NoticeLink {
                relation,
                name,
                target,
            });
        }

        let sources = self
            .sources
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let source = NoticeSource {
                    title: s.title.filter(|t| !t.trim().is_empty()),
                    url: s.url.filter(|u| !u.trim().is_empty()),
                    date: s.date.map(|d| d.0),
                };
                if source.title.is_none() && source.url.is_none() {
                    Err((
                        format!("sources[{i}]"),
                        "a source needs a title, a url, or both".into(),
                    ))
                } else {
                    Ok(source)
                }
            })
            .collect::<Result<Vec<_>, _>>()?;

        let notice = Notice {
            id,
            title: self.title.filter(|t| !t.trim().is_empty()),
            kind: self.entity.kind,
            names,
            designations,
            links,
            sources,
            remarks: self.remarks,
        };
        if notice.known_from().is_none() {
            return Err((
                "designations".into(),
                "no event has a date: give at least one (announced, notified, published or \
                 effective; {on_or_before: DATE} when only a bound is known)"
                    .into(),
            ));
        }
        Ok(notice)
    }
}

/// Nothing happens to a designation after it is revoked; events with exact dates after an
/// exact revocation date are a mistake in the notice.
fn check_event_order(events: &DesignationEvents, path: &str) -> Result<(), (String, String)> {
    let Some(revoked) = events.revoked.and_then(EventDate::exact) else {
        return Ok(());
    };
    for (name, date) in events.all() {
        if name == "revoked" {
            continue;
        }
        if let Some(day) = date.exact().filter(|&d| d > revoked) {
            return Err((
                path.to_string(),
                format!("{name} {day} is after the revocation on {revoked}"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const MINIMAL: &str = "\
notice: tren-de-aragua
entity:
  kind: organization
  names:
    - name: Tren de Aragua
designations:
  - program: FTO
    authority:
      legal_basis: [INA §219 (8 U.S.C. §1189)]
      body: U.S. Department of State
    events:
      effective: 2025-02-20
";

    #[test]
    fn a_minimal_notice_parses_with_defaults() {
        let n = parse("x.yaml", MINIMAL).unwrap();
        assert_eq!(n.id, "tren-de-aragua");
        assert_eq!(n.names[0].kind, NameKind::Primary);
        assert_eq!(n.known_from(), Some(date(2025, 2, 20)));
        assert_eq!(n.to_entity().key(), "notice:tren-de-aragua");
    }

    fn error(text: &str) -> String {
        parse("notices/x.yaml", text).unwrap_err().to_string()
    }

    #[test]
    fn a_misspelt_field_is_an_error_with_its_line_and_column() {
        let e = error(&MINIMAL.replace("effective:", "efective:"));
        assert!(
            e.starts_with("notices/x.yaml: line 12, column 7: designations[0].events: unknown field `efective`, expected one of"),
            "{e}"
        );
    }

    #[test]
    fn bad_dates_references_and_ids_are_errors_with_their_line() {
        let e = error(&MINIMAL.replace("2025-02-20", "2025-02-30"));
        assert!(
            e.contains("line 12, column 18") && e.contains("no such day"),
            "{e}"
        );
        let e = error(&MINIMAL.replace("2025-02-20", "20 Feb 2025"));
        assert!(e.contains("line 12") && e.contains("YYYY-MM-DD"), "{e}");
        let e = error(&MINIMAL.replace("notice: tren-de-aragua", "notice: Tren de Aragua"));
        assert!(
            e.contains("line 1,") && e.contains("invalid notice id"),
            "{e}"
        );
        let with_link = format!("{MINIMAL}links:\n  - relation: leader\n    ref: sdn:22790\n");
        let e = error(&with_link);
        assert!(
            e.contains("line 15, column 10") && e.contains("unknown list \"sdn\""),
            "{e}"
        );
        let e = error(&MINIMAL.replace(
            "- name: Tren de Aragua",
            "- name: Tren de Aragua\n      lang: spanish",
        ));
        assert!(
            e.contains("line 6, column 13") && e.contains("language tag"),
            "{e}"
        );
    }

    #[test]
    fn cross_field_mistakes_name_the_field() {
        let e = error(&MINIMAL.replace(
            "effective: 2025-02-20",
            "effective: 2025-02-20\n      revoked: 2025-01-01",
        ));
        assert!(
            e.contains("designations[0].events: effective 2025-02-20 is after the revocation"),
            "{e}"
        );
        let e = error(&MINIMAL.replace("    events:\n      effective: 2025-02-20\n", ""));
        assert!(e.contains("no event has a date"), "{e}");
        let e = error("notice: x\n");
        assert!(e.contains("missing field `entity`"), "{e}");
        let e = error("- not a mapping\n");
        assert!(e.starts_with("notices/x.yaml: line 1, column 1:"), "{e}");
        let e = error("notice: [unclosed\n");
        assert!(e.starts_with("notices/x.yaml: line"), "{e}");
    }
}
