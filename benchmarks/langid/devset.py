"""The language-identification dev set: seed articles and our own text, split into sentences, word pairs
and single words, each also with diacritics stripped. See README.md for the rules and their reasons."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

HERE = Path(__file__).parent
SEEDS = HERE.parents[1].parent / "shared" / "corpus" / "seeds"
SEED_LANGUAGES = {
    "000_c309ce5dfc9d3eda.txt": "tr",
    "001_531dc0631982507b.txt": "fi",
    "002_abb78b176a6e66be.txt": "tr",
    "003_c94d554d56a8a414.txt": "hu",
    "004_dbc2954f1fec9847.txt": "tr",
}
# Where a seed stops being its article (the Finnish file ends with unrelated web-page residue).
SEED_END = {"001_531dc0631982507b.txt": "Mielenkiintoisia Artikkeleita"}
# Page furniture, not text in the file's language: English date stamps, a byline, an image alt text.
DROPPED_LINES = {
    "Çeşitli / / July 04, 2021",
    "Florencia Ucha, Kasım ayında. 2009",
    "Tuesday March 2,2021",
    "broken image",
}
_SENTENCE_END = re.compile(r"(?<=[.!?…:;])\s+|\s+[•|–-]\s+")
_PUNCT = "\"'`“”„‘’«»()[]{}.,;:!?…•|–-/*"


@dataclass(frozen=True)
class Item:
    language: str
    text: str


def strip_diacritics(text: str) -> str:
    """Remove diacritics but keep case, as a customer on a foreign keyboard would type."""
    text = text.replace("ı", "i").replace("İ", "I").replace("ə", "e").replace("Ə", "E")
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _word(token: str) -> str:
    """The token as a dev-set word, or "" if it is not alphabetic with at least two letters."""
    word = token.strip(_PUNCT)
    return word if len(word) >= 2 and word.isalpha() else ""


def _lines(path: Path) -> List[str]:
    text = path.read_text(encoding="utf-8")
    end = SEED_END.get(path.name)
    if end:
        text = text[: text.index(end)]
    lines = [line.strip(" •\t") for line in text.splitlines()]
    return [line for line in lines if line and line not in DROPPED_LINES]


def _english_lines() -> List[str]:
    lines = (HERE / "data" / "english.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def _sources() -> List[Tuple[str, List[str]]]:
    sources = [(SEED_LANGUAGES[name], _lines(SEEDS / name)) for name in sorted(SEED_LANGUAGES)]
    return sources + [("en", _english_lines())]


def build() -> Dict[str, List[Item]]:
    """{"words": [...], "pairs": [...], "sentences": [...]} of the seeds and our English, deduplicated."""
    return split_lines(_sources())


def split_lines(sources: List[Tuple[str, List[str]]]) -> Dict[str, List[Item]]:
    """(language, lines) cut into {"words": [...], "pairs": [...], "sentences": [...]}, deduplicated.

    sentences: split at . ! ? … : ; and list bullets, at least 3 dev-set words;
    pairs: consecutive, non-overlapping pairs of dev-set words inside one sentence;
    words: every alphabetic token of >= 2 letters (no digits, hyphens or apostrophes), once per language
    (case-insensitive).
    """
    sets: Dict[str, List[Item]] = {"words": [], "pairs": [], "sentences": []}
    seen: Dict[str, set] = {name: set() for name in sets}

    def add(kind: str, language: str, text: str) -> None:
        key = (language, text.lower())
        if key not in seen[kind]:
            seen[kind].add(key)
            sets[kind].append(Item(language, text))

    for language, lines in sources:
        for line in lines:
            for sentence in _SENTENCE_END.split(line):
                words = [w for w in (_word(t) for t in sentence.split()) if w]
                if len(words) >= 3:
                    add("sentences", language, sentence.strip())
                for word in words:
                    add("words", language, word)
                for start in range(0, len(words) - 1, 2):
                    add("pairs", language, f"{words[start]} {words[start + 1]}")
    return sets


def with_stripped(sets: Dict[str, List[Item]]) -> Dict[str, List[Item]]:
    """Adds "<kind> (no diacritics)" sets: every item of each set with diacritics removed."""
    result = dict(sets)
    for kind, items in sets.items():
        result[f"{kind}, no diacritics"] = [Item(i.language, strip_diacritics(i.text)) for i in items]
    return result


def read_tsv(name: str) -> List[Item]:
    lines = (HERE / "data" / name).read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t", 1) for line in lines if line and not line.startswith("#")]
    return [Item(language, text) for language, text in rows]


if __name__ == "__main__":
    from collections import Counter

    for kind, items in with_stripped(build()).items():
        print(kind, len(items), dict(Counter(i.language for i in items)))
