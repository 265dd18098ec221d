//! OSA distance and Jaro-Winkler similarity of tokens, bit-parallel over strings of at most 64
//! bytes (every token of a name), with rapidfuzz for longer ones.
//!
//! Why not rapidfuzz for every pair: its generic entry points build a 256-entry table of
//! positions per call (2 KB zeroed) and go through character hashing and iterator adaptors
//! meant for any character type. Token similarity compares a few hundred thousand pairs in a
//! batch of 20,000 names of the throughput deck of `bench/throughput.sh` — a query word against
//! each term its deletion neighbourhood, phonetic key or skeleton finds — and rapidfuzz's
//! Jaro-Winkler took 750 instructions a pair and 6.5% of the batch's instructions (callgrind,
//! one thread). The functions here compute the same numbers — the same algorithms (Hyyrö's
//! bit-parallel OSA, rapidfuzz's bit-parallel Jaro with its window trimming, and its floating
//! point operations in the same order), tested bit for bit against rapidfuzz — with a table
//! of positions per thread that each call sets and clears for its own bytes only.

use std::cell::{RefCell, RefMut};

thread_local! {
    /// Per byte value, bit `i` set when position `i` of the pattern being compared holds that
    /// byte ([`with_positions`]). All zero between calls: a pattern sets and clears only its
    /// own bytes' entries, instead of zeroing 2 KB per pair as rapidfuzz does.
    static POSITIONS: RefCell<[u64; 256]> = const { RefCell::new([0; 256]) };
}

/// Calls `f` with the positions of each byte in `pattern` (at most 64 bytes).
fn with_positions<R>(pattern: &[u8], f: impl FnOnce(&[u64; 256]) -> R) -> R {
    /// Clears the pattern's entries when dropped, so the table is clean even after a panic.
    struct Table<'a> {
        table: RefMut<'a, [u64; 256]>,
        pattern: &'a [u8],
    }
    impl Drop for Table<'_> {
        fn drop(&mut self) {
            for &c in self.pattern {
                self.table[usize::from(c)] = 0;
            }
        }
    }
    POSITIONS.with(|cell| {
        let mut t = Table {
            table: cell.borrow_mut(),
            pattern,
        };
        for (i, &c) in pattern.iter().enumerate() {
            t.table[usize::from(c)] |= 1 << i;
        }
        f(&t.table)
    })
}

/// `n` low bits set (`n` ≤ 64).
#[inline]
fn low_bits(n: usize) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}

/// The two strings without their common prefix and suffix, which never change an edit
/// distance.
pub(crate) fn trim_common<'a>(a: &'a [u8], b: &'a [u8]) -> (&'a [u8], &'a [u8]) {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (&a[..a.len() - suffix], &b[..b.len() - suffix])
}

/// Optimal string alignment distance of two byte strings (Levenshtein plus adjacent
/// transpositions, no substring edited twice): exactly `rapidfuzz::distance::osa::distance`.
pub(crate) fn osa(a: &[u8], b: &[u8]) -> usize {
    let (a, b) = trim_common(a, b);
    osa_trimmed(a, b)
}

/// [`osa`] of two strings without a common prefix or suffix (as [`trim_common`] leaves them),
/// for a caller that has trimmed them already.
pub(crate) fn osa_trimmed(a: &[u8], b: &[u8]) -> usize {
    // The pattern is the shorter string (the distance is symmetric).
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if a.is_empty() {
        return b.len();
    }
    if a.len() > 64 {
        return rapidfuzz::distance::osa::distance(a.iter().copied(), b.iter().copied());
    }
    hyyro_osa(a, b)
}

/// Hyyrö's bit-parallel OSA distance (2003) of a pattern of 1 to 64 bytes against `b`: one
/// column of the dynamic programme per byte of `b`, as bit vectors of vertical differences.
fn hyyro_osa(a: &[u8], b: &[u8]) -> usize {
    with_positions(a, |pm| hyyro_osa_with(pm, a.len(), b))
}

fn hyyro_osa_with(pm: &[u64; 256], len_a: usize, b: &[u8]) -> usize {
    let mut vp = u64::MAX;
    let mut vn = 0u64;
    let mut d0 = 0u64;
    let mut pm_old = 0u64;
    let mut dist = len_a;
    let last = 1u64 << (len_a - 1);
    for &c in b {
        let pm = pm[usize::from(c)];
        let tr = ((!d0 & pm) << 1) & pm_old;
        d0 = ((pm & vp).wrapping_add(vp) ^ vp) | pm | vn | tr;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        dist += usize::from(hp & last != 0);
        dist -= usize::from(hn & last != 0);
        let hp = (hp << 1) | 1;
        let hn = hn << 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
        pm_old = pm;
    }
    dist
}

/// Jaro-Winkler similarity (prefix weight 0.1) of two byte strings: exactly
/// `rapidfuzz::distance::jaro_winkler::normalized_similarity`, bit for bit.
pub(crate) fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    if a.len() > 64 || b.len() > 64 {
        return rapidfuzz::distance::jaro_winkler::normalized_similarity(
            a.iter().copied(),
            b.iter().copied(),
        );
    }
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    let mut sim = jaro(a, b);
    if sim > 0.7 {
        sim += prefix as f64 * 0.1 * (1.0 - sim);
    }
    // rapidfuzz's normalised similarity is one minus the normalised distance, itself one minus
    // the similarity: kept, since it can differ from `sim` in the last bit.
    1.0 - (1.0 - sim)
}

/// How many letters `a` and `b` share as multisets, letters told apart by their low five bits
/// (case and the byte's high bits aside, so that it never counts fewer than the true share):
/// what the letter-count bounds of edit distance and Jaro-Winkler are made of.
#[inline]
pub(crate) fn shared_letters<'a>(a: impl IntoIterator<Item = &'a u8>, b: &[u8]) -> usize {
    let mut count = [0u32; 32];
    for &x in a {
        count[usize::from(x & 31)] += 1;
    }
    let mut common = 0usize;
    for &x in b {
        let c = &mut count[usize::from(x & 31)];
        if *c > 0 {
            *c -= 1;
            common += 1;
        }
    }
    common
}

/// An upper bound of [`jaro_winkler`] from the letters the strings have in common, for a caller
/// that only needs to know whether the similarity reaches a value. Jaro is
/// `(m / |a| + m / |b| + (m - t) / m) / 3` with `m` matched bytes, at most the bytes the two
/// strings share as multisets (counted by the low five bits of each byte, which only raises
/// the count), and the Winkler boost grows with it.
///
/// Token similarity asks whether two tokens with one phonetic key or skeleton are alike enough
/// (Jaro-Winkler at least 0.8). On 10,000 names of the throughput deck of
/// `bench/throughput.sh` the bound answered 79,582 of 121,528 such questions (callgrind),
/// at about 160 instructions against 370 for the similarity.
pub(crate) fn jaro_winkler_bound(a: &[u8], b: &[u8]) -> f64 {
    if a.len() > 64 || b.len() > 64 || a.is_empty() || b.is_empty() {
        return 1.0;
    }
    let common = shared_letters(a, b);
    if common == 0 {
        return 0.0;
    }
    let m = common as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + 1.0) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    if jaro > 0.7 {
        jaro + prefix as f64 * 0.1 * (1.0 - jaro)
    } else {
        jaro
    }
}

/// Jaro similarity of two strings of at most 64 bytes, as rapidfuzz computes it: the parts of
/// the longer string that no window can reach are cut, the common prefix counts as matched
/// without transpositions, and the rest is matched greedily, each byte of `b` taking the first
/// free equal byte of `a` within the window.
fn jaro(a: &[u8], b: &[u8]) -> f64 {
    let (len_a, len_b) = (a.len(), b.len());
    if len_a == 0 && len_b == 0 {
        return 1.0;
    }
    if len_a == 0 || len_b == 0 {
        return 0.0;
    }
    if len_a == 1 && len_b == 1 {
        return if a[0] == b[0] { 1.0 } else { 0.0 };
    }
    let (mut a, mut b) = (a, b);
    let bound = if len_b > len_a {
        let bound = len_b / 2 - 1;
        b = &b[..len_b.min(len_a + bound)];
        bound
    } else {
        let bound = len_a / 2 - 1;
        a = &a[..len_a.min(len_b + bound)];
        bound
    };
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let mut common = prefix;
    let mut transpositions = 0usize;
    if !a.is_empty() && !b.is_empty() {
        // Flag the matched bytes: bit i of `a_flag` for a[i], bit j of `b_flag` for b[j].
        let (mut a_flag, mut b_flag) = with_positions(a, |pm| {
            let (mut a_flag, mut b_flag) = (0u64, 0u64);
            let mut window = low_bits(bound + 1);
            for (j, &c) in b.iter().enumerate() {
                let free = pm[usize::from(c)] & window & !a_flag;
                a_flag |= free & free.wrapping_neg();
                b_flag |= u64::from(free != 0) << j;
                window = if j < bound {
                    (window << 1) | 1
                } else {
                    window << 1
                };
            }
            (a_flag, b_flag)
        });
        common += a_flag.count_ones() as usize;
        if common == 0 {
            return 0.0;
        }
        // Matched bytes of `b` in order against matched bytes of `a` in order.
        while b_flag != 0 {
            let j = b_flag.trailing_zeros() as usize;
            let i = a_flag.trailing_zeros() as usize;
            transpositions += usize::from(a[i] != b[j]);
            b_flag &= b_flag - 1;
            a_flag &= a_flag - 1;
        }
    }
    let half = transpositions / 2;
    let mut sim = 0.0;
    sim += common as f64 / len_a as f64;
    sim += common as f64 / len_b as f64;
    sim += (common as f64 - half as f64) / common as f64;
    sim / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rf_osa(a: &[u8], b: &[u8]) -> usize {
        rapidfuzz::distance::osa::distance(a.iter().copied(), b.iter().copied())
    }

    fn rf_jw(a: &[u8], b: &[u8]) -> f64 {
        rapidfuzz::distance::jaro_winkler::normalized_similarity(
            a.iter().copied(),
            b.iter().copied(),
        )
    }

    fn same(a: &[u8], b: &[u8]) {
        assert_eq!(osa(a, b), rf_osa(a, b), "osa {a:?} {b:?}");
        let (got, want) = (jaro_winkler(a, b), rf_jw(a, b));
        assert_eq!(
            got.to_bits(),
            want.to_bits(),
            "jw {a:?} {b:?}: {got} {want}"
        );
    }

    proptest::proptest! {
        /// The bound is never below the similarity.
        #[test]
        fn the_jaro_winkler_bound_bounds_it(a in "[a-f]{0,12}", b in "[a-f]{0,12}") {
            let (a, b) = (a.as_bytes(), b.as_bytes());
            proptest::prop_assert!(jaro_winkler(a, b) <= jaro_winkler_bound(a, b) + 1e-12);
        }
    }

    /// Every pair of strings of up to five letters over `abc`.
    #[test]
    fn every_short_pair_is_rapidfuzz_bit_for_bit() {
        let mut all = vec![Vec::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|s: &Vec<u8>| {
                    b"abc".iter().map(move |&c| {
                        let mut t = s.clone();
                        t.push(c);
                        t
                    })
                })
                .collect();
            all.extend(last.iter().cloned());
        }
        for a in &all {
            for b in &all {
                same(a, b);
            }
        }
    }

    #[test]
    fn names_and_long_strings() {
        let words: [&[u8]; 12] = [
            b"maduro",
            b"madura",
            b"mdauro",
            b"zawahiri",
            b"zawahari",
            b"alexander",
            b"aleksander",
            b"mohammed",
            b"muhammad",
            b"\xc3\xa9lodie",
            b"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl",
            b"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm",
        ];
        for a in words {
            for b in words {
                same(a, b);
            }
        }
        let long = [b'x'; 70];
        same(&long, &long[..69]);
        same(&long[..64], &long[..3]);
    }

    proptest::proptest! {
        #[test]
        fn random_pairs_are_rapidfuzz_bit_for_bit(
            a in proptest::collection::vec(proptest::sample::select(b"abcde1\xc3".to_vec()), 0..70),
            b in proptest::collection::vec(proptest::sample::select(b"abcde1\xc3".to_vec()), 0..70),
        ) {
            same(&a, &b);
        }

        #[test]
        fn near_pairs_are_rapidfuzz_bit_for_bit(
            a in "[a-h]{0,20}",
            at in 0usize..20,
            c in "[a-h]",
        ) {
            let mut b = a.clone().into_bytes();
            if !b.is_empty() {
                let i = at % b.len();
                b[i] = c.as_bytes()[0];
                b.swap(i / 2, i);
            }
            same(a.as_bytes(), &b);
        }
    }
}
