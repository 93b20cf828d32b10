"""The example overlay: training examples a model's classifiers have not learned yet, matched by text.

An operator's incremental retrain adds examples without training: the candidate is the serving model plus
an overlay of the examples added or edited since its last full training. A customer text that folds to an
overlay example's text (`bot.text.text_key`: case, diacritics, punctuation, spacing), or is a near
duplicate of it, gets that example's label. Paraphrases are left to the classifiers, which learn the
examples at the next full training. Shared by the Rasa component (`bot.nlu.example_overlay`) and the
model builder (`bot.operations.overlay_model`), so nothing here imports Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional

from bot.text import text_key

RESOURCE_FILE = "overlay.json"  # inside the component's resource folder of a model archive
FORMAT_VERSION = 1


@dataclass(frozen=True)
class OverlayExample:
    """A labelled text; `language` None means any language; `intent` may be a retrieval key (faq/x)."""

    language: Optional[str]
    intent: str
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"language": self.language, "intent": self.intent, "text": self.text}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> OverlayExample:
        language = raw.get("language")
        return cls(str(language) if language else None, str(raw["intent"]), str(raw["text"]))


@dataclass(frozen=True)
class OverlayMatch:
    example: OverlayExample
    similarity: float  # 1.0 for the same key, else 1 - typos / the key's length


def one_edit_apart(first: str, second: str) -> bool:
    """True when one insertion, deletion, substitution or swap of neighbours turns one word into the other."""
    if first == second or abs(len(first) - len(second)) > 1:
        return False
    if len(first) == len(second):
        diffs = [i for i, (a, b) in enumerate(zip(first, second)) if a != b]
        if len(diffs) == 1:
            return True
        i = diffs[0]
        return len(diffs) == 2 and diffs[1] == i + 1 and first[i] == second[i + 1] and first[i + 1] == second[i]
    shorter, longer = sorted((first, second), key=len)
    i = next((i for i, (a, b) in enumerate(zip(shorter, longer)) if a != b), len(shorter))
    return shorter[i:] == longer[i + 1 :]


@dataclass(frozen=True)
class TypoTolerance:
    """When a text is a near duplicate of an example: the same words in the same order, except at most
    `max_typos` words of at least `min_word_length` letters that are one edit (a typo) away, in a text of
    at least `min_words` words. Word-aligned on purpose: an added or removed word ("not", "ei", "nem") or
    a two-letter suffix (Turkish "geldi"/"gelmedi") never matches, however long the sentence, where a
    character n-gram similarity cannot tell a negation in a long sentence from a typo."""

    max_typos: int = 2
    min_word_length: int = 4
    min_words: int = 3

    def typos(self, words: tuple[str, ...], example: tuple[str, ...]) -> Optional[int]:
        """How many words differ by a typo, None when the texts differ otherwise (or too much)."""
        if len(words) != len(example) or len(words) < self.min_words:
            return None
        typos = 0
        for word, other in zip(words, example):
            if word == other:
                continue
            if min(len(word), len(other)) < self.min_word_length or not one_edit_apart(word, other):
                return None
            typos += 1
            if typos > self.max_typos:
                return None
        return typos


class ExampleIndex:
    """Overlay examples by language and key: exact look-ups, then a scan for near duplicates among the
    examples of the same word count. `tolerance` None matches exact keys only."""

    def __init__(self, examples: Iterable[OverlayExample], tolerance: Optional[TypoTolerance]) -> None:
        self.examples = list(examples)
        self._tolerance = tolerance
        self._exact: dict[tuple[Optional[str], str], OverlayExample] = {}
        self._by_length: dict[tuple[Optional[str], int], list[tuple[tuple[str, ...], OverlayExample]]] = {}
        for example in self.examples:  # a later example (a newer edit) wins over an earlier one
            key = text_key(example.text)
            if not key:
                continue
            self._exact[(example.language, key)] = example
            words = tuple(key.split())
            self._by_length.setdefault((example.language, len(words)), []).append((words, example))

    def __len__(self) -> int:
        return len(self.examples)

    def match(self, text: str, language: Optional[str]) -> Optional[OverlayMatch]:
        """The example `text` repeats in `language` (or a language-neutral one), None when none does."""
        if not self.examples:
            return None
        key = text_key(text)
        if not key:
            return None
        scopes = [language, None] if language else [None]
        for scope in scopes:
            exact = self._exact.get((scope, key))
            if exact is not None:
                return OverlayMatch(exact, 1.0)
        if self._tolerance is None:
            return None
        words = tuple(key.split())
        best: Optional[tuple[int, OverlayExample]] = None
        for scope in scopes:
            for example_words, example in self._by_length.get((scope, len(words)), []):
                typos = self._tolerance.typos(words, example_words)
                if typos is not None and (best is None or typos < best[0]):
                    best = (typos, example)
        if best is None:
            return None
        return OverlayMatch(best[1], round(1.0 - best[0] / len(key), 4))


def overlay_document(examples: Iterable[OverlayExample], responses: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """The resource file's content: the examples and the retrieval responses the selector output needs."""
    return {
        "version": FORMAT_VERSION,
        "examples": [example.to_json() for example in examples],
        "responses": responses or {},
    }


def read_document(raw: Any) -> tuple[list[OverlayExample], dict[str, Any]]:
    """Examples and responses from a resource file's parsed JSON; raises ValueError when malformed."""
    if not isinstance(raw, dict) or raw.get("version") != FORMAT_VERSION:
        raise ValueError(f"not an example overlay of version {FORMAT_VERSION}")
    try:
        examples = [OverlayExample.from_json(item) for item in raw.get("examples") or []]
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"malformed overlay example: {error}") from error
    responses = raw.get("responses") or {}
    if not isinstance(responses, dict):
        raise ValueError("overlay responses must be a mapping")
    return examples, responses
