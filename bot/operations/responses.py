"""Answer texts as they are on disk now: what the NLG endpoint gives Rasa, so that an operator's edit of
responses.yml is live at the next turn, without retraining.

Reads nlu_data/<language>/responses.yml again whenever a file's modification time changes.
"""

from __future__ import annotations

import random
import re
import threading
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

import yaml

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class ResponseTexts:
    def __init__(self, data_dir: Path, languages: Sequence[str], default_language: str,
                 choose: Any = random.choice) -> None:
        self._data_dir = data_dir
        self._languages = list(languages)
        self._default = default_language
        self._choose = choose
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, dict[str, list[dict[str, Any]]]]] = {}

    def _responses(self, language: str) -> dict[str, list[dict[str, Any]]]:
        path = self._data_dir / language / "responses.yml"
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            return {}
        with self._lock:
            cached = self._cache.get(language)
            if cached and cached[0] == mtime:
                return cached[1]
            loaded = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
            self._cache[language] = (mtime, loaded)
            return loaded

    def render(self, key: str, language: Optional[str], slots: Mapping[str, Any]) -> Optional[dict[str, Any]]:
        """One variation of `key` in `language` (else the default language), placeholders filled from
        `slots`; None when no language has the response."""
        for code in [language, self._default]:
            if not code or code not in self._languages:
                continue
            variations = self._responses(code).get(key)
            if variations:
                variation = dict(self._choose(variations))
                text = str(variation.get("text", ""))
                variation["text"] = _PLACEHOLDER.sub(
                    lambda m: str(slots[m.group(1)]) if slots.get(m.group(1)) is not None else m.group(0), text
                )
                variation.pop("condition", None)
                return variation
        return None
