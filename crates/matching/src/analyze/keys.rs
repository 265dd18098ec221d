//! Lookup keys of single tokens, for candidate retrieval: a phonetic key and a consonant
//! skeleton.
//!
//! Both take a token as [`crate::analyze`] produces it (lower-case ASCII letters and digits) and
//! are pure functions of it, so the index can store them and a query recompute them.
//! They are deliberately lossy: a key only has to bring the right candidates together; the
//! scorer decides whether they match.

use rphonetic::{DoubleMetaphone, Encoder};

/// Longest phonetic code kept. Double Metaphone's customary 4 letters make `alexander` and
/// `alexandrov` one key; 6 keeps long surnames apart while still covering the spelling
/// differences within them.
const PHONETIC_LEN: usize = 6;

/// The phonetic key of a token: the primary Double Metaphone code (Lawrence Philips, 2000),
/// at most six letters.
///
/// Double Metaphone is built for names of many origins (Slavic, Germanic, Romance, Greek,
/// Chinese spellings in English), which is what Latin-script sanctions names are:
/// `mohammed`/`muhammad`/`mohamed` → `MHMT`, `qaddafi`/`gaddafi`/`kadhafi` → `KTF`,
/// `hussein`/`husayn` → `HSN`. Tokens without letters (numbers) are their own key, so the key is
/// never empty for a non-empty token.
pub fn phonetic_key(token: &str) -> String {
    let code = DoubleMetaphone::new(Some(PHONETIC_LEN)).encode(token);
    if code.is_empty() {
        token.to_string()
    } else {
        code
    }
}

/// The consonant skeleton of a token, for names that come from abjads (Arabic, Persian,
/// Hebrew), whose scripts write no short vowels, so their Latin spellings differ mostly in
/// vowels and in the letters chosen for a few consonants.
///
/// Steps, each for a reason:
/// 1. Digraphs and letters that spell the same sound in different romanisations become one
///    letter: `x`→`ks`; `sh`→`x` (ش, ш); `ch`→`c` (چ, ч); `kh`→`h` (خ, х: Khalid/Halid,
///    Mikhail/Mihail); `gh`→`g` (غ: Ghazi/Gazi); `ph`→`f`; `th`→`s` (ث is *th* in English
///    spellings, *s* in Persian, Urdu and Turkish ones: Uthman/Osman/Usman); `dh`→`z` (ذ, ظ:
///    *dh* or *z*: Dhakir/Zakir); `zh`→`j`; `dzh`, `dj` → `j` (дж, French-style Djamal: the
///    English j); `ck`, `q`, `c` → `k` (ق: Qasim/Kasim; Qaddafi/Kadhafi); `w`→`v` (و:
///    Jawad/Javad, Marwan/Marvan).
/// 2. Letters doubled in the spelling are written once (Mohammed/Mohamed: shadda is not always
///    written, nor doubled in Latin).
/// 3. The first letter stays, as a marker of the word's start, but every initial vowel becomes
///    `a` (أ/ا/ع carry any vowel: Usama/Osama/أسامة, Umar/Omar/عمر, Ibrahim/Ebrahim), and an
///    initial `y` becomes `j` (ي/ј/й: Yusuf/Jusuf).
/// 4. After the first letter, vowels and `y` go (the abjad writes only long vowels, as و ي ا,
///    which the romanisations render as vowels or as `w`/`y`: Husayn/Hussein/حسين all `hsn`).
/// 5. A final plain `h` goes (ة/ه: Fatimah/Fatima, Abdullah/عبدالله) — but not the `h` of
///    `kh`/`sh`/`ch`/`gh`, which step 1 already turned into other letters.
///
/// Digits are kept as they are. `muhammad`, `mohammed`, `mhmd` → `mhmd`; `zawahiri`,
/// `zawahri` → `zvhr`.
pub fn skeleton(token: &str) -> String {
    let b = token.as_bytes();
    let mut out = String::with_capacity(b.len());
    // Symbols stream out of step 1; `H` marks an h that came from `kh`. `prev` is the last
    // symbol (for step 2), `held` a plain `h` not yet known not to be final (step 5).
    let mut prev: u8 = 0;
    let mut held = false;
    let mut emit = |s: u8, out: &mut String| {
        if s == prev {
            return; // step 2
        }
        prev = s;
        if out.is_empty() && !held {
            // Step 3.
            out.push(match s {
                b'a' | b'e' | b'i' | b'o' | b'u' => 'a',
                b'y' => 'j',
                b'H' => 'h',
                _ => s as char,
            });
            return;
        }
        if held {
            out.push('h');
            held = false;
        }
        match s {
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y' => {} // step 4
            b'h' => held = true,
            b'H' => out.push('h'),
            _ => out.push(s as char),
        }
    };
    let mut i = 0;
    while i < b.len() {
        let c = b[i].to_ascii_lowercase();
        let next = b.get(i + 1).map(|n| n.to_ascii_lowercase());
        let third = b.get(i + 2).map(|n| n.to_ascii_lowercase());
        let (sym, used): (u8, usize) = match (c, next) {
            (b'd', Some(b'j')) => (b'j', 2),
            (b'd', Some(b'z')) if third == Some(b'h') => (b'j', 3),
            (b's', Some(b'h')) => (b'x', 2),
            (b'c', Some(b'h')) => (b'c', 2),
            (b'k', Some(b'h')) => (b'H', 2),
            (b'g', Some(b'h')) => (b'g', 2),
            (b'p', Some(b'h')) => (b'f', 2),
            (b't', Some(b'h')) => (b's', 2),
            (b'd', Some(b'h')) => (b'z', 2),
            (b'z', Some(b'h')) => (b'j', 2),
            (b'c', Some(b'k')) => (b'k', 2),
            (b'x', _) => {
                emit(b'k', &mut out);
                (b's', 1)
            }
            (b'q', _) | (b'c', _) => (b'k', 1),
            (b'w', _) => (b'v', 1),
            _ => (c, 1),
        };
        emit(sym, &mut out);
        i += used;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phonetic_keys_join_spelling_variants() {
        assert_eq!(phonetic_key("mohammed"), phonetic_key("muhammad"));
        assert_eq!(phonetic_key("qaddafi"), phonetic_key("gaddafi"));
        assert_eq!(phonetic_key("hussein"), phonetic_key("husayn"));
        assert_eq!(phonetic_key("1998"), "1998");
        assert_eq!(phonetic_key(""), "");
    }

    #[test]
    fn skeletons_join_abjad_spellings() {
        for group in [
            &["muhammad", "mohammed", "mohamed", "mhmd", "muhammed"][..],
            &["husayn", "hussein", "hussain", "hsin"],
            &["usama", "osama", "asama"],
            &["zawahiri", "zawahri"],
            &["yusuf", "yousef", "youssef", "yusf"],
            &["ayman", "aymn", "aiman"],
            &["uthman", "othman", "osman", "usman"],
            &["qasim", "kasim", "qassem"],
            &["fatima", "fatimah"],
            &["abdullah", "abdallah", "abdallh"],
            &["khalid", "khaled", "halid"],
        ] {
            let first = skeleton(group[0]);
            for t in group {
                assert_eq!(skeleton(t), first, "{t} vs {}", group[0]);
            }
        }
    }

    #[test]
    fn skeletons_keep_different_consonants_apart() {
        assert_ne!(skeleton("ahmad"), skeleton("mahmud"));
        assert_ne!(skeleton("ivanov"), skeleton("ivan"));
        assert_ne!(skeleton("sheikh"), skeleton("shah"));
        assert_eq!(skeleton(""), "");
        assert_eq!(skeleton("7"), "7");
    }
}
