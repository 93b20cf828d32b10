"""Recognising a complaint topic in free text, from the stems in nlu_data/<language>/complaint_topics.yml."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

from bot.text import fold

logger = logging.getLogger(__name__)

TOPICS = ("billing", "delivery", "product", "staff", "price", "waiting_time")


@cache
def topic_stems(data_dir: Path, language: str) -> Dict[str, Tuple[str, ...]]:
    """The folded stems per topic for one language; {} when the file is missing or malformed."""
    path = data_dir / language / "complaint_topics.yml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        topics = raw.get("complaint_topics", {})
        return {
            topic: tuple(fold(str(stem)) for stem in stems or ())
            for topic, stems in topics.items()
            if topic in TOPICS
        }
    except (OSError, yaml.YAMLError, AttributeError) as error:
        logger.warning(f"Complaint topics for '{language}' not loaded from {path}: {error}")
        return {}


def normalise_topic(value: object, text: str, data_dir: Path, language: Optional[str]) -> Optional[str]:
    """The canonical topic for an extracted entity value or, failing that, for the message text."""
    if isinstance(value, str) and value in TOPICS:
        return value
    stems = topic_stems(data_dir, language or "en")
    for candidate in (value, text):
        if not isinstance(candidate, str) or not candidate.strip():
            continue
        words = fold(candidate).replace("_", " ").split()
        for topic, topic_words in stems.items():
            if any(word.startswith(stem) for word in words for stem in topic_words if stem):
                return topic
    return None
