//! `interdict compare NAME_A NAME_B`

use super::screen::explanation_text;
use crate::args::CompareArgs;
use anyhow::{Context, Result};
use interdict_matching::SearchOptions;
use interdict_screening::parse_kind;
use std::process::ExitCode;

pub fn run(args: CompareArgs) -> Result<ExitCode> {
    let kind = args
        .kind
        .as_deref()
        .map(parse_kind)
        .transpose()
        .context("--type")?
        .flatten();
    let (score, explanation) = interdict_matching::compare(&args.a, &args.b, kind);
    if args.json {
        let value = serde_json::json!({ "score": score, "explanation": explanation });
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(ExitCode::SUCCESS);
    }
    // The default threshold is what `screen` reports at: say on which side of it the pair is.
    let threshold = SearchOptions::default().threshold;
    let side = if score >= threshold {
        "at or above"
    } else {
        "below"
    };
    println!("score {score:.3} ({side} the default screening threshold {threshold:.2})");
    let value = serde_json::to_value(&explanation)?;
    print!("{}", explanation_text(&value, 2));
    Ok(ExitCode::SUCCESS)
}
