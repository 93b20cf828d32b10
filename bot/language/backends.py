"""Engines that score a text in each candidate language: ours ("polydesk") and langdetect's."""

from __future__ import annotations

import math
from typing import Dict, List, Optional, Protocol, Sequence

from bot.language.model import load_language
from bot.language.scoring import word_scores
from bot.language.text import evidence_words


class Backend(Protocol):
    """Scores a text: log-likelihood per candidate (None when the text has no language evidence)."""

    def scores(self, text: str) -> Optional[Dict[str, float]]: ...

    def evidence(self, text: str) -> int: ...


class PolydeskBackend:
    """Lexicon and letter n-gram likelihoods summed over the text's evidence words."""

    def __init__(self, candidates: Sequence[str]) -> None:
        self._candidates = list(candidates)
        self._models = [load_language(code) for code in candidates]

    def evidence(self, text: str) -> int:
        return len(evidence_words(text))

    def scores(self, text: str) -> Optional[Dict[str, float]]:
        words = evidence_words(text)
        if not words:
            return None
        totals: List[float] = [0.0] * len(self._models)
        for word in words:
            for index, score in enumerate(word_scores(word, self._models)):
                totals[index] += score
        return dict(zip(self._candidates, totals, strict=True))


class LangdetectBackend:
    """The `langdetect` library (a port of Google's language-detection), restricted to the candidates.

    Kept for comparison and as a fallback; it needs `langdetect` installed and is seeded for
    reproducible results.
    """

    _FLOOR = 1e-6

    def __init__(self, candidates: Sequence[str]) -> None:
        from langdetect import DetectorFactory  # optional dependency, imported only when chosen
        from langdetect.detector_factory import init_factory

        DetectorFactory.seed = 0
        init_factory()
        from langdetect.detector_factory import _factory

        self._factory = _factory
        self._candidates = list(candidates)

    def evidence(self, text: str) -> int:
        return len(evidence_words(text))

    def scores(self, text: str) -> Optional[Dict[str, float]]:
        from langdetect.lang_detect_exception import LangDetectException

        if not evidence_words(text):
            return None
        detector = self._factory.create()
        detector.append(text)
        try:
            found = {item.lang: item.prob for item in detector.get_probabilities()}
        except LangDetectException:
            return None
        return {code: math.log(found.get(code, 0.0) + self._FLOOR) for code in self._candidates}


BACKENDS = {"polydesk": PolydeskBackend, "langdetect": LangdetectBackend}
