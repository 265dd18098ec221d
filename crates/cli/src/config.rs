//! Validated settings derived from the command line.

use anyhow::{bail, Context, Result};
use interdict_model::ListId;
use std::path::PathBuf;

/// Where the registry lives: `--db`, `INTERDICT_DB`, or `<data dir>/interdict/registry.sqlite`.
pub fn registry_path(db: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(p) = db {
        return Ok(p);
    }
    let base = dirs::data_dir().context("no user data directory on this system; pass --db FILE")?;
    Ok(base.join("interdict").join("registry.sqlite"))
}

/// Parses a `YYYY-MM-DD` option value.
pub fn date(option: &str, value: &str) -> Result<jiff::civil::Date> {
    value
        .parse::<jiff::civil::Date>()
        .with_context(|| format!("{option} {value:?}: expected a date as YYYY-MM-DD"))
}

/// Parses a list id.
pub fn list(value: &str) -> Result<ListId> {
    match ListId::parse(value) {
        Some(l) => Ok(l),
        None => {
            let known: Vec<&str> = ListId::ALL.iter().map(|l| l.as_str()).collect();
            bail!("unknown list {value:?}; the lists are {}", known.join(", "))
        }
    }
}

/// Parses `LIST:ID`.
pub fn entity_key(value: &str) -> Result<(ListId, String)> {
    let Some((l, id)) = value.split_once(':') else {
        bail!("{value:?}: expected LIST:ID, e.g. ofac-sdn:22790 or un:QDi.006");
    };
    if id.trim().is_empty() {
        bail!("{value:?}: the id after ':' is empty");
    }
    Ok((list(l)?, id.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_keys() {
        assert_eq!(
            entity_key("un:QDi.006").unwrap(),
            (ListId::Un, "QDi.006".to_string())
        );
        assert!(entity_key("ofac:1")
            .unwrap_err()
            .to_string()
            .contains("ofac-sdn, ofac-cons, un"));
        assert!(entity_key("22790").is_err());
        assert!(entity_key("ofac-sdn:").is_err());
    }
}
