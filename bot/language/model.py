"""Per-language statistics loaded from `data/`: character n-grams and a word-frequency lexicon.

Each table exists twice: as spelled (with diacritics) and folded (without), so that a word typed without
diacritics is scored against what every spelling of it would look like once its diacritics are lost.
"""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Dict, Iterator, Tuple

from bot.language.text import fold

DATA_DIR = Path(__file__).parent / "data"
MAX_ORDER = 4
_LN10 = math.log(10.0)


@dataclass(frozen=True)
class Tables:
    """Log conditional probabilities of the last letter of each n-gram (orders 1..MAX_ORDER) and the
    natural-log word probabilities of the lexicon (empty when the language has none)."""

    ngrams: Dict[str, float]
    lexicon: Dict[str, float]


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


def _tables(joint: Dict[str, float], lexicon: Dict[str, float]) -> Tables:
    return Tables(ngrams=_conditionals(joint), lexicon={w: math.log(p) for w, p in lexicon.items()})


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
    return LanguageModel(code, _tables(joint, lexicon), _tables(folded_joint, folded_lexicon))
