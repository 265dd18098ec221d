#!/usr/bin/env python3
"""Builds the evaluation decks (eval/decks/*.csv) from real sanctions lists and real negatives.

    python3 eval/build_decks.py            # writes eval/decks/, prints counts

Deterministic: every random choice comes from random.Random(f"{SEED}:{category}") and every
iteration is over sorted data. See eval/README.md for how each category is built. Needs
openpyxl (UK/AU spreadsheets) and names-dataset (person negatives): they are installed into
eval/.venv by eval/env.py when missing.
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import env  # noqa: E402

env.ensure(["openpyxl", "names-dataset"])

from lists import (  # noqa: E402
    SHARED, Entity, is_latin, load_au, load_ca, load_ofac, load_uk, load_un, name_key, normalise,
    tokens, trigram_jaccard,
)

SEED = "interdict-eval-1"
DECKS = Path(__file__).resolve().parent / "decks"
CAP = 1000  # queries per positive category (per subcategory where noted)
COLUMNS = ["id", "name", "type", "dob", "country", "identifiers", "expected", "category",
           "subcategory", "base", "source", "note"]

STOPWORDS = {"de", "del", "la", "el", "al", "of", "the", "and", "for", "y", "e", "da", "do", "das",
             "dos", "du", "des", "le", "les", "bin", "ibn", "bint", "van", "von", "der", "den",
             "di", "in", "on", "at", "to", "&"}


def rng_for(category: str) -> random.Random:
    return random.Random(f"{SEED}:{category}")


# --------------------------------------------------------------------------- casing

def recase(text: str, rng: random.Random) -> str:
    """Neutral presentation change applied to every Latin query, positive or negative."""
    if not is_latin(text):
        return text
    style = rng.random()
    if style < 0.4:
        return text
    if style < 0.6:
        return text.upper()
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split(" "))


# --------------------------------------------------------------------------- linking

class Classes:
    """Union-find over entity keys: OFAC and UN records of the same party."""

    def __init__(self, keys):
        self.parent = {k: k for k in keys}

    def find(self, k):
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def members(self):
        out = defaultdict(list)
        for k in sorted(self.parent):
            out[self.find(k)].append(k)
        return out


TOKEN_DF: dict[str, int] = {}  # name token -> number of listed persons whose names hold it


def person_candidates(dobs, toks, by_dob, entities):
    """Listed persons sharing a full date of birth and either two name tokens (≥ 3 letters) or
    one rare token (held by at most 5 listed persons): a shared "Vladimir" alone is not enough."""
    out = set()
    for d in dobs:
        for key in by_dob.get(d, ()):
            shared = entities[key].token_set() & toks
            if len(shared) >= 2 or any(TOKEN_DF.get(t, 0) <= 5 for t in shared):
                out.add(key)
    return out


def link_lists(entities: dict[str, Entity]):
    classes = Classes(entities)
    by_dob = defaultdict(set)
    by_key = defaultdict(set)  # name key -> non-person entity keys
    for key, e in sorted(entities.items()):
        if e.type == "person":
            for d in e.dobs:
                by_dob[d].add(key)
        else:
            for n in e.names:
                if is_latin(n.text) and len(tokens(n.text)) >= 2:
                    by_key[(e.type, name_key(n.text))].add(key)
    TOKEN_DF.clear()
    for e in entities.values():
        if e.type == "person":
            for t in e.token_set():
                TOKEN_DF[t] = TOKEN_DF.get(t, 0) + 1
    links = 0
    for key, e in sorted(entities.items()):
        if not key.startswith("un:"):
            continue
        if e.type == "person":
            cands = {k for k in person_candidates(e.dobs, e.token_set(), by_dob, entities) if k.startswith("ofac")}
        else:
            cands = set()
            for n in e.names:
                cands |= {k for k in by_key.get((e.type, name_key(n.text)), ()) if k.startswith("ofac")}
        if len(cands) == 1:
            classes.union(key, cands.pop())
            links += 1
    return classes, by_dob, by_key, links


def link_foreign(parties, entities, classes, by_dob, by_key):
    """Foreign party -> class root, where the link is reliable (see README)."""
    linked = []
    for p in parties:
        target = None
        if p.un_ref and f"un:{p.un_ref}" in entities:
            target = classes.find(f"un:{p.un_ref}")
        elif p.type == "person":
            toks = set()
            for text, _ in p.names:
                toks |= {t for t in tokens(text) if len(t) >= 3}
            roots = {classes.find(k) for k in person_candidates(p.dobs, toks, by_dob, entities)}
            if len(roots) == 1:
                target = roots.pop()
        else:
            roots = set()
            for text, _ in p.names:
                if is_latin(text) and len(tokens(text)) >= 2:
                    roots |= {classes.find(k) for k in by_key.get((p.type, name_key(text)), ())}
            if len(roots) == 1:
                target = roots.pop()
        if target:
            linked.append((p, target))
    return linked


# --------------------------------------------------------------------------- perturbations

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typo(text: str, rng: random.Random) -> str | None:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return None
    n_edits = 1 if len(letters) < 12 else rng.choice([1, 2])
    chars = list(text)
    for _ in range(n_edits):
        positions = [i for i, c in enumerate(chars) if c.isalpha()]
        i = rng.choice(positions)
        op = rng.choice(["sub", "del", "ins", "swap"])
        up = chars[i].isupper()
        new = rng.choice(LETTERS)
        new = new.upper() if up else new
        if op == "sub":
            if new.lower() == chars[i].lower():
                new = LETTERS[(LETTERS.index(new.lower()) + 1) % 26]
                new = new.upper() if up else new
            chars[i] = new
        elif op == "del":
            del chars[i]
        elif op == "ins":
            chars.insert(i, new)
        else:
            if i + 1 < len(chars) and chars[i + 1].isalpha() and chars[i + 1] != chars[i]:
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
            else:
                chars[i] = new
    out = "".join(chars)
    return out if normalise(out) != normalise(text) else None


LINE = 35  # characters in a line of a SWIFT payment message's name and address fields


def truncate(text: str, etype: str, rng: random.Random) -> tuple[str, str] | None:
    """The name cut off inside its last word, keeping three letters of it or more, as a name
    field of fixed width cuts it (`last_word`), or after 35 characters, as a line of a payment
    message does, when that falls inside a word (`line_35`). Half the persons' names are first
    written given names first (`SURNAME, Given` is the lists' order, not a payer's)."""
    if etype == "person" and "," in text and rng.random() < 0.5:
        surname, given = text.split(",", 1)
        text = f"{given.strip()} {surname.strip()}"
    text = " ".join(text.split())
    if len(text) > LINE + 1 and rng.random() < 0.5:
        start = text.rfind(" ", 0, LINE) + 1
        if start > 0 and LINE - start >= 3 and text[start:LINE].isalpha() and text[LINE].isalpha():
            return text[:LINE], "line_35"
    head, _, last = text.rpartition(" ")
    if not head or len(last) < 4 or not last.isalpha():
        return None
    return f"{head} {last[:rng.randint(3, len(last) - 1)]}", "last_word"


def reorder(text: str, rng: random.Random) -> tuple[str, str] | None:
    words = text.replace(",", " ").split()
    if len(words) < 2:
        return None
    if rng.random() < 0.5:
        if "," in text:
            surname, given = (s.strip() for s in text.split(",", 1))
            if not given:
                return None
            return f"{given} {surname}", "flip"
        return f"{words[-1]}, {' '.join(words[:-1])}", "flip"
    for _ in range(10):
        perm = words[:]
        rng.shuffle(perm)
        if perm != words:
            return " ".join(perm), "shuffle"
    return None


def is_legal_token(tok: str) -> bool:
    return tok.lower().strip(".,") in {"llc", "ltd", "inc", "co", "corp", "sa", "jsc", "ojsc", "cjsc",
                                       "pjsc", "ooo", "oao", "zao", "pao", "ao", "plc", "llp", "gmbh",
                                       "limited", "company", "corporation", "fze", "fzco", "srl",
                                       "ltda", "cv", "s.a.", "c.v.", "l.l.c."}


def drop_token(text: str, etype: str, rng: random.Random) -> str | None:
    words = text.split()
    content = [w for w in words if re.search(r"\w", w)]
    if len(content) < 3:
        return None
    if etype == "person":
        if "," in text:
            surname, given = text.split(",", 1)
            sw, gw = surname.split(), given.split()
            options = [("s", i) for i in range(1, len(sw))] + [("g", i) for i in range(1, len(gw))]
            options = [o for o in options if (sw if o[0] == "s" else gw)[o[1]].lower().strip(".,") not in STOPWORDS]
            if not options:
                return None
            part, i = rng.choice(options)
            if part == "s":
                sw = sw[:i] + sw[i + 1:]
            else:
                gw = gw[:i] + gw[i + 1:]
            return f"{' '.join(sw)}, {' '.join(gw)}"
        options = [i for i in range(1, len(words) - 1) if words[i].lower().strip(".,") not in STOPWORDS]
    else:
        options = [i for i in range(1, len(words))
                   if len(re.sub(r"\W", "", words[i])) >= 3 and words[i].lower().strip(".,") not in STOPWORDS
                   and not is_legal_token(words[i])]
        remaining_content = [w for w in words if len(re.sub(r"\W", "", w)) >= 3 and not is_legal_token(w)
                             and w.lower() not in STOPWORDS]
        if len(remaining_content) < 3:
            return None
    if not options:
        return None
    i = rng.choice(options)
    out = " ".join(words[:i] + words[i + 1:]).rstrip(",")
    return out


def initials(text: str, rng: random.Random) -> tuple[str, str] | None:
    if "," not in text:
        return None
    surname, given = (s.strip() for s in text.split(",", 1))
    gw = [w for w in given.split() if w[:1].isalpha()]
    if not gw or not surname:
        return None
    style = rng.choice(["dots", "compact", "bare"])
    if style == "dots":
        ini = " ".join(f"{w[0].upper()}." for w in gw)
    elif style == "compact":
        ini = "".join(f"{w[0].upper()}." for w in gw)
    else:
        ini = " ".join(w[0].upper() for w in gw)
    if rng.random() < 0.5:
        return f"{ini} {surname}", "given_first"
    return f"{surname}, {ini}", "surname_first"


def replace_tokens(text: str, choose) -> str:
    """Rewrites word tokens of `text` through choose(lower_token) -> str | None, keeping case."""
    def sub(m):
        w = m.group(0)
        new = choose(normalise(w))
        if not new or new == normalise(w):
            return w
        if w.isupper():
            return new.upper()
        if w[:1].isupper():
            return new[:1].upper() + new[1:]
        return new
    return re.sub(r"[^\W\d_]+", sub, text)


# ---- transliteration from the Wikidata token tables

def load_wikidata_alternates():
    by_target = defaultdict(list)
    for path in sorted((SHARED / "translit").glob("wikidata-en-*-tokens.tsv")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3 or not parts[2].isdigit():
                    continue
                latin, target, count = parts[0].lower(), parts[1], int(parts[2])
                if count >= 2 and latin.isalpha() and len(latin) >= 3:
                    by_target[(path.stem, target)].append((count, latin))
    alternates = defaultdict(set)
    for group in by_target.values():
        if len(group) < 2:
            continue
        group.sort(reverse=True)
        names = [latin for _, latin in group[:6]]
        for a in names:
            alternates[a].update(b for b in names if b != a)
    return {k: sorted(v) for k, v in alternates.items()}


def translit_wikidata(text: str, alternates, rng: random.Random) -> str | None:
    toks = [t for t in tokens(text) if t in alternates]
    if not toks:
        return None
    chosen = {t for t in toks if rng.random() < 0.6} or {rng.choice(sorted(set(toks)))}
    picks = {t: rng.choice(alternates[t]) for t in sorted(chosen)}
    out = replace_tokens(text, lambda t: picks.get(t))
    return out if normalise(out) != normalise(text) else None


# ---- rule-based transliteration variants (no Wikidata)

FAMILIES = [
    ["muhammad", "mohammad", "mohammed", "muhammed", "mohamed", "mohamad", "muhamad", "mohamud"],
    ["ahmad", "ahmed"], ["hasan", "hassan"], ["husain", "hussain", "hussein", "husayn", "hossein"],
    ["yusuf", "yousef", "yousuf", "youssef", "yusef"], ["umar", "omar"], ["usama", "osama"],
    ["abdul", "abdel", "abdal", "abdoul"], ["abu", "abou"], ["uthman", "othman", "osman"],
    ["aleksandr", "alexander", "aleksander", "alexandr"], ["sergei", "sergey", "sergiy"],
    ["yevgeny", "evgeny", "evgeniy", "yevgeniy"], ["dmitry", "dmitri", "dmitriy"],
    ["yuri", "yury", "yuriy", "iouri"], ["aleksei", "alexei", "alexey", "aleksey"],
    ["mikhail", "michail"], ["nikolai", "nikolay"], ["andrei", "andrey"], ["vladimir", "wladimir"],
]
FAMILY_OF = {n: fam for fam in FAMILIES for n in fam}

VOWELS = "aeiou"
RULES = [  # (name, pattern, replacement) applied to one lowercase token
    ("ou>u", r"ou", "u"), ("u>ou", r"(?<=[^aeiou])u(?=[^aeiou]|$)", "ou"),
    ("ee>i", r"ee", "i"), ("i>ee", r"(?<=[^aeiou])i(?=[^aeiouy])", "ee"),
    ("y>i", r"(?<=\w)y", "i"), ("i>y", r"(?<=[aeiou])i", "y"),
    ("ph>f", r"ph", "f"), ("f>ph", r"f", "ph"),
    ("kh>h", r"kh", "h"), ("h>kh", r"^h(?=[aeiou])", "kh"),
    ("dh>d", r"dh", "d"), ("d>dh", r"(?<=[aeiou])d(?=[aeiou])", "dh"),
    ("double>single", r"([b-df-hj-np-tv-z])\1", r"\1"), ("single>double", r"(?<=[aeiou])([bdlmnrst])(?=[aeiou])", r"\1\1"),
    ("ks>x", r"ks", "x"), ("x>ks", r"x", "ks"),
    ("iy>y", r"iy$", "y"), ("y>iy", r"(?<=[^aeiouy])y$", "iy"),
    ("q>k", r"q", "k"), ("w>v", r"w", "v"), ("v>w", r"v", "w"),
    ("ie>iye", r"(?<=[^aeiou])ie", "iye"), ("j>dj", r"^j", "dj"), ("zh>j", r"zh", "j"),
]


def translit_rules(text: str, rng: random.Random) -> tuple[str, str] | None:
    toks = sorted(set(t for t in tokens(text) if t.isalpha() and len(t) >= 3))
    options = []
    for t in toks:
        if t in FAMILY_OF:
            options.append((t, "family", None))
        for name, pat, rep in RULES:
            if re.search(pat, t):
                options.append((t, name, (pat, rep)))
    if not options:
        return None
    k = 1 if len(options) == 1 else rng.choice([1, 2])
    picks = {}
    applied = []
    for t, rule, pr in rng.sample(options, len(options)):
        if t in picks:
            continue
        if rule == "family":
            new = rng.choice([n for n in FAMILY_OF[t] if n != t])
        else:
            matches = list(re.finditer(pr[0], t))
            m = rng.choice(matches)
            new = t[:m.start()] + m.expand(pr[1]) + t[m.end():]
        if new != t and len(new) >= 2:
            picks[t] = new
            applied.append(rule)
        if len(picks) >= k:
            break
    if not picks:
        return None
    out = replace_tokens(text, lambda t: picks.get(t))
    if normalise(out) == normalise(text):
        return None
    return out, ("family" if "family" in applied else "letters"), "+".join(sorted(applied))


# ---- legal forms

LEGAL_GROUPS = [
    ["S.A. de C.V.", "Sociedad Anonima de Capital Variable", "SA de CV"],
    ["S. de R.L. de C.V.", "Sociedad de Responsabilidad Limitada de Capital Variable", "S de RL de CV"],
    ["Co., Ltd.", "Company Limited", "Co. Ltd", "Co Ltd"],
    ["Pte. Ltd.", "Private Limited", "Pte Ltd"],
    ["PJSC", "Public Joint Stock Company", "PAO", "Publichnoe Aktsionernoe Obshchestvo"],
    ["CJSC", "Closed Joint Stock Company", "ZAO", "Zakrytoe Aktsionernoe Obshchestvo"],
    ["OJSC", "Open Joint Stock Company", "OAO", "Otkrytoe Aktsionernoe Obshchestvo"],
    ["JSC", "Joint Stock Company", "AO", "Aktsionernoe Obshchestvo"],
    ["LLC", "Limited Liability Company", "OOO", "Obshchestvo s Ogranichennoi Otvetstvennostyu", "L.L.C."],
    ["LLP", "Limited Liability Partnership"],
    ["PLC", "Public Limited Company"],
    ["S.R.L.", "Sociedad de Responsabilidad Limitada", "SRL"],
    ["S.A.R.L.", "Societe a Responsabilite Limitee", "SARL"],
    ["S.A.S.", "Sociedad por Acciones Simplificada", "SAS"],
    ["GmbH", "Gesellschaft mit beschraenkter Haftung"],
    ["FZCO", "Free Zone Company"],
    ["FZE", "Free Zone Establishment"],
    ["Ltda.", "Limitada"],
    ["C.A.", "Compania Anonima"],
    ["S.A.", "Sociedad Anonima", "SA"],
    ["Ltd.", "Limited", "Ltd"],
    ["Inc.", "Incorporated", "Inc"],
    ["Corp.", "Corporation", "Corp"],
    ["Co.", "Company", "Co"],
]


def _form_regex(form: str) -> str:
    parts = re.split(r"\s+", form.strip())
    out = []
    for p in parts:
        letters = re.sub(r"[^\w]", "", p)
        if "." in p or p.isupper():  # abbreviation: dots optional
            out.append(r"\.?\s*".join(re.escape(c) for c in letters) + r"\.?")
        else:
            out.append(re.escape(p))
    return r",?\s+".join(out)


PREFIXABLE = {f for g in LEGAL_GROUPS for f in g
              if "Joint Stock" in f or "Obshchestvo" in f or f in ("OOO", "AO", "PAO", "ZAO", "OAO", "JSC",
                                                                    "PJSC", "CJSC", "OJSC", "LLC",
                                                                    "Limited Liability Company")}

LEGAL_PATTERNS = []
for gi, group in enumerate(LEGAL_GROUPS):
    for form in sorted(group, key=len, reverse=True):
        rx = _form_regex(form)
        LEGAL_PATTERNS.append((gi, re.compile(r"(?:^|[\s,]+)(" + rx + r")\s*$", re.I), "suffix"))
        LEGAL_PATTERNS.append((gi, re.compile(r"^(" + rx + r")(?=\s)", re.I), "prefix"))
LEGAL_PATTERNS.sort(key=lambda p: -max(len(f) for f in LEGAL_GROUPS[p[0]]))


def bare_org_key(text: str) -> str:
    """Sorted name tokens once legal forms at either end are removed ("Carvana Co." = "CARVANA COMPANY")."""
    text = text.strip()
    for _ in range(3):
        for _gi, rx, where in LEGAL_PATTERNS:
            m = rx.search(text)
            if m:
                text = (text[:m.start()] if where == "suffix" else text[m.end():]).strip(" ,")
                break
        else:
            break
    return name_key(text)


def legal_form(text: str, rng: random.Random) -> tuple[str, str] | None:
    text = text.strip()
    for gi, rx, where in LEGAL_PATTERNS:
        m = rx.search(text)
        if not m:
            continue
        found = m.group(1)
        rest = (text[:m.start()] if where == "suffix" else text[m.end():]).strip(" ,")
        rest_content = [t for t in tokens(rest) if len(t) >= 2]
        if len(rest_content) < 1 or len("".join(rest_content)) < 4:
            return None
        others = [f for f in LEGAL_GROUPS[gi] if normalise(f) != normalise(found)]
        if rng.random() < 0.25 or not others:
            return rest, "dropped"
        new = rng.choice(others)
        # Russian and CIS forms (OOO, AO, "Joint Stock Company"...) are written before the name
        # as often as after it; the others stay at the end.
        if new in PREFIXABLE:
            at_start = (where == "prefix") != (rng.random() < 0.3)
        else:
            at_start = False
        return (f"{new} {rest}" if at_start else f"{rest} {new}"), "swapped"
    return None


# --------------------------------------------------------------------------- deck assembly

class Deck:
    def __init__(self, category):
        self.category = category
        self.rows = []
        self.seen = set()

    def add(self, name, etype, expected, base="", sub="", source="", note=""):
        name = " ".join(name.split())
        if not name:
            return False
        k = (normalise(name), expected)
        if k in self.seen or not normalise(name):
            return False
        self.seen.add(k)
        self.rows.append({"name": name, "type": etype, "dob": "", "country": "", "identifiers": "",
                          "expected": expected, "category": self.category, "subcategory": sub,
                          "base": base, "source": source, "note": note})
        return True

    def write(self):
        path = DECKS / f"{self.category}.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, COLUMNS, lineterminator="\n")
            w.writeheader()
            for i, r in enumerate(self.rows):
                w.writerow({"id": f"{self.category}-{i:05d}", **r})
        return path


def main():
    DECKS.mkdir(exist_ok=True)
    for old in DECKS.glob("*.csv"):
        old.unlink()
    entities = {**load_ofac(), **load_un()}
    classes, by_dob, by_key, links = link_lists(entities)
    members = classes.members()
    expected_of = {k: "|".join(members[classes.find(k)]) for k in entities}
    class_names = {root: [n for k in ks for n in entities[k].names] for root, ks in members.items()}
    listed_keys = set()
    listed_norm = set()
    for e in entities.values():
        for n in e.names:
            listed_keys.add(name_key(n.text))
            listed_norm.add(normalise(n.text))
    print(f"entities: {len(entities)} ({sum(k.startswith('un:') for k in entities)} UN), "
          f"UN-OFAC links: {links}", file=sys.stderr)

    keys = sorted(entities)
    latin_primary = [k for k in keys if is_latin(entities[k].primary)]
    persons = [k for k in latin_primary if entities[k].type == "person"]
    decks = []

    def sample(pool, cat):
        r = rng_for(cat)
        pool = pool[:]
        r.shuffle(pool)
        return pool, r

    # alias
    d = Deck("alias")
    pool, r = sample(keys, "alias")
    counts = defaultdict(int)
    for k in pool:
        e = entities[k]
        pk = name_key(e.primary)
        als = [n for n in e.names if n.kind in ("alias", "weak_alias") and name_key(n.text) != pk and is_latin(n.text)]
        if not als:
            continue
        n = r.choice(als)
        sub = "weak" if n.kind == "weak_alias" else "strong"
        if counts[sub] >= (CAP if sub == "strong" else CAP // 2):
            continue
        if d.add(recase(n.text, r), e.type, expected_of[k], e.primary, sub, n.source):
            counts[sub] += 1
    decks.append(d)

    # original script: listed forms and other authorities' forms
    d = Deck("original_script")
    pool, r = sample(keys, "original_script")
    for k in pool:
        e = entities[k]
        forms = [n for n in e.names if not is_latin(n.text) and normalise(n.text)]
        if forms:
            n = r.choice(forms)
            d.add(n.text, e.type, expected_of[k], e.primary, "listed", n.source)
    foreign = []
    for path in sorted((SHARED / "uk").glob("ConList-*.xlsx")):
        foreign += load_uk(path)
    for path in sorted((SHARED / "au").glob("*.xlsx")):
        foreign += load_au(path)
    for path in sorted((SHARED / "ca").glob("*.xml")):
        foreign += load_ca(path)
    linked = link_foreign(foreign, entities, classes, by_dob, by_key)
    print(f"foreign parties: {len(foreign)}, linked: {len(linked)}", file=sys.stderr)
    other = []
    cross = []
    for p, root in linked:
        names = class_names[root]
        own_keys = {name_key(n.text) for n in names}
        for text, kind in p.names:
            text = " ".join(text.split())
            if not text or name_key(text) in own_keys or not normalise(text):
                continue
            if not is_latin(text):
                other.append((text, p, root))
            elif max((trigram_jaccard(text, n.text) for n in names if is_latin(n.text)), default=0) >= 0.3:
                cross.append((text, p, root))
    r = rng_for("original_script/other")
    other.sort(key=lambda x: (x[2], x[0]))
    r.shuffle(other)
    n_other = 0
    for text, p, root in other:
        if n_other >= CAP // 2:
            break
        e = entities[root]
        n_other += d.add(text, e.type, "|".join(members[root]), e.primary, "other_authority", p.source.split(":")[0])
    decks.append(d)

    d = Deck("cross_list")
    r = rng_for("cross_list")
    cross.sort(key=lambda x: (x[2], x[0]))
    r.shuffle(cross)
    per_root = defaultdict(int)
    for text, p, root in cross:
        if len(d.rows) >= CAP or per_root[root] >= 2:
            continue
        e = entities[root]
        if d.add(recase(text, r), e.type, "|".join(members[root]), e.primary, p.source.split(":")[0], p.source):
            per_root[root] += 1
    decks.append(d)

    def simple(cat, pool, fn):
        d = Deck(cat)
        pool, r = sample(pool, cat)
        for k in pool:
            if len(d.rows) >= CAP:
                break
            e = entities[k]
            res = fn(e, r)
            if not res:
                continue
            if not isinstance(res, tuple):
                res = (res,)
            q, sub, note = (*res, "", "")[:3]
            if name_key(q) == name_key(e.primary) and cat not in ("reorder",):
                continue
            d.add(recase(q, r), e.type, expected_of[k], e.primary, sub, k.split(":")[0], note)
        decks.append(d)

    simple("typo", latin_primary, lambda e, r: typo(e.primary, r))
    simple("reorder", persons, lambda e, r: reorder(e.primary, r))
    simple("dropped_token", latin_primary, lambda e, r: drop_token(e.primary, e.type, r))
    simple("initials", persons, lambda e, r: initials(e.primary, r))
    alternates = load_wikidata_alternates()
    simple("transliteration_wikidata", persons, lambda e, r: translit_wikidata(e.primary, alternates, r))
    simple("transliteration_rules", persons, lambda e, r: translit_rules(e.primary, r))
    orgs = [k for k in latin_primary if entities[k].type == "organization"]
    simple("legal_form", orgs, lambda e, r: legal_form(e.primary, r))
    simple("truncated", latin_primary, lambda e, r: truncate(e.primary, e.type, r))

    # negatives: organisations (SEC registrants)
    d = Deck("negative_org")
    r = rng_for("negative_org")
    sec = json.load(open(SHARED / "negatives" / "sec-company-tickers-2025-08.json"))
    dropped = 0
    listed_bare = {bare_org_key(n.text) for e in entities.values() if e.type != "person" for n in e.names}
    listed_bare.discard("")
    for _, rec in sorted(sec.items(), key=lambda kv: int(kv[0])):
        title = rec["title"].strip()
        if normalise(title) in listed_norm or name_key(title) in listed_keys or bare_org_key(title) in listed_bare:
            dropped += 1
            continue
        d.add(title, "organization", "", "", "", "sec")
    print(f"negative_org: {len(d.rows)} (dropped as listed: {dropped})", file=sys.stderr)
    decks.append(d)

    # negatives: persons from the names-dataset package (top names per country)
    decks.append(person_negatives(listed_norm, listed_keys))

    total = 0
    for d in decks:
        d.write()
        subs = defaultdict(int)
        for row in d.rows:
            subs[row["subcategory"]] += 1
        total += len(d.rows)
        print(f"{d.category:28s} {len(d.rows):6d}  " + ", ".join(f"{s or '-'}: {n}" for s, n in sorted(subs.items())))
    print(f"{'total':28s} {total:6d}")


NEG_COUNTRIES = ["AE", "AF", "AZ", "BD", "BR", "CN", "CO", "DE", "DZ", "EG", "ES", "FR", "GB", "GE", "HK",
                 "ID", "IN", "IQ", "IR", "IT", "JO", "JP", "KR", "KZ", "LB", "LY", "MA", "MD", "MX", "MY",
                 "NG", "PE", "PH", "PL", "PS", "RS", "RU", "SA", "SD", "SY", "TN", "TR", "TW", "US", "YE"]
PER_COUNTRY = 140


def person_negatives(listed_norm, listed_keys):
    from names_dataset import NameDataset
    nd = NameDataset()
    d = Deck("negative_person")
    r = rng_for("negative_person")
    good = re.compile(r"^[^\W\d_]{2,}$")

    def clean(names):
        out = []
        for n in names:
            n = n.strip()
            if good.match(n):
                out.append(n[:1].upper() + n[1:].lower() if is_latin(n) else n)
        return list(dict.fromkeys(out))

    dropped = 0
    for cc in NEG_COUNTRIES:
        firsts = nd.get_top_names(n=150, country_alpha2=cc)[cc]
        m, f = clean(firsts.get("M", [])), clean(firsts.get("F", []))
        lasts = clean(nd.get_top_names(n=300, country_alpha2=cc, use_first_names=False)[cc])
        if not lasts or not (m or f):
            continue
        # a name is written in one script: pools split by script, weighted by surname counts
        scripts = []
        for latin in (True, False):
            ms = [x for x in m if is_latin(x) == latin]
            fs = [x for x in f if is_latin(x) == latin]
            ls = [x for x in lasts if is_latin(x) == latin]
            if ls and (ms or fs):
                scripts.append((len(ls), ms, fs, ls))
        if not scripts:
            continue
        made = 0
        tries = 0
        while made < PER_COUNTRY and tries < PER_COUNTRY * 20:
            tries += 1
            _, ms, fs, ls = r.choices(scripts, weights=[x[0] for x in scripts])[0]
            pool = ms if (ms and (not fs or r.random() < 0.6)) else fs
            parts = [r.choice(pool)]
            if r.random() < 0.25:
                parts.append(r.choice(pool))
            parts.append(r.choice(ls))
            if len(set(parts)) < len(parts):
                continue
            name = " ".join(parts)
            if normalise(name) in listed_norm or name_key(name) in listed_keys:
                dropped += 1
                continue
            sub = "latin" if is_latin(name) else "non_latin"
            if d.add(recase(name, r), "person", "", "", sub, f"names-dataset:{cc}"):
                made += 1
    print(f"negative_person: {len(d.rows)} (dropped as listed: {dropped})", file=sys.stderr)
    return d


if __name__ == "__main__":
    main()
