"""A hash of the code and data Polydesk's pipeline components run, for Rasa's training cache and for the
model's fingerprint.

Rasa keys a component's cached training output by its config, its inputs and the source of the component
class itself, not of the modules that class calls: an upgrade that changed only `ngram_regression.py` or
the language detector's n-gram tables would have `rasa train` restore the old regression from
`.rasa/cache`, and `polydesk up` would keep serving a model trained by the old code. Every component in
`bot/nlu/` adds this hash to its fingerprint (`CodeVersioned`), and `bot.assembly.fingerprint` includes it,
so a change to any of these files retrains what depends on it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

PACKAGE = Path(__file__).resolve().parent.parent  # bot/
# what the components import or read: the NLU package, the language identifier with its data, and the
# shared modules they use
SOURCES = ("nlu", "language", "text.py", "complaint_topics.py", "overlay.py")


def source_files(package: Path = PACKAGE, sources: Sequence[str] = SOURCES) -> List[Path]:
    """The files of `sources` (paths under `package`) in a stable order, without caches and compiled files."""
    files: List[Path] = []
    for name in sources:
        path = package / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                         and p.suffix not in (".pyc", ".pyo"))
    return sorted(files)


def code_fingerprint(package: Path = PACKAGE, sources: Sequence[str] = SOURCES) -> str:
    """A short hash of the names and contents of `source_files`."""
    digest = hashlib.sha256()
    for path in source_files(package, sources):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def current_code_fingerprint() -> str:
    """`code_fingerprint` of the installed package, computed once per process."""
    return code_fingerprint()


class CodeVersioned:
    """Mixin for a GraphComponent: its training-cache key changes with the pipeline's code."""

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        return current_code_fingerprint()
