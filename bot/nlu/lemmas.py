"""Per-language lemma tables: spacy-lookups-data lemmas, Snowball stems, both folded."""

from __future__ import annotations

import gzip
import json
import logging
from functools import cache
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Mapping, Optional

import snowballstemmer
import spacy
from spacy.language import Language

from bot.text import fold

logger = logging.getLogger(__name__)

# Snowball's algorithm name for each language code it covers.
SNOWBALL_ALGORITHMS = {
    "tr": "turkish", "fi": "finnish", "hu": "hungarian", "en": "english", "de": "german",
    "et": "estonian", "sv": "swedish", "nl": "dutch", "fr": "french", "es": "spanish",
    "it": "italian", "pt": "portuguese", "ru": "russian", "da": "danish", "no": "norwegian",
    "ro": "romanian", "el": "greek", "ar": "arabic", "lt": "lithuanian", "id": "indonesian",
}


@cache
def blank_pipeline(language: str) -> Language:
    """spaCy's blank pipeline (tokenizer rules only, no model download) for a language."""
    try:
        return spacy.blank(language)
    except (ImportError, KeyError, ValueError):
        logger.warning(f"spaCy has no rules for '{language}'; using its language-neutral tokenizer.")
        return spacy.blank("xx")


def _stemmer(language: str) -> Optional[Callable[[str], str]]:
    algorithm = SNOWBALL_ALGORITHMS.get(language)
    if algorithm is None:
        return None
    return snowballstemmer.stemmer(algorithm).stemWord


def lookups_table(language: str, name: str) -> Dict[str, Any]:
    """One of spacy-lookups-data's tables for a language ("lemma_lookup", "lexeme_cluster"), or {}.

    Read from the package's JSON rather than through spaCy's `Lookups`, whose tables keep only hashes
    of the keys.
    """
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / f"{language}_{name}.json.gz"
    if not path.exists():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return dict(json.load(handle))


def _lookup_table(language: str) -> Dict[str, str]:
    """The full spacy-lookups-data lemma table for a language (surface -> lemma), or {}."""
    return {str(surface): str(lemma) for surface, lemma in lookups_table(language, "lemma_lookup").items()}


class LemmaTables:
    """Maps a token to a folded lemma: lookup table first, Snowball stem second, folded form last."""

    def __init__(self, languages: Iterable[str], tables: Mapping[str, Mapping[str, str]]) -> None:
        self._languages = list(languages)
        self._tables = {language: dict(table) for language, table in tables.items()}
        self._lemmas = {language: set(table.values()) for language, table in self._tables.items()}
        self._stemmers = {language: _stemmer(language) for language in self._languages}

    @classmethod
    def empty(cls, languages: Iterable[str]) -> LemmaTables:
        return cls(languages, {})

    @classmethod
    def from_dict(cls, languages: Iterable[str], raw: Mapping[str, Mapping[str, str]]) -> LemmaTables:
        return cls(languages, raw)

    def to_dict(self) -> Dict[str, Dict[str, str]]:
        return self._tables

    def nlp(self, language: str) -> Language:
        return blank_pipeline(language)

    def lemma(self, language: str, word: str) -> str:
        folded = fold(word)
        table = self._tables.get(language)
        if table:
            lemma = table.get(folded)
            if lemma is not None:
                return lemma
            if folded in self._lemmas[language]:
                return folded
        stemmer = self._stemmers.get(language)
        if stemmer is None and language not in self._stemmers:
            stemmer = self._stemmers.setdefault(language, _stemmer(language))
        if stemmer is not None:
            return fold(stemmer(word.lower()))
        return folded


def build_lemma_tables(
    languages: Iterable[str], vocabulary: Mapping[str, Iterable[str]], prune: bool = True
) -> LemmaTables:
    """Folds each language's lookup table; with `prune`, keeps entries whose lemma the vocabulary has.

    A lemma that no training token has can never match a learned feature, so dropping it loses
    nothing and keeps the model small.
    """
    languages = list(languages)
    stemless = LemmaTables.empty(languages)
    tables: Dict[str, Dict[str, str]] = {}
    for language in languages:
        full = _lookup_table(language)
        if not full:
            continue
        folded: Dict[str, str] = {}
        folded_lemmas: Dict[str, str] = {}  # far fewer lemmas than forms: fold each once
        for surface, lemma in full.items():
            folded_lemma = folded_lemmas.get(lemma)
            if folded_lemma is None:
                folded_lemma = folded_lemmas.setdefault(lemma, fold(lemma))
            folded.setdefault(fold(surface), folded_lemma)
        if prune:
            words = set(vocabulary.get(language, ()))
            wanted = {folded.get(fold(word), stemless.lemma(language, word)) for word in words}
            folded = {surface: lemma for surface, lemma in folded.items() if lemma in wanted}
        tables[language] = folded
        logger.info(f"Lemma table for '{language}': {len(folded)} forms kept of {len(full)}.")
    return LemmaTables(languages, tables)
