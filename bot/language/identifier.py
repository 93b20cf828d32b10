"""Choosing the language of a text among a bot's configured languages, with an optional prior."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from bot.language.backends import BACKENDS, Backend
from bot.language.detection import UNDETERMINED, Detection
from bot.language.model import available_languages

# A prior moves a language's log score by at most this many nats (about x4.5 either way), so it decides
# between languages the text cannot tell apart but never outweighs clear evidence.
PRIOR_CAP = 1.5
_PRIOR_FLOOR = 1e-3


class LanguageIdentifier:
    """Identifies the language of texts among fixed candidates; loads its data once, at construction."""

    def __init__(self, candidates: Sequence[str], backend: str = "polydesk") -> None:
        codes = [code.strip().lower() for code in candidates]
        if not codes:
            raise ValueError("at least one candidate language is required")
        if len(set(codes)) != len(codes):
            raise ValueError(f"duplicate candidate languages: {', '.join(candidates)}")
        known = available_languages()
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise ValueError(
                f"unsupported candidate language(s): {', '.join(unknown)}; supported: {', '.join(known)}"
            )
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
        self.candidates: Tuple[str, ...] = tuple(codes)
        self.backend = backend
        self._backend: Backend = BACKENDS[backend](self.candidates)

    def detect(self, text: str, prior: Optional[Mapping[str, float]] = None) -> Detection:
        """The most likely candidate language of `text`, `und` when it has no language evidence.

        `prior` weights languages (e.g. `{"fi": 0.7}` from the browser or the conversation so far);
        languages it leaves out share the remaining weight, codes that are not candidates are ignored.
        """
        log_prior = self._log_prior(prior)
        scores = self._backend.scores(text) if text else None
        if scores is None:
            ranking = sorted(
                ((code, math.exp(log_prior[code])) for code in self.candidates),
                key=lambda item: -item[1],
            )
            return Detection(UNDETERMINED, 0.0, _normalised(ranking), 0)
        posterior = {code: scores[code] + log_prior[code] for code in self.candidates}
        best = max(posterior.values())
        weights = [(code, math.exp(value - best)) for code, value in posterior.items()]
        ranking = _normalised(sorted(weights, key=lambda item: -item[1]))
        language, confidence = ranking[0]
        return Detection(language, confidence, ranking, self._backend.evidence(text))

    def _log_prior(self, prior: Optional[Mapping[str, float]]) -> Dict[str, float]:
        """Per candidate, log(prior / uniform) clipped to +-PRIOR_CAP (0 everywhere without a prior)."""
        if not prior:
            return {code: 0.0 for code in self.candidates}
        given = {code: max(float(prior.get(code, 0.0)), 0.0) for code in self.candidates if code in prior}
        total = sum(given.values())
        if total <= 0:
            return {code: 0.0 for code in self.candidates}
        if total > 1.0:
            given = {code: weight / total for code, weight in given.items()}
            total = 1.0
        rest = [code for code in self.candidates if code not in given]
        share = (1.0 - total) / len(rest) if rest else 0.0
        uniform = 1.0 / len(self.candidates)
        result = {}
        for code in self.candidates:
            weight = max(given.get(code, share), _PRIOR_FLOOR)
            result[code] = max(-PRIOR_CAP, min(PRIOR_CAP, math.log(weight / uniform)))
        return result


def _normalised(ranking: List[Tuple[str, float]]) -> List[Tuple[str, float]]:
    total = sum(weight for _, weight in ranking) or 1.0
    return [(code, weight / total) for code, weight in ranking]


@lru_cache(maxsize=32)
def _identifier(candidates: Tuple[str, ...], backend: str) -> LanguageIdentifier:
    return LanguageIdentifier(candidates, backend)


def detect(
    text: str,
    candidates: Sequence[str],
    prior: Optional[Mapping[str, float]] = None,
    backend: str = "polydesk",
) -> Detection:
    """`LanguageIdentifier(candidates, backend).detect(text, prior)`, reusing one identifier per
    candidate tuple so that data is loaded once."""
    return _identifier(tuple(candidates), backend).detect(text, prior)
