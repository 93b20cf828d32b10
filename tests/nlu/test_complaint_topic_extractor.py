"""Complaint topics by stem: every inflection and spelling, only on complaints."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.complaint_topics import topics_in
from bot.nlu.complaint_topic_extractor import ComplaintTopicExtractor
from bot.project import load_project

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def extractor(tmp_path_factory: pytest.TempPathFactory) -> ComplaintTopicExtractor:
    project = load_project(ROOT)
    topics = {code: project.data[code].complaint_topics for code in project.languages}
    config = {**ComplaintTopicExtractor.get_default_config(), "topics": topics}
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    context = ExecutionContext(GraphSchema({}), "topics")
    return ComplaintTopicExtractor.create(config, storage, Resource("topics"), context)


def _topics(extractor: ComplaintTopicExtractor, text: str, language: str, intent: str = "complaint") -> List[Any]:
    message = Message({TEXT: text, "language": {"code": language}, INTENT: {"name": intent, "confidence": 0.9}})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    extractor.process([message])
    return [
        (e["value"], text[e["start"] : e["end"]]) for e in message.get(ENTITIES, []) if e["entity"] == "complaint_topic"
    ]


@pytest.mark.parametrize(
    "language, text, topic, word",
    [
        ("tr", "Faturam iki kez kesilmiş, çok sinirliyim", "billing", "Faturam"),
        ("tr", "faturanizi kontrol edin lutfen", "billing", "faturanizi"),
        ("fi", "laskussani on virhe", "billing", "laskussani"),
        ("hu", "a számlámat kétszer terhelték", "billing", "számlámat"),
        ("hu", "a szamlaval valami nem stimmel", "billing", "szamlaval"),
        ("en", "the courier threw my parcel over the fence", "delivery", "courier"),
    ],
)
def test_the_topic_is_found_in_any_form(
    extractor: ComplaintTopicExtractor, language: str, text: str, topic: str, word: str
) -> None:
    assert _topics(extractor, text, language)[0] == (topic, word)


def test_only_complaints_get_a_topic(extractor: ComplaintTopicExtractor) -> None:
    assert _topics(extractor, "where can I download my invoice", "en", intent="faq") == []
    assert _topics(extractor, "I am very unhappy with you", "en") == []


def test_each_topic_named_is_reported_once_in_text_order(extractor: ComplaintTopicExtractor) -> None:
    found = _topics(extractor, "the parcel was late and the invoice wrong, the parcel again", "en")
    assert [topic for topic, _ in found] == ["delivery", "billing"]


def test_a_language_without_topics_gets_none(extractor: ComplaintTopicExtractor) -> None:
    assert _topics(extractor, "die Rechnung ist falsch", "de") == []


def test_topics_in_matches_stems_at_the_start_of_words() -> None:
    stems: Dict[str, Any] = {"billing": ("invoice",), "price": ("expensive",)}
    assert topics_in(["an", "invoices", "inexpensive"], stems) == [(1, "billing")]
