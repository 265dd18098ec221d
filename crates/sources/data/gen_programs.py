#!/usr/bin/env python3
"""Regenerate ofac-programs.json from OFAC's program tag table.

Input: OFAC's "Program Tag Definitions for OFAC Sanctions Lists" page, exported to JSON
(`program-tags.json`, Sheet1), from
https://home.treasury.gov/policy-issues/financial-sanctions/specially-designated-nationals-list-sdn-list/program-tag-definitions-for-ofac-sanctions-lists

The page gives each tag's implementing regulations. The *legal authority* (the statute or
executive order a designation rests on) is derived from that text, with explicit overrides
below where the regulation alone does not name it (their source is given in each line).

usage: gen_programs.py program-tags.json > ofac-programs.json
"""
import json, re, sys

ZW = "\u200b\ufeff"

def clean(s):
    s = (s or "")
    for c in ZW:
        s = s.replace(c, "")
    return re.sub(r"\s+", " ", s.replace("\xa0", " ")).strip()

# tag -> (authorities, designating body, source of the fact)
OVERRIDES = {
    # Immigration and Nationality Act §219, 8 U.S.C. §1189: the Secretary of State designates FTOs.
    "FTO": (["INA §219 (8 U.S.C. §1189)"], "U.S. Department of State"),
    # E.O. 13224 (2001), designations by State or Treasury; implemented in 31 C.F.R. part 594.
    "SDGT": (["E.O. 13224"], "U.S. Department of the Treasury, OFAC"),
    # Foreign Narcotics Kingpin Designation Act, 21 U.S.C. §§1901-1908.
    "SDNTK": (["Foreign Narcotics Kingpin Designation Act (21 U.S.C. §1901)"], None),
    "BPI-SDNTK": (["Foreign Narcotics Kingpin Designation Act (21 U.S.C. §1901)"], None),
    # E.O. 12978 (1995), Colombian narcotics traffickers.
    "SDNT": (["E.O. 12978"], None),
    # Trading with the Enemy Act, 50 U.S.C. §4301 ff.
    "CUBA": (["Trading with the Enemy Act"], None),
    # E.O. 13382 (2005), WMD proliferators.
    "NPWMD": (["E.O. 13382"], None),
    # IEEPA-based country programs whose regulation text names no E.O.
    "IRAN": (["E.O. 12957", "E.O. 12959", "E.O. 13059"], None),
    "IRGC": (["E.O. 13224", "E.O. 13553", "E.O. 13382"], None),
    "IFSR": (["Comprehensive Iran Sanctions, Accountability, and Divestment Act of 2010"], None),
    "SDGT-FSE": ([], None),
    "DARFUR": (["E.O. 13400"], None),
    "SUDAN": (["E.O. 13067", "E.O. 13412"], None),
    "SOMALIA": (["E.O. 13536", "E.O. 13620"], None),
    "CAR": (["E.O. 13667"], None),
    "DRCONGO": (["E.O. 13413", "E.O. 13671"], None),
    "LIBYA2": (["E.O. 13566"], None),
    "YEMEN": (["E.O. 13611"], None),
    "BPI-PA": (["USA PATRIOT Act §106"], None),
    "NS-PLC": (["E.O. 13224"], None),
    "SYRIA-EO13894": (["E.O. 13894"], None),
    "SYRIA-CAESAR": (["Caesar Syria Civilian Protection Act of 2019"], None),
    "NDAA": (["National Defense Authorization Act for Fiscal Year 2012, §1245"], None),
}

# Tags used in OFAC list files after the table above was exported; their names carry the
# executive order, or the statute is named in OFAC's recent actions notices.
EXTRA = [
    ("ILLICIT-DRUGS-EO14059", "Illicit Drugs Sanctions", "SDN", "Executive Order 14059"),
    ("HOSTAGES-EO14078", "Hostages and Wrongfully Detained U.S. Nationals Sanctions", "SDN", "Executive Order 14078"),
    ("RUSSIA-EO14065", "Ukraine-/Russia-Related Sanctions", "SDN", "Executive Order 14065"),
    ("PEESA-EO14039", "Protecting Europe's Energy Security Sanctions", "SDN", "Executive Order 14039"),
    ("BALKANS-EO14033", "Western Balkans Sanctions", "SDN", "Executive Order 14033"),
    ("BELARUS-EO14038", "Belarus Sanctions", "SDN", "Executive Order 14038"),
    ("ETHIOPIA-EO14046", "Ethiopia-Related Sanctions", "SDN", "Executive Order 14046"),
    ("SUDAN-EO14098", "Sudan-Related Sanctions", "SDN", "Executive Order 14098"),
    ("BPI-RUSSIA-EO14024", "Blocked Pending Investigation, Russian Harmful Foreign Activities", "SDN", "Executive Order 14024"),
    ("WEST-BANK-EO14115", "West Bank-Related Sanctions", "SDN", "Executive Order 14115"),
    ("UHRPA", "Uyghur Human Rights Policy Act Sanctions", "SDN", "Uyghur Human Rights Policy Act of 2020"),
]

def authorities_from(defn):
    out = []
    for m in re.finditer(r"Executive Order (\d{5})", defn):
        eo = "E.O. " + m.group(1)
        if eo not in out:
            out.append(eo)
    if not out:
        # statutes named in the definition (Acts), else the regulation itself
        m = re.search(r"([A-Z][A-Za-z’' ,\-]+ Act(?: of \d{4})?)", defn)
        if m:
            out.append(m.group(1).strip(" ,"))
    return out

def main():
    rows = json.load(open(sys.argv[1]))["Sheet1"]
    out = []
    for r in rows:
        r = {clean(k).rstrip(":"): clean(v) for k, v in r.items()}
        tag = r.get("Program Tag", "").strip("[] ")
        if not tag:
            continue
        defn = r.get("Definition", "")
        auth, body = OVERRIDES.get(tag, (None, None))
        if auth is None:
            auth = authorities_from(defn)
        regs = re.findall(r"31 C\.?F\.?R\.? (?:[Pp]art )?(\d+)", defn)
        out.append({
            "tag": tag,
            "program": r.get("Program") or None,
            "list": r.get("Sanctions List") or None,
            "definition": defn,
            "authorities": auth,
            "regulations": ["31 C.F.R. part " + p for p in regs],
            "body": body or "U.S. Department of the Treasury, OFAC",
        })
    for tag, program, lst, defn in EXTRA:
        out.append({
            "tag": tag, "program": program, "list": lst, "definition": defn,
            "authorities": authorities_from(defn), "regulations": [],
            "body": "U.S. Department of the Treasury, OFAC",
        })
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")

main()
