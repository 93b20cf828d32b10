"""Per-language statistics loaded from `data/`: character n-grams and a word-frequency lexicon (or, for a
language without frequencies, a plain list of its short word forms).

Each table exists twice: as spelled (with diacritics) and folded (without), so that a word typed without
diacritics is scored against what every spelling of it would look like once its diacritics are lost.
"""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import AbstractSet, Container, Dict, Iterator, List, Tuple

from bot.language.text import fold

DATA_DIR = Path(__file__).parent / "data"
MAX_ORDER = 4
_LN10 = math.log(10.0)


@dataclass(frozen=True)
class Tables:
    """Log conditional probabilities of the last letter of each n-gram (orders 1..MAX_ORDER) and the
    natural-log word probabilities of the lexicon (empty when the language has none).

    `members` is a word list without frequencies (empty unless the language has one): every form of up
    to `len(member_norm)` letters; `member_norm[n - 1]` is -log of the n-gram mass of its n-letter forms.
    """

    ngrams: Dict[str, float]
    lexicon: Dict[str, float]
    members: Container[str] = frozenset()
    member_norm: Tuple[float, ...] = ()


@dataclass(frozen=True)
class LanguageModel:
    """Everything known about one language, as spelled and folded."""

    code: str
    spelled: Tables
    folded: Tables


def available_languages() -> Tuple[str, ...]:
    """Codes of the languages that have data (any of them can be a candidate)."""
    return tuple(sorted(path.name.split(".")[0] for path in (DATA_DIR / "ngrams").glob("*.tsv.gz")))


def _rows(path: Path) -> Iterator[Tuple[str, int]]:
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").split("\n")
    pairs = (line.split("\t") for line in lines if line and line[0] != "#")
    return ((key, int(value)) for key, value in pairs)


def _conditionals(joint: Dict[str, float]) -> Dict[str, float]:
    """log P(last letter | preceding letters) from joint counts; unigrams relative to all letters."""
    log = math.log
    logs = {ngram: log(count) for ngram, count in joint.items()}
    letters = log(sum(count for ngram, count in joint.items() if len(ngram) == 1))
    result = {}
    for ngram, value in logs.items():
        context = logs.get(ngram[:-1], value) if len(ngram) > 1 else letters
        result[ngram] = min(value - context, 0.0)
    return result


def _tables(
    joint: Dict[str, float],
    lexicon: Dict[str, float],
    members: Container[str] = frozenset(),
    member_norm: Tuple[float, ...] = (),
) -> Tables:
    return Tables(
        ngrams=_conditionals(joint),
        lexicon={w: math.log(p) for w, p in lexicon.items()},
        members=members,
        member_norm=member_norm,
    )


class _Union:
    """Membership in either of two sets, without building their union (saves a copy of a large list)."""

    def __init__(self, first: AbstractSet[str], second: AbstractSet[str]) -> None:
        self._first, self._second = first, second

    def __contains__(self, word: object) -> bool:
        return word in self._first or word in self._second

    def __bool__(self) -> bool:
        return bool(self._first or self._second)


def _members(path: Path) -> Tuple[List[str], Tuple[float, ...]]:
    """The forms of a `<lang>.words.gz` list and its -log Z_n line; nothing if the file is absent."""
    if not path.exists():
        return [], ()
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").split("\n")
    norm: Tuple[float, ...] = ()
    for line in lines[:2]:
        if line.startswith("# -log Z_n\t"):
            norm = tuple(float(value) for value in line.split("\t")[1].split())
    return [line for line in lines if line and line[0] != "#"], norm


@cache
def load_language(code: str) -> LanguageModel:
    """Reads one language's data (about 0.2 s); cached so identifiers share it. Raises KeyError if absent."""
    ngram_path = DATA_DIR / "ngrams" / f"{code}.tsv.gz"
    if not ngram_path.exists():
        raise KeyError(code)
    joint: Dict[str, float] = {}
    folded_joint: Dict[str, float] = {}
    for ngram, count in _rows(ngram_path):
        joint[ngram] = float(count)
        key = fold(ngram)
        if len(key) == len(ngram):  # "ß" -> "ss" would shift the n-gram order
            folded_joint[key] = folded_joint.get(key, 0.0) + count
    lexicon: Dict[str, float] = {}
    folded_lexicon: Dict[str, float] = {}
    lexicon_path = DATA_DIR / "lexicon" / f"{code}.tsv.gz"
    if lexicon_path.exists():
        for word, zipf100 in _rows(lexicon_path):
            probability = math.exp((zipf100 / 100.0 - 9.0) * _LN10)
            lexicon[word] = probability
            key = fold(word)
            folded_lexicon[key] = folded_lexicon.get(key, 0.0) + probability
    forms, norm = _members(DATA_DIR / "lexicon" / f"{code}.words.gz")
    members = frozenset(forms)
    # a word typed without diacritics (all ASCII) is a listed form as spelled or a listed form folded
    folded_members = _Union(members, frozenset(fold(form) for form in forms if not form.isascii()))
    return LanguageModel(
        code,
        _tables(joint, lexicon, members, norm),
        _tables(folded_joint, folded_lexicon, folded_members, norm),
    )
