//! A match's explanation as HTML: the listed name that matched, each token pair with its
//! similarity and method, the rules applied, the tokens left over, and how each secondary
//! attribute moved the score. Search results and alerts both show it.
//!
//! Every number the score is made of is shown, as in `screen --explain`: a reviewer can follow
//! the score from the pairs and penalties without reading code.

use interdict_matching::{Agreement, Discount, Explanation, UnmatchedToken};
use maud::{html, Markup};
use serde::Serialize;

/// The serde name of a matching enum in words (`false_positive` → `false positive`): matching
/// names its methods and agreements, and the UI shows those names rather than its own.
pub(crate) fn word<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s.replace('_', " "),
        _ => String::from("?"),
    }
}

fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{x:.3}")
    } else {
        format!("{x:.3}")
    }
}

/// Why an unmatched token cost less, in words.
fn discount(d: Discount) -> &'static str {
    match d {
        Discount::Patronymic => "less as a patronymic",
        Discount::MiddleName => "less as a middle name the list lacks",
        Discount::Repeated => "nothing as a word written twice",
        Discount::Descriptor => "less as another word for the kind of body",
        Discount::Acronym => "little as the name's own acronym",
        Discount::Compound => "less as part of a compound name an initial stands for",
    }
}

fn unmatched(caption: &str, tokens: &[UnmatchedToken]) -> Markup {
    html! {
        @if !tokens.is_empty() {
            p {
                (caption) ": "
                @for (i, t) in tokens.iter().enumerate() {
                    @if i > 0 { ", " }
                    code { (t.token) }
                    " (" (word(&t.class)) ", penalty " (format!("{:.2}", t.penalty))
                    @if let Some(d) = t.discount { ", " (discount(d)) }
                    ")"
                }
            }
        }
    }
}

/// An explanation in full.
pub(crate) fn explanation(e: &Explanation) -> Markup {
    html! {
        div.explanation {
            p {
                "Matched " strong { (e.matched_name) }
                " (" (word(&e.name_kind))
                @if e.original_script { ", original script" }
                @if (e.name_kind_factor - 1.0).abs() > 1e-9 {
                    ", counted × " (format!("{:.2}", e.name_kind_factor))
                }
                "); name score " (format!("{:.3}", e.name_score))
                @if (e.evidence_factor - 1.0).abs() > 1e-9 {
                    ", × " (format!("{:.2}", e.evidence_factor)) " for too little distinctive evidence"
                }
                @if let Some(u) = e.uncalibrated_name_score {
                    " (" (format!("{u:.3}")) " before the calibration of organisations' scores)"
                }
                "; algorithm " code { (e.algorithm) } "."
            }
            @if !e.pairs.is_empty() {
                table.pairs {
                    caption { "Token pairs" }
                    thead { tr { th scope="col" { "Query" } th scope="col" { "Listed" } th scope="col" { "Method" } th scope="col" class="num" { "Similarity" } th scope="col" class="num" { "Weight" } } }
                    tbody {
                        @for p in &e.pairs {
                            tr {
                                td { code { (p.query) } }
                                td { code { (p.name) } }
                                td { span.method.(word(&p.method).replace(' ', "-")) { (word(&p.method)) } }
                                td.num { (format!("{:.3}", p.similarity)) }
                                td.num { (format!("{:.2}", p.weight)) }
                            }
                        }
                    }
                }
            }
            (unmatched("Query tokens not in the listed name", &e.unmatched_query))
            (unmatched("Listed tokens not in the query", &e.unmatched_name))
            @if !e.ignored.is_empty() {
                p { "Ignored (titles and honorifics): " (e.ignored.join(", ")) }
            }
            @if !e.query_rules.is_empty() || !e.name_rules.is_empty() {
                p {
                    "Rules used: "
                    @for (i, r) in e.query_rules.iter().map(|r| ("query", r)).chain(e.name_rules.iter().map(|r| ("listed name", r))).enumerate() {
                        @if i > 0 { "; " }
                        (r.1) " (" (r.0) ")"
                    }
                }
            }
            @if e.attributes.is_empty() {
                p.muted { "No date of birth, country, type or identifier compared." }
            } @else {
                table.attributes {
                    caption { "Attributes" }
                    thead { tr { th scope="col" { "Attribute" } th scope="col" { "Query" } th scope="col" { "Listed" } th scope="col" { "Found" } th scope="col" class="num" { "Effect" } } }
                    tbody {
                        @for a in &e.attributes {
                            @let class = match a.agreement { Agreement::Conflict => "conflict", Agreement::Exact | Agreement::Partial => "agree", Agreement::Near => "near" };
                            tr.(class) {
                                td { (word(&a.attribute)) }
                                td { (a.query) }
                                td { (a.listed) }
                                td { (word(&a.agreement)) }
                                td.num { (signed(a.effect)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A stored explanation (alerts keep matching's JSON): rendered in full when it has the shape
/// matching gives today, as JSON otherwise, so an alert raised by an older version still
/// shows what it said.
pub(crate) fn stored(value: &serde_json::Value) -> Markup {
    match serde_json::from_value::<Explanation>(value.clone()) {
        Ok(e) => explanation(&e),
        Err(_) => html! {
            pre.json { (serde_json::to_string_pretty(value).unwrap_or_default()) }
        },
    }
}
