"""Chooses the scorer's word-list constants (`MEMBER`, `NOT_MEMBER` in bot/language/scoring.py) on the
tuning set (`tuning.py`), never on the dev set: prints the tuning-set accuracy of each pair of values with
candidates tr, fi, hu, en, de, et.

    PYTHONPATH=. /tmp/langid/bin/python benchmarks/langid/tune.py
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import tuning
from run import EXTENDED

from bot.language import LanguageIdentifier, scoring

GRID = (0.0, -1.0, -2.0, -3.0, -4.0)
WITHOUT_LIST = (-99.0, 0.0)  # a listed word never beats its out-of-lexicon score: as if there were no list


def accuracy(identifier: LanguageIdentifier, sets: dict) -> dict:
    return {
        kind: sum(identifier.detect(item.text).language == item.language for item in items) / len(items)
        for kind, items in sets.items()
    }


def main() -> None:
    sets = tuning.build()
    print("tuning set:", tuning.sizes(sets))
    identifier = LanguageIdentifier(EXTENDED)
    print("MEMBER NOT_MEMBER | " + " | ".join(sets) + " | mean")
    for member, not_member in [WITHOUT_LIST, *itertools.product(GRID, GRID)]:
        scoring.MEMBER, scoring.NOT_MEMBER = member, not_member
        result = accuracy(identifier, sets)
        cells = " | ".join(f"{value * 100:.2f}" for value in result.values())
        mean = sum(result.values()) / len(result) * 100
        print(f"{member:6.1f} {not_member:10.1f} | {cells} | {mean:.2f}", flush=True)


if __name__ == "__main__":
    main()
