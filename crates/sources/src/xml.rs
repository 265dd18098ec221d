//! What the two XML readers share: the well-formedness checks quick-xml leaves to its caller,
//! positions as `line L, column C`, and a small element tree built one record at a time.
//!
//! Both list files are flat sequences of small records (`sdnEntry`, `INDIVIDUAL`) under one or
//! two wrapper elements. Streaming the file and materialising only the current record as a tree
//! keeps memory proportional to one record (OFAC's `sdn.xml` is ~100 MB) while letting the
//! readers look fields up by name, in any order, ignoring elements they do not know: both
//! schemas grow over time and an unknown element must never be an error.
//!
//! quick-xml checks tag syntax and that end tags match, but by design it does not check that
//! the text is valid XML 1.0 characters, and it reports the end of input as a plain `Eof` even
//! when elements are still open. A truncated file would then read as a shorter list, and a
//! shorter list ingested as a new publication looks like mass delisting. So this module adds
//! those checks and turns every failure into a [`SourceError::Malformed`] with the file name and
//! a line and column.

use crate::input::Input;
use crate::SourceError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;

/// One element of a record, with its text and children. Names and text borrow from the input
/// whenever no unescaping was needed, so building a record costs little more than the `Vec`s.
#[derive(Debug, Default)]
pub(crate) struct Element<'a> {
    /// Local name (namespace prefix removed: OFAC publishes the same schema under two default
    /// namespaces).
    pub name: &'a str,
    /// The element's own text, unescaped and concatenated, untrimmed.
    pub text: Cow<'a, str>,
    /// Child elements in document order.
    pub children: Vec<Element<'a>>,
    /// Byte offset of the start tag in the text, for messages about records without an id.
    pub offset: usize,
}

impl<'a> Element<'a> {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All children named `name`.
    pub fn children_named<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = &'s Element<'a>> + 's {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text, `None` when blank: lists write `<COUNTRY/>` and `<COUNTRY></COUNTRY>`
    /// for "unknown", and that must not become an empty value in the model.
    pub fn value(&self) -> Option<&str> {
        let t = self.text.trim();
        (!t.is_empty()).then_some(t)
    }

    /// The trimmed, non-blank text of the first child named `name`.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.children
            .iter()
            .filter(|c| c.name == name)
            .find_map(Element::value)
    }

    /// [`Element::text_of`] as an owned string.
    pub fn string_of(&self, name: &str) -> Option<String> {
        self.text_of(name).map(str::to_string)
    }
}

/// The root element's start tag.
pub(crate) struct Root<'a> {
    /// Local name.
    pub name: &'a str,
    /// Attributes (local name, unescaped value).
    pub attributes: Vec<(&'a str, Cow<'a, str>)>,
    /// Byte offset of the start tag.
    pub offset: usize,
    /// True for `<root/>`: there is no content to walk.
    empty: bool,
}

impl Root<'_> {
    /// The value of the attribute with local name `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_ref())
    }
}

/// An XML file being read: the checked text and the streaming reader over it.
pub(crate) struct Document<'a> {
    reader: Reader<&'a [u8]>,
    text: &'a str,
    file: &'a str,
}

impl<'a> Document<'a> {
    /// Checks that the whole input is UTF-8 made only of characters XML 1.0 allows, and
    /// prepares to read it. Checking up front (a fast byte scan) means no record is read from a
    /// file that is not well-formed further down.
    pub fn open(input: &'a Input) -> Result<Document<'a>, SourceError> {
        let text = input.text().map_err(|_| utf8_error(input))?;
        check_characters(text).map_err(|(offset, c)| {
            SourceError::malformed(
                &input.name,
                line_column(text, offset),
                format!(
                    "character U+{:04X} is not allowed in XML 1.0 (byte offset {offset})",
                    c as u32
                ),
            )
        })?;
        let mut reader = Reader::from_str(text);
        // Both checks are on by default; stated here because the readers rely on them.
        reader.config_mut().check_end_names = true;
        reader.config_mut().allow_unmatched_ends = false;
        Ok(Document {
            reader,
            text,
            file: &input.name,
        })
    }

    /// A `Malformed` error at a byte offset of the text.
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> SourceError {
        SourceError::malformed(self.file, line_column(self.text, offset), message)
    }

    /// The checked text. It outlives the borrow of the document, so record visitors can
    /// locate warnings (with [`line_column`]) while the document is being walked.
    pub fn text(&self) -> &'a str {
        self.text
    }

    fn position(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX)
    }

    /// The next event, with quick-xml errors turned into `Malformed` at the place quick-xml
    /// blames (the `<` of the offending markup).
    fn next(&mut self) -> Result<Event<'a>, SourceError> {
        self.reader.read_event().map_err(|e| {
            let at = usize::try_from(self.reader.error_position()).unwrap_or(usize::MAX);
            SourceError::malformed(self.file, line_column(self.text, at), e.to_string())
        })
    }

    /// A tag's local name, borrowed from the input. The reader works on the input slice, so
    /// names are sub-slices of it; this is checked rather than assumed.
    fn name_of(&self, start: &BytesStart<'a>, offset: usize) -> Result<&'a str, SourceError> {
        self.slice_of(start.local_name().into_inner())
            .ok_or_else(|| self.error_at(offset, "unreadable element name"))
    }

    /// Checks a start tag's attributes are well-formed and returns them.
    fn attributes(
        &self,
        start: &BytesStart<'a>,
        offset: usize,
    ) -> Result<Vec<(&'a str, Cow<'a, str>)>, SourceError> {
        let mut out = Vec::new();
        for attr in start.attributes() {
            let attr = attr.map_err(|e| self.error_at(offset, e.to_string()))?;
            let value = attr
                .unescape_value()
                .map_err(|e| self.error_at(offset, e.to_string()))?;
            if let Err((_, c)) = check_characters(&value) {
                return Err(self.error_at(
                    offset,
                    format!("character U+{:04X} is not allowed in XML 1.0", c as u32),
                ));
            }
            // Keys are ASCII-delimited slices of a `str`; a key that is somehow not UTF-8 is
            // skipped rather than trusted.
            let key = attr.key.local_name().into_inner();
            let Some(key) = self.slice_of(key) else {
                continue;
            };
            // Values may borrow the input or be owned after unescaping; keep both forms.
            let value = match value {
                Cow::Borrowed(v) => self
                    .slice_of(v.as_bytes())
                    .map_or_else(|| Cow::Owned(v.to_string()), Cow::Borrowed),
                Cow::Owned(v) => Cow::Owned(v),
            };
            out.push((key, value));
        }
        Ok(out)
    }

    /// Re-borrows a sub-slice of the input text with the input's lifetime.
    fn slice_of(&self, part: &[u8]) -> Option<&'a str> {
        let base = self.text.as_ptr() as usize;
        let start = (part.as_ptr() as usize).checked_sub(base)?;
        self.text
            .get(start..start.checked_add(part.len())?)
            .filter(|s| s.as_bytes() == part)
    }

    /// Reads up to and including the root element's start tag. Declarations, comments,
    /// processing instructions and a DOCTYPE may precede it; text may not.
    pub fn root(&mut self) -> Result<Root<'a>, SourceError> {
        loop {
            let at = self.position();
            match self.next()? {
                Event::Start(e) => return self.make_root(&e, at, false),
                Event::Empty(e) => return self.make_root(&e, at, true),
                Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
                Event::Text(_) | Event::CData(_) => {
                    return Err(self.error_at(at, "text before the root element"))
                }
                Event::End(_) => return Err(self.error_at(at, "end tag before any start tag")),
                Event::Eof => {
                    return Err(self.error_at(at, "no root element: the file has no elements"))
                }
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
    }

    fn make_root(
        &self,
        e: &BytesStart<'a>,
        offset: usize,
        empty: bool,
    ) -> Result<Root<'a>, SourceError> {
        Ok(Root {
            name: self.name_of(e, offset)?,
            attributes: self.attributes(e, offset)?,
            offset,
            empty,
        })
    }

    /// Walks the content of the root element to its end and then to the end of the file.
    /// Every element for which `pick(ancestors, name)` holds (`ancestors` are the names of the
    /// open elements between the root and it) is read whole and passed to `visit`; everything
    /// else is descended into and otherwise ignored.
    ///
    /// Returns the byte offset of the root's end tag. Errors if the file ends before the root
    /// is closed (a truncated file) or has content after it.
    pub fn walk(
        &mut self,
        root: &Root<'a>,
        pick: impl Fn(&[&'a str], &str) -> bool,
        mut visit: impl FnMut(Element<'a>) -> Result<(), SourceError>,
    ) -> Result<usize, SourceError> {
        let mut open: Vec<&'a str> = Vec::new();
        let mut end = root.offset;
        if !root.empty {
            loop {
                let at = self.position();
                match self.next()? {
                    Event::Start(e) => {
                        let name = self.name_of(&e, at)?;
                        if pick(&open, name) {
                            let element = self.read_element(&e, at)?;
                            visit(element)?;
                        } else {
                            self.attributes(&e, at)?;
                            open.push(name);
                        }
                    }
                    Event::Empty(e) => {
                        let name = self.name_of(&e, at)?;
                        self.attributes(&e, at)?;
                        if pick(&open, name) {
                            visit(Element {
                                name,
                                offset: at,
                                ..Element::default()
                            })?;
                        }
                    }
                    Event::End(_) => {
                        if open.pop().is_none() {
                            end = at;
                            break;
                        }
                    }
                    Event::Text(t) => {
                        // Text between records is layout; it is still checked for bad escapes.
                        t.unescape().map_err(|e| self.error_at(at, e.to_string()))?;
                    }
                    Event::Eof => {
                        let innermost = open.last().copied().unwrap_or(root.name);
                        return Err(self.error_at(
                            self.text.len(),
                            format!(
                                "unexpected end of file inside <{innermost}>: the file is \
                                 truncated"
                            ),
                        ));
                    }
                    Event::CData(_) | Event::Comment(_) | Event::PI(_) => {}
                    Event::Decl(_) | Event::DocType(_) => {
                        return Err(
                            self.error_at(at, "XML declaration or DOCTYPE inside the root element")
                        )
                    }
                }
            }
        }
        loop {
            let at = self.position();
            match self.next()? {
                Event::Eof => return Ok(end),
                Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(self.error_at(at, "content after the end of the root element")),
            }
        }
    }

    /// Reads the element whose start tag was just read, with all its descendants. Iterative,
    /// so hostile nesting depth cannot overflow the stack.
    fn read_element(
        &mut self,
        start: &BytesStart<'a>,
        offset: usize,
    ) -> Result<Element<'a>, SourceError> {
        self.attributes(start, offset)?;
        let mut stack = vec![Element {
            name: self.name_of(start, offset)?,
            offset,
            ..Element::default()
        }];
        loop {
            let at = self.position();
            match self.next()? {
                Event::Start(e) => {
                    self.attributes(&e, at)?;
                    stack.push(Element {
                        name: self.name_of(&e, at)?,
                        offset: at,
                        ..Element::default()
                    });
                }
                Event::Empty(e) => {
                    self.attributes(&e, at)?;
                    let child = Element {
                        name: self.name_of(&e, at)?,
                        offset: at,
                        ..Element::default()
                    };
                    if let Some(parent) = stack.last_mut() {
                        parent.children.push(child);
                    }
                }
                Event::End(_) => {
                    // quick-xml has checked the end tag matches the innermost open element.
                    let Some(done) = stack.pop() else {
                        return Err(self.error_at(at, "unbalanced end tag"));
                    };
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => return Ok(done),
                    }
                }
                Event::Text(t) => {
                    let text = t.unescape().map_err(|e| self.error_at(at, e.to_string()))?;
                    if let Cow::Owned(s) = &text {
                        // Character references (`&#1;`) can smuggle in what the byte scan
                        // rejected.
                        if let Err((_, c)) = check_characters(s) {
                            return Err(self.error_at(
                                at,
                                format!("character U+{:04X} is not allowed in XML 1.0", c as u32),
                            ));
                        }
                    }
                    if let Some(current) = stack.last_mut() {
                        append(current, text);
                    }
                }
                Event::CData(c) => {
                    let raw: &'a [u8] = match c.into_inner() {
                        Cow::Borrowed(b) => b,
                        Cow::Owned(_) => return Err(self.error_at(at, "unreadable CDATA")),
                    };
                    let text = std::str::from_utf8(raw)
                        .map_err(|_| self.error_at(at, "CDATA is not UTF-8"))?;
                    if let Some(current) = stack.last_mut() {
                        append(current, Cow::Borrowed(text));
                    }
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Decl(_) | Event::DocType(_) => {
                    return Err(self.error_at(at, "XML declaration or DOCTYPE inside an element"))
                }
                Event::Eof => {
                    let innermost = stack.last().map_or("", |e| e.name);
                    let record = stack.first().map_or(0, |e| e.offset);
                    return Err(self.error_at(
                        self.text.len(),
                        format!(
                            "unexpected end of file inside <{innermost}> (record opened at {}): \
                             the file is truncated",
                            line_column(self.text, record)
                        ),
                    ));
                }
            }
        }
    }
}

/// Adds a piece of text to an element. Whitespace-only pieces before any real text are layout
/// between child elements and are dropped, which keeps container elements allocation-free.
fn append<'a>(element: &mut Element<'a>, piece: Cow<'a, str>) {
    if element.text.is_empty() {
        if !piece.trim().is_empty() {
            element.text = piece;
        }
    } else {
        element.text.to_mut().push_str(&piece);
    }
}

/// The first character XML 1.0 does not allow (`Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] |
/// [#xE000-#xFFFD] | [#x10000-#x10FFFF]`; UTF-8 already excludes surrogates), with its offset.
pub(crate) fn check_characters(text: &str) -> Result<(), (usize, char)> {
    const CHUNK: usize = 64;
    let bytes = text.as_bytes();
    for (n, chunk) in bytes.chunks(CHUNK).enumerate() {
        // Branch-free screen the compiler vectorises; almost every chunk passes it.
        let suspect = chunk.iter().fold(false, |acc, &b| {
            acc | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0xEF)
        });
        if !suspect {
            continue;
        }
        for (j, &b) in chunk.iter().enumerate() {
            let i = n * CHUNK + j;
            let bad = match b {
                b'\t' | b'\n' | b'\r' => false,
                0..=0x1F => true,
                // U+FFFE and U+FFFF are EF BF BE / EF BF BF.
                0xEF => {
                    bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF))
                }
                _ => false,
            };
            if bad {
                let c = text.get(i..).and_then(|s| s.chars().next()).unwrap_or('\0');
                return Err((i, c));
            }
        }
    }
    Ok(())
}

/// The error for input that is not UTF-8, located by line and column. `Input::text` has already
/// said it is invalid; this recomputes where, in the terms every other XML error uses.
fn utf8_error(input: &Input) -> SourceError {
    let bytes = input
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&input.bytes);
    let at = match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    let valid = bytes
        .get(..at)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or("");
    let byte = bytes.get(at).copied().unwrap_or(0);
    SourceError::malformed(
        &input.name,
        line_column(valid, at),
        format!("invalid UTF-8: byte 0x{byte:02X} at byte offset {at}"),
    )
}

/// `line L, column C` (both 1-based, column in characters) of a byte offset; offsets past the
/// end are clamped to it.
pub(crate) fn line_column(text: &str, offset: usize) -> String {
    let bytes = text.as_bytes();
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = before
        .get(line_start..)
        .unwrap_or(&[])
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count()
        + 1;
    format!("line {line}, column {column}")
}

/// Collapses every run of whitespace to one space and trims: free text in both lists carries
/// the line breaks and indentation of the file's pretty-printing, which are not part of what
/// the list says.
pub(crate) fn squash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Input {
        Input::from_bytes("t.xml", text.as_bytes().to_vec()).unwrap()
    }

    fn records(text: &str) -> Result<Vec<String>, SourceError> {
        let input = doc(text);
        let mut d = Document::open(&input)?;
        let root = d.root()?;
        let mut out = Vec::new();
        d.walk(
            &root,
            |path, name| path.is_empty() && name == "r",
            |e| {
                out.push(e.text_of("v").unwrap_or("").to_string());
                Ok(())
            },
        )?;
        Ok(out)
    }

    #[test]
    fn reads_records_with_escapes_cdata_and_prefixes() {
        let got = records(
            "<?xml version=\"1.0\"?>\n<x:l xmlns:x=\"u\"><x:r><x:v> A &amp; B </x:v></x:r>\
             <r><v><![CDATA[<c>]]></v><unknown/></r><r/></x:l>\n",
        )
        .unwrap();
        assert_eq!(got, ["A & B", "<c>", ""]);
    }

    #[test]
    fn truncation_is_an_error_with_a_position() {
        let err = records("<l>\n<r><v>a</v></r>\n<r><v>b")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("t.xml: line 3, column 8: unexpected end of file inside <v>"),
            "{err}"
        );
        let err = records("<l>\n<r><v>a</v></r>\n").unwrap_err().to_string();
        assert!(err.contains("inside <l>"), "{err}");
    }

    #[test]
    fn syntax_errors_and_bad_characters_are_located() {
        let err = records("<l>\n  <r><v>a</w></r></l>")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("t.xml: line 2, column"), "{err}");
        let err = records("<l>\n<r>\u{19}</r></l>").unwrap_err().to_string();
        assert_eq!(
            err,
            "t.xml: line 2, column 4: character U+0019 is not allowed in XML 1.0 (byte offset 7)"
        );
        let err = records("<l><r><v>&#1;</v></r></l>")
            .unwrap_err()
            .to_string();
        assert!(err.contains("U+0001"), "{err}");
        let err = records("<l><r><v>&nope;</v></r></l>").unwrap_err();
        assert!(matches!(err, SourceError::Malformed { .. }));
        let err = records("<l></l><l/>").unwrap_err().to_string();
        assert!(err.contains("after the end of the root"), "{err}");
        let err = records("").unwrap_err().to_string();
        assert!(err.contains("no root element"), "{err}");
        let err = records("<l><r a=1/></l>").unwrap_err();
        assert!(matches!(err, SourceError::Malformed { .. }));
    }

    #[test]
    fn invalid_utf8_is_located_by_line_and_column() {
        let input = Input::from_bytes("a.xml", b"<a>\n<b>Arm\xe9s</b></a>".to_vec()).unwrap();
        let err = Document::open(&input).err().unwrap().to_string();
        assert_eq!(
            err,
            "a.xml: line 2, column 7: invalid UTF-8: byte 0xE9 at byte offset 10"
        );
    }

    #[test]
    fn characters_outside_xml_1_0_are_found_anywhere() {
        assert_eq!(check_characters("a\tb\r\nçü\u{FFFD}"), Ok(()));
        let long = format!("{}\u{1}", "x".repeat(130));
        assert_eq!(check_characters(&long), Err((130, '\u{1}')));
        let long = format!("{}\u{FFFF}", "x".repeat(63));
        assert_eq!(check_characters(&long), Err((63, '\u{FFFF}')));
        assert_eq!(check_characters("\u{FFFE}"), Err((0, '\u{FFFE}')));
    }

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("ab\nçd", 5), "line 2, column 2");
        assert_eq!(line_column("ab", 99), "line 1, column 3");
        assert_eq!(squash("  a \n   b\tc "), "a b c");
    }
}
