"""Input hygiene at the customer-facing edge: text sanitising, per-connection rate limits, origins."""

from __future__ import annotations

import re
import time
import unicodedata
from collections import deque
from typing import Callable, Optional
from urllib.parse import urlsplit

from bot.gateway.channels.base import InvalidInbound

# C0/C1 control characters except tab and newline; carriage returns become newlines first
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,255}\.[A-Za-z]{2,63}$")


def clean_text(raw: object, max_characters: int) -> str:
    """The customer's text as stored and shown: control characters stripped, NFC, length-checked.
    Raises InvalidInbound(`too_long` | `empty` | `bad_request`)."""
    if not isinstance(raw, str):
        raise InvalidInbound("bad_request", "text must be a string")
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text).strip()
    if len(text) > max_characters:
        raise InvalidInbound("too_long", f"more than {max_characters} characters", limit=max_characters)
    if not text:
        raise InvalidInbound("empty", "nothing but whitespace")
    return text


def valid_email(raw: object) -> Optional[str]:
    if isinstance(raw, str) and _EMAIL.match(raw.strip()):
        return raw.strip()
    return None


class RateLimiter:
    """At most `limit` events per sliding `window_seconds` (one per connection)."""

    def __init__(
        self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window_seconds
        self._clock = clock
        self._events: deque[float] = deque()

    def allow(self) -> bool:
        now = self._clock()
        while self._events and now - self._events[0] >= self._window:
            self._events.popleft()
        if len(self._events) >= self._limit:
            return False
        self._events.append(now)
        return True


def origin_allowed(origin: Optional[str], allowed: tuple[str, ...], own_host: str) -> bool:
    """A browser's Origin against the allow-list; an empty list means same origin only.
    Clients without an Origin header (not browsers) are allowed: origins protect browsers' users."""
    if not origin:
        return True
    if "*" in allowed:
        return True
    normalized = origin.rstrip("/").lower()
    if allowed:
        return normalized in {entry.rstrip("/").lower() for entry in allowed}
    return urlsplit(normalized).netloc == own_host.lower()
