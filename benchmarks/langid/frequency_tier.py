"""Experiment (not adopted): an Estonian frequency tier from Debian's Estonian software translations.

Estonian has no frequency list in what we can ship (see README.md, "Known weaknesses"). The largest
Estonian text in Debian we found is software documentation and UI text: `libreoffice-help-et`,
`libreoffice-l10n-et` and `firefox-esr-l10n-et` (MPL-2.0). This script counts its words (each distinct
line once, so page furniture counts once; lines with common English words dropped, as untranslated help
is English) and splits the Estonian word list (`data/lexicon/et.words.gz`) into a frequent tier (listed
forms seen at least K times) and the rest, each tier a distribution of its own under the n-gram model
(like `member_norm`). It then prints, on the tuning set only, accuracy for tr/fi/hu/en/de items and for
et items with six candidates, for the current one-tier scorer (`MEMBER` grid) and the two-tier one.

    apt-get download libreoffice-help-et libreoffice-l10n-et firefox-esr-l10n-et   # into DEBS
    PYTHONPATH=. .venv/bin/python benchmarks/langid/frequency_tier.py DEBS
"""

from __future__ import annotations

import gettext
import html
import math
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Dict, FrozenSet, Iterator, List, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).parent))

import tuning
from run import EXTENDED

from bot.language import LanguageIdentifier, model, scoring
from bot.language.text import fold

_TAG = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)
_PLACEHOLDER = re.compile(r"\{[^}]*\}|%\S+|&\w+;|\$\S+")
_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH = frozenset("the is and of to you this that with for are be can from by which it your not will".split())
# (one-tier MEMBER, None) or (frequent tier, rest): log shares added like MEMBER
POINTS: Sequence[Tuple[float, float | None]] = [(-1.0, None), (-2.0, None), (-3.0, None), (-4.0, None)] + [
    (frequent, rest) for frequent in (-1.0, -2.0) for rest in (-3.0, -4.0, -5.0, -6.0)
]


def _lines(root: Path) -> Iterator[str]:
    for path in sorted(root.rglob("*")):
        if path.suffix == ".html":
            yield from html.unescape(_TAG.sub("\n", path.read_text("utf-8", "replace"))).split("\n")
        elif path.suffix == ".mo":
            with open(path, "rb") as handle:
                catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
            yield from (value for key, value in catalog.items() if key and value)
        elif path.suffix == ".xpi":
            with zipfile.ZipFile(path) as xpi:
                for name in xpi.namelist():
                    if name.endswith((".ftl", ".properties")):
                        text = xpi.read(name).decode("utf-8", "replace")
                        yield from (line.split("=", 1)[1] for line in text.split("\n") if "=" in line)


def counts(debs: Path) -> Counter[str]:
    """Lowercased word counts of the Estonian text in the .deb files of `debs`."""
    with tempfile.TemporaryDirectory() as tmp:
        for deb in sorted(debs.glob("*.deb")):
            subprocess.run(["dpkg-deb", "-x", str(deb), tmp], check=True)
        seen: set[str] = set()
        result: Counter[str] = Counter()
        for line in _lines(Path(tmp)):
            line = _PLACEHOLDER.sub(" ", line).strip()
            if not line or line in seen:
                continue
            seen.add(line)
            words = [word.lower() for word in _WORD.findall(line)]
            if not _ENGLISH.intersection(words):
                result.update(words)
        return result


def _norms(forms: Sequence[str], ngrams: Dict[str, float]) -> List[float]:
    mass = [0.0] * len(model.load_language("et").spelled.member_norm)
    for form in forms:
        mass[len(form) - 1] += math.exp(scoring.ngram_log_likelihood(form, ngrams))
    return [-math.log(z) if z > 0 else 0.0 for z in mass]


def main(debs: str, least: int = 2) -> None:
    et = model.load_language("et")
    forms = model._members(model.DATA_DIR / "lexicon" / "et.words.gz")[0]
    seen = counts(Path(debs))
    frequent = frozenset(form for form in forms if seen[form] >= least)
    folded: FrozenSet[str] = frequent | frozenset(fold(form) for form in frequent if not form.isascii())
    tiers = {id(et.spelled): frequent, id(et.folded): folded}
    norm_frequent = _norms(sorted(frequent), et.spelled.ngrams)
    norm_rest = _norms([form for form in forms if form not in frequent], et.spelled.ngrams)
    print(f"corpus: {sum(seen.values())} words, {len(seen)} distinct; frequent tier: {len(frequent)} forms")
    original = scoring._word_score
    point: List[float | None] = [None, None]

    def two_tier(word: str, tables: model.Tables, windows: List[str]) -> float:
        if point[1] is None or id(tables) not in tiers or word not in tables.members:
            return original(word, tables, windows)
        saved = scoring.MEMBER
        scoring.MEMBER = -1e9  # the one-tier member score never wins: compute the tier's score here
        score = original(word, tables, windows)
        scoring.MEMBER = saved
        likelihood = scoring.ngram_log_likelihood(word, tables.ngrams, windows)
        if word in tiers[id(tables)]:
            tier = likelihood + norm_frequent[len(word) - 1] + float(point[0] or 0.0)
        else:
            tier = likelihood + norm_rest[len(word) - 1] + point[1]
        return max(score, tier)

    scoring._word_score = two_tier
    default = scoring.MEMBER
    identifier = LanguageIdentifier(EXTENDED)
    sets = {kind: items for kind, items in tuning.build().items() if "sentences" not in kind}
    for first, rest in POINTS:
        point[:] = [first, rest]
        scoring.MEMBER = first if rest is None else scoring.MEMBER
        cells = []
        for kind, items in sets.items():
            hits = {True: [0, 0], False: [0, 0]}
            for item in items:
                tally = hits[item.language == "et"]
                tally[0] += identifier.detect(item.text).language == item.language
                tally[1] += 1
            other, estonian = (hits[False][0] / hits[False][1], hits[True][0] / hits[True][1])
            cells.append(f"{kind}: other {other * 100:.2f} et {estonian * 100:.2f}")
        scoring.MEMBER = default
        label = f"one tier MEMBER={first}" if rest is None else f"frequent {first} rest {rest}"
        print(f"{label:28} | " + " | ".join(cells), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:2], *[int(value) for value in sys.argv[2:3]])
