//! Korean names typed in South Korea's Revised Romanisation, rewritten the way the lists write
//! the DPRK's nationals.
//!
//! The lists spell North Korean names in the DPRK's own system (McCune-Reischauer without its
//! marks): 김정은 is KIM Jong Un, 리병철 RI Pyong Chol. South Korean media, passports and customer
//! files use the Revised Romanisation (2000): Kim Jeong Eun, Ri Byeong Cheol. The two differ
//! in a few regular places: the vowels ㅓ ㅡ ㅕ are `eo` `eu` `yeo` in one and `o` `u` `yo`
//! in the other, and the lax initials ㄱ ㄷ ㅂ are `g` `d` `b` in one and `k` `t` `p` in the
//! other. The spelling key cannot fold these for every word: `eo`→`o` would join Leon and Lon,
//! Deon and Don, and `g`→`k` Chinese Gang and Kang. So the rewrite applies only to a whole
//! name that is Korean beyond doubt: every word one or two Korean syllables, one of them a
//! Korean surname, and one an `eo` or `eu`, which no other romanisation the lists meet writes
//! in a syllable (Pinyin has neither).
//!
//! The output has no `eo` or `eu` left, so analysing it again changes nothing.

/// Initial consonants of a syllable as the Revised Romanisation writes them, longest first
/// (with `sh`, as passports write 신 Shin). No initial `l`: ㄹ opens a word as `r` or not at all,
/// and an `l` opens Western names (Leon).
const INITIALS: [&str; 19] = [
    "kk", "tt", "pp", "ss", "jj", "ch", "sh", "g", "k", "n", "d", "t", "r", "m", "b", "p", "s",
    "j", "h",
];

/// Vowels, longest first.
const VOWELS: [&str; 22] = [
    "yeo", "yae", "wae", "weo", "eo", "eu", "ae", "ya", "ye", "wa", "oe", "yo", "wo", "we", "wi",
    "yu", "ui", "a", "e", "o", "u", "i",
];

/// Final consonants, longest first.
const FINALS: [&str; 7] = ["ng", "k", "n", "l", "m", "p", "t"];

/// Surnames, in both romanisations and the usual passport spellings.
const SURNAMES: [&str; 62] = [
    "kim", "gim", "lee", "yi", "ri", "rhee", "park", "pak", "bak", "choi", "choe", "jung", "jeong",
    "jong", "chung", "chong", "kang", "gang", "cho", "jo", "yoon", "yun", "jang", "chang", "lim",
    "im", "rim", "han", "oh", "seo", "so", "shin", "sin", "kwon", "gwon", "hwang", "ahn", "an",
    "song", "ryu", "yoo", "yu", "hong", "jeon", "jon", "chon", "ko", "go", "moon", "mun", "yang",
    "son", "bae", "pae", "baek", "paek", "heo", "ho", "nam", "kil", "gil", "thae",
];

/// One syllable parsed at the start of `w`: (initial, vowel, final), each possibly empty but
/// the vowel. Every parse is tried (a final may be the next syllable's initial).
fn syllables<'a>(w: &'a str, out: &mut Vec<(&'a str, &'a str, &'a str)>, max: usize) -> bool {
    if w.is_empty() {
        return !out.is_empty();
    }
    if out.len() == max {
        return false;
    }
    for initial in INITIALS.iter().copied().chain([""]) {
        let Some(rest) = w.strip_prefix(initial) else {
            continue;
        };
        for vowel in VOWELS {
            let Some(rest) = rest.strip_prefix(vowel) else {
                continue;
            };
            for fin in FINALS.iter().copied().chain([""]) {
                let Some(rest) = rest.strip_prefix(fin) else {
                    continue;
                };
                out.push((initial, vowel, fin));
                if syllables(rest, out, max) {
                    return true;
                }
                out.pop();
            }
        }
    }
    false
}

/// Whether `word` is one Korean or Chinese syllable (`yong`, `chol`, `min`): names of those
/// languages are built of few syllables, so one written twice in a name (`Yong Chol Min Yong`)
/// is two name parts, not one word repeated.
pub(crate) fn is_syllable(word: &str) -> bool {
    syllables(word, &mut Vec::with_capacity(1), 1)
}

/// The DPRK spelling of one Revised Romanisation syllable.
fn rewrite(initial: &str, vowel: &str, fin: &str, out: &mut String) {
    out.push_str(match initial {
        "g" => "k",
        "d" => "t",
        "b" => "p",
        other => other,
    });
    out.push_str(match vowel {
        "eo" => "o",
        "yeo" => "yo",
        "eu" => "u",
        "weo" => "wo",
        other => other,
    });
    out.push_str(fin);
}

/// `text` (normalised: lower-case words separated by single spaces) rewritten in the DPRK's
/// romanisation when it is a Korean name in the Revised Romanisation, with the words changed
/// (from, to); `None` otherwise.
pub(crate) fn from_revised(text: &str) -> Option<(String, Vec<(String, String)>)> {
    // Most names have neither: they cost one scan.
    if !text.contains("eo") && !text.contains("eu") {
        return None;
    }
    let words: Vec<&str> = text.split(' ').collect();
    if !(2..=5).contains(&words.len())
        || !words.iter().any(|w| SURNAMES.contains(w))
        || !words.iter().any(|w| w.contains("eo") || w.contains("eu"))
    {
        return None;
    }
    let mut parsed = Vec::with_capacity(words.len());
    for w in &words {
        let mut s = Vec::new();
        let korean = w.bytes().all(|b| b.is_ascii_lowercase()) && syllables(w, &mut s, 2);
        // A surname in a customary spelling (Park, Rhee) stays as it is.
        if !korean && !SURNAMES.contains(w) {
            return None;
        }
        parsed.push(s);
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = Vec::new();
    for (w, s) in words.iter().zip(&parsed) {
        if !out.is_empty() {
            out.push(' ');
        }
        if s.is_empty() {
            out.push_str(w);
            continue;
        }
        let start = out.len();
        for &(i, v, f) in s {
            rewrite(i, v, f, &mut out);
        }
        if &out[start..] != *w {
            changed.push((w.to_string(), out[start..].to_string()));
        }
    }
    Some((out, changed))
}

#[cfg(test)]
mod tests {
    use super::from_revised;

    fn korean(text: &str) -> Option<String> {
        from_revised(text).map(|(t, _)| t)
    }

    #[test]
    fn revised_romanisation_becomes_the_dprk_spelling() {
        assert_eq!(korean("kim jeong eun").as_deref(), Some("kim jong un"));
        assert_eq!(korean("ri byeong cheol").as_deref(), Some("ri pyong chol"));
        assert_eq!(korean("choe ryeong hae").as_deref(), Some("choe ryong hae"));
        assert_eq!(korean("kim yeojeong").as_deref(), Some("kim yojong"));
        assert_eq!(korean("park geun hye").as_deref(), Some("park kun hye"));
        let (_, changed) = from_revised("kim jeong eun").unwrap_or_default();
        assert_eq!(
            changed,
            vec![
                ("jeong".to_string(), "jong".to_string()),
                ("eun".to_string(), "un".to_string())
            ]
        );
    }

    #[test]
    fn other_names_are_left_alone() {
        // No eo or eu: nothing says Revised Romanisation (Pinyin Gang, Dong).
        assert_eq!(korean("li gang"), None);
        assert_eq!(korean("kim jong un"), None);
        // Not all words Korean syllables, or no Korean surname.
        assert_eq!(korean("leon kim"), None);
        assert_eq!(korean("deon smith"), None);
        // Surnames too take the DPRK spelling: 정 is JONG, 강 KANG, 백 PAEK in the lists.
        assert_eq!(
            korean("jeong myeong cheol").as_deref(),
            Some("jong myong chol")
        );
        assert_eq!(korean("gang seong ho").as_deref(), Some("kang song ho"));
        assert_eq!(korean("kim jeong eun mikhailovich"), None);
        assert_eq!(korean("kim"), None);
    }

    #[test]
    fn the_rewrite_is_idempotent() {
        for name in [
            "kim jeong eun",
            "ri byeong cheol",
            "park geun hye",
            "kim yeojeong",
        ] {
            let once = korean(name).unwrap_or_default();
            assert_eq!(korean(&once), None, "{once}");
        }
    }
}
