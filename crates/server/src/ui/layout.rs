//! The page shell every UI page shares (head, navigation, who is signed in) and the small
//! pieces several pages use: score bars, links to entities, dates, URL encoding.

use super::auth::Access;
use maud::{html, Markup, DOCTYPE};

/// Which navigation entry the page belongs to, so it is marked as the current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Nav {
    Search,
    Lists,
    Alerts,
    /// Error and sign-in pages.
    None,
}

/// A whole HTML document: `title` in the tab and the heading level of the site, `body` inside
/// `<main>`. `access` is who is using the UI, shown in the header with a sign-out button when
/// signed in with a key.
pub(crate) fn page(title: &str, nav: Nav, access: Option<&Access>, body: Markup) -> Markup {
    let item = |target: Nav, href: &str, label: &str| {
        html! {
            li {
                @if nav == target {
                    a href=(href) aria-current="page" { (label) }
                } @else {
                    a href=(href) { (label) }
                }
            }
        }
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · interdict" }
                link rel="stylesheet" href="/assets/style.css";
                link rel="icon" href="/assets/favicon.svg" type="image/svg+xml";
                script src="/assets/app.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.site {
                    a.brand href="/" {
                        img src="/assets/favicon.svg" alt="" width="22" height="22";
                        " interdict"
                    }
                    nav aria-label="Main" {
                        ul {
                            (item(Nav::Search, "/", "Search"))
                            (item(Nav::Lists, "/lists", "Lists"))
                            (item(Nav::Alerts, "/alerts", "Alerts"))
                        }
                    }
                    @match access {
                        Some(Access::Key { name, role }) => {
                            form.who method="post" action="/logout" {
                                span { "Signed in as " strong { (name) } " (" (role.as_str()) ")" }
                                " "
                                button.link type="submit" { "Sign out" }
                            }
                        }
                        Some(Access::Open) => {
                            span.who title="The registry holds no API key: the server answers on loopback only, without sign-in." {
                                "Local mode"
                            }
                        }
                        None => {}
                    }
                }
                main #main { (body) }
                footer.site {
                    "interdict — sanctions designation registry and screening"
                }
            }
        }
    }
}

/// A score in [0, 1] as a bar with its value in text (the bar is decoration: screen readers
/// read the number).
pub(crate) fn score_bar(score: f64) -> Markup {
    let score = if score.is_finite() {
        score.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let level = if score >= 0.9 {
        "high"
    } else if score >= 0.8 {
        "mid"
    } else {
        "low"
    };
    html! {
        span.score {
            span.bar.(level) aria-hidden="true" {
                span style={ "width:" (format!("{:.1}", score * 100.0)) "%" } {}
            }
            span.value { (format!("{score:.3}")) }
        }
    }
}

/// The UI address of an entity page (`/entities/ofac-sdn/22790`, with `?as_of=` when given).
pub(crate) fn entity_href(list: &str, id: &str, as_of: Option<jiff::civil::Date>) -> String {
    let mut href = format!("/entities/{}/{}", path_segment(list), path_segment(id));
    if let Some(day) = as_of {
        href.push_str(&format!("?as_of={day}"));
    }
    href
}

/// A link to an entity page showing `LIST:ID`.
pub(crate) fn entity_link(list: &str, id: &str, as_of: Option<jiff::civil::Date>) -> Markup {
    html! { a.key href=(entity_href(list, id, as_of)) { (list) ":" (id) } }
}

/// `text` percent-encoded for one path segment or query value: everything but the unreserved
/// characters of RFC 3986, so that ids with spaces, slashes or `?` stay one segment.
pub(crate) fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A date, or a dash when unknown.
pub(crate) fn date_or_dash(date: Option<jiff::civil::Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

/// A timestamp to the minute, in UTC.
pub(crate) fn timestamp(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// Parses an optional `YYYY-MM-DD` form field: blank is `None`, anything else must be a real
/// day.
pub(crate) fn parse_day(
    field: &str,
    text: Option<&str>,
) -> Result<Option<jiff::civil::Date>, String> {
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let shape = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape {
        return Err(format!("{field} {t:?}: expected a date YYYY-MM-DD"));
    }
    t.parse::<jiff::civil::Date>()
        .map(Some)
        .map_err(|_| format!("{field} {t:?}: no such day"))
}

/// The English name of a writing system, for grouping names.
pub(crate) fn script_name(script: interdict_model::Script) -> &'static str {
    use interdict_model::Script;
    match script {
        Script::Latin => "Latin",
        Script::Cyrillic => "Cyrillic",
        Script::Arabic => "Arabic",
        Script::Hebrew => "Hebrew",
        Script::Greek => "Greek",
        Script::Armenian => "Armenian",
        Script::Georgian => "Georgian",
        Script::Han => "Chinese (Han)",
        Script::Hangul => "Korean (Hangul)",
        Script::Kana => "Japanese",
        Script::Thai => "Thai",
        Script::Myanmar => "Myanmar",
        Script::Devanagari => "Devanagari",
        Script::Ethiopic => "Ethiopic",
        Script::Other => "Mixed or other scripts",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded() {
        assert_eq!(path_segment("QDi.006"), "QDi.006");
        assert_eq!(path_segment("a b/c?d"), "a%20b%2Fc%3Fd");
        assert_eq!(path_segment("é"), "%C3%A9");
    }

    #[test]
    fn days_are_checked() {
        assert_eq!(parse_day("as of", Some(" ")), Ok(None));
        assert!(parse_day("as of", Some("2025-11-20")).is_ok_and(|d| d.is_some()));
        assert!(parse_day("as of", Some("2025-02-30")).is_err());
        assert!(parse_day("as of", Some("20251120")).is_err());
    }

    #[test]
    fn names_are_escaped() {
        let markup = page(
            "<x>",
            Nav::None,
            None,
            html! { p { ("<script>alert(1)</script>") } },
        );
        let text = markup.into_string();
        assert!(!text.contains("<script>alert"));
        assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
}
