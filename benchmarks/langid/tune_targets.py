"""Chooses `MEMBER`, `NOT_MEMBER` (bot/language/scoring.py) on the tuning set (`tuning.py`), never on the dev
set, with the objective written in README.md ("How the constants are chosen"): the mean of the tr/fi/hu/en
single-word accuracies (with and without diacritics) with six candidates, subject to Estonian and German
sentences and word pairs (with and without diacritics) staying at or above FLOOR and the four-candidate
accuracy not dropping.

    PYTHONPATH=. .venv/bin/python benchmarks/langid/tune_targets.py
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path
from typing import Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).parent))

import devset
import tuning
from run import BASE, EXTENDED

from bot.language import LanguageIdentifier, scoring

MEMBERS = (-1.0, -2.0, -3.0, -4.0, -5.0, -6.0)
NOT_MEMBERS = (0.0, -1.0, -2.0, -3.0)
BEFORE = (-2.0, -1.0)  # the constants before this choice (first objective, tune.py)
FLOOR = 0.95
TIE = 0.1  # points
OBJECTIVE_KINDS = ("words", "words, no diacritics")
FLOOR_KINDS = ("sentences", "sentences, no diacritics", "pairs", "pairs, no diacritics")


def _accuracy(identifier: LanguageIdentifier, items: List[devset.Item]) -> float:
    return sum(identifier.detect(item.text).language == item.language for item in items) / len(items)


def _subset(sets: Dict[str, List[devset.Item]], kind: str, languages) -> List[devset.Item]:
    return [item for item in sets[kind] if item.language in languages]


def evaluate(six: LanguageIdentifier, four: LanguageIdentifier, sets) -> Dict[str, float]:
    row: Dict[str, float] = {}
    for kind in OBJECTIVE_KINDS:
        row[f"trfihuen {kind}"] = _accuracy(six, _subset(sets, kind, BASE))
    for language in ("et", "de"):
        for kind in FLOOR_KINDS:
            row[f"{language} {kind}"] = _accuracy(six, _subset(sets, kind, (language,)))
    row["et words"] = _accuracy(six, _subset(sets, "words", ("et",)))
    row["objective"] = sum(row[f"trfihuen {kind}"] for kind in OBJECTIVE_KINDS) / len(OBJECTIVE_KINDS)
    row["four candidates"] = sum(_accuracy(four, _subset(sets, kind, BASE)) for kind in sets) / len(sets)
    return row


def choose(rows: Dict[Tuple[float, float], Dict[str, float]], four_at_current: float):
    feasible = {
        point: row
        for point, row in rows.items()
        if all(row[f"{lang} {kind}"] >= FLOOR for lang in ("et", "de") for kind in FLOOR_KINDS)
        and row["four candidates"] >= four_at_current
    }
    if not feasible:
        return BEFORE, feasible
    best = max(row["objective"] for row in feasible.values())
    tied = [point for point, row in feasible.items() if (best - row["objective"]) * 100 <= TIE + 1e-9]
    return min(tied, key=lambda p: (abs(p[0] - BEFORE[0]) + abs(p[1] - BEFORE[1]), -p[0])), feasible


def main() -> None:
    sets = tuning.build()
    print("tuning set:", tuning.sizes(sets))
    six, four = LanguageIdentifier(EXTENDED), LanguageIdentifier(BASE)
    rows: Dict[Tuple[float, float], Dict[str, float]] = {}
    header = None
    for point in itertools.product(MEMBERS, NOT_MEMBERS):
        scoring.MEMBER, scoring.NOT_MEMBER = point
        row = rows[point] = evaluate(six, four, sets)
        if header is None:
            header = list(row)
            print("MEMBER NOT_MEMBER | " + " | ".join(header))
        cells = " | ".join(f"{row[key] * 100:.2f}" for key in header)
        print(f"{point[0]:6.1f} {point[1]:10.1f} | {cells}", flush=True)
    chosen, feasible = choose(rows, rows[BEFORE]["four candidates"])
    print("meet the floor:", sorted(feasible, reverse=True))
    objective, current = rows[chosen]["objective"] * 100, rows[BEFORE]["objective"] * 100
    print(
        f"chosen: MEMBER = {chosen[0]:.1f}, NOT_MEMBER = {chosen[1]:.1f}",
        f"(objective {objective:.2f}; before {current:.2f})",
    )


if __name__ == "__main__":
    main()
