"""Recognising a complaint topic in free text, from the stems in nlu_data/<language>/complaint_topics.yml
(read and matched as `bot.complaint_topics` does for the NLU pipeline)."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Optional

import yaml

from bot.complaint_topics import TOPICS, Stems, folded_stems, parse_topics, topics_in
from bot.text import fold

logger = logging.getLogger(__name__)


@cache
def topic_stems(data_dir: Path, language: str) -> Stems:
    """The folded stems per topic for one language; {} when the file is missing or malformed."""
    path = data_dir / language / "complaint_topics.yml"
    try:
        topics = parse_topics(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValueError) as error:
        logger.warning(f"Complaint topics for '{language}' not loaded from {path}: {error}")
        return {}
    return folded_stems({topic: stems for topic, stems in topics.items() if topic in TOPICS})


def normalise_topic(value: object, text: str, data_dir: Path, language: Optional[str]) -> Optional[str]:
    """The canonical topic for an extracted entity value or, failing that, for the message text."""
    if isinstance(value, str) and value in TOPICS:
        return value
    stems = topic_stems(data_dir, language or "en")
    for candidate in (value, text):
        if not isinstance(candidate, str) or not candidate.strip():
            continue
        found = topics_in(fold(candidate).replace("_", " ").split(), stems)
        if found:
            return found[0][1]
    return None
