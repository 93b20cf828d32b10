"""Cleaning customer text where it enters: any Unicode in, safe bounded text out.

Shared by the Rasa side (channel and pipeline) and the gateway, so it imports nothing from either.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Unicode categories removed from customer text: control, format (except joiners used by emoji and
# some scripts), surrogates, unassigned and private-use characters.
_DROPPED_CATEGORIES = {"Cc", "Cs", "Cn", "Co"}
_KEPT_FORMAT = {"\u200d", "\u200c", "\ufe0f"}
_WHITESPACE_CONTROLS = {"\n": " ", "\t": " ", "\r": " "}


@dataclass(frozen=True)
class CleanText:
    """The cleaned text, and how many characters were cut from its end (0 when nothing was)."""

    text: str
    cut_characters: int = 0

    @property
    def truncated(self) -> bool:
        return self.cut_characters > 0


def clean_text(text: object, max_characters: int) -> CleanText:
    """Normalises to NFC, drops control and invisible format characters, collapses spaces, and cuts
    the text to `max_characters` (at a word boundary when one is near) so that nothing downstream sees
    unbounded input. Non-string input becomes empty text.
    """
    if not isinstance(text, str):
        return CleanText("")
    normalised = unicodedata.normalize("NFC", text)
    kept = []
    for char in normalised:
        if char in _WHITESPACE_CONTROLS:
            kept.append(_WHITESPACE_CONTROLS[char])
            continue
        category = unicodedata.category(char)
        if category in _DROPPED_CATEGORIES:
            continue
        if category == "Cf" and char not in _KEPT_FORMAT:
            continue
        kept.append(char)
    cleaned = " ".join("".join(kept).split())
    if len(cleaned) <= max_characters:
        return CleanText(cleaned)
    cut = cleaned[:max_characters]
    boundary = cut.rfind(" ")
    if boundary >= max_characters * 0.8:
        cut = cut[:boundary]
    return CleanText(cut, cut_characters=len(cleaned) - len(cut))


class _FoldMap(dict):
    """Code point -> the same letter without diacritics, computed once per distinct character."""

    def __missing__(self, codepoint: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(codepoint))
        folded = "".join(char for char in decomposed if not unicodedata.combining(char))
        self[codepoint] = folded
        return folded


# Seeded with the letters that NFKD does not decompose into a base letter plus a combining mark.
_FOLD_MAP = _FoldMap({ord("ı"): "i", ord("ß"): "ss", ord("ø"): "o", ord("æ"): "ae", ord("đ"): "d"})


def fold(text: str) -> str:
    """Lowercase without diacritics: what a customer who types `tesekkurler` means by `teşekkürler`.

    Used where the typed form should not matter (tokens' lemmas, lexicon keys). Fast enough for the
    1.3 million forms of the Turkish lemma table: ASCII text skips the character map.
    """
    lowered = text.lower()  # "İ" becomes "i" plus a combining dot, which the map drops
    if lowered.isascii():
        return lowered
    return lowered.translate(_FOLD_MAP)


_PUNCTUATION = re.compile(r"[^\w\s]+", re.UNICODE)
_STRETCHED = re.compile(r"(\w)\1{2,}", re.UNICODE)


def text_key(text: str) -> str:
    """What makes two customer texts the same text: case, diacritics, punctuation, spacing and stretched
    letters ignored, so "Missä paketti???" and "missa paketti" share a key (the inbox groups by it, the
    example overlay matches by it)."""
    folded = fold(text)
    folded = _PUNCTUATION.sub(" ", folded)
    folded = _STRETCHED.sub(r"\1", folded)
    return " ".join(folded.split())[:500]
