import pytest

from bot.nlu.language_detector import LanguageDetector, language_prior
from tests.nlu.conftest import make_message

LANGUAGES = ["tr", "fi", "hu", "en"]


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector({**LanguageDetector.get_default_config(), "languages": LANGUAGES})


def detect(detector: LanguageDetector, text: str, **metadata):
    message = make_message(text, metadata)
    detector.process([message])
    entities = [e for e in message.get("entities", []) if e["entity"] == "language"]
    return message.get("language"), entities


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Faturam iki kez kesilmiş, çok sinirliyim", "tr"),
        ("Milloin asiakaspalvelu on auki?", "fi"),
        ("Szeretnék egy élő ügyintézővel beszélni", "hu"),
        ("I want to talk to a human", "en"),
        ("tesekkurler", "tr"),
        ("koszonom szepen", "hu"),
    ],
)
def test_language_is_emitted_as_entity_and_property(detector, text, expected):
    language, entities = detect(detector, text)
    assert language["code"] == expected
    assert language["source"] == "detected"
    assert entities and entities[0]["value"] == expected
    assert 0.5 <= entities[0]["confidence_entity"] <= 1.0


@pytest.mark.parametrize("text", ["", "👍", "1234", "ok", "https://example.com/order/123"])
def test_text_without_evidence_keeps_the_conversation_language(detector, text):
    language, entities = detect(detector, text, conversation_language="fi")
    assert language["code"] == "fi"
    assert language["source"] == "conversation"
    assert entities == []  # no entity: the language slot keeps its value


def test_text_without_evidence_and_no_conversation_uses_the_channel_prior(detector):
    language, entities = detect(detector, "👍", language_prior="hu-HU")
    assert language["code"] == "hu" and language["source"] == "channel"
    assert entities[0]["value"] == "hu"


def test_text_without_any_hint_falls_back_to_the_default(detector):
    language, entities = detect(detector, "12345")
    assert language["code"] == "en" and language["source"] == "default"
    assert entities == []


def test_clear_text_switches_away_from_the_conversation_language(detector):
    language, entities = detect(detector, "Kiitos paljon avusta!", conversation_language="tr")
    assert language["code"] == "fi"
    assert entities[0]["value"] == "fi"


def test_a_very_long_and_mixed_message_is_handled(detector):
    text = ("Merhaba, siparişim nerede? " * 400)[:10000] + " ok thanks"
    language, _ = detect(detector, text)
    assert language["code"] == "tr"


def test_unsupported_language_text_stays_among_the_candidates(detector):
    language, _ = detect(detector, "Wo ist meine Bestellung? Ich warte seit einer Woche.", conversation_language="en")
    assert language["code"] in LANGUAGES


def test_prior_ignores_languages_not_configured():
    assert language_prior({"language_prior": {"de": 0.9, "fi": 0.4}}, LANGUAGES) == {"fi": 0.4}
    assert language_prior({"conversation_language": "hu"}, LANGUAGES) == {"hu": 0.7}
    assert language_prior({"language_prior": "xx"}, LANGUAGES) == {}
