"""One conversation per language through the real Rasa and action servers (the `polydesk` channel)."""

import json
import re
import urllib.request
from typing import Dict, List, Set

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.training]

CONVERSATIONS = {
    "tr": [
        ("merhaba", "greet"),
        ("Müşteri hizmetleri hangi saatlerde açık?", "faq"),
        ("Faturam iki kez kesilmiş, çok sinirliyim", "complaint"),
        ("tesekkurler", "thank"),
    ],
    "fi": [
        ("moi", "greet"),
        ("Milloin asiakaspalvelu on auki?", "faq"),
        ("Paketti on taas myöhässä, olen todella pettynyt", "complaint"),
        ("kiitos paljon", "thank"),
    ],
    "hu": [
        ("Szia!", "greet"),
        ("Mikor van nyitva az ügyfélszolgálat?", "faq"),
        ("Szeretnék egy élő ügyintézővel beszélni", "request_human"),
        ("koszonom szepen", "thank"),
    ],
    "en": [
        ("hello there", "greet"),
        ("when is customer service open?", "faq"),
        ("my invoice is wrong again, I was charged twice", "complaint"),
        ("thanks a lot", "thank"),
    ],
}


def template_pattern(template: str) -> "re.Pattern[str]":
    parts = re.split(r"\{[a-z_]+\}", template)
    return re.compile(".+?".join(re.escape(part) for part in parts) + r"\Z", re.S)


@pytest.fixture(scope="module")
def templates(project) -> Dict[str, List["re.Pattern[str]"]]:
    return {
        code: [template_pattern(v["text"]) for variations in data.responses.values() for v in variations]
        for code, data in project.data.items()
    }


def languages_of(text: str, templates) -> Set[str]:
    return {code for code, patterns in templates.items() if any(p.match(text) for p in patterns)}


def turn(settings, sender: str, text: str) -> dict:
    body = json.dumps({"sender": sender, "message": text, "metadata": {"channel": "test"}}).encode()
    request = urllib.request.Request(
        f"{settings.rasa_url}/webhooks/polydesk/webhook", data=body,
        headers={"Content-Type": "application/json"}, method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
def test_a_conversation_in_each_language(running_assistant, templates, language):
    sender = f"it-{language}"
    for text, intent in CONVERSATIONS[language]:
        answer = turn(running_assistant, sender, text)
        assert answer["parse"]["intent"]["name"] == intent, (text, answer["parse"]["intent"])
        assert answer["parse"]["language"]["code"] == language, text
        assert answer["language"] == language
        replies = [m["text"] for m in answer["messages"] if m.get("text")]
        assert replies, f"no reply to {text!r}"
        for reply in replies:
            assert language in languages_of(reply, templates), (text, reply)


def test_an_ambiguous_message_keeps_the_conversation_language(running_assistant, templates):
    sender = "it-sticky"
    turn(running_assistant, sender, "Hyvää päivää, minulla on kysymys")
    answer = turn(running_assistant, sender, "ok")
    assert answer["language"] == "fi"
    assert all("fi" in languages_of(m["text"], templates) for m in answer["messages"] if m.get("text"))


def test_a_complaint_without_topic_asks_for_it_then_records_a_reference(running_assistant):
    sender = "it-complaint"
    first = turn(running_assistant, sender, "I am very unhappy with you, this is unacceptable")
    assert first["parse"]["intent"]["name"] == "complaint"
    assert any(m.get("buttons") for m in first["messages"]), "the topic question offers buttons"
    second = turn(running_assistant, sender, '/complaint{"complaint_topic": "delivery"}')
    assert any(re.search(r"C-\d{6}-[A-Z2-9]{4}", m.get("text", "")) for m in second["messages"])


def test_a_complaint_naming_its_topic_is_recorded_without_asking(running_assistant):
    answer = turn(running_assistant, "it-complaint-topic", "Faturanız iki kez kesilmiş, çok sinirliyim")
    topics = [e["value"] for e in answer["parse"]["entities"] if e["entity"] == "complaint_topic"]
    assert topics == ["billing"], answer["parse"]
    assert any(re.search(r"C-\d{6}-[A-Z2-9]{4}", m.get("text", "")) for m in answer["messages"])


def test_two_misunderstood_messages_offer_a_person(running_assistant):
    sender = "it-fallback"
    turn(running_assistant, sender, "hello")
    first = turn(running_assistant, sender, "/nlu_fallback")
    second = turn(running_assistant, sender, "/nlu_fallback")
    assert first["messages"] and second["messages"]
    assert second["messages"][-1].get("buttons"), "the second miss offers a person with yes/no buttons"
    third = turn(running_assistant, sender, "/affirm")
    assert third["messages"], "accepting the offer hands off"


def test_bad_requests_get_a_clear_400(running_assistant):
    request = urllib.request.Request(
        f"{running_assistant.rasa_url}/webhooks/polydesk/webhook", data=b'{"message": 5}',
        headers={"Content-Type": "application/json"}, method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=30)
    assert error.value.code == 400
    assert "sender" in json.loads(error.value.read())["reason"]


def test_an_over_long_message_is_cut_with_a_note(running_assistant, templates):
    answer = turn(running_assistant, "it-long", "Merhaba, siparişim nerede? " * 400)
    assert answer["truncated_characters"] > 0
    assert answer["messages"][0]["text"]
    assert "tr" in languages_of(answer["messages"][0]["text"], templates)


def test_model_parse_returns_language_entity_with_confidence(running_assistant):
    request = urllib.request.Request(
        f"{running_assistant.rasa_url}/model/parse?token={running_assistant.rasa_token}",
        data=json.dumps({"text": "Szeretnék egy élő ügyintézővel beszélni"}).encode(),
        headers={"Content-Type": "application/json"}, method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        parse = json.loads(response.read())
    entity = next(e for e in parse["entities"] if e["entity"] == "language")
    assert entity["value"] == "hu" and entity["confidence_entity"] > 0.5
    assert parse["language"]["code"] == "hu"
