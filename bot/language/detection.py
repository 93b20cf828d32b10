"""The result of identifying the language of one text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Tuple

UNDETERMINED = "und"
"""BCP 47 code for "no language evidence" (emoji, numbers, URLs, "ok")."""


@dataclass(frozen=True)
class Detection:
    """Best language among the candidates, its posterior probability and the full ranking.

    `language` is `UNDETERMINED` (confidence 0.0) when the text has no word that carries evidence;
    `evidence` counts the words that were scored, so a caller can tell one word from a sentence.
    """

    language: str
    confidence: float
    ranking: List[Tuple[str, float]] = field(default_factory=list)
    evidence: int = 0

    @property
    def undetermined(self) -> bool:
        return self.language == UNDETERMINED
