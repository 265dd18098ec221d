//! Lookup keys of tokens: stable hashes, deletion neighbourhoods, identifier normalisation.
//! (Phonetic keys and skeletons come from [`crate::analyze::keys`].)
//!
//! Every key the index stores is a 64-bit hash of a *salted* string (the salt says which kind of
//! key it is), so that one hash table serves exact terms, variant canonicals, phonetic keys,
//! skeletons and typo neighbourhoods. The hash is FNV-1a with a 64-bit finaliser: it must be
//! stable across processes and versions because index files store it.

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
/// short token is as likely a different word as a typo); four to seven: one; eight or more: two.
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
pub(crate) fn for_each_deletion(text: &str, max_radius: usize, mut f: impl FnMut(u64)) {
    let b = text.as_bytes();
    let radius = if b.len() > MAX_DELETION_LEN {
        0
    } else {
        max_edits(b.len()).min(max_radius)
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
    rapidfuzz::distance::osa::distance(a.bytes(), b.bytes())
}

/// Jaro-Winkler similarity (prefix weight 0.1) of two tokens.
pub(crate) fn jaro_winkler(a: &str, b: &str) -> f64 {
    rapidfuzz::distance::jaro_winkler::normalized_similarity(a.bytes(), b.bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

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
