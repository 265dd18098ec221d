//! Human-readable rendering of model values for the terminal.

use interdict_model::{Entity, IdentifierKind, NameKind};
use std::fmt::Write;

fn name_kind(kind: NameKind) -> &'static str {
    match kind {
        NameKind::Primary => "primary",
        NameKind::Alias => "a.k.a.",
        NameKind::WeakAlias => "weak a.k.a.",
        NameKind::FormerName => "f.k.a.",
        NameKind::NowKnownAs => "n.k.a.",
    }
}

fn identifier_kind(kind: &IdentifierKind) -> String {
    match kind {
        IdentifierKind::Passport => "Passport".into(),
        IdentifierKind::NationalId => "National ID".into(),
        IdentifierKind::Cedula => "Cedula".into(),
        IdentifierKind::TaxId => "Tax ID".into(),
        IdentifierKind::Ssn => "SSN".into(),
        IdentifierKind::Registration => "Registration".into(),
        IdentifierKind::DriversLicense => "Driver's license".into(),
        IdentifierKind::Imo => "IMO".into(),
        IdentifierKind::Mmsi => "MMSI".into(),
        IdentifierKind::SwiftBic => "SWIFT/BIC".into(),
        IdentifierKind::Email => "Email".into(),
        IdentifierKind::Website => "Website".into(),
        IdentifierKind::Phone => "Phone".into(),
        IdentifierKind::DigitalCurrencyAddress(c) => format!("Digital currency address ({c})"),
        IdentifierKind::AircraftTailNumber => "Aircraft tail number".into(),
        IdentifierKind::AircraftSerialNumber => "Aircraft serial number (MSN)".into(),
        IdentifierKind::Other(label) => label.clone(),
    }
}

/// A section heading and its lines, skipped when there are none.
fn section(out: &mut String, title: &str, lines: impl IntoIterator<Item = String>) {
    let lines: Vec<String> = lines.into_iter().collect();
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}");
    for l in lines {
        let _ = writeln!(out, "  {l}");
    }
}

/// Everything known about an entity, as plain text.
pub fn entity(e: &Entity, published: &str) -> String {
    let mut out = String::new();
    let primary = e
        .primary_name()
        .map(|n| n.full.as_str())
        .unwrap_or("(no name)");
    let _ = writeln!(out, "{}  {primary}", e.key());
    let _ = writeln!(
        out,
        "{} on {} as published {published}",
        e.kind.as_str(),
        e.list
    );

    section(
        &mut out,
        "Names",
        e.names.iter().map(|n| {
            let mut s = format!("{:<12} {}", name_kind(n.kind), n.full);
            let mut notes = vec![n.script.code().to_string()];
            if n.original_script {
                notes.push("original script".into());
            }
            if let Some(q) = n.quality {
                notes.push(format!("quality {q:?}").to_lowercase());
            }
            if !n.parts.is_empty() {
                let parts: Vec<String> = n
                    .parts
                    .iter()
                    .map(|p| format!("{}: {}", format!("{:?}", p.kind).to_lowercase(), p.value))
                    .collect();
                notes.push(parts.join(", "));
            }
            let _ = write!(s, "  [{}]", notes.join("; "));
            s
        }),
    );
    section(
        &mut out,
        "Designations",
        e.designations.iter().map(|d| {
            let mut s = d.program.clone();
            if let Some(n) = &d.program_name {
                let _ = write!(s, " ({n})");
            }
            if let Some(a) = &d.authority {
                if !a.legal_basis.is_empty() {
                    let _ = write!(s, "; authority {}", a.legal_basis.join(", "));
                }
                if !a.regulations.is_empty() {
                    let _ = write!(s, "; {}", a.regulations.join(", "));
                }
                let _ = write!(s, "; by {}", a.body);
            }
            if let Some(l) = d.listed_on {
                let _ = write!(s, "; listed on {l}");
            }
            s
        }),
    );
    section(
        &mut out,
        "Identifiers",
        e.identifiers.iter().map(|i| {
            let mut s = format!("{}: {}", identifier_kind(&i.kind), i.value);
            if let Some(c) = &i.country {
                let _ = write!(s, " ({c})");
            }
            if let Some(n) = &i.note {
                let _ = write!(s, "; {n}");
            }
            s
        }),
    );
    let mut facts = Vec::new();
    for d in &e.birth_dates {
        facts.push(format!("date of birth: {d}"));
    }
    for p in &e.birth_places {
        facts.push(format!("place of birth: {p}"));
    }
    for n in &e.nationalities {
        facts.push(format!("nationality: {n}"));
    }
    for c in &e.citizenships {
        facts.push(format!("citizenship: {c}"));
    }
    if let Some(g) = e.gender {
        facts.push(format!("gender: {g:?}").to_lowercase());
    }
    for p in &e.positions {
        facts.push(format!("position: {p}"));
    }
    section(&mut out, "Facts", facts);
    section(
        &mut out,
        "Addresses",
        e.addresses.iter().map(|a| {
            let parts: Vec<&str> = [
                &a.street,
                &a.city,
                &a.region,
                &a.postal_code,
                &a.country,
                &a.note,
            ]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .collect();
            parts.join(", ")
        }),
    );
    if let Some(v) = &e.vessel {
        let fields = [
            ("call sign", &v.call_sign),
            ("type", &v.vessel_type),
            ("flag", &v.flag),
            ("owner", &v.owner),
            ("tonnage", &v.tonnage),
            ("gross registered tonnage", &v.gross_registered_tonnage),
            ("year built", &v.year_built),
        ];
        section(
            &mut out,
            "Vessel",
            fields
                .into_iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}"))),
        );
    }
    if let Some(a) = &e.aircraft {
        let fields = [
            ("model", &a.model),
            ("operator", &a.operator),
            ("manufactured", &a.manufactured),
        ];
        section(
            &mut out,
            "Aircraft",
            fields
                .into_iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}"))),
        );
    }
    section(
        &mut out,
        "Linked parties",
        e.links.iter().map(|l| match &l.target {
            Some(t) => format!("{} {} ({}:{t})", l.relation, l.name, e.list),
            None => format!("{} {} (not resolved)", l.relation, l.name),
        }),
    );
    section(&mut out, "Remarks", e.remarks.iter().cloned());
    out
}

/// One changed field, indented, with removed items (`-`) and added items (`+`).
pub fn field_change(c: &interdict_registry::FieldChange) -> String {
    let mut out = String::new();
    let brief = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(m) => {
            // The most telling member of the common item shapes.
            for key in ["full", "program", "value", "date", "name"] {
                if let Some(x) = m.get(key) {
                    return match x {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                }
            }
            v.to_string()
        }
        other => other.to_string(),
    };
    for v in &c.removed {
        let _ = writeln!(out, "    - {}: {}", c.field, brief(v));
    }
    for v in &c.added {
        let _ = writeln!(out, "    + {}: {}", c.field, brief(v));
    }
    out
}
