"""Who changed what in the assistant's content, and when: one JSON object per line, appended."""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional


@dataclass(frozen=True)
class Change:
    who: str
    action: str  # add_examples, remove_example, create_intent, set_response, ...
    file: str  # relative to the project root
    language: Optional[str] = None
    target: Optional[str] = None  # intent or response key
    details: dict[str, Any] = field(default_factory=dict)
    at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))


class ChangeLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, change: Change) -> Change:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(asdict(change), ensure_ascii=False)
        with self._lock, self.path.open("a", encoding="utf-8") as stream:
            stream.write(line + "\n")
        return change

    def entries(self, limit: int = 200) -> list[Change]:
        """The newest `limit` changes, newest first."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [Change(**json.loads(line)) for line in reversed(lines[-limit:]) if line.strip()]
