//! Writing-system detection for names.

use serde::{Deserialize, Serialize};

/// The writing system of a name (the ISO 15924 code in serialised form).
///
/// Only scripts that occur in sanctions lists get their own variant; detection is by Unicode
/// block, which is exact for these scripts and needs no tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Script {
    /// Latin (`Latn`), also for names with no letters at all.
    #[serde(rename = "Latn")]
    Latin,
    /// Cyrillic (`Cyrl`).
    #[serde(rename = "Cyrl")]
    Cyrillic,
    /// Arabic, including Persian and Urdu letters (`Arab`).
    #[serde(rename = "Arab")]
    Arabic,
    /// Hebrew (`Hebr`).
    #[serde(rename = "Hebr")]
    Hebrew,
    /// Greek (`Grek`).
    #[serde(rename = "Grek")]
    Greek,
    /// Armenian (`Armn`).
    #[serde(rename = "Armn")]
    Armenian,
    /// Georgian (`Geor`).
    #[serde(rename = "Geor")]
    Georgian,
    /// Chinese characters (`Hani`).
    #[serde(rename = "Hani")]
    Han,
    /// Korean Hangul (`Hang`).
    #[serde(rename = "Hang")]
    Hangul,
    /// Japanese kana (`Kana`).
    #[serde(rename = "Kana")]
    Kana,
    /// Thai (`Thai`).
    #[serde(rename = "Thai")]
    Thai,
    /// Burmese (`Mymr`).
    #[serde(rename = "Mymr")]
    Myanmar,
    /// Devanagari (`Deva`).
    #[serde(rename = "Deva")]
    Devanagari,
    /// Ethiopic (`Ethi`).
    #[serde(rename = "Ethi")]
    Ethiopic,
    /// Letters of several scripts, or of a script not listed here (`Zyyy`).
    #[serde(rename = "Zyyy")]
    Other,
}

impl Script {
    /// The script of one character, `None` for characters common to all scripts (digits,
    /// punctuation, spaces, combining marks).
    pub fn of_char(c: char) -> Option<Script> {
        let u = c as u32;
        Some(match u {
            0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
            0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
            0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
            0x530..=0x58F => Script::Armenian,
            0x591..=0x5FF | 0xFB1D..=0xFB4F => Script::Hebrew,
            0x600..=0x6FF | 0x750..=0x77F | 0x8A0..=0x8FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
                Script::Arabic
            }
            0x900..=0x97F => Script::Devanagari,
            0xE00..=0xE7F => Script::Thai,
            0x1000..=0x109F => Script::Myanmar,
            0x10A0..=0x10FF | 0x2D00..=0x2D2F | 0x1C90..=0x1CBF => Script::Georgian,
            0x1200..=0x139F => Script::Ethiopic,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
            0x3040..=0x30FF | 0x31F0..=0x31FF => Script::Kana,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F => Script::Han,
            _ if c.is_alphabetic() => Script::Other,
            _ => return None,
        })
    }

    /// The script of a name: the one script of all its letters, `Other` when letters of several
    /// scripts mix (Japanese mixes Han and kana: reported as `Kana`), `Latin` when it has none.
    pub fn detect(text: &str) -> Script {
        // ASCII has Latin letters or no letters at all, either way `Latin`: most names are
        // typed so, and reading them char by char was 0.7% of a batch's instructions
        // (callgrind, throughput deck of `bench/throughput.sh`).
        if text.is_ascii() {
            return Script::Latin;
        }
        let mut found: Option<Script> = None;
        for s in text.chars().filter_map(Script::of_char) {
            found = match found {
                None => Some(s),
                Some(f) if f == s => Some(f),
                Some(Script::Han) | Some(Script::Kana)
                    if matches!(s, Script::Han | Script::Kana) =>
                {
                    Some(Script::Kana)
                }
                Some(_) => return Script::Other,
            };
        }
        found.unwrap_or(Script::Latin)
    }

    /// The ISO 15924 code.
    pub fn code(self) -> &'static str {
        match self {
            Script::Latin => "Latn",
            Script::Cyrillic => "Cyrl",
            Script::Arabic => "Arab",
            Script::Hebrew => "Hebr",
            Script::Greek => "Grek",
            Script::Armenian => "Armn",
            Script::Georgian => "Geor",
            Script::Han => "Hani",
            Script::Hangul => "Hang",
            Script::Kana => "Kana",
            Script::Thai => "Thai",
            Script::Myanmar => "Mymr",
            Script::Devanagari => "Deva",
            Script::Ethiopic => "Ethi",
            Script::Other => "Zyyy",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn detects_list_scripts() {
        assert_eq!(Script::detect("MADURO MOROS, Nicolás"), Script::Latin);
        assert_eq!(Script::detect("Николас Мадуро"), Script::Cyrillic);
        assert_eq!(Script::detect("أيمن محمد ربيع الظواهري"), Script::Arabic);
        assert_eq!(Script::detect("金正恩"), Script::Han);
        assert_eq!(Script::detect("김정은"), Script::Hangul);
        assert_eq!(Script::detect("123 -"), Script::Latin);
        assert_eq!(Script::detect("Иван Ivan"), Script::Other);
    }

    proptest! {
        #[test]
        fn detect_never_panics_and_is_stable_under_digits(s in "\\PC*") {
            let a = Script::detect(&s);
            let b = Script::detect(&format!("{s} 123"));
            prop_assert_eq!(a, b);
        }
    }
}
