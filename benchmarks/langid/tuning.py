"""A tuning set for the engine's constants, separate from the dev set (which is the test set).

Built from the gettext translations (`.mo` files) of Debian packages, not from any text the dev set uses:
each message's English original (msgid) is English text and its translation (msgstr) text in the
translation's language. Words, word pairs and sentences are cut with the dev set's own rules
(`devset.build`), so the tuning set looks like the dev set but shares no text with it.

    PYTHONPATH=. /tmp/langid/bin/python benchmarks/langid/tuning.py     # prints the set's sizes

Needs the Debian packages in `PACKAGES` (most are on every Debian system).
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Dict, Iterator, List, Sequence, Tuple

import devset

LOCALE_DIR = Path("/usr/share/locale")
# gettext domain -> Debian package that installs it
PACKAGES = {
    "coreutils": "coreutils",
    "tar": "tar",
    "findutils": "findutils",
    "grep": "grep",
    "sed": "sed",
    "bash": "bash",
    "wget": "wget",
    "glib20": "libglib2.0-data",
    "gtk30": "libgtk-3-common",
    "system-config-printer": "system-config-printer-common",
}
LANGUAGES = ("tr", "fi", "hu", "de", "et")
# printf and Python format specifiers, markup, accelerators, option names, paths, backslash escapes
_NOISE = re.compile(r"%[-+ #0-9.*]*[a-zA-Z]|\{[^}]*\}|<[^>]*>|\\.|--?[\w-]+|\S*/\S*|[_&](?=\w)|\S*\d\S*")
_SPACE = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACE.sub(" ", _NOISE.sub(" ", text)).strip()


def _messages(language: str) -> Iterator[Tuple[str, str]]:
    """(English original, translation) of every translated message of the domains in PACKAGES."""
    for domain in PACKAGES:
        path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.mo"
        if not path.exists():
            continue
        with open(path, "rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        for key, value in sorted(catalog.items(), key=lambda item: str(item[0])):
            original = key[0] if isinstance(key, tuple) else key
            if original and value and value != original and "\x00" not in original:
                yield _clean(original.split("\x04")[-1]), _clean(value)


def _lines() -> List[Tuple[str, List[str]]]:
    """Per language the cleaned lines; translations lose words that also occur in their original
    (untranslated names and option words stay English)."""
    english: List[str] = []
    sources: List[Tuple[str, List[str]]] = []
    for language in LANGUAGES:
        lines = []
        for original, translation in _messages(language):
            english.append(original)
            kept = set(original.lower().split())
            lines.append(" ".join(w for w in translation.split() if w.lower() not in kept))
        sources.append((language, lines))
    sources.append(("en", sorted(set(english))))
    return sources


def build(per_language: int = 400) -> Dict[str, List[devset.Item]]:
    """words, pairs and sentences (plus their no-diacritics versions), at most `per_language` items of
    each kind and language, cut with the dev set's rules and spread evenly over the source."""
    cut = devset.split_lines(_lines())
    result: Dict[str, List[devset.Item]] = {}
    for kind, items in cut.items():
        chosen: List[devset.Item] = []
        for language in LANGUAGES + ("en",):
            own = [item for item in items if item.language == language]
            step = max(1, len(own) // per_language)
            chosen += own[::step][:per_language]
        result[kind] = chosen
    return devset.with_stripped(result)


def sizes(sets: Dict[str, Sequence[devset.Item]]) -> str:
    return ", ".join(f"{kind} {len(items)}" for kind, items in sets.items() if "no diacritics" not in kind)


if __name__ == "__main__":
    from collections import Counter

    for kind, items in build().items():
        print(kind, len(items), dict(Counter(item.language for item in items)))
