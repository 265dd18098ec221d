//! Lookup keys of tokens: stable hashes, deletion neighbourhoods, identifier normalisation.
//! (Phonetic keys and skeletons come from [`crate::analyze::keys`].)
//!
//! Every key the index stores is a 64-bit hash of a *salted* string (the salt says which kind of
//! key it is), so that one hash table serves exact terms, variant canonicals, phonetic keys,
//! skeletons and typo neighbourhoods. The hash is FNV-1a with a 64-bit finaliser: it must be
//! stable across processes and versions because index files store it.

use super::distance;

/// Kinds of keys, used as the first byte hashed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Salt {
    /// The exact token text.
    Text = 1,
    /// The canonical form of a variant family (`muhammad`).
    Canonical = 2,
    /// The phonetic key.
    Phonetic = 3,
    /// The consonant skeleton.
    Skeleton = 4,
    /// A deletion variant (the token with up to `max_edits` letters removed).
    Deletion = 5,
    /// A normalised identifier value.
    Identifier = 6,
    /// The spelling key (romanisation conventions folded).
    Spelling = 7,
    /// A short word or a short word less one letter ([`for_each_short_key`]).
    Short = 8,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Incremental FNV-1a, so deletion variants hash without building strings.
#[derive(Clone, Copy)]
pub(crate) struct Hasher(u64);

impl Hasher {
    pub(crate) fn new(salt: Salt) -> Hasher {
        Hasher((FNV_OFFSET ^ salt as u64).wrapping_mul(FNV_PRIME))
    }

    #[inline]
    pub(crate) fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ b as u64).wrapping_mul(FNV_PRIME);
    }

    /// The finished key: FNV's low bits are weak for open addressing, so a splitmix64 finaliser
    /// spreads them; 0 is reserved for empty table slots.
    #[inline]
    pub(crate) fn finish(self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        z.max(1)
    }
}

/// The key of `text` in the space `salt`.
pub(crate) fn key(salt: Salt, text: &str) -> u64 {
    let mut h = Hasher::new(salt);
    for b in text.bytes() {
        h.byte(b);
    }
    h.finish()
}

/// Edits tolerated between two tokens, by the length of the longer one.
///
/// Three letters or fewer: none (`ali`/`aly` are different names, and a one-letter change of a
/// short token is as likely a different word as a typo; a short word nobody is called is the
/// exception, found through [`for_each_short_key`]); four to seven: one; eight or more: two.
/// The deletion neighbourhoods of the index use the same radius per token, which is what makes
/// retrieval exact: two tokens within the budget of the longer share a deletion key (the edits
/// beyond the length difference need deletions from the shorter one, whose radius covers them).
pub(crate) fn max_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Lengths of a query word nobody is called (not in the lists, no variant table's, no known
/// name) that pairs as a typo with listed words two edits away, beyond the one edit
/// [`max_edits`] allows such a word: typed names get two letters wrong as often as one
/// (`SQLAAS` for `SALAS`, `MVULAAI` for `MULAVI`), and a word nobody is called is more likely
/// a typo than a name. Shorter words have too few letters left for two edits to say anything;
/// longer ones have two edits already. Such a pair counts as a near spelling (its similarity
/// squared, [`super::score::NameAlgorithm::similarity_exponent`]), not as a typo of one edit:
/// credited at its similarity it raised two false alerts on the eval decks' real names
/// (`HUSSEIN ACHKAR` / `NACHAR, Hussein`); squared it gained 1.7 points on typos with none.
pub(crate) const WIDE_TYPO_LEN: std::ops::RangeInclusive<usize> = 5..=7;

/// Tokens longer than this get no deletion neighbourhood (their count grows quadratically and
/// such tokens are concatenations or garbage, matched exactly or not at all).
const MAX_DELETION_LEN: usize = 32;

/// Calls `f` with the key of every string made by deleting at most `max_edits(len)` (and at
/// most `max_radius`) bytes of
/// `text` (the text itself included). Keys may repeat (`aab` minus either `a`); callers dedupe.
///
/// This is the symmetric-deletion scheme (SymSpell): two strings within Levenshtein distance
/// `k` share a string reachable by at most `k` deletions from each, so an exact hash lookup of
/// the query's deletion variants finds every vocabulary term within distance `k` (adjacent
/// transpositions included) with 1 + L (+ L²/2) lookups instead of a scan of the vocabulary.
pub(crate) fn for_each_deletion(text: &str, max_radius: usize, f: impl FnMut(u64)) {
    for_each_deletion_within(text, max_edits(text.len()).min(max_radius), f)
}

/// [`for_each_deletion`] with `radius` deletions (at most two) whatever the length: the wider
/// neighbourhood a query word nobody is called looks up for typos of two edits
/// ([`WIDE_TYPO_LEN`]). Against terms filed with one deletion it finds the terms that lack
/// two of the word's letters, or lack one and have one other (`sqlaas`/`salas`), but not two
/// other letters: the index stays as it is.
pub(crate) fn for_each_deletion_within(text: &str, radius: usize, mut f: impl FnMut(u64)) {
    let b = text.as_bytes();
    let radius = if b.len() > MAX_DELETION_LEN {
        0
    } else {
        radius.min(2)
    };
    // FNV is a left fold, so the state after a prefix is reused: each deletion variant costs
    // the bytes after its first deletion, not the whole token (on a batch of 100k names this
    // function was 14% of the CPU time hashing every variant from the start).
    let feed = |mut h: Hasher, bytes: &[u8]| {
        for &c in bytes {
            h.byte(c);
        }
        h
    };
    let mut prefix = Hasher::new(Salt::Deletion);
    f(feed(prefix, b).finish());
    if radius == 0 {
        return;
    }
    for i in 0..b.len() {
        // Deleting either letter of a doubled pair gives the same string: skip the repeat.
        if !(i > 0 && b[i] == b[i - 1]) {
            f(feed(prefix, &b[i + 1..]).finish());
            if radius >= 2 {
                // `middle`: the prefix, then the letters between the two deletions.
                let mut middle = prefix;
                for j in i + 1..b.len() {
                    if !(j > i + 1 && b[j] == b[j - 1]) {
                        f(feed(middle, &b[j + 1..]).finish());
                    }
                    middle.byte(b[j]);
                }
            }
        }
        prefix.byte(b[i]);
    }
}

/// Lengths of the words filed and looked up by [`for_each_short_key`].
pub(crate) const SHORT_LEN: std::ops::RangeInclusive<usize> = 2..=3;

/// Calls `f` with the short-word keys of `text` when it has [`SHORT_LEN`] letters: the word
/// itself and each string it makes less one letter. Words this short get no deletion
/// neighbourhood ([`max_edits`]: one letter apart they are as often other names), but a typo
/// of one by a word nobody is called ([`super::search::short_typo_similarity`]) is found
/// through these: two words of one length one substitution or swap apart share a string one
/// letter shorter, and a word one letter shorter is the longer one less a letter. Filed under
/// their own salt, so that ordinary lookups of short words find no more than before.
pub(crate) fn for_each_short_key(text: &str, mut f: impl FnMut(u64)) {
    let b = text.as_bytes();
    if !SHORT_LEN.contains(&b.len()) {
        return;
    }
    f(key(Salt::Short, text));
    for i in 0..b.len() {
        if i > 0 && b[i] == b[i - 1] {
            continue;
        }
        let mut h = Hasher::new(Salt::Short);
        for (k, &c) in b.iter().enumerate() {
            if k != i {
                h.byte(c);
            }
        }
        f(h.finish());
    }
}

/// Whether `query`'s keys of [`for_each_deletion_within`] two and `listed`'s of one deletion
/// meet (hash collisions aside): some string is `listed`, or `listed` less one letter, and
/// also `query` less at most two. What a search finds through those keys, told from the two
/// texts, so that reverse retrieval accepts the same pairs.
pub(crate) fn wide_keys_meet(query: &str, listed: &str) -> bool {
    let (q, l) = (query.as_bytes(), listed.as_bytes());
    if q.len() > MAX_DELETION_LEN || l.len() > MAX_DELETION_LEN {
        return q == l;
    }
    // `s` (`l` less the letter at `skip`, if any) is `q` less at most two letters: a
    // subsequence of `q` at most two shorter.
    let reaches = |skip: Option<usize>| {
        let len = l.len() - usize::from(skip.is_some());
        len <= q.len() && q.len() - len <= 2 && {
            let mut rest = q.iter();
            l.iter()
                .enumerate()
                .filter(|&(i, _)| Some(i) != skip)
                .all(|(_, c)| rest.any(|x| x == c))
        }
    };
    reaches(None) || (0..l.len()).any(|i| reaches(Some(i)))
}

/// Normalises an identifier value for exact comparison: ASCII letters and digits only, upper
/// case (`A-123 456` = `a123456`); an `IMO` prefix is dropped so `IMO 9187629` = `9187629`.
/// Values shorter than five characters are too unspecific to be evidence and give `None`.
pub(crate) fn normalize_identifier(value: &str) -> Option<String> {
    let mut s: String = value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if s.len() > 3 && s.starts_with("IMO") && s[3..].bytes().all(|b| b.is_ascii_digit()) {
        s.drain(..3);
    }
    (s.len() >= 5).then_some(s)
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions) of two tokens.
pub(crate) fn osa(a: &str, b: &str) -> usize {
    distance::osa(a.as_bytes(), b.as_bytes())
}

/// [`osa_within_bytes`] of two tokens (the tests' entry point).
#[cfg(test)]
pub(crate) fn osa_within(a: &str, b: &str, k: usize) -> Option<usize> {
    osa_within_bytes(a.as_bytes(), b.as_bytes(), k)
}

/// [`osa`] of two tokens (as bytes) when it is at most `k`, else `None`.
///
/// Token similarity needs the distance only within an edit budget of at most two. The common
/// prefix and suffix are set aside (they never change the distance), and a bound from the
/// letter counts rejects most pairs before any distance is computed: three calls in four on
/// the throughput deck of `bench/throughput.sh`.
pub(crate) fn osa_within_bytes(a: &[u8], b: &[u8], k: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > k {
        return None;
    }
    let (a, b) = distance::trim_common(a, b);
    if letter_count_bound(a, b) > k {
        return None;
    }
    let d = distance::osa_trimmed(a, b);
    (d <= k).then_some(d)
}

/// A lower bound of the OSA distance of two byte strings from their letter counts: an edit
/// (insertion, deletion, substitution, transposition) lowers by at most one the number of
/// letters that one string has in excess of the other, counting each letter separately, on
/// either side. Counted by the low five bits of each byte (`a`..`z` apart; other bytes
/// share buckets, which only lowers the bound). Three in four calls of [`osa_within`] on
/// the throughput deck end here.
///
/// Computed from the letters the two share as multisets, `common`: the excess of `a` is
/// `|a| - common` and that of `b` is `|b| - common`, so the bound is `max(|a|, |b|) - common`,
/// counted in one pass over each string. Summing the excesses over all 32 buckets instead,
/// token similarity took 136.4M instructions on 10,000 names of the throughput deck, 122.1M
/// this way (callgrind).
fn letter_count_bound(a: &[u8], b: &[u8]) -> usize {
    a.len().max(b.len()) - distance::shared_letters(a, b)
}

/// Jaro-Winkler similarity (prefix weight 0.1) of two tokens.
pub(crate) fn jaro_winkler(a: &str, b: &str) -> f64 {
    distance::jaro_winkler(a.as_bytes(), b.as_bytes())
}

/// Whether [`jaro_winkler`] of two tokens is at least `min`, without computing it when a bound
/// from their common letters says it is not ([`distance::jaro_winkler_bound`]; the margin
/// covers the rounding of the bound, summed in another order).
pub(crate) fn jaro_winkler_reaches(a: &str, b: &str, min: f64) -> bool {
    distance::jaro_winkler_bound(a.as_bytes(), b.as_bytes()) >= min - 1e-9
        && jaro_winkler(a, b) >= min
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn short(s: &str) -> HashSet<u64> {
        let mut out = HashSet::new();
        for_each_short_key(s, |k| {
            out.insert(k);
        });
        out
    }

    /// Short words one letter changed, swapped, added or dropped apart share a short-word key;
    /// longer and one-letter words have none, and ordinary keys are not short-word keys.
    #[test]
    fn short_words_one_edit_apart_share_a_key() {
        for (a, b) in [("cva", "cia"), ("tma", "tam"), ("vip", "vp"), ("ce", "cec")] {
            assert!(!short(a).is_disjoint(&short(b)), "{a} {b}");
        }
        assert!(short("cva").is_disjoint(&short("xyz")));
        assert!(short("abcd").is_empty() && short("a").is_empty());
        assert!(!short("yl").is_disjoint(&short("yu")));
        assert_eq!(short("aab").len(), 3, "the doubled letter's deletion once");
        assert!(!short("ali").contains(&key(Salt::Text, "ali")));
        assert!(short("ali").is_disjoint(&dels("ali")));
    }

    fn dels(s: &str) -> HashSet<u64> {
        let mut out = HashSet::new();
        for_each_deletion(s, 2, |k| {
            out.insert(k);
        });
        out
    }

    #[test]
    fn deletion_neighbourhoods_meet_within_max_edits() {
        for (a, b) in [
            ("maduro", "madura"),
            ("moros", "morros"),
            ("maduro", "mdauro"),
            ("zawahiri", "zawahari"),
            ("alexander", "aleksander"),
        ] {
            assert!(
                !dels(a).is_disjoint(&dels(b)),
                "{a} and {b} share no deletion key"
            );
        }
        assert!(dels("ali").is_disjoint(&dels("aly")));
        // Two deletions of the query's and one of the listed word's: a letter wrong and one
        // too many meet, two letters wrong do not.
        assert!(wide_keys_meet("sqlaas", "salas"));
        assert!(wide_keys_meet("mvulaai", "mulavi"));
        assert!(!wide_keys_meet("armaadd", "armando"));
    }

    #[test]
    fn deletion_keys_are_the_keys_of_the_deleted_strings() {
        for text in ["maduro", "aab", "zawahiri", "abcdefghij", "a", ""] {
            let mut got = Vec::new();
            for_each_deletion(text, 2, |k| got.push(k));
            let b = text.as_bytes();
            let mut want = vec![key(Salt::Deletion, text)];
            let drop = |skip: &[usize]| {
                let s: Vec<u8> = (0..b.len())
                    .filter(|i| !skip.contains(i))
                    .map(|i| b[i])
                    .collect();
                key(Salt::Deletion, std::str::from_utf8(&s).unwrap())
            };
            let radius = max_edits(b.len());
            for i in 0..b.len() {
                if radius >= 1 && !(i > 0 && b[i] == b[i - 1]) {
                    want.push(drop(&[i]));
                    for j in i + 1..b.len() {
                        if radius >= 2 && !(j > i + 1 && b[j] == b[j - 1]) {
                            want.push(drop(&[i, j]));
                        }
                    }
                }
            }
            assert_eq!(got, want, "{text}");
        }
    }

    /// Short strings over a small alphabet, so that repeats, transpositions and near misses
    /// are common.
    fn near(s: &str, edits: &[(usize, u8)]) -> String {
        let mut b = s.as_bytes().to_vec();
        for &(at, c) in edits {
            match c % 4 {
                0 if !b.is_empty() => {
                    b.remove(at % b.len());
                }
                1 => b.insert(at % (b.len() + 1), b'a' + c % 3),
                2 if b.len() > 1 => {
                    let i = at % (b.len() - 1);
                    b.swap(i, i + 1);
                }
                _ if !b.is_empty() => {
                    let i = at % b.len();
                    b[i] = b'a' + c % 3;
                }
                _ => {}
            }
        }
        String::from_utf8(b).unwrap()
    }

    proptest::proptest! {
        /// The bound from the shared letters is the larger excess of either side, bucket by
        /// bucket.
        #[test]
        fn letter_count_bound_is_the_larger_excess(a in "[a-e\\x40-\\x45]{0,20}", b in "[a-e\\x40-\\x45]{0,20}") {
            let mut count = [0i64; 32];
            for &x in a.as_bytes() {
                count[usize::from(x & 31)] += 1;
            }
            for &x in b.as_bytes() {
                count[usize::from(x & 31)] -= 1;
            }
            let more: i64 = count.iter().map(|c| c.max(&0)).sum();
            let fewer: i64 = count.iter().map(|c| (-c).max(0)).sum();
            proptest::prop_assert_eq!(letter_count_bound(a.as_bytes(), b.as_bytes()), more.max(fewer) as usize);
        }

        #[test]
        fn bounded_osa_is_osa_within_the_bound(
            a in "[abc]{0,12}",
            edits in proptest::collection::vec((0usize..16, 0u8..12), 0..4),
            k in 0usize..4,
        ) {
            let b = near(&a, &edits);
            let d = osa(&a, &b);
            proptest::prop_assert_eq!(osa_within(&a, &b, k), (d <= k).then_some(d), "{} {}", a, b);
            proptest::prop_assert_eq!(osa_within(&b, &a, k), (d <= k).then_some(d), "{} {}", b, a);
        }

        #[test]
        fn wide_keys_meet_when_the_keys_do(
            a in "[abc]{5,7}",
            edits in proptest::collection::vec((0usize..16, 0u8..12), 0..4),
        ) {
            // The query's two deletions against the listed term's one, as search looks them up.
            let b = near(&a, &edits);
            let mut wide = HashSet::new();
            for_each_deletion_within(&a, 2, |k| {
                wide.insert(k);
            });
            let mut filed = HashSet::new();
            for_each_deletion_within(&b, 1, |k| {
                filed.insert(k);
            });
            proptest::prop_assert_eq!(
                wide_keys_meet(&a, &b),
                !wide.is_disjoint(&filed),
                "{} {}", a, b
            );
        }

        #[test]
        fn bounded_osa_of_unrelated_strings(a in "[a-e0-2]{0,10}", b in "[a-e0-2]{0,10}", k in 0usize..6) {
            let d = osa(&a, &b);
            proptest::prop_assert_eq!(osa_within(&a, &b, k), (d <= k).then_some(d));
        }
    }

    #[test]
    fn bounded_osa_of_every_short_string() {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|s| ["a", "b", "c"].map(|c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        for a in &all {
            for b in &all {
                let d = osa(a, b);
                for k in 0..=2 {
                    assert_eq!(osa_within(a, b, k), (d <= k).then_some(d), "{a} {b} {k}");
                }
            }
        }
    }

    #[test]
    fn bounded_osa_of_long_strings() {
        let a = "x".repeat(70);
        let b = format!("{}y", "x".repeat(69));
        assert_eq!(osa_within(&a, &b, 2), Some(1));
        assert_eq!(osa_within(&a, &a[..66], 2), None);
        assert_eq!(osa_within("abcdef", "badcfe", 2), None);
        assert_eq!(osa_within("abcdef", "badcfe", 3), Some(3));
        assert_eq!(osa_within("", "", 0), Some(0));
        assert_eq!(osa_within("ab", "ba", 1), Some(1));
    }

    #[test]
    fn identifiers_normalise() {
        assert_eq!(
            normalize_identifier("IMO 9187629"),
            Some("9187629".to_string())
        );
        assert_eq!(normalize_identifier("a-123 456"), Some("A123456".into()));
        assert_eq!(normalize_identifier("12"), None);
    }
}
