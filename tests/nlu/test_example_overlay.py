"""ExampleOverlay on Messages as the pipeline hands them over (no model, no server)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Optional

from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.example_overlay import MATCH_KEY, ExampleOverlay
from bot.overlay import RESOURCE_FILE, OverlayExample, overlay_document

RESOURCE = Resource("overlay")
ANSWER = [
    {
        "text": "Tilauksesi näet kohdassa Omat tilaukset.",
        "condition": [{"type": "slot", "name": "language", "value": "fi"}],
    }
]
EXAMPLES = [
    OverlayExample("fi", "faq/order_status", "Missä viipyy mun tilaama sohva"),
    OverlayExample("en", "complaint", "the chair came broken again and again"),
]


def _overlay(storage: LocalModelStorage, context: Any, examples=EXAMPLES, **config: Any) -> ExampleOverlay:
    with storage.write_to(RESOURCE) as directory:
        document = overlay_document(examples, {"utter_faq/order_status": ANSWER})
        (directory / RESOURCE_FILE).write_text(json.dumps(document), encoding="utf-8")
    return ExampleOverlay.load({**ExampleOverlay.get_default_config(), **config}, storage, RESOURCE, context)


def _message(text: str, language: Optional[str]) -> Message:
    """What DIET, ResponseSelector and LanguageDetector leave on a message Rasa's way."""
    message = Message(data={"text": text})
    if language:
        message.set("language", {"code": language, "confidence": 0.9}, add_to_output=True)
    message.set("intent", {"name": "complaint", "confidence": 0.7}, add_to_output=True)
    message.set(
        "intent_ranking",
        [
            {"name": "complaint", "confidence": 0.7},
            {"name": "faq", "confidence": 0.2},
            {"name": "greet", "confidence": 0.1},
        ],
        add_to_output=True,
    )
    message.set(
        "response_selector",
        {
            "all_retrieval_intents": ["faq"],
            "faq": {
                "response": {
                    "responses": [{"text": "other"}],
                    "confidence": 0.6,
                    "intent_response_key": "faq/payment",
                    "utter_action": "utter_faq/payment",
                },
                "ranking": [
                    {"confidence": 0.6, "intent_response_key": "faq/payment"},
                    {"confidence": 0.4, "intent_response_key": "faq/order_status"},
                ],
            },
        },
        add_to_output=True,
    )
    return message


def test_an_faq_example_sets_the_intent_and_the_selector_output_as_rasa_shapes_it(model_storage, execution_context):
    overlay = _overlay(model_storage, execution_context)
    [message] = overlay.process([_message("missa viipyy mun tilaama sohva?", "fi")])
    output: Dict[str, Any] = message.as_dict(only_output_properties=True)
    assert output["intent"] == {"name": "faq", "confidence": 1.0}
    assert [entry["name"] for entry in output["intent_ranking"]] == ["faq", "complaint", "greet"]
    assert sum(entry["confidence"] for entry in output["intent_ranking"][1:]) == 0.0
    selector = output["response_selector"]
    assert selector["all_retrieval_intents"] == ["faq"]
    assert selector["faq"]["response"] == {
        "responses": ANSWER,
        "confidence": 1.0,
        "intent_response_key": "faq/order_status",
        "utter_action": "utter_faq/order_status",
    }
    assert selector["faq"]["ranking"][0] == {"confidence": 1.0, "intent_response_key": "faq/order_status"}
    assert [r["intent_response_key"] for r in selector["faq"]["ranking"]] == ["faq/order_status", "faq/payment"]
    assert output[MATCH_KEY]["intent"] == "faq/order_status" and output[MATCH_KEY]["similarity"] == 1.0


def test_a_near_duplicate_gets_a_lower_confidence_and_a_ranking_that_still_sums_to_one(
    model_storage, execution_context
):
    overlay = _overlay(model_storage, execution_context)
    [message] = overlay.process([_message("missä viipyy mun tilama sohva", "fi")])
    ranking = message.get("intent_ranking")
    assert 0.9 < message.get("intent")["confidence"] < 1.0 == round(sum(e["confidence"] for e in ranking), 6)
    assert ranking[0]["name"] == "faq" and ranking[1]["confidence"] >= ranking[2]["confidence"]


def test_an_intent_example_leaves_the_selector_alone(model_storage, execution_context):
    overlay = _overlay(model_storage, execution_context)
    before = _message("The chair came broken again and again!", "en")
    selector = json.loads(json.dumps(before.get("response_selector")))
    [message] = overlay.process([before])
    assert message.get("intent") == {"name": "complaint", "confidence": 1.0}
    assert message.get("response_selector") == selector
    assert [e["name"] for e in message.get("intent_ranking")] == ["complaint", "faq", "greet"]


def test_other_texts_and_other_languages_are_untouched(model_storage, execution_context):
    overlay = _overlay(model_storage, execution_context)
    for text, language in [
        ("missä viipyy mun tilaama nojatuoli", "fi"),
        ("Missä viipyy mun tilaama sohva", "en"),
        ("Missä viipyy mun tilaama sohva", None),
    ]:
        untouched = _message(text, language)
        [message] = overlay.process([_message(text, language)])
        assert message.as_dict() == untouched.as_dict(), (text, language)


def test_max_typos_zero_matches_exactly_only(model_storage, execution_context):
    overlay = _overlay(model_storage, execution_context, max_typos=0)
    [message] = overlay.process([_message("missä viipyy mun tilama sohva", "fi")])
    assert message.get("intent")["name"] == "complaint"


def test_a_full_training_leaves_an_empty_overlay_with_the_retrieval_responses(
    model_storage, execution_context, tmp_path: Path
):
    config = ExampleOverlay.get_default_config()
    component = ExampleOverlay.create(config, model_storage, RESOURCE, execution_context)
    data = TrainingData(responses={"utter_faq/order_status": ANSWER, "utter_greet": [{"text": "hi"}]})
    component.train(data)
    with model_storage.read_from(RESOURCE) as directory:
        document = json.loads((directory / RESOURCE_FILE).read_text(encoding="utf-8"))
    assert document == overlay_document([], {"utter_faq/order_status": ANSWER})
    loaded = ExampleOverlay.load(config, model_storage, RESOURCE, execution_context)
    [message] = loaded.process([_message("Missä viipyy mun tilaama sohva", "fi")])
    assert message.get("intent")["name"] == "complaint"


def test_a_missing_overlay_degrades_to_doing_nothing(model_storage, execution_context, caplog):
    loaded = ExampleOverlay.load(
        ExampleOverlay.get_default_config(), model_storage, Resource("missing"), execution_context
    )
    [message] = loaded.process([_message("Missä viipyy mun tilaama sohva", "fi")])
    assert message.get("intent")["name"] == "complaint" and "not loaded" in caplog.text
