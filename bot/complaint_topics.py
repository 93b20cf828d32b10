"""Complaint topics and the word stems that name them, per language (nlu_data/<code>/complaint_topics.yml).

One reading for both places that understand a topic: the NLU pipeline's `ComplaintTopicExtractor` (the
entity of a complaint) and the action server's complaint form (a free-text answer to "what is it about?").
Nothing here imports Rasa.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Tuple

from bot.text import fold

TOPICS = ("billing", "delivery", "product", "staff", "price", "waiting_time")
Stems = Dict[str, Tuple[str, ...]]  # topic -> folded stems


def parse_topics(raw: Any) -> Dict[str, List[str]]:
    """Topic -> stems as written, from the file's parsed YAML; ValueError when it has another shape."""
    topics = raw.get("complaint_topics") if isinstance(raw, dict) else None
    if not isinstance(topics, dict) or not all(isinstance(stems, list) for stems in topics.values()):
        raise ValueError("expected 'complaint_topics:' mapping each topic to a list of word stems")
    return {str(topic): [str(stem) for stem in stems] for topic, stems in topics.items()}


def folded_stems(topics: Mapping[str, Iterable[str]]) -> Stems:
    """The stems lowercased without diacritics, as `fold` leaves a customer's words; blanks dropped."""
    return {topic: tuple(fold(stem) for stem in stems if stem.strip()) for topic, stems in topics.items()}


def topics_in(words: List[str], stems: Stems) -> List[Tuple[int, str]]:
    """(index of the first word naming it, topic) for each topic the folded words name, in text order."""
    found: Dict[str, int] = {}
    for index, word in enumerate(words):
        for topic, topic_stems in stems.items():
            if topic not in found and topic_stems and word.startswith(topic_stems):
                found[topic] = index
    return sorted((index, topic) for topic, index in found.items())
