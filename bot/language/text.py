"""Turning a chat message into the words that carry language evidence.

Handles what customers type: any case, missing diacritics, letter elongation ("merhabaaa"), URLs,
e-mail addresses, order ids, emoji and words that are the same in every language ("ok", "lol").
"""

from __future__ import annotations

import re
from typing import List, Tuple

from bot.text import fold as _fold_base

# Letters `bot.text.fold` keeps but that have a plain Latin fallback in chat (Azerbaijani schwa).
_FOLD_EXTRA = str.maketrans({"ə": "e", "Ə": "e"})
# Turkish dotted capital I lowercases to "i" + combining dot in Python; customers mean "i".
_LOWER_SPECIAL = str.maketrans({"İ": "i", "I": "i"})

_CHUNK = re.compile(r"\S+")
_NOT_WORDS = re.compile(r"(?:https?://|www\.|@|\d)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_LONG_RUN = re.compile(r"(.)\1{2,}")

# Tokens that say nothing about the language: shared interjections, laughter, acknowledgements.
NEUTRAL_WORDS = frozenset(
    """ok okay okey oki okej okk kk k hmm hm hmmm mm aha ah oh haha hahaha hehe hihi lol lmao xd xdd
    wow omg oops uh um eh brb asap btw emoji pdf url www http https com net org""".split()
)

# Upper bound on the words scored per text: a 10,000-character paste costs no more than a paragraph.
MAX_WORDS = 64


class _FoldTable(dict):  # type: ignore[type-arg]
    """`str.translate` table that folds each character once, on first sight, with `bot.text.fold`."""

    def __missing__(self, codepoint: int) -> str:
        folded = _fold_base(chr(codepoint).translate(_FOLD_EXTRA))
        self[codepoint] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(word: str) -> str:
    """Lowercase without diacritics (see `bot.text.fold`), schwa included."""
    return word.lower().translate(_FOLD_TABLE)


def lower(word: str) -> str:
    """Lowercase, with Turkish dotted/dotless capitals mapped to the letter customers mean."""
    return word.translate(_LOWER_SPECIAL).lower()


def evidence_words(text: str) -> List[str]:
    """The lowercased words of `text` that can carry language evidence, at most `MAX_WORDS`.

    Chunks with digits, "@" or a URL prefix (order ids, prices, e-mails, links) are skipped whole;
    one-letter words and `NEUTRAL_WORDS` are dropped.
    """
    words: List[str] = []
    for chunk in _CHUNK.findall(text):
        if _NOT_WORDS.search(chunk):
            continue
        for match in _WORD.findall(chunk):
            word = lower(match)
            if len(word) < 2 or word in NEUTRAL_WORDS or fold(word) in NEUTRAL_WORDS:
                continue
            if len(set(word)) == 1:  # "aaaa", "ss"
                continue
            words.append(word)
            if len(words) >= MAX_WORDS:
                return words
    return words


def spellings(word: str) -> Tuple[str, ...]:
    """The word as typed, or its de-elongated readings ("kiitoooos" -> "kiitos", "kiitoos").

    Runs of three or more equal letters are never regular spelling in our languages, so they are
    read both as one and as two letters (Finnish and Hungarian have long vowels and consonants).
    """
    if not _LONG_RUN.search(word):
        return (word,)
    return (_LONG_RUN.sub(r"\1", word), _LONG_RUN.sub(r"\1\1", word))
