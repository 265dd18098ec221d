//! Structured facts in OFAC's remarks column.
//!
//! The legacy CSV files put everything that is not a name, a program or a vessel detail into one
//! free-text column: `DOB 23 Nov 1962; POB Caracas, Venezuela; citizen Venezuela; Gender Male;
//! Cedula No. 5892464 (Venezuela); President of the Bolivarian Republic of Venezuela.` Each
//! `;`-separated *fact* starts with a label (`DOB`, `Passport`, `Linked To:`, `a.k.a.`) that
//! decides what it is; an optional `alt. ` only says it is one more of the same kind.
//!
//! The parser is written by hand: the notation is OFAC's own, no library knows it, and it is
//! simple enough (a label, a value, an optional `(Country)`, optional `issued …`/`expires …`
//! notes) that a table of labels and a few string scans read it exactly. A regular-expression
//! engine would add nothing but cost: the whole SDN list holds about 100,000 facts and must parse
//! in a few milliseconds. Labels come from a survey of the real files (every label that recurs
//! in the SDN and consolidated lists of 2018–2025); an identifier-shaped fact with a label not in
//! the table (`Some Label No. 123 (Country)`) is still read, as [`IdentifierKind::Other`] with
//! its own label. Anything else is kept verbatim as [`Fact::Remark`]: nothing is dropped.
//!
//! Nothing here panics, whatever the input (a property test and a fuzz target check it).

use interdict_model::{DateOfBirth, Gender, Identifier, IdentifierKind, NameKind, PartialDate};
use std::sync::OnceLock;

/// One fact of a remarks column, typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fact {
    /// `DOB 23 Nov 1962`, `DOB circa 1960`, `DOB 1960 to 1962`; also `Organization Established
    /// Date 1969` (the model keeps incorporation dates with birth dates).
    BirthDate(DateOfBirth),
    /// A date fact whose date cannot be read, kept so the caller can warn and keep the text.
    UnreadableDate {
        /// The label (`DOB`, `Organization Established Date`).
        label: String,
        /// The date text as written.
        text: String,
    },
    /// `POB Caracas, Venezuela`.
    BirthPlace(String),
    /// `nationality Russia`, `Nationality of Registration Korea, North`.
    Nationality(String),
    /// `citizen Venezuela`.
    Citizenship(String),
    /// `Gender Male`.
    Gender(Gender),
    /// A document, registration, network address or phone number.
    Identifier(Identifier),
    /// `a.k.a. 'LH'` (weak alias), `f.k.a. 'X'` (former name), `n.k.a. 'X'` (now known as).
    Name {
        /// Which kind of name.
        kind: NameKind,
        /// The name without its quotes.
        name: String,
    },
    /// `Linked To: HIZBALLAH`.
    Link(String),
    /// `Vessel Year of Build 2012`.
    VesselYearBuilt(String),
    /// `Aircraft Model IL-76TD`.
    AircraftModel(String),
    /// `Aircraft Operator YAS AIR`.
    AircraftOperator(String),
    /// `Aircraft Manufacture Date 1992`.
    AircraftManufactured(String),
    /// Anything else (`Additional Sanctions Information - …`, `Secondary sanctions risk: …`,
    /// positions, free comments), as written.
    Remark(String),
}

/// Splits a remarks text into its facts, trimmed.
///
/// Facts are separated by `;`, except inside a quoted name (`a.k.a. 'A; B'`): a quoted name
/// ends at a `'` followed by `;` or the end of the text. The one `.` that ends the whole text is
/// removed (`… Gender Male.`); dots inside facts are kept (`Linked To: AVICAL S.A.; …`), which
/// means a last fact that itself ends with an abbreviation loses its dot, an ambiguity of the
/// format that callers able to check names (see `ofac_csv`) can undo.
pub fn split(remarks: &str) -> Vec<&str> {
    let mut text = remarks.trim();
    if let Some(t) = text.strip_suffix('.') {
        text = t.trim_end();
    }
    let mut facts = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest.trim_start();
        let end = fact_end(start);
        let (fact, tail) = match (start.get(..end), start.get(end..)) {
            (Some(fact), Some(tail)) => (fact, tail),
            _ => (start, ""),
        };
        let fact = fact.trim();
        if !fact.is_empty() {
            facts.push(fact);
        }
        rest = tail.strip_prefix(';').unwrap_or(tail);
    }
    facts
}

/// How far to look for the closing quote of a name. The longest real quoted name is about 150
/// bytes; the bound keeps splitting linear on adversarial input.
const MAX_QUOTED_NAME: usize = 2000;

/// The byte length of the fact at the start of `s` (up to, not including, its `;`).
fn fact_end(s: &str) -> usize {
    let plain = s.find(';').unwrap_or(s.len());
    let body = strip_alt(s);
    let Some((_, after)) = name_marker(body) else {
        return plain;
    };
    let after_trim = after.trim_start();
    let Some(quoted) = after_trim.strip_prefix('\'') else {
        return plain;
    };
    // Offset of `quoted` within `s`: both are suffixes of `s`.
    let base = s.len() - quoted.len();
    let bytes = quoted.as_bytes();
    let window = bytes.get(..MAX_QUOTED_NAME).unwrap_or(bytes);
    for (i, _) in window.iter().enumerate().filter(|(_, &b)| b == b'\'') {
        // A quote is one byte, so `q_end` is a character boundary.
        let q_end = i + 1;
        let rest = quoted.get(q_end..).unwrap_or("");
        let after = rest.trim_start();
        let after = after.strip_prefix('.').unwrap_or(after).trim_start();
        if after.is_empty() || after.starts_with(';') {
            return rest.find(';').map_or(s.len(), |j| base + q_end + j);
        }
    }
    plain
}

/// Removes a leading `alt. ` (any case).
fn strip_alt(s: &str) -> &str {
    match s.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("alt. ") => s.get(5..).unwrap_or("").trim_start(),
        _ => s,
    }
}

/// `a.k.a.` and its siblings: the name kind and the text after the marker.
fn name_marker(s: &str) -> Option<(NameKind, &str)> {
    const MARKERS: [(&str, NameKind); 4] = [
        ("a.k.a.", NameKind::WeakAlias),
        ("f.k.a.", NameKind::FormerName),
        ("n.k.a.", NameKind::NowKnownAs),
        ("d.b.a.", NameKind::WeakAlias),
    ];
    MARKERS.iter().find_map(|(m, kind)| {
        let head = s.get(..m.len())?;
        head.eq_ignore_ascii_case(m)
            .then(|| (*kind, s.get(m.len()..).unwrap_or("")))
    })
}

/// Splits and types a whole remarks text.
pub fn parse(remarks: &str) -> Vec<Fact> {
    split(remarks).into_iter().map(parse_fact).collect()
}

/// Types one fact (as [`split`] returns it).
pub fn parse_fact(fact: &str) -> Fact {
    let fact = fact.trim();
    let body = strip_alt(fact);
    let remark = || Fact::Remark(fact.to_string());

    if let Some((kind, rest)) = name_marker(body) {
        let name = unquote(rest);
        return if name.is_empty() {
            remark()
        } else {
            Fact::Name {
                kind,
                name: name.to_string(),
            }
        };
    }
    if let Some(rest) = after_label(body, "Linked To") {
        let name = rest.trim_start_matches(':').trim();
        return if name.is_empty() {
            remark()
        } else {
            Fact::Link(name.to_string())
        };
    }
    for label in ["DOB", "Organization Established Date"] {
        if let Some(rest) = after_label(body, label) {
            let text = rest.trim_start_matches(':').trim();
            let text = text.strip_suffix('.').unwrap_or(text).trim();
            return match parse_birth_date(text) {
                Some(d) => Fact::BirthDate(d),
                None => Fact::UnreadableDate {
                    label: label.to_string(),
                    text: text.to_string(),
                },
            };
        }
    }
    if let Some(rest) = after_label(body, "POB") {
        let place = rest.trim();
        return if place.is_empty() {
            remark()
        } else {
            Fact::BirthPlace(place.to_string())
        };
    }
    let simple = |rest: &str, make: fn(String) -> Fact| {
        let v = clean_value(rest);
        if v.is_empty() {
            remark()
        } else {
            make(v.to_string())
        }
    };
    if let Some(rest) = after_label(body, "Nationality of Registration") {
        return simple(rest, Fact::Nationality);
    }
    if let Some(rest) = after_label(body, "nationality") {
        return simple(rest, Fact::Nationality);
    }
    if let Some(rest) = after_label(body, "citizen") {
        return simple(rest, Fact::Citizenship);
    }
    if let Some(rest) = after_label(body, "Gender") {
        let v = clean_value(rest);
        return if v.eq_ignore_ascii_case("male") {
            Fact::Gender(Gender::Male)
        } else if v.eq_ignore_ascii_case("female") {
            Fact::Gender(Gender::Female)
        } else {
            remark()
        };
    }
    if let Some(rest) = after_label(body, "Vessel Year of Build") {
        return simple(rest, Fact::VesselYearBuilt);
    }
    if let Some(rest) = after_label(body, "Aircraft Model") {
        return simple(rest, Fact::AircraftModel);
    }
    if let Some(rest) = after_label(body, "Aircraft Operator") {
        return simple(rest, Fact::AircraftOperator);
    }
    if let Some(rest) = after_label(body, "Aircraft Manufacture Date") {
        return simple(rest, Fact::AircraftManufactured);
    }
    if let Some(rest) = after_label(body, "Digital Currency Address") {
        // `Digital Currency Address - XBT 1abc…`
        let rest = rest
            .trim_start()
            .trim_start_matches(['-', ':'])
            .trim_start();
        let (currency, addr) = rest.split_once(' ').unwrap_or((rest, ""));
        let (value, country, note) = value_tail(addr);
        return if currency.is_empty() || value.is_empty() {
            remark()
        } else {
            Fact::Identifier(Identifier {
                kind: IdentifierKind::DigitalCurrencyAddress(currency.to_string()),
                value: value.to_string(),
                country,
                note,
            })
        };
    }
    if let Some(f) = identifier(body) {
        return f;
    }
    if let Some(f) = bare_address(body) {
        return f;
    }
    if let Some(f) = generic_identifier(body) {
        return f;
    }
    remark()
}

/// If `s` starts with `label` (ASCII case-insensitive) followed by a space, `:`, `#` or the end,
/// the text after the label.
fn after_label<'a>(s: &'a str, label: &str) -> Option<&'a str> {
    let head = s.get(..label.len())?;
    if !head.eq_ignore_ascii_case(label) {
        return None;
    }
    let rest = s.get(label.len()..)?;
    // `citizen Venezuela` but not `Citizen's Card`, `Passport:` but not `Passports`.
    match rest.chars().next() {
        None => Some(rest),
        Some(c) if c.is_whitespace() || matches!(c, ':' | '#') => Some(rest),
        Some(_) => None,
    }
}

/// A name in quotes: `'LH'` → `LH`. A name cut off by truncation keeps what there is.
fn unquote(s: &str) -> &str {
    let s = s.trim();
    let s = s.strip_prefix('\'').unwrap_or(s);
    let s = s.strip_suffix('.').map_or(s, |t| {
        // `'BNC'.`: the dot after the closing quote is the sentence's, not the name's.
        if t.ends_with('\'') {
            t
        } else {
            s
        }
    });
    s.strip_suffix('\'').unwrap_or(s).trim()
}

/// A simple value: trimmed, leading `:` removed, one trailing `.` removed.
fn clean_value(s: &str) -> &str {
    let s = s.trim().trim_start_matches(':').trim();
    s.strip_suffix('.').unwrap_or(s).trim_end()
}

/// What an identifier label maps to.
#[derive(Clone, Copy)]
enum Kind {
    Passport,
    NationalId,
    Cedula,
    TaxId,
    Ssn,
    Registration,
    DriversLicense,
    Imo,
    Mmsi,
    SwiftBic,
    Email,
    Website,
    Phone,
    TailNumber,
    SerialNumber,
    /// [`IdentifierKind::Other`] with this label.
    Other(&'static str),
}

impl Kind {
    fn to_model(self) -> IdentifierKind {
        match self {
            Kind::Passport => IdentifierKind::Passport,
            Kind::NationalId => IdentifierKind::NationalId,
            Kind::Cedula => IdentifierKind::Cedula,
            Kind::TaxId => IdentifierKind::TaxId,
            Kind::Ssn => IdentifierKind::Ssn,
            Kind::Registration => IdentifierKind::Registration,
            Kind::DriversLicense => IdentifierKind::DriversLicense,
            Kind::Imo => IdentifierKind::Imo,
            Kind::Mmsi => IdentifierKind::Mmsi,
            Kind::SwiftBic => IdentifierKind::SwiftBic,
            Kind::Email => IdentifierKind::Email,
            Kind::Website => IdentifierKind::Website,
            Kind::Phone => IdentifierKind::Phone,
            Kind::TailNumber => IdentifierKind::AircraftTailNumber,
            Kind::SerialNumber => IdentifierKind::AircraftSerialNumber,
            Kind::Other(label) => IdentifierKind::Other(label.to_string()),
        }
    }
}

/// Identifier labels as OFAC writes them, with what they map to, a note the label itself
/// carries (a fax number is a phone number used for faxes) and [`NUMBERED`]/[`ANY_VALUE`] flags.
///
/// A label matches case-insensitively and may be followed by `No.`, `No`, `Number`, `#` or `:`
/// before the value, so `Passport` also reads `Passport No. 123`. Longer labels win
/// (`Identification Number IMO` before `Identification`). Values must contain a digit unless
/// the label is flagged [`ANY_VALUE`]: that keeps prose such as `Passport and National ID were
/// issued in Ulm` a remark.
#[rustfmt::skip]
const LABELS: &[(&str, Kind, Option<&str>, u8)] = &[
    // Travel and identity documents.
    ("Passport", Kind::Passport, None, 0),
    ("Diplomatic Passport", Kind::Passport, Some("diplomatic passport"), 0),
    ("Travel Document", Kind::Other("Travel Document Number"), None, NUMBERED),
    ("Seafarer's Identification Document", Kind::Other("Seafarer's Identification Document"), None, 0),
    ("National ID", Kind::NationalId, None, 0),
    ("National ID Card", Kind::NationalId, None, 0),
    ("Tazkira National ID Card", Kind::NationalId, Some("Tazkira"), 0),
    ("Personal ID", Kind::NationalId, None, 0),
    ("Personal ID Card", Kind::NationalId, None, 0),
    ("Bosnian Personal ID", Kind::NationalId, None, 0),
    ("Moroccan Personal ID", Kind::NationalId, None, 0),
    ("Kenyan ID", Kind::NationalId, None, 0),
    ("Turkish Identification", Kind::NationalId, None, NUMBERED),
    ("Turkish Identificiation", Kind::NationalId, None, NUMBERED),
    ("Citizen's Card", Kind::NationalId, None, NUMBERED),
    ("UAE Identification", Kind::NationalId, None, 0),
    ("Numero de Identidad", Kind::NationalId, None, 0),
    ("Identity", Kind::NationalId, None, NUMBERED),
    ("Identity Card", Kind::NationalId, None, 0),
    ("D.N.I.", Kind::NationalId, None, 0),
    ("DNI", Kind::NationalId, None, 0),
    ("C.U.I.", Kind::NationalId, None, 0),
    ("C.U.R.P.", Kind::NationalId, Some("C.U.R.P."), 0),
    ("CURP", Kind::NationalId, Some("C.U.R.P."), 0),
    ("LE", Kind::NationalId, Some("Libreta Electoral"), NUMBERED),
    ("Cedula", Kind::Cedula, None, 0),
    ("Cedula de Identidad", Kind::Cedula, None, 0),
    ("SSN", Kind::Ssn, None, 0),
    ("Driver's License", Kind::DriversLicense, None, 0),
    ("National Foreign ID", Kind::Other("National Foreign ID Number"), None, 0),
    ("Identification", Kind::Other("Identification Number"), None, NUMBERED),
    ("Residency", Kind::Other("Residency Number"), None, NUMBERED),
    ("Refugee ID Card", Kind::Other("Refugee ID Card"), None, 0),
    ("Stateless Person ID Card", Kind::Other("Stateless Person ID Card"), None, 0),
    ("Birth Certificate", Kind::Other("Birth Certificate Number"), None, NUMBERED),
    ("Credencial electoral", Kind::Other("Credencial electoral"), None, 0),
    ("Electoral Registry", Kind::Other("Electoral Registry No."), None, NUMBERED),
    ("Cartilla de Servicio Militar Nacional", Kind::Other("Cartilla de Servicio Militar Nacional"), None, 0),
    ("Military Registration", Kind::Other("Military Registration Number"), None, NUMBERED),
    ("Pilot License", Kind::Other("Pilot License Number"), None, NUMBERED),
    ("I.F.E.", Kind::Other("I.F.E."), None, 0),
    ("VisaNumberID", Kind::Other("Visa Number"), None, 0),
    // Tax numbers.
    ("Tax ID", Kind::TaxId, None, 0),
    ("RFC", Kind::TaxId, Some("R.F.C."), 0),
    ("R.F.C.", Kind::TaxId, Some("R.F.C."), 0),
    ("NIT", Kind::TaxId, Some("NIT"), 0),
    ("RUC", Kind::TaxId, Some("RUC"), 0),
    ("RIF", Kind::TaxId, Some("RIF"), 0),
    ("C.U.I.T.", Kind::TaxId, Some("C.U.I.T."), 0),
    ("CUIT", Kind::TaxId, Some("C.U.I.T."), 0),
    ("US FEIN", Kind::TaxId, Some("US FEIN"), 0),
    ("V.A.T.", Kind::TaxId, Some("V.A.T."), 0),
    ("VAT", Kind::TaxId, Some("V.A.T."), 0),
    ("Italian Fiscal Code", Kind::TaxId, None, 0),
    ("Fiscal Code", Kind::TaxId, None, 0),
    ("RTN", Kind::TaxId, Some("RTN"), 0),
    ("Romanian Tax Registration", Kind::TaxId, None, 0),
    ("INN", Kind::TaxId, Some("INN"), 0),
    ("C.I.F.", Kind::TaxId, Some("C.I.F."), 0),
    ("Paraguayan tax identification", Kind::TaxId, None, NUMBERED),
    ("Numero Unico de Identificacao Tributaria (NUIT)", Kind::TaxId, Some("NUIT"), 0),
    // Company registrations.
    ("Registration ID", Kind::Registration, None, 0),
    ("Registration", Kind::Registration, None, NUMBERED),
    ("Business Registration", Kind::Registration, None, NUMBERED),
    ("Business Registration Document", Kind::Registration, None, NUMBERED),
    ("Company", Kind::Registration, None, NUMBERED),
    ("UK Company", Kind::Registration, None, NUMBERED),
    ("Company ID", Kind::Registration, None, 0),
    ("Commercial Registry", Kind::Registration, None, NUMBERED),
    ("C.R.", Kind::Registration, None, NUMBERED),
    ("Certificate of Incorporation", Kind::Registration, None, NUMBERED),
    ("Chamber of Commerce", Kind::Registration, None, NUMBERED),
    ("Istanbul Chamber of Comm.", Kind::Registration, None, NUMBERED),
    ("Dubai Chamber of Commerce Membership", Kind::Registration, None, NUMBERED),
    ("Trade License", Kind::Registration, None, 0),
    ("Folio Mercantil", Kind::Registration, None, NUMBERED),
    ("Matricula Mercantil", Kind::Registration, None, NUMBERED),
    ("Public Registration", Kind::Registration, None, NUMBERED),
    ("Central Registration System", Kind::Registration, None, NUMBERED),
    ("Enterprise", Kind::Registration, None, NUMBERED),
    ("Business", Kind::Registration, None, NUMBERED),
    ("Branch Unit", Kind::Registration, None, NUMBERED),
    ("Economic Register Number (CBLS)", Kind::Registration, None, 0),
    ("Unified Social Credit Code (USCC)", Kind::Registration, None, 0),
    ("United Social Credit Code Certificate (USCCC)", Kind::Registration, None, 0),
    ("Organization Code", Kind::Registration, None, 0),
    ("Registered Charity", Kind::Registration, None, NUMBERED),
    ("OGRN", Kind::Registration, None, 0),
    ("MSB Registration", Kind::Other("MSB Registration Number"), None, NUMBERED),
    ("Legal Entity", Kind::Other("Legal Entity Number"), None, NUMBERED),
    ("Government Gazette", Kind::Other("Government Gazette Number"), None, NUMBERED),
    ("D-U-N-S", Kind::Other("D-U-N-S Number"), None, NUMBERED),
    ("License", Kind::Other("License"), None, 0),
    ("Tourism License", Kind::Other("Tourism License"), None, 0),
    ("Afghan Money Service Provider License", Kind::Other("Afghan Money Service Provider License Number"), None, NUMBERED),
    ("Permit", Kind::Other("Permit Number"), None, NUMBERED),
    ("File", Kind::Other("File Number"), None, NUMBERED),
    // Finance.
    ("SWIFT/BIC", Kind::SwiftBic, None, ANY_VALUE),
    ("BIK (RU)", Kind::Other("BIK (RU)"), None, 0),
    ("ISIN", Kind::Other("ISIN"), None, 0),
    ("Equity Ticker", Kind::Other("Equity Ticker"), None, ANY_VALUE),
    ("MICEX Code", Kind::Other("MICEX Code"), None, ANY_VALUE),
    ("Chinese Commercial Code", Kind::Other("Chinese Commercial Code"), None, 0),
    // Ships and aircraft.
    ("Vessel Registration Identification IMO", Kind::Imo, None, 0),
    ("Identification Number IMO", Kind::Imo, None, 0),
    ("Company Number IMO", Kind::Imo, Some("company"), 0),
    ("IMO", Kind::Imo, None, 0),
    ("Vessel Registration Identification", Kind::Other("Vessel Registration Identification"), None, 0),
    ("MMSI", Kind::Mmsi, None, 0),
    ("Other Vessel Call Sign", Kind::Other("Other Vessel Call Sign"), None, ANY_VALUE),
    ("Aircraft Tail", Kind::TailNumber, None, NUMBERED | ANY_VALUE),
    ("Previous Aircraft Tail", Kind::Other("Previous Aircraft Tail Number"), None, NUMBERED | ANY_VALUE),
    ("Aircraft Manufacturer's Serial Number (MSN)", Kind::SerialNumber, None, ANY_VALUE),
    ("Aircraft Serial Identification", Kind::SerialNumber, None, ANY_VALUE),
    ("Aircraft Construction Number (also called L/N or S/N or F/N)", Kind::Other("Aircraft Construction Number"), None, ANY_VALUE),
    ("Aircraft Mode S Transponder Code", Kind::Other("Aircraft Mode S Transponder Code"), None, ANY_VALUE),
    // Contact.
    ("Email Address", Kind::Email, None, ANY_VALUE),
    ("Email", Kind::Email, None, ANY_VALUE),
    ("E-mail", Kind::Email, None, ANY_VALUE),
    ("E-mail Address", Kind::Email, None, ANY_VALUE),
    ("Website", Kind::Website, None, ANY_VALUE),
    ("Web site", Kind::Website, None, ANY_VALUE),
    ("Phone", Kind::Phone, None, 0),
    ("Telephone", Kind::Phone, None, 0),
    ("Fax", Kind::Phone, Some("fax"), 0),
];

/// Label flag: the label must be followed by `No.`, `Number`, `#`… (`Company Number 123`, but
/// not `Company of the year 2010`).
const NUMBERED: u8 = 1;
/// Label flag: the value need not contain a digit (addresses, codes, tail marks).
const ANY_VALUE: u8 = 2;

type Label = (&'static str, Kind, Option<&'static str>, u8);

/// [`LABELS`] sorted longest first, built once.
fn labels() -> &'static [Label] {
    static SORTED: OnceLock<Vec<Label>> = OnceLock::new();
    SORTED.get_or_init(|| {
        let mut v = LABELS.to_vec();
        v.sort_by_key(|l| std::cmp::Reverse(l.0.len()));
        v
    })
}

/// Words that may stand between a label and its value (`Cedula No. 123`, `NIT # 800`): the
/// text after them, and whether there were any.
fn skip_number_words(mut s: &str) -> (&str, bool) {
    let mut skipped = false;
    loop {
        let t = s.trim_start();
        let next = ["No.", "No:", "Number:", "#", ":"]
            .iter()
            .find_map(|w| t.strip_prefix(w))
            .or_else(|| {
                ["No", "Number", "Nr."]
                    .iter()
                    .find_map(|w| after_label(t, w).filter(|r| r.starts_with(' ')))
            });
        match next {
            Some(r) if r.len() < s.len() => {
                s = r;
                skipped = true;
            }
            _ => return (t, skipped),
        }
    }
}

/// A fact with a label from [`LABELS`].
fn identifier(body: &str) -> Option<Fact> {
    let first = body.as_bytes().first()?.to_ascii_lowercase();
    let (label, kind, label_note, flags) = labels().iter().find(|(label, ..)| {
        label.as_bytes().first().map(u8::to_ascii_lowercase) == Some(first)
            && after_label(body, label).is_some()
    })?;
    let rest = after_label(body, label)?;
    let (rest, numbered) = skip_number_words(rest);
    if flags & NUMBERED != 0 && !numbered {
        return None;
    }
    let (value, country, note) = value_tail(rest);
    if value.is_empty() || (flags & ANY_VALUE == 0 && !value.bytes().any(|b| b.is_ascii_digit())) {
        return None;
    }
    let note = match (label_note, note) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (Some(a), None) => Some(a.to_string()),
        (None, n) => n,
    };
    Some(Fact::Identifier(Identifier {
        kind: kind.to_model(),
        value: value.to_string(),
        country,
        note,
    }))
}

/// A website or e-mail address without a label (`www.al-nour.net`,
/// `http://www.sanabel.org.uk (website)`, `info@sanabel.org.uk (email)`).
fn bare_address(body: &str) -> Option<Fact> {
    let v = clean_value(body);
    let lower_starts = |p: &str| v.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    let (v, hint) = if let Some(t) = v.strip_suffix("(website)") {
        (t.trim_end(), Some(Kind::Website))
    } else if let Some(t) = v.strip_suffix("(email)") {
        (t.trim_end(), Some(Kind::Email))
    } else {
        (v, None)
    };
    if v.is_empty() || v.contains(' ') {
        return None;
    }
    let kind = match hint {
        Some(k) => k,
        None if lower_starts("www.") || lower_starts("http://") || lower_starts("https://") => {
            Kind::Website
        }
        None => return None,
    };
    Some(Fact::Identifier(Identifier::new(kind.to_model(), v)))
}

/// An identifier-shaped fact with a label not in the table: a label of at most six words
/// without digits, ending in `No.`, `Number`, `ID`, `#` or `Code`, then a value with a digit.
fn generic_identifier(body: &str) -> Option<Fact> {
    let first = body.chars().next()?;
    if !first.is_ascii_uppercase() {
        return None;
    }
    let mut label_end = None;
    let mut offset = 0;
    for (n, word) in body.split(' ').enumerate() {
        if n >= 6 || word.chars().any(|c| c.is_ascii_digit()) {
            break;
        }
        let end = offset + word.len();
        let w = word.trim_end_matches(':');
        if ["No.", "No", "Number", "ID", "#", "Code"].contains(&w) {
            label_end = Some(end);
        }
        offset = end + 1;
    }
    let end = label_end?;
    let label = body
        .get(..end)?
        .trim_end_matches([':', '#', ' '])
        .trim_end();
    let rest = body.get(end..)?;
    let (value, country, note) = value_tail(rest.trim_start_matches([':', '#', ' ']));
    if label.is_empty() || !value.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(Fact::Identifier(Identifier {
        kind: IdentifierKind::Other(label.to_string()),
        value: value.to_string(),
        country,
        note,
    }))
}

/// Splits `VALUE (Country) issued … expires …` into value, country and note.
///
/// The note starts at the first ` issued`/` expires`/` valid` word; the country is the last
/// parenthesised group before it when that group is words (a country name), not digits (phone
/// area codes such as `(98)(21)` stay in the value).
fn value_tail(s: &str) -> (&str, Option<String>, Option<String>) {
    let s = s.trim();
    let s = s.strip_suffix('.').unwrap_or(s).trim_end();
    let mut note = None;
    let mut head = s;
    for kw in [" issued", " expires", " expiring", " valid ", " expiration"] {
        if let Some(i) = find_ascii_ci(head, kw) {
            let n = s.get(i..).unwrap_or("").trim();
            note = Some(n.to_string());
            head = s.get(..i).unwrap_or("").trim_end();
        }
    }
    let head = head.trim_end_matches(',').trim_end();
    let mut country = None;
    let mut value = head;
    if let Some(open) = head.strip_suffix(')').and_then(|h| h.rfind('(')) {
        let inner = head.get(open + 1..head.len() - 1).unwrap_or("").trim();
        let before = head.get(..open).unwrap_or("").trim_end();
        let is_country = inner.chars().next().is_some_and(char::is_alphabetic)
            && !inner.chars().any(|c| c.is_ascii_digit())
            && !before.is_empty();
        if is_country {
            country = Some(inner.to_string());
            value = before.trim_end_matches(',').trim_end();
        }
    }
    (value, country, note)
}

/// Byte index of the first ASCII case-insensitive occurrence of `needle` in `hay`.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
}

/// A month name or its three-letter abbreviation (`Nov`, `November`, `Sept`).
fn month(s: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if s.len() < 3 || !s.is_ascii() {
        return None;
    }
    let lower = s.trim_end_matches('.').to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| m.starts_with(&lower) && lower.len() >= 3)
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// A number of `min..=max` ASCII digits.
fn digits<T: std::str::FromStr>(s: &str, min: usize, max: usize) -> Option<T> {
    (s.len() >= min && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Reads `23 Nov 1962`, `Nov 1962` or `1962`.
pub fn parse_date(s: &str) -> Option<PartialDate> {
    let words: Vec<&str> = s.split_whitespace().collect();
    match words.as_slice() {
        [y] => PartialDate::new(digits(y, 4, 4)?, None, None),
        [m, y] => PartialDate::new(digits(y, 4, 4)?, Some(month(m)?), None),
        [d, m, y] => PartialDate::new(digits(y, 4, 4)?, Some(month(m)?), Some(digits(d, 1, 2)?)),
        _ => None,
    }
}

/// Reads a date of birth as OFAC states it: a [`parse_date`] date, optionally after `circa`
/// (or `approximately`), optionally a range `A to B` or `1960-1962`.
pub fn parse_birth_date(s: &str) -> Option<DateOfBirth> {
    let mut s = s.trim();
    // ISO dates occur in the XML exports.
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        return Some(DateOfBirth::exact(d.into()));
    }
    let mut circa = false;
    for p in ["circa ", "approximately ", "approx. ", "ca. "] {
        if s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)) {
            s = s.get(p.len()..).unwrap_or("").trim_start();
            circa = true;
            break;
        }
    }
    let (from, to) = if let Some(i) = find_ascii_ci(s, " to ") {
        (s.get(..i)?, Some(s.get(i + 4..)?))
    } else if let Some((a, b)) = s.split_once('-') {
        (a, Some(b))
    } else {
        (s, None)
    };
    let date = parse_date(from)?;
    let to = match to {
        Some(t) => {
            let t = t.trim();
            // "circa 1960 to circa 1962": the range is approximate already.
            let t = t
                .get(..6)
                .filter(|h| h.eq_ignore_ascii_case("circa "))
                .map_or(t, |_| &t[6..]);
            let t = parse_date(t)?;
            // A range that ends before it starts is a typo we cannot correct.
            if t.year < date.year {
                return None;
            }
            Some(t)
        }
        None => None,
    };
    Some(DateOfBirth { date, to, circa })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(kind: IdentifierKind, value: &str, country: Option<&str>, note: Option<&str>) -> Fact {
        Fact::Identifier(Identifier {
            kind,
            value: value.into(),
            country: country.map(Into::into),
            note: note.map(Into::into),
        })
    }

    #[test]
    fn splits_outside_quoted_names_and_drops_the_final_dot() {
        assert_eq!(
            split("a.k.a. 'A; B'; a.k.a. 'C'; Linked To: X S.A.; Gender Male."),
            [
                "a.k.a. 'A; B'",
                "a.k.a. 'C'",
                "Linked To: X S.A.",
                "Gender Male"
            ]
        );
        assert_eq!(split("a.k.a. 'JA'FARI, Aziz'."), ["a.k.a. 'JA'FARI, Aziz'"]);
        assert_eq!(split(" ; ;"), Vec::<&str>::new());
        assert_eq!(
            split("a.k.a. 'CUT OFF; DOB 1962"),
            ["a.k.a. 'CUT OFF", "DOB 1962"]
        );
    }

    #[test]
    fn reads_dates_of_birth() {
        let d = |y, m, d| PartialDate::new(y, m, d).unwrap();
        assert_eq!(
            parse_fact("DOB 23 Nov 1962"),
            Fact::BirthDate(DateOfBirth::exact(d(1962, Some(11), Some(23))))
        );
        assert_eq!(
            parse_fact("alt. DOB Nov 1962"),
            Fact::BirthDate(DateOfBirth::exact(d(1962, Some(11), None)))
        );
        assert_eq!(
            parse_fact("DOB circa 1960-1962"),
            Fact::BirthDate(DateOfBirth {
                date: d(1960, None, None),
                to: Some(d(1962, None, None)),
                circa: true
            })
        );
        assert_eq!(
            parse_fact("DOB 01 Jan 1960 to 31 Dec 1962"),
            Fact::BirthDate(DateOfBirth {
                date: d(1960, Some(1), Some(1)),
                to: Some(d(1962, Some(12), Some(31))),
                circa: false
            })
        );
        assert_eq!(
            parse_fact("DOB 31 Feb 1962"),
            Fact::UnreadableDate {
                label: "DOB".into(),
                text: "31 Feb 1962".into()
            }
        );
        assert_eq!(
            parse_fact("Organization Established Date 1969"),
            Fact::BirthDate(DateOfBirth::exact(d(1969, None, None)))
        );
    }

    #[test]
    fn reads_identifiers_with_country_and_notes() {
        assert_eq!(
            parse_fact("Cedula No. 5892464 (Venezuela)"),
            id(IdentifierKind::Cedula, "5892464", Some("Venezuela"), None)
        );
        assert_eq!(
            parse_fact("alt. Passport G 649385 issued 08 Sep 2006 expires 17 Jul 2011"),
            id(
                IdentifierKind::Passport,
                "G 649385",
                None,
                Some("issued 08 Sep 2006 expires 17 Jul 2011")
            )
        );
        assert_eq!(
            parse_fact("Registration Number HRA 738077 (Stuttgart) (Germany)"),
            id(
                IdentifierKind::Registration,
                "HRA 738077 (Stuttgart)",
                Some("Germany"),
                None
            )
        );
        assert_eq!(
            parse_fact("NIT # 800018928-0 (Colombia)"),
            id(
                IdentifierKind::TaxId,
                "800018928-0",
                Some("Colombia"),
                Some("NIT")
            )
        );
        assert_eq!(
            parse_fact("Vessel Registration Identification IMO 9187629"),
            id(IdentifierKind::Imo, "9187629", None, None)
        );
        assert_eq!(
            parse_fact("Telephone (98)(21)(66153220)"),
            id(IdentifierKind::Phone, "(98)(21)(66153220)", None, None)
        );
        assert_eq!(
            parse_fact("Fax No. 263-4-487261"),
            id(IdentifierKind::Phone, "263-4-487261", None, Some("fax"))
        );
        assert_eq!(
            parse_fact("Digital Currency Address - XBT 1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo"),
            id(
                IdentifierKind::DigitalCurrencyAddress("XBT".into()),
                "1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo",
                None,
                None
            )
        );
        assert_eq!(
            parse_fact("www.manartv.com"),
            id(IdentifierKind::Website, "www.manartv.com", None, None)
        );
        assert_eq!(
            parse_fact("info@sanabel.org.uk (email)."),
            id(IdentifierKind::Email, "info@sanabel.org.uk", None, None)
        );
        assert_eq!(
            parse_fact("Citizen's Card Number 211226197812154256 (China)"),
            id(
                IdentifierKind::NationalId,
                "211226197812154256",
                Some("China"),
                None
            )
        );
        assert_eq!(
            parse_fact("Email:adelb@shabakah.net.sa."),
            id(IdentifierKind::Email, "adelb@shabakah.net.sa", None, None)
        );
        assert_eq!(
            parse_fact("Passport and National ID were issued in Ulm, Germany"),
            Fact::Remark("Passport and National ID were issued in Ulm, Germany".into())
        );
        assert_eq!(
            parse_fact("Zakat Registry No. 12-345 (Utopia)"),
            id(
                IdentifierKind::Other("Zakat Registry No.".into()),
                "12-345",
                Some("Utopia"),
                None
            )
        );
    }

    #[test]
    fn reads_names_links_and_simple_facts() {
        assert_eq!(
            parse_fact("a.k.a. 'BNC'."),
            Fact::Name {
                kind: NameKind::WeakAlias,
                name: "BNC".into()
            }
        );
        assert_eq!(
            parse_fact("f.k.a. 'ANA I'"),
            Fact::Name {
                kind: NameKind::FormerName,
                name: "ANA I".into()
            }
        );
        assert_eq!(
            parse_fact("Linked To: HIZBALLAH"),
            Fact::Link("HIZBALLAH".into())
        );
        assert_eq!(parse_fact("Gender Female."), Fact::Gender(Gender::Female));
        assert_eq!(
            parse_fact("Nationality of Registration Korea, North"),
            Fact::Nationality("Korea, North".into())
        );
        assert_eq!(
            parse_fact("citizen Venezuela"),
            Fact::Citizenship("Venezuela".into())
        );
        assert_eq!(
            parse_fact("Secondary sanctions risk: section 1(b) of Executive Order 13224"),
            Fact::Remark("Secondary sanctions risk: section 1(b) of Executive Order 13224".into())
        );
        assert_eq!(
            parse_fact("Listing Date (EO 14024 Directive 2): 24 Feb 2022"),
            Fact::Remark("Listing Date (EO 14024 Directive 2): 24 Feb 2022".into())
        );
    }

    #[test]
    fn birth_dates_in_the_xml_export_forms() {
        let b = parse_birth_date("1962-11-23").unwrap();
        assert_eq!(
            (b.date.to_string(), b.to, b.circa),
            ("1962-11-23".to_string(), None, false)
        );
        let b = parse_birth_date("circa 1960 to circa 1962").unwrap();
        assert_eq!(
            (b.date.to_string(), b.to.map(|t| t.to_string()), b.circa),
            ("1960".to_string(), Some("1962".to_string()), true)
        );
        assert!(parse_birth_date("1962-11-31").is_none());
    }
}
