//! `interdict keys add --role R --name N`, `keys list`, `keys revoke ID`: the server's API keys.

use crate::args::{KeysArgs, KeysCommand};
use anyhow::{Context, Result};
use interdict_registry::{ApiKey, Registry, Role};
use serde_json::json;
use std::process::ExitCode;

fn key_json(k: &ApiKey) -> serde_json::Value {
    json!({
        "id": k.id,
        "name": k.name,
        "role": k.role.as_str(),
        "prefix": k.prefix,
        "created_at": k.created_at.to_string(),
        "revoked_at": k.revoked_at.map(|t| t.to_string()),
    })
}

pub fn run(registry: &mut Registry, args: KeysArgs) -> Result<ExitCode> {
    match args.command {
        KeysCommand::Add(a) => {
            let role = Role::parse(a.role.trim())
                .with_context(|| format!("--role {}: expected viewer, analyst or admin", a.role))?;
            let new = registry.add_api_key(&a.name, role)?;
            if a.json {
                let mut value = key_json(&new.key);
                value["token"] = json!(new.token);
                println!("{}", serde_json::to_string_pretty(&value)?);
            } else {
                println!(
                    "key {} ({}, {}) created; its token, shown this once:\n\n  {}\n\n\
                     send it as `Authorization: Bearer TOKEN` or `X-API-Key: TOKEN`",
                    new.key.id, new.key.name, new.key.role, new.token
                );
            }
        }
        KeysCommand::List(a) => {
            let keys = registry.api_keys()?;
            if a.json {
                let rows: Vec<_> = keys.iter().map(key_json).collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else if keys.is_empty() {
                println!(
                    "no API key: `interdict serve` serves loopback only, without authentication"
                );
            } else {
                println!(
                    "{:>4}  {:<8}  {:<12}  {:<20}  {:<30}  NAME",
                    "ID", "ROLE", "PREFIX", "CREATED (UTC)", "REVOKED"
                );
                for k in &keys {
                    println!(
                        "{:>4}  {:<8}  {:<12}  {:<20}  {:<30}  {}",
                        k.id,
                        k.role.as_str(),
                        format!("{}…", k.prefix),
                        k.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                        k.revoked_at
                            .map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string())
                            .unwrap_or_default(),
                        k.name
                    );
                }
            }
        }
        KeysCommand::Revoke(a) => {
            let key = registry.revoke_api_key(a.id)?;
            println!("key {} ({}, {}) revoked", key.id, key.name, key.role);
        }
    }
    Ok(ExitCode::SUCCESS)
}
