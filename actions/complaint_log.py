"""Where recorded complaints go: a small SQLite table, one row per complaint, with its reference."""

from __future__ import annotations

import secrets
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

_SCHEMA = """
CREATE TABLE IF NOT EXISTS complaints (
    reference TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    language TEXT,
    topic TEXT,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
)
"""
# No 0/O or 1/I: references are read out on the phone.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class ComplaintLog:
    """Appends complaints; safe to share between the action server's worker threads."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._lock = threading.Lock()
        with sqlite3.connect(self._path) as connection:
            connection.execute(_SCHEMA)

    def record(
        self, conversation_id: str, language: Optional[str], topic: Optional[str], text: str
    ) -> str:
        """Stores one complaint and returns its new reference, e.g. `C-261123-7KQ4`."""
        now = datetime.now(timezone.utc)
        with self._lock, sqlite3.connect(self._path) as connection:
            while True:
                suffix = "".join(secrets.choice(_ALPHABET) for _ in range(4))
                reference = f"C-{now:%y%m%d}-{suffix}"
                try:
                    connection.execute(
                        "INSERT INTO complaints VALUES (?, ?, ?, ?, ?, ?)",
                        (reference, conversation_id, language, topic, text, now.isoformat()),
                    )
                    return reference
                except sqlite3.IntegrityError:
                    continue

    def get(self, reference: str) -> Optional[dict]:
        with sqlite3.connect(self._path) as connection:
            connection.row_factory = sqlite3.Row
            row = connection.execute(
                "SELECT * FROM complaints WHERE reference = ?", (reference,)
            ).fetchone()
        return dict(row) if row else None
