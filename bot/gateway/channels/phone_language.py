"""A language prior from a phone number's country calling code (WhatsApp gives nothing better).

Only a prior: a Finnish number may belong to a Swedish speaker, and the detector still reads the text.
The table is data (`calling_codes.json`) so operators add their markets without touching code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping, Optional

CALLING_CODES_FILE = Path(__file__).resolve().parent / "calling_codes.json"


def load_calling_codes(path: Path = CALLING_CODES_FILE) -> dict[str, str]:
    data = json.loads(path.read_text("utf-8"))
    return {code: language for code, language in data.items() if code.isdigit()}


def language_of_number(number: str, table: Mapping[str, str]) -> Optional[str]:
    """`+905321234567` or `905321234567` → `tr`; calling codes are 1-3 digits, the longest match wins."""
    digits = "".join(ch for ch in number if ch.isdigit())
    for length in (3, 2, 1):
        language = table.get(digits[:length])
        if language:
            return language
    return None
