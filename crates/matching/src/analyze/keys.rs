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

/// The spelling key of a token: its spelling once the differences between romanisation
/// conventions are folded away, for names written in Latin letters by different authorities
/// (English, French, German, Slavic and Korean conventions for the same Arabic, Persian,
/// Cyrillic or Hangul name).
///
/// Unlike [`skeleton`], vowels stay, so two keys agree only when the spellings differ by
/// convention, not by sound: `feerouzabadi`/`firouzabadi`, `waheed`/`wahid`, `keem`/`kim`,
/// `phatmir`/`fatmir`, `ionow`/`ionov`, `ziiad`/`ziyad`, `ivanovych`/`ivanovich` agree;
/// `baba`/`babu`, `hasan`/`husn` do not. Steps, in one pass from left to right:
///
/// 0. in a word ending as East Slavic surnames do, an `h` that spells no digraph is `g`
///    (Ukrainian г: Yehorov/Egorov, Hryhorenko/Grigorenko; and Russian г for the `h` of
///    Turkic names: Hasanov/Gasanov); in a word ending as Slavic surnames and patronymics do,
///    a leading `j` before a vowel is `y` (the я, ю, е of Czech, Polish, German and Balkan
///    romanisations: Janukovic/Yanukovych, Jermakov/Yermakov, Jakovlev/Yakovlev), not in
///    other words, where it is mostly ج or the Spanish jota (Jamal, Juan);
/// 1. German `tsch`→`ch`, `sch`→`sh` (Tscheresow/Cherezov), and in a word ending as East
///    Slavic surnames do French `tch`→`ch` (Timtchenko/Timchenko); French, Spanish and
///    Italian `gu` before `e` or `i`, a hard g, → `g` (Evgueni/Evgeni, Guennadi/Gennadi);
///    Swedish and old Dutch `tj` and Polish `cz` → `ch`, Polish `sz` → `sh` (ч, ш: Kotjkin/Kochkin, Szewczenko/Shevchenko,
///    Lukaszenka/Lukashenka); `dzh`, `dj`, `zh` and Albanian
///    `xh` → `j` (дж, ж, French Djamel); `kh`→`h` (خ, х: Khassan/Hassan); `gh`→`g`, `ph`→`f`,
///    `dh`→`d` (ذ, ض written with or without the h); `ck`, `q` → `k` (ق), but `qu` before a
///    vowel → `kv` (Vietnamese and Chinese Quang, Korean Kwang); `c` before a consonant → `k`
///    (Victor/Viktor, Electronics/Elektroniks; before a vowel it may be soft, and a final `c`
///    is step 4's); `x`→`ks`; `w`→`v`
///    (و, в: Dawood/Davood, Ionow/Ionov);
/// 2. vowel spellings: `ou`, `oo` → `u` (French and Dutch *u*; but the French `ou` of و
///    before a vowel, at the start of a word or after a vowel, is `v` as `w` is: Ouahid/Wahid,
///    Aouad/Awwad), `ee` → `i` (English *i*), and
///    `y` after the first letter → `i` (й, ي: Husayn/Husain, Dmitriy/Dmitri, Kyong/Kiong; a
///    leading `y` is a consonant and stays, and a leading `ia`, `iu` is written `ya`, `yu`
///    as in passport romanisations of я, ю: Iuliia/Yuliya, Iakov/Yakov, and a leading `ye` is
///    `e`, the two ways of writing a leading е: Yermakov/Ermakov), and `yo` after a
///    consonant → `e` (ё, written е in most Russian texts: Fyodorov/Fedorov, Aksyonov/Aksenov,
///    Pyotr/Petr) unless a Korean syllable (`yong`, `yok`: Kyong, Hyok), and `j` for й after
///    `e` or `i` at the end of a word or between two `e`s → `i` (German, Czech, Polish and
///    Balkan romanisations: Aleksej/Alexey, Jurij/Yuriy, Sergejevich/Sergeyevich; not after
///    `a`, where it is Arabic ج: Haj, Faraj);
/// 3. a letter written twice is written once (shadda, Slavic double consonants: Tarriq,
///    Salleh, Ziiad);
/// 4. a final `h` after a vowel goes (ة: Fatimah/Fatima), a final `-ine` of a word of six
///    letters or more is `-in` (the French spelling of Russian -ин and of Arabic names:
///    Poutine/Putin, Prigojine/Prigozhin, Yassine/Yassin, Nourredine/Nureddin), a final `-ov`,
///    `-ova` after `sh` or `j` is `-ev`, `-eva` (ё after ж, ч, ш, щ, which German and Polish
///    write `o`: Gorbatschow/Gorbachev, Pugatschowa/Pugacheva), a final `-ic` after a
///    consonant is `-ich` (South Slavic -ić and Czech -ič without their marks: Karadzic, Fedorovic), and the
///    Ukrainian patronymic ending `-iovich` (from `-iyovych`) becomes the Russian `-ievich`;
/// 5. inside a word, every `ch` of the steps above is `sh` (French writes ش `ch`:
///    Bouchra/Bushra, Hicham/Hisham); a leading `ch` stays, as in Chinese and Korean names
///    (Chen/Shen, Cho).
///
/// Empty for tokens with digits or of fewer than two letters, which no convention spells.
pub fn spelling_key(token: &str) -> String {
    let b = token.as_bytes();
    if b.len() < 2 || !b.iter().all(u8::is_ascii_lowercase) {
        return String::new();
    }
    let ukrainian;
    let b = if b.contains(&b'h') && east_slavic_surname(b) {
        ukrainian = h_as_g(b);
        &ukrainian[..]
    } else {
        b
    };
    let slavic_j;
    let b = if b[0] == b'j' && is_vowel(b[1]) && slavic_ending(b) {
        slavic_j = [&b"y"[..], &b[1..]].concat();
        &slavic_j[..]
    } else {
        b
    };
    let slavic = east_slavic_surname(b);
    let mut out: Vec<u8> = Vec::with_capacity(b.len() + 2);
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while i < b.len() {
        let (c, n, t) = (b[i], at(i + 1), at(i + 2));
        // French writes ش `ch` (Bouchra/Bushra, Hicham/Hisham, Aicha/Aisha): inside a word, the
        // sounds of ч and ш are one. Not at its start, where `ch` is also Chinese and Korean
        // (Chen/Shen, Cho), which tell them apart.
        let ch: &[u8] = if out.is_empty() { b"ch" } else { b"sh" };
        let (sym, used): (&[u8], usize) = match (c, n) {
            (b'i', b'a' | b'u') if i == 0 => (b"y", 1),
            // A leading е is `ye` in English romanisations of Russian and Ukrainian (Yermakov,
            // Yegorov, Yefremov) and `e` in most others (Ermakov, Egorov, Efremov).
            (b'y', b'e') if i == 0 => (b"e", 2),
            (b'y', b'o') if i > 0 && !is_vowel(b[i - 1]) && !korean_yo(&b[i + 2..]) => (b"e", 2),
            (b't', b's') if t == b'c' && at(i + 3) == b'h' => (ch, 4),
            (b's', b'c') if t == b'h' => (b"sh", 3),
            (b't', b'c') if t == b'h' && slavic => (ch, 3),
            (b'g', b'u') if matches!(t, b'e' | b'i') => (b"g", 2),
            (b'd', b'z') if t == b'h' => (b"j", 3),
            (b'd', b'j') | (b'z', b'h') | (b'x', b'h') => (b"j", 2),
            (b'k', b'h') => (b"h", 2),
            (b'g', b'h') => (b"g", 2),
            (b'p', b'h') => (b"f", 2),
            (b'd', b'h') => (b"d", 2),
            (b'c', b'k') => (b"k", 2),
            (b't', b'j') | (b'c', b'z') => (ch, 2),
            (b'c', b'h') => (ch, 2),
            (b's', b'z') => (b"sh", 2),
            // French `ou` before a vowel, opening a word or after a vowel, is the consonant
            // w (و: Ouahid/Wahid, Aouad/Awad, Laouini/Lawini); elsewhere it is the vowel u.
            (b'o', b'u') if is_vowel(t) && (i == 0 || is_vowel(b[i - 1])) => (b"v", 2),
            (b'o', b'u') | (b'o', b'o') => (b"u", 2),
            (b'e', b'e') => (b"i", 2),
            (b'c', n) if n.is_ascii_lowercase() && !is_vowel(n) && !matches!(n, b'h' | b'y') => {
                (b"k", 1)
            }
            (b'q', b'u') if is_vowel(t) => (b"kv", 2),
            (b'q', _) => (b"k", 1),
            (b'x', _) => (b"ks", 1),
            (b'w', _) => (b"v", 1),
            (b'y', _) if i > 0 => (b"i", 1),
            // German, Czech, Polish and Balkan й after e or i: at the end (Aleksej, Sergej,
            // Jurij) and between e's (Sergejevich).
            (b'j', n)
                if i > 0
                    && matches!(b[i - 1], b'e' | b'i')
                    && (n == 0 || (n == b'e' && b[i - 1] == b'e')) =>
            {
                (b"i", 1)
            }
            _ => (std::slice::from_ref(&b[i]), 1),
        };
        for &s in sym {
            if out.last() != Some(&s) {
                out.push(s);
            }
        }
        i += used;
    }
    if out.len() > 2 && out.last() == Some(&b'h') && is_vowel(out[out.len() - 2]) {
        out.pop();
    }
    if out.len() >= 6 && out.ends_with(b"ine") {
        out.pop();
    }
    for (from, to) in [
        (&b"shov"[..], &b"shev"[..]),
        (b"shova", b"sheva"),
        (b"jov", b"jev"),
        (b"jova", b"jeva"),
    ] {
        if out.len() > from.len() + 2 && out.ends_with(from) {
            let n = out.len() - from.len();
            out.truncate(n);
            out.extend_from_slice(to);
        }
    }
    // South Slavic -ić and Czech or Slovak -ič lose their mark and are the Russian -ich
    // (Karadzic, Fedorovic).
    if out.len() > 4 && out.ends_with(b"ic") && !is_vowel(out[out.len() - 3]) {
        let n = out.len();
        out[n - 1] = b's';
        out.push(b'h');
    }
    if out.ends_with(b"iovish") {
        let n = out.len();
        out[n - 5] = b'e';
    }
    // Only ASCII letters were pushed.
    String::from_utf8(out).unwrap_or_default()
}

/// Whether `b` ends as East Slavic surnames do (`-ov`, `-ev`, `-enko`, `-chuk`, `-yuk`,
/// `-sky`, and their feminine forms).
fn east_slavic_surname(b: &[u8]) -> bool {
    // Folding only shortens a word: one of five letters or fewer is too short already.
    if b.len() <= 5 {
        return false;
    }
    // Read as the key reads letters: `w` is `v`, a letter written twice is written once
    // (`Hasanow`, `Hasanovv` end as `Hasanov` does).
    let mut folded: Vec<u8> = Vec::with_capacity(b.len());
    for &c in b {
        let c = if c == b'w' { b'v' } else { c };
        if folded.last() != Some(&c) {
            folded.push(c);
        }
    }
    let b = &folded[..];
    b.len() > 5
        && [
            &b"ov"[..],
            b"ova",
            b"ev",
            b"eva",
            b"yov",
            b"yova",
            b"enko",
            b"chuk",
            b"yuk",
            b"sky",
            b"skyi",
            b"skiy",
            b"skaya",
            b"ska",
        ]
        .iter()
        .any(|e| b.ends_with(e))
}

/// Whether `b` ends as Slavic surnames and patronymics do: East Slavic surnames (see
/// [`east_slavic_surname`]), and `-ovich`, `-evich`, `-ych`, `-ic` written any way (Czech
/// Janukovič, Ukrainian Yanukovych, Russian Yurievich).
fn slavic_ending(b: &[u8]) -> bool {
    east_slavic_surname(b)
        || b.len() > 5
            && [&b"ich"[..], b"ych", b"ic", b"itsch", b"itch"]
                .iter()
                .any(|e| b.ends_with(e))
}

/// A surname's `h` as Russian writes it, `g`: Ukrainian romanises г `h` (Yehorov, Hurov), and
/// Russian writes the `h` of Turkic and Caucasian names г (Hasanov/Gasanov, Rahimov/Ragimov).
/// Not the `h` of a digraph (`kh`, `zh`, `sh`, `ch`, `gh`, `th`), which spells another letter.
fn h_as_g(b: &[u8]) -> Vec<u8> {
    b.iter()
        .enumerate()
        .map(|(i, &c)| {
            let digraph = i > 0 && matches!(b[i - 1], b'k' | b'z' | b's' | b'c' | b'g' | b't');
            if c == b'h' && !digraph {
                b'g'
            } else {
                c
            }
        })
        .collect()
}

/// `yo` before `ng` or `k` is a Korean syllable (Kyong, Pyong, Hyok), not the Russian ё.
fn korean_yo(rest: &[u8]) -> bool {
    // `nng` too: the key folds a doubled letter, so `yonng` is `yong` written with its `n` twice.
    rest.starts_with(b"ng") || rest.starts_with(b"nng") || rest.first() == Some(&b'k')
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
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

    #[test]
    fn spelling_keys_join_romanisation_conventions() {
        for (a, b) in [
            ("feerouzabadi", "firouzabadi"),
            ("waheed", "wahid"),
            ("keem", "kim"),
            ("phatmir", "fatmir"),
            ("ionow", "ionov"),
            ("ziiad", "ziyad"),
            ("tarriq", "tariq"),
            ("dawood", "davud"),
            ("kiong", "kyong"),
            ("dmitriy", "dmitri"),
            ("ivanovych", "ivanovich"),
            ("mykolaiovych", "mykolaievich"),
            ("igorewitsch", "igorevich"),
            ("uxini", "uksini"),
            ("djamel", "jamel"),
            ("haxhi", "haji"),
            ("iuliia", "yulia"),
            ("iakov", "yakov"),
            ("fyodorov", "fedorov"),
            ("aksyonov", "aksenov"),
            ("fatimah", "fatima"),
            ("karadzic", "karadzich"),
            ("fedorovic", "fedorovych"),
            ("kotjkin", "kochkin"),
            ("viktorovitj", "viktorovich"),
            ("szewczenko", "shevchenko"),
            ("lukaszenka", "lukashenka"),
            ("szczepan", "shchepan"),
            ("bouchra", "bushra"),
            ("hicham", "hisham"),
            ("quang", "kwang"),
            ("electronics", "elektroniks"),
            ("victor", "viktor"),
            ("cristina", "kristina"),
            ("ivanchenko", "iwanczenko"),
            ("aleksej", "alexey"),
            ("sergej", "sergey"),
            ("dmitrij", "dmitriy"),
            ("sergejevich", "sergeyevich"),
            ("yermakov", "ermakov"),
            ("yefremov", "efremov"),
            ("aouad", "awwad"),
            ("ouahid", "wahid"),
            ("laouini", "lawini"),
            ("yehorov", "egorov"),
            ("janukovic", "yanukovych"),
            ("jermakov", "yermakov"),
            ("jakovlev", "yakovlev"),
            ("hasanov", "gasanov"),
            ("rahimova", "ragimova"),
            ("hryhorenko", "grigorenko"),
            ("poutine", "putin"),
            ("prigojine", "prigozhin"),
            ("yassine", "yassin"),
            ("nourredine", "nureddin"),
            ("gorbatschow", "gorbachev"),
            ("gorbatchev", "gorbachev"),
            ("timtchenko", "timchenko"),
            ("evgueni", "evgeni"),
            ("guennadi", "gennadi"),
            ("pugatschowa", "pugacheva"),
        ] {
            assert_eq!(spelling_key(a), spelling_key(b), "{a} / {b}");
        }
        for (a, b) in [
            ("baba", "babu"),
            ("hasan", "husn"),
            ("yusuf", "jusuf"),
            ("ali", "ala"),
            ("chen", "shen"),
            ("haj", "hai"),
            ("hejazi", "heiazi"),
            ("qurashi", "kvrashi"),
            ("cecil", "kekil"),
            // `ou` before a consonant, or after one, stays the vowel.
            ("raouf", "ravf"),
            ("mouawad", "mvawad"),
            // Only a surname's `h` is read as Ukrainian `г`.
            ("hasan", "gasan"),
            ("mikhailov", "migailov"),
            // Only a Slavic surname's leading `j` is read as `y`.
            ("jamal", "yamal"),
            ("juan", "yuan"),
            // French `tch` only in an East Slavic surname; `-ine` only in a longer word.
            ("fitch", "fich"),
            ("amine", "amin"),
        ] {
            assert_ne!(spelling_key(a), spelling_key(b), "{a} / {b}");
        }
        assert_eq!(spelling_key("a"), "");
        assert_eq!(spelling_key("7b"), "");
    }
}
