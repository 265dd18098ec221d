#!/usr/bin/env python3
"""Builds the name-variant tables of `interdict-matching` from Latin <-> Cyrillic/Arabic token pairs.

Input: the Wikidata token-pair files (`latin<TAB>spaced target<TAB>count`, CC0), by default
`../shared/data/translit/wikidata-en-{ru,ar}-tokens.tsv` relative to the repository root.

Output (gzip, deterministic: sorted, mtime 0):

* `variants.tsv.gz` — one variant group a line: `canonical<TAB>variant<TAB>variant...`.
  Latin spellings that the data shows written the same way in Cyrillic or Arabic (e.g.
  `yevgeny`, `evgeniy`, `yevgeniy` all written `евгений`) form a group; the canonical member is
  the most frequent spelling overall.
* `script_words.tsv.gz` — `word<TAB>latin`: the Latin spelling most often used for a Cyrillic or
  Arabic word (`евгений` -> `yevgeny`, `محمد` -> `mohammed`), used as the romanisation of words
  that are known, before the rule tables are tried.
* `name_words.txt.gz` — every Latin spelling of 4 to 12 letters in the data, one a line: words
  somebody is known to be called, so that a query word the lists lack is read as a typo of a
  listed word only when it is none of them.

Over-merging guards (a wrong merge makes two different people look alike, i.e. false alerts):

* an edge (Latin token, target word) counts only with `count >= MIN_EDGE` and when that target
  takes at least `MIN_SHARE` of the Latin token's occurrences in that language (drops alignment
  noise such as `fiseisky -> александр`);
* a merge needs the two spellings to be close after a light phonetic fold (vowels to `a`,
  `w`->`v`, `q`/`c`->`k`, `j`->`y`, runs collapsed): edit distance at most 30 % of the
  longer fold (at least 1), and the same first-letter class — so `maria`/`mario` or
  `ivan`/`ivana` can merge only if the data joins them through one target, which it does not;
* groups merge greedily, strongest evidence first, and only when every member stays close to
  the merged group's canonical, so chains cannot drift from one name to another;
* tokens shorter than 3 letters are left out (particles are handled by their own table).

Run from the repository root:  python3 crates/matching/data/gen_variants.py
"""

import argparse
import collections
import gzip
import io
import os
import unicodedata

NAME_WORD_MIN = 4  # shorter words are matched exactly or by their tables, never as typos
NAME_WORD_MAX = 12  # longer words are rarely names (and nearly never in the data)
MIN_EDGE = 3  # pairs seen fewer times are too often alignment noise
MIN_SHARE = 0.25  # the target must be a usual way of writing the Latin token
MIN_DICT_COUNT = 3  # script word -> Latin entries need this many sightings...
MIN_DICT_SHARE = 0.4  # ...and the Latin spelling must be this dominant for the word

SPECIAL = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
    "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "n", "ĸ": "k", "ſ": "s", "ƒ": "f", "ǝ": "e", "ə": "e",
}
APOSTROPHES = set("'’‘ʼʻ`´ʿʾ")


def norm_latin(s):
    """Lower-case ASCII letters, as the Rust normaliser makes them; None if anything else."""
    out = []
    for ch in unicodedata.normalize("NFKD", s.lower()):
        if unicodedata.combining(ch) or ch in APOSTROPHES:
            continue
        ch = SPECIAL.get(ch, ch)
        out.append(ch)
    t = "".join(out)
    if not t or not t.isascii() or not t.isalpha():
        return None
    return t


ARABIC_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك", "ہ": "ه", "ھ": "ه"}


def norm_target(spaced, lang):
    """The script word as the Rust side keys it: lower-case Cyrillic; Arabic without
    vowel marks and tatweel, alef/ya/kaf forms unified, the article `ال` cut off."""
    w = spaced.replace(" ", "")
    if lang == "ru":
        w = w.lower().replace("ё", "е")
        if not all("\u0400" <= c <= "\u04ff" for c in w):
            return None
        return w
    out = []
    for c in w:
        if "\u064b" <= c <= "\u0652" or c in "\u0670\u0640\u200c\u200d\u200e\u200f":
            continue
        out.append(ARABIC_FOLD.get(c, c))
    w = "".join(out)
    if not all("\u0600" <= c <= "\u06ff" for c in w):
        return None
    if w.startswith("ال") and len(w) > 3:
        w = w[2:]
    return w


def fold(s):
    s = s.replace("x", "ks").replace("ph", "f").replace("ch", "C").replace("sh", "S")
    out = []
    for c in s:
        c = {"w": "v", "q": "k", "c": "k", "j": "y", "z": "s"}.get(c, c)
        if c in "aeiouy" and not (c == "y" and not out):
            c = "a"
        if out and out[-1] == c:
            continue
        out.append(c)
    return "".join(out)


def lev(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def first_class(s):
    c = s[0]
    if c in "aeiouyj":
        return "V"
    if c in "kqcg":
        return "K"
    if c in "vwf":
        return "V2"
    return c


def similar(a, b):
    if first_class(a) != first_class(b):
        return False
    fa, fb = fold(a), fold(b)
    return lev(fa, fb) <= max(1, int(0.3 * max(len(fa), len(fb))))


def load_letters(path):
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip("\n"):
                continue
            cols = line.rstrip("\n").split("\t")
            table[cols[0]] = cols[1] if len(cols) > 1 else ""
    return table


def crude_translit(word, letters):
    """Letter-by-letter romanisation (no context rules): enough to tell a romanisation from a
    translation."""
    return "".join(letters.get(c, "") for c in word)


def consonants(s):
    for a, b in (("dzh", "j"), ("zh", "j"), ("kh", "h"), ("sh", "s"), ("ch", "c"), ("ts", "c"),
                 ("ph", "f"), ("th", "t"), ("x", "ks"), ("w", "v"), ("q", "k"), ("y", "i")):
        s = s.replace(a, b)
    out = []
    for i, c in enumerate(s):
        if i > 0 and c in "aeiou":
            continue
        if out and out[-1] == c:
            continue
        out.append(c)
    return "".join(out)


def romanisation_like(latin, crude):
    """True when `latin` plausibly romanises the word whose letter-by-letter romanisation is
    `crude` (drops translations such as `of` for `من`)."""
    if not crude or not latin:
        return False
    a, b = consonants(latin), consonants(crude)
    vowel = "aeiouy"
    if (a[0] in vowel) != (b[0] in vowel) and not (a[0] in "jh" or b[0] in "jh"):
        return False
    return lev(a, b) <= max(1, int(0.4 * max(len(a), len(b))))


def strip_article(latin):
    for p in ("al", "el"):
        if latin.startswith(p) and len(latin) > len(p) + 2:
            return latin[len(p):]
    return latin


def main():
    root = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.abspath(os.path.join(root, "..", "..", ".."))
    default_dir = os.path.join(repo, "..", "shared", "data", "translit")
    ap = argparse.ArgumentParser()
    ap.add_argument("--input-dir", default=default_dir)
    ap.add_argument("--out-dir", default=root)
    args = ap.parse_args()

    edges = collections.Counter()  # (lang, latin, target) -> count
    for lang in ("ru", "ar"):
        path = os.path.join(args.input_dir, f"wikidata-en-{lang}-tokens.tsv")
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3:
                    continue
                latin, target, count = parts
                l = norm_latin(latin)
                t = norm_target(target, lang)
                if not l or not t:
                    continue
                if lang == "ar" and "".join(target.split()).startswith("ال"):
                    l = strip_article(l)
                edges[(lang, l, t)] += int(count)

    latin_total = collections.Counter()  # (lang, latin) -> count
    freq = collections.Counter()  # latin -> count over both languages
    target_total = collections.Counter()
    for (lang, l, t), n in edges.items():
        latin_total[(lang, l)] += n
        freq[l] += n
        target_total[(lang, t)] += n

    by_target = collections.defaultdict(list)
    for (lang, l, t), n in edges.items():
        if n >= MIN_EDGE and n / latin_total[(lang, l)] >= MIN_SHARE:
            by_target[(lang, t)].append((n, l))

    # The usual target of each Latin spelling, per language, for the contradiction check.
    # Weaker evidence suffices here (2 sightings): it can only block a merge, never make one.
    usual = {}
    for (lang, l, t), n in edges.items():
        if n >= 2 and n / latin_total[(lang, l)] >= MIN_SHARE:
            if (lang, l) not in usual or usual[(lang, l)][0] < n:
                usual[(lang, l)] = (n, t)

    never = set()
    with open(os.path.join(root, "variants_never.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                a, b = line.split()[:2]
                never.add((a, b))
                never.add((b, a))

    def contradicted(a, b):
        """True when a pair is listed in variants_never.tsv, or when some language writes `a` and `b` as two different words: then they are
        two names that merely look alike in a script without short vowels (`dan`/`dean`,
        `ivan`/`evan` are one word in Arabic but two in Russian)."""
        if (a, b) in never:
            return True
        for lang in ("ru", "ar"):
            ua, ub = usual.get((lang, a)), usual.get((lang, b))
            if ua and ub and ua[1] != ub[1]:
                # ...unless either is also written the other's usual way (nicolás is николас
                # as well as French nicolas' николя).
                if edges[(lang, a, ub[1])] < MIN_EDGE and edges[(lang, b, ua[1])] < MIN_EDGE:
                    return True
        return False

    # Merge proposals: each Latin spelling of a target joins the target's dominant spelling.
    proposals = []
    rejected = 0
    for (lang, t), members in by_target.items():
        members.sort(key=lambda x: (-x[0], x[1]))
        n0, dom = members[0]
        for n, l in members[1:]:
            # Arabic writes no short vowels, so short Western names collide there (`dan`/`dunn`,
            # `ivan`/`evan`, `lynn`/`lane`): Arabic evidence alone merges only longer spellings.
            min_len = 5 if lang == "ar" else 3
            if len(l) >= min_len and len(dom) >= min_len and similar(l, dom):
                if contradicted(l, dom):
                    rejected += 1
                    continue
                proposals.append((n, l, dom))
    print(f"{len(proposals)} merge proposals, {rejected} contradicted by the other script")
    proposals.sort(key=lambda x: (-x[0], x[1], x[2]))

    group = {}  # latin -> group id
    members_of = {}
    canon = {}

    def gid(l):
        if l not in group:
            group[l] = l
            members_of[l] = {l}
            canon[l] = l
        return group[l]

    for _, a, b in proposals:
        ga, gb = gid(a), gid(b)
        if ga == gb:
            continue
        merged = members_of[ga] | members_of[gb]
        c = max(merged, key=lambda m: (freq[m], m))
        if not all(similar(m, c) for m in merged):
            continue
        if any(contradicted(x, y) for x in members_of[ga] for y in members_of[gb]):
            continue
        for m in members_of[gb]:
            group[m] = ga
        members_of[ga] = merged
        canon[ga] = c
        del members_of[gb]

    lines = []
    for g, ms in members_of.items():
        if len(ms) < 2:
            continue
        c = canon[g]
        lines.append("\t".join([c] + sorted(ms - {c})))
    lines.sort()
    canonical_of = {}
    for line in lines:
        ms = line.split("\t")
        for m in ms:
            canonical_of[m] = ms[0]

    # Script word -> dominant Latin spelling, when it is a romanisation, not a translation.
    letters = {
        "ru": load_letters(os.path.join(root, "translit_cyrl.tsv")),
        "ar": load_letters(os.path.join(root, "translit_arab.tsv")),
    }
    words = {}
    not_romanisations = 0
    # Hand-made groups (variants_manual.tsv) count as groups here too: they win at run time.
    with open(os.path.join(root, "variants_manual.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                ms = line.rstrip("\n").split("\t")
                for m in ms:
                    if m:
                        canonical_of[m] = ms[0]

    # Spellings of one variant group count together (евгений: yevgeny 23, yevgeni 19,
    # evgenij 10... is one name written many ways, not an ambiguous word).
    for (lang, t), members in by_target.items():
        by_group = collections.Counter()
        for n, l in members:
            by_group[canonical_of.get(l, l)] += n
        g, n = max(by_group.items(), key=lambda x: (x[1], x[0]))
        l = max((m for m in members if canonical_of.get(m[1], m[1]) == g), key=lambda x: (x[0], x[1]))[1]
        if n >= MIN_DICT_COUNT and n / target_total[(lang, t)] >= MIN_DICT_SHARE:
            if romanisation_like(l, crude_translit(t, letters[lang])):
                words[t] = l
            else:
                not_romanisations += 1
    print(f"{len(words)} script words, {not_romanisations} dropped as translations")

    word_lines = sorted(f"{t}\t{l}" for t, l in words.items())

    # Every Latin spelling the data shows as (part of) somebody's name, for telling a word
    # nobody is known to be called (most likely a typo) from a real name the lists lack.
    name_words = sorted(
        {
            l
            for (_, l, _) in edges
            if NAME_WORD_MIN <= len(l) <= NAME_WORD_MAX and l.isascii() and l.isalpha()
        }
    )

    def write(name, rows, header):
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as z:
            z.write(("\n".join([header] + rows) + "\n").encode("utf-8"))
        with open(os.path.join(args.out_dir, name), "wb") as f:
            f.write(buf.getvalue())
        print(f"{name}: {len(rows)} rows, {len(buf.getvalue())} bytes")

    write(
        "variants.tsv.gz",
        lines,
        "# canonical<TAB>variants... generated by gen_variants.py from Wikidata token pairs (CC0)",
    )
    write(
        "script_words.tsv.gz",
        word_lines,
        "# word<TAB>latin generated by gen_variants.py from Wikidata token pairs (CC0)",
    )
    write(
        "name_words.txt.gz",
        name_words,
        "# Latin name spellings seen in Wikidata token pairs (CC0), generated by gen_variants.py",
    )


if __name__ == "__main__":
    main()
