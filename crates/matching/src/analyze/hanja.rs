//! Korean names written in Han characters (hanja): their Korean reading.
//!
//! A Korean's name has a hanja spelling beside its Hangul one, and Chinese-language documents
//! write North and South Korean names that way: `金正恩` is 김정은, KIM Jong Un. Read as Chinese
//! (`jin zhengen`) it resembles nothing the lists write. [`korean_reading`] gives the Hangul of
//! such a name from each character's Sino-Korean reading (`data/han_korean.tsv.gz`, from
//! Unihan), which the Hangul romanisation then reads as the lists write Korean names. A short
//! Han name may as well be Chinese (`金` is also the Chinese surname Jin), so search reads it
//! both ways (`MatchIndex::search`).

use super::tables::{gunzip, rows};
use interdict_model::Script;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// Han characters of a person's name: one or two for the surname, one or two for the given
/// name. Longer runs are organisations' names (see `normalize`), which Chinese documents
/// translate rather than read.
const NAME_CHARS: std::ops::RangeInclusive<usize> = 2..=4;

fn table() -> &'static FxHashMap<char, &'static str> {
    static TABLE: OnceLock<FxHashMap<char, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        rows(gunzip(include_bytes!("../../data/han_korean.tsv.gz")))
            .filter_map(|r| {
                let mut chars = r.first()?.chars();
                let c = chars.next().filter(|_| chars.next().is_none())?;
                Some((c, *r.get(1)?))
            })
            .collect()
    })
}

/// The Hangul reading of `name` when it is a person's name written in Han characters: two to
/// four of them, and nothing else but spaces (`金正恩`, `金 正恩`), each with a Korean reading.
/// `None` for anything else: other scripts, mixed text, longer runs.
pub fn korean_reading(name: &str) -> Option<String> {
    let name = name.trim();
    let mut han = 0usize;
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_whitespace() {
            out.push(' ');
        } else if Script::of_char(c) == Some(Script::Han) {
            han += 1;
            if han > *NAME_CHARS.end() {
                return None;
            }
            out.push_str(table().get(&c)?);
        } else {
            return None;
        }
    }
    NAME_CHARS.contains(&han).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_names_in_han_read_as_korean() {
        assert_eq!(korean_reading("金正恩").as_deref(), Some("김정은"));
        assert_eq!(korean_reading(" 崔 龍海 ").as_deref(), Some("최 룡해"));
        // Simplified characters read as their traditional forms.
        assert_eq!(korean_reading("崔龙海").as_deref(), Some("최룡해"));
        assert_eq!(korean_reading("朴英植").as_deref(), Some("박영식"));
        assert!(table().len() > 10_000);
    }

    #[test]
    fn only_short_han_names_have_a_korean_reading() {
        for name in [
            "",
            "金",
            "深圳市信诺电子科技有限公司",
            "金正恩 Kim",
            "김정은",
            "Kim Jong Un",
            "金正恩（朝鲜）",
        ] {
            assert_eq!(korean_reading(name), None, "{name}");
        }
    }
}
