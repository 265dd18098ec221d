"""Brute-force fuzzy matching with rapidfuzz over every name of the bundled lists: the baseline.

Every query is scored against every listed name (primary names, aliases, weak a.k.a.s of the OFAC
remarks, UN original-script names) after simple normalisation (lowercase, accents and
punctuation stripped); an entity's score is the best score of its names.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz import fuzz, process

from lists import load_ofac, load_un, normalise

SCORERS = {"token_sort_ratio": fuzz.token_sort_ratio, "WRatio": fuzz.WRatio,
           "token_set_ratio": fuzz.token_set_ratio}


class BruteForce:
    def __init__(self, entities=None):
        if entities is None:
            entities = {**load_ofac(), **load_un()}
        self.keys = sorted(entities)
        self.primary = [entities[k].primary for k in self.keys]
        self.type = [entities[k].type for k in self.keys]
        owners: dict[str, set[int]] = {}
        for i, k in enumerate(self.keys):
            for n in entities[k].names:
                norm = normalise(n.text)
                if norm:
                    owners.setdefault(norm, set()).add(i)
        self.names = sorted(owners)
        self.owners = [sorted(owners[n]) for n in self.names]

    def search(self, queries: list[str], scorer: str, limit: int = 10, workers: int = 2,
               chunk: int = 2000) -> list[list[tuple[int, float, str]]]:
        """For each query: up to `limit` (entity index, score in [0, 1], matched name), best first."""
        fn = SCORERS[scorer]
        out = []
        norm = [normalise(q) for q in queries]
        k = min(len(self.names), 8 * limit)
        for start in range(0, len(norm), chunk):
            block = norm[start:start + chunk]
            scores = process.cdist(block, self.names, scorer=fn, dtype=np.uint8, workers=workers)
            top = np.argpartition(-scores.astype(np.int16), k - 1, axis=1)[:, :k]
            for row, cand in enumerate(top):
                cand = cand[np.argsort(-scores[row, cand], kind="stable")]
                seen = {}
                for j in cand:
                    s = scores[row, j] / 100.0
                    for ent in self.owners[j]:
                        if ent not in seen:
                            seen[ent] = (ent, float(s), self.names[j])
                    if len(seen) >= limit:
                        break
                out.append(list(seen.values())[:limit])
        return out

    def throughput_scan(self, queries: list[str], scorer: str, workers: int = 2, chunk: int = 2000) -> int:
        """Scores every query against every name and keeps the best (no bookkeeping): for timing."""
        fn = SCORERS[scorer]
        best = 0
        for start in range(0, len(queries), chunk):
            block = [normalise(q) for q in queries[start:start + chunk]]
            scores = process.cdist(block, self.names, scorer=fn, dtype=np.uint8, workers=workers)
            best += int(scores.max(axis=1).sum())
        return best
