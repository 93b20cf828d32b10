"""Where a message's language is kept between pipeline components."""

from __future__ import annotations

from typing import Optional

from rasa.shared.nlu.constants import METADATA, METADATA_EXAMPLE, METADATA_INTENT
from rasa.shared.nlu.training_data.message import Message

LANGUAGE_KEY = "language"


def message_language(message: Message) -> Optional[str]:
    """The language `LanguageDetector` chose, else the one the training data was tagged with."""
    detected = message.get(LANGUAGE_KEY)
    if isinstance(detected, dict) and detected.get("code"):
        return str(detected["code"])
    metadata = message.get(METADATA) or {}
    if not isinstance(metadata, dict):
        return None
    for section in (METADATA_EXAMPLE, METADATA_INTENT):
        tagged = metadata.get(section)
        if isinstance(tagged, dict) and tagged.get(LANGUAGE_KEY):
            return str(tagged[LANGUAGE_KEY])
    return None
