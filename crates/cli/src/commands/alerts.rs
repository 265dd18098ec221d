//! `interdict alerts [--status S]`, `alerts show ID`, `alerts decide ID --status S --reason R`.

use crate::args::{AlertsArgs, AlertsCommand};
use anyhow::{bail, Context, Result};
use interdict_registry::{Alert, AlertId, AlertStatus, Registry};
use interdict_screening::monitor::AlertJson;

use std::process::ExitCode;

pub fn run(registry: &mut Registry, args: AlertsArgs) -> Result<ExitCode> {
    match args.command {
        None => {
            let status = args.status.as_deref().map(status).transpose()?;
            let alerts = registry.alerts(status)?;
            let mut publications = AlertJson::new(registry);
            if args.json {
                let rows = alerts
                    .iter()
                    .map(|a| publications.value(a))
                    .collect::<Result<Vec<_>, _>>()?;
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                print!("{}", table(&alerts, &mut publications)?);
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(AlertsCommand::Show(a)) => {
            let alert = registry
                .alert(AlertId(a.id))?
                .with_context(|| format!("no alert {}", a.id))?;
            let mut publications = AlertJson::new(registry);
            if a.json {
                let value = publications.value(&alert)?;
                println!("{}", serde_json::to_string_pretty(&value)?);
            } else {
                print!("{}", details(&alert, &mut publications)?);
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(AlertsCommand::Decide(a)) => {
            let decided = status(&a.status)?;
            let Some(by) = a.by.as_deref().filter(|b| !b.trim().is_empty()) else {
                bail!("who decided? pass --by NAME (the default, $USER, is not set)");
            };
            let alert = registry
                .decide_alert(AlertId(a.id), decided, by, &a.reason)
                .with_context(|| format!("deciding alert {}", a.id))?;
            if a.json {
                let mut publications = AlertJson::new(registry);
                let value = publications.value(&alert)?;
                println!("{}", serde_json::to_string_pretty(&value)?);
            } else {
                println!(
                    "alert {}: {} ({}:{} for customer {}), decided by {}",
                    alert.id,
                    alert.status,
                    alert.found.list,
                    alert.found.entity_id,
                    alert.found.customer,
                    by.trim()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn status(text: &str) -> Result<AlertStatus> {
    AlertStatus::parse(text.trim()).with_context(|| {
        let known: Vec<&str> = AlertStatus::ALL.iter().map(|s| s.as_str()).collect();
        format!(
            "unknown alert status {text:?}; the statuses are {}",
            known.join(", ")
        )
    })
}

/// Where an alert came from, in words: `ingest of ofac-sdn 2021-12-02`.
fn origin(a: &Alert, publications: &mut AlertJson) -> Result<String> {
    let what = match publications.publication(a.found.publication)? {
        Some(p) => format!(
            "{} {}",
            p.list,
            p.published.map(|d| d.to_string()).unwrap_or_default()
        ),
        None => "-".into(),
    };
    Ok(format!("{} {what}", a.found.trigger.as_str()))
}

fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        format!("{text:<width$}")
    } else {
        let kept: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}

fn table(alerts: &[Alert], publications: &mut AlertJson) -> Result<String> {
    let mut out = format!(
        "{:>5}  {:<14}  {:>5}  {:<32}  {:<44}  {:<16}  RAISED BY\n",
        "ID", "STATUS", "SCORE", "CUSTOMER", "ENTITY", "RAISED (UTC)"
    );
    for a in alerts {
        let f = &a.found;
        out.push_str(&format!(
            "{:>5}  {:<14}  {:>5.3}  {}  {}  {:<16}  {}\n",
            a.id.0,
            a.status.as_str(),
            f.score,
            cut(&format!("{} {}", f.customer, f.customer_name), 32),
            cut(&format!("{}:{} {}", f.list, f.entity_id, f.entity_name), 44),
            a.raised_at.strftime("%Y-%m-%d %H:%M"),
            origin(a, publications)?
        ));
    }
    Ok(out)
}

fn details(a: &Alert, publications: &mut AlertJson) -> Result<String> {
    let f = &a.found;
    let mut out = format!(
        "alert {}  {}{}\n\
         customer  {}  {}\n\
         entity    {}:{}  {}\n\
         matched   {}\n\
         score     {:.3}\n\
         raised    {} by {}\n",
        a.id,
        a.status,
        a.closed_reason
            .map(|r| format!(" ({})", r.as_str()))
            .unwrap_or_default(),
        f.customer,
        f.customer_name,
        f.list,
        f.entity_id,
        f.entity_name,
        f.matched_name,
        f.score,
        a.raised_at,
        origin(a, publications)?,
    );
    out.push_str("\nexplanation\n");
    out.push_str(&super::screen::explanation_text(&f.explanation, 2));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    if !a.decisions.is_empty() {
        out.push_str("\ndecisions\n");
        for d in &a.decisions {
            out.push_str(&format!(
                "  {}  {:<14}  by {}: {}\n",
                d.at, d.status, d.by, d.reason
            ));
        }
    }
    Ok(out)
}
