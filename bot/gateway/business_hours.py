"""When agents work: opening hours per weekday in one time zone, from `POLYDESK_BUSINESS_HOURS`.

Format: `"mon-fri 08:00-20:00; sat 10:00-16:00"` (days without an entry are closed; several ranges per
day are allowed, `"mon 08:00-12:00, 13:00-17:00"`), or `"always"`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.settings import ConfigError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _time(text: str) -> time:
    try:
        hours, minutes = text.strip().split(":")
        if hours == "24" and minutes == "00":
            return time.max
        return time(int(hours), int(minutes))
    except ValueError as error:
        raise ConfigError(f"POLYDESK_BUSINESS_HOURS: {text!r} is not a HH:MM time") from error


def _days(text: str) -> list[int]:
    text = text.strip().lower()
    if "-" in text:
        first, last = (part.strip() for part in text.split("-", 1))
        if first not in DAYS or last not in DAYS:
            raise ConfigError(f"POLYDESK_BUSINESS_HOURS: unknown day range {text!r} (use mon..sun)")
        return list(range(DAYS.index(first), DAYS.index(last) + 1))
    if text not in DAYS:
        raise ConfigError(f"POLYDESK_BUSINESS_HOURS: unknown day {text!r} (use mon..sun)")
    return [DAYS.index(text)]


@dataclass(frozen=True)
class BusinessHours:
    timezone: ZoneInfo
    # weekday (0 = Monday) -> [(start, end)]; None means always open
    ranges: Optional[dict[int, list[tuple[time, time]]]]

    @classmethod
    def parse(cls, spec: str, timezone_name: str) -> BusinessHours:
        try:
            zone = ZoneInfo(timezone_name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ConfigError(f"POLYDESK_TIMEZONE: unknown time zone {timezone_name!r}") from error
        if spec.strip().lower() in ("always", "24/7", ""):
            return cls(zone, None)
        ranges: dict[int, list[tuple[time, time]]] = {}
        for entry in filter(None, (part.strip() for part in spec.split(";"))):
            days, _, hours = entry.partition(" ")
            for span in filter(None, (part.strip() for part in hours.split(","))):
                start, _, end = span.partition("-")
                opening, closing = _time(start), _time(end)
                if closing <= opening:
                    raise ConfigError(f"POLYDESK_BUSINESS_HOURS: {span!r} ends before it starts")
                for day in _days(days):
                    ranges.setdefault(day, []).append((opening, closing))
        return cls(zone, ranges)

    def is_open(self, moment: datetime) -> bool:
        if self.ranges is None:
            return True
        local = moment.astimezone(self.timezone)
        return any(start <= local.time() < end for start, end in self.ranges.get(local.weekday(), []))

    def next_opening(self, moment: datetime) -> Optional[tuple[int, time]]:
        """(weekday, time) of the next opening after `moment`, local time; None if never open."""
        if not self.ranges:
            return None
        local = moment.astimezone(self.timezone)
        for offset in range(8):
            day = (local + timedelta(days=offset)).weekday()
            for start, _end in sorted(self.ranges.get(day, [])):
                if offset > 0 or start > local.time():
                    return day, start
        return None
