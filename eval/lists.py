"""Readers for the real lists the evaluation decks are built from, and name normalisation.

Standard library only (openpyxl is imported lazily, for the UK and AU spreadsheets).

Entities are keyed `list:id` the way interdict names them: `ofac-sdn:<ent_num>` for the OFAC SDN
list, `un:<REFERENCE_NUMBER>` for the UN Consolidated List.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = (REPO.parent / "shared" / "data").resolve()
OFAC_DIR = REPO / "data" / "lists" / "ofac-sdn-2023-12-28"
UN_FILE = REPO / "data" / "lists" / "un-consolidated-2026-02-27.xml.gz"

MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}


# --------------------------------------------------------------------------- normalisation

def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise(text: str) -> str:
    """Lowercase, accents stripped, punctuation to spaces, whitespace collapsed.

    Letters of every script are kept (Arabic stays Arabic)."""
    text = strip_accents(text).lower().replace("_", " ")
    return " ".join(_NON_WORD.sub(" ", text).split())


def tokens(text: str) -> list[str]:
    return normalise(text).split()


def name_key(text: str) -> str:
    """Order-insensitive key: sorted normalised tokens."""
    return " ".join(sorted(tokens(text)))


def is_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin == len(letters)


def trigrams(text: str) -> set[str]:
    out: set[str] = set()
    for tok in tokens(text):
        padded = f"  {tok} "
        out.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return out


def trigram_jaccard(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


# --------------------------------------------------------------------------- model

@dataclass
class Name:
    text: str
    kind: str  # primary | alias | weak_alias | original_script
    source: str = ""


@dataclass
class Entity:
    key: str  # list:id
    type: str  # person | organization | vessel | aircraft
    primary: str
    names: list[Name] = field(default_factory=list)
    dobs: set[tuple[int, int, int]] = field(default_factory=set)  # full dates only
    years: set[int] = field(default_factory=set)

    def all_names(self) -> list[str]:
        return [n.text for n in self.names]

    def token_set(self) -> set[str]:
        out: set[str] = set()
        for n in self.names:
            out.update(t for t in tokens(n.text) if len(t) >= 3)
        return out


# --------------------------------------------------------------------------- OFAC legacy CSV

def _read_csv_gz(path: Path) -> list[list[str]]:
    raw = gzip.open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    return [r for r in csv.reader(io.StringIO(text)) if len(r) > 1]


def _null(v: str) -> str:
    v = v.strip()
    return "" if v == "-0-" else v


_AKA = re.compile(r"\b(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s*'([^']+)'", re.I)
_DOB = re.compile(r"\bDOB\s+(?:circa\s+)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})")
_DOB_YEAR = re.compile(r"\bDOB\s+(?:circa\s+)?(\d{4})\b")

OFAC_TYPES = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft", "": "organization"}


def load_ofac(directory: Path = OFAC_DIR) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    for row in _read_csv_gz(directory / "sdn.csv.gz"):
        if len(row) < 12:
            continue
        ent, name, sdn_type, remarks = row[0].strip(), row[1].strip(), _null(row[2]), _null(row[11])
        e = Entity(f"ofac-sdn:{ent}", OFAC_TYPES.get(sdn_type.lower(), "organization"), name)
        e.names.append(Name(name, "primary", "ofac"))
        for m in _AKA.finditer(remarks):
            e.names.append(Name(m.group(1).strip(), "weak_alias", "ofac-remarks"))
        for d, mon, y in _DOB.findall(remarks):
            if mon.lower() in MONTHS:
                e.dobs.add((int(y), MONTHS[mon.lower()], int(d)))
                e.years.add(int(y))
        for y in _DOB_YEAR.findall(remarks):
            e.years.add(int(y))
        entities[e.key] = e
    for row in _read_csv_gz(directory / "alt.csv.gz"):
        if len(row) < 4:
            continue
        key = f"ofac-sdn:{row[0].strip()}"
        alt = _null(row[3])
        if key in entities and alt:
            entities[key].names.append(Name(alt, "alias", f"ofac-{row[2].strip().lower()}"))
    return entities


# --------------------------------------------------------------------------- UN XML

def _text(el: ET.Element | None) -> str:
    return (el.text or "").strip() if el is not None and el.text else ""


def load_un(path: Path = UN_FILE) -> dict[str, Entity]:
    data = gzip.open(path, "rb").read() if str(path).endswith(".gz") else Path(path).read_bytes()
    root = ET.fromstring(data)
    entities: dict[str, Entity] = {}
    for tag, etype, alias_tag in (("INDIVIDUAL", "person", "INDIVIDUAL_ALIAS"),
                                  ("ENTITY", "organization", "ENTITY_ALIAS")):
        for el in root.iter(tag):
            ref = _text(el.find("REFERENCE_NUMBER"))
            if not ref:
                continue
            parts = [_text(el.find(t)) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
            primary = " ".join(p for p in parts if p)
            e = Entity(f"un:{ref}", etype, primary)
            e.names.append(Name(primary, "primary", "un"))
            orig = _text(el.find("NAME_ORIGINAL_SCRIPT"))
            if orig:
                e.names.append(Name(orig, "original_script", "un"))
            for al in el.iter(alias_tag):
                an = _text(al.find("ALIAS_NAME"))
                if an:
                    quality = _text(al.find("QUALITY")).lower()
                    e.names.append(Name(an, "weak_alias" if quality in ("low", "a.k.a.-low") else "alias", "un"))
            for dob in el.iter("INDIVIDUAL_DATE_OF_BIRTH"):
                date = _text(dob.find("DATE"))
                m = re.match(r"(\d{4})-(\d{2})-(\d{2})", date)
                if m:
                    e.dobs.add((int(m.group(1)), int(m.group(2)), int(m.group(3))))
                    e.years.add(int(m.group(1)))
                for y in (_text(dob.find("YEAR")), _text(dob.find("FROM_YEAR")), _text(dob.find("TO_YEAR"))):
                    if y.isdigit():
                        e.years.add(int(y))
            entities[e.key] = e
    return entities


# --------------------------------------------------------------------------- other authorities

@dataclass
class ForeignParty:
    """A party as another authority lists it (UK, AU, CA): names, type, dates, UN reference."""
    source: str
    group: str
    type: str
    names: list[tuple[str, str]] = field(default_factory=list)  # (text, kind)
    dobs: set[tuple[int, int, int]] = field(default_factory=set)
    un_ref: str = ""


def parse_dates(text: str) -> set[tuple[int, int, int]]:
    """Full dates found in free text: 13/04/1971, 1971-04-13, 13 Apr. 1971, 13 April 1971."""
    out: set[tuple[int, int, int]] = set()
    if not text:
        return out
    for d, m, y in re.findall(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", text):
        out.add((int(y), int(m), int(d)))
    for y, m, d in re.findall(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", text):
        out.add((int(y), int(m), int(d)))
    for d, mon, y in re.findall(r"\b(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})\b", text):
        if mon.lower() in MONTHS:
            out.add((int(y), MONTHS[mon.lower()], int(d)))
    return {t for t in out if 1 <= t[1] <= 12 and 1 <= t[2] <= 31}


def _cell(v) -> str:
    if v is None:
        return ""
    if hasattr(v, "strftime"):
        return v.strftime("%d/%m/%Y")
    return str(v).strip()


def load_uk(path: Path) -> list[ForeignParty]:
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    header = None
    parties: dict[str, ForeignParty] = {}
    for row in ws.iter_rows(values_only=True):
        cells = [_cell(v) for v in row]
        if header is None:
            if "Group ID" in cells:
                header = {h: i for i, h in enumerate(cells)}
            continue
        get = lambda h: cells[header[h]] if header[h] < len(cells) else ""  # noqa: E731
        gid = get("Group ID")
        if not gid:
            continue
        gtype = {"Individual": "person", "Entity": "organization", "Ship": "vessel"}.get(get("Group Type"), "organization")
        p = parties.setdefault(gid, ForeignParty(f"uk:{path.stem}", gid, gtype))
        given = " ".join(get(f"Name {i}") for i in range(1, 6) if get(f"Name {i}"))
        surname = get("Name 6")
        full = f"{given} {surname}".strip() if gtype == "person" else " ".join(
            x for x in (given, surname) if x).strip()
        if full:
            p.names.append((full, "alias" if get("Alias Type") == "AKA" else "primary"))
        nl = get("Name Non-Latin Script")
        if nl:
            p.names.append((nl, "original_script"))
        p.dobs |= parse_dates(get("DOB"))
        m = re.search(r"\(UN Ref\):\s*([A-Za-z]{2,3}\.\d+)", get("Other Information"))
        if m:
            p.un_ref = m.group(1)
    return list(parties.values())


def load_au(path: Path) -> list[ForeignParty]:
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    parties: dict[str, ForeignParty] = {}
    first = True
    for row in ws.iter_rows(values_only=True, max_col=12):
        if first:
            first = False
            continue
        ref = _cell(row[0])
        name = _cell(row[1])
        if not ref or not name:
            continue
        group = re.match(r"\d+", ref)
        if not group:
            continue
        gtype = {"individual": "person", "entity": "organization", "vessel": "vessel"}.get(_cell(row[2]).lower(), "organization")
        p = parties.setdefault(group.group(0), ForeignParty("au:dfat-2024-11-11", group.group(0), gtype))
        ntype = _cell(row[3]).lower()
        kind = "original_script" if "original" in ntype else ("primary" if "primary" in ntype else "alias")
        p.names.append((name, kind))
        p.dobs |= parse_dates(_cell(row[4]))
    return list(parties.values())


def load_ca(path: Path) -> list[ForeignParty]:
    root = ET.parse(path).getroot()
    out: list[ForeignParty] = []
    for i, rec in enumerate(root.iter("record")):
        last, given = _text(rec.find("LastName")), _text(rec.find("GivenName"))
        ent = _text(rec.find("EntityOrShip"))
        if last or given:
            p = ForeignParty("ca:sema-2025-05", str(i), "person")
            p.names.append((f"{given} {last}".strip(), "primary"))
        elif ent:
            p = ForeignParty("ca:sema-2025-05", str(i), "vessel" if _text(rec.find("ShipIMONumber")) else "organization")
            p.names.append((re.sub(r"\s*\([^)]*\)\s*$", "", ent).strip(), "primary"))
        else:
            continue
        for al in re.split(r"[;,]", _text(rec.find("Aliases"))):
            al = re.sub(r"^\s*[A-Za-z]+:\s*", "", al).strip()
            if al:
                p.names.append((al, "original_script" if not is_latin(al) else "alias"))
        p.dobs |= parse_dates(_text(rec.find("DateOfBirthOrShipBuildDate")))
        out.append(p)
    return out
