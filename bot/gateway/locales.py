"""User-facing strings of the gateway, widget and consoles, read from `locales/{lang}.json`.

Texts never live in code: the gateway looks them up here by key, the browser fetches the same files.
An unknown language falls back to English, a key missing in one language to its English text.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Mapping, Optional

logger = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
CANNED_REPLIES_DIR = Path(__file__).resolve().parent / "console" / "canned_replies"
FALLBACK = "en"


def base_language(code: Optional[str]) -> Optional[str]:
    """`hu-HU` → `hu`; None or empty stays None."""
    if not code:
        return None
    return code.replace("_", "-").split("-")[0].strip().lower() or None


class Locales:
    """All locale bundles, loaded once when the app starts."""

    def __init__(self, bundles: Mapping[str, Mapping[str, str]]) -> None:
        if FALLBACK not in bundles:
            raise ValueError(f"the {FALLBACK} locale is required as the fallback")
        self._bundles = {code: dict(bundle) for code, bundle in bundles.items()}

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR) -> Locales:
        bundles = {
            path.stem: json.loads(path.read_text("utf-8")) for path in sorted(directory.glob("*.json"))
        }
        return cls(bundles)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self._bundles))

    def resolve(self, language: Optional[str]) -> str:
        """The bundle to use for `language`: itself if we have it, else English."""
        code = base_language(language)
        return code if code in self._bundles else FALLBACK

    def bundle(self, language: Optional[str]) -> dict[str, str]:
        """Every key, in `language` where translated, in English otherwise."""
        merged = dict(self._bundles[FALLBACK])
        merged.update(self._bundles[self.resolve(language)])
        return merged

    def text(self, language: Optional[str], key: str, **params: Any) -> str:
        template = self._bundles[self.resolve(language)].get(key) or self._bundles[FALLBACK].get(key)
        if template is None:
            logger.error("locale key %r is missing in every language", key)
            return key
        try:
            return template.format(**params)
        except (KeyError, IndexError):
            logger.exception("locale key %r needs other parameters than %s", key, sorted(params))
            return template


def load_canned_replies(directory: Path = CANNED_REPLIES_DIR) -> dict[str, list[dict[str, str]]]:
    """Agents' canned replies per language (`console/canned_replies/{lang}.json`)."""
    return {
        path.stem: list(json.loads(path.read_text("utf-8"))["replies"])
        for path in sorted(directory.glob("*.json"))
    }
