"""An overlay model built from the test session's quick model, loaded by Rasa: the overlay's examples are
understood as annotated (an FAQ question answered with its topic's answer in its language), texts the
overlay does not hold parse exactly as with the base model, and the gate's prediction-only loading parses
exactly as Rasa's own. Needs the trained model: marked."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.assembly import build_domain
from bot.nlu.predict import parse_all
from bot.operations.overlay_model import build_overlay_model
from bot.overlay import OverlayExample
from tests.integration.conftest import project, trained_model  # noqa: F401  (session fixtures)

pytestmark = [pytest.mark.integration, pytest.mark.training]
# labelled against their meaning on purpose: no classifier can have guessed these labels
FAQ = OverlayExample("fi", "faq/office_addresses", "Kerro minulle vitsi sohvista")
INTENT = OverlayExample("en", "request_human", "could you sing me a song about chairs")
UNTOUCHED = ["hello", "Missä on minun laskuni?", "I want to speak to a person", "kerro minulle vitsi tuoleista"]


def test_an_overlay_model_answers_its_examples_and_leaves_other_texts_alone(trained_model, project, tmp_path: Path):  # noqa: F811
    candidate = build_overlay_model(
        trained_model, tmp_path / "overlay.tar.gz", [FAQ, INTENT], build_domain(project)["responses"]
    )
    texts = ["KERRO minulle vitsi sohvista!", "could you sing me a song about chair", *UNTOUCHED]
    before, after = parse_all(trained_model, texts), parse_all(candidate, texts)
    assert before[0]["intent"]["name"] != "faq" or (
        before[0]["response_selector"]["faq"]["response"]["intent_response_key"] != FAQ.intent
    ), "the base model already says office_addresses: pick another label"
    assert before[1]["intent"]["name"] != "request_human", "the base model already says request_human"
    assert after[0]["intent"] == {"name": "faq", "confidence": 1.0}
    assert after[0]["response_selector"]["faq"]["response"]["utter_action"] == "utter_faq/office_addresses"
    assert after[1]["intent"]["name"] == "request_human" and after[1]["example_overlay"]["similarity"] < 1
    assert after[2:] == before[2:]

    from rasa.core.agent import Agent

    agent = Agent.load(str(candidate))  # Rasa's own loading, with its training step (bot.nlu.fast_loading)
    for text, parsed in zip(texts, after):
        expected = asyncio.run(agent.parse_message(text))
        expected["intent"].pop("full_retrieval_intent_name", None)
        assert parsed == expected, text
    answers = asyncio.run(agent.handle_text("Kerro minulle vitsi sohvista", sender_id="overlay-test"))
    finnish = [variation["text"] for variation in project.data["fi"].responses["utter_faq/office_addresses"]]
    assert answers and any(answer.get("text") in finnish for answer in answers), answers
