"""The FAQ topic regression: learns the topics, blends with the ResponseSelector's ranking, answers with the
blended top topic's response, persists."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear_response_selector import LinearResponseSelector

QUESTIONS = {
    "faq/opening_hours": ["when are you open", "what are your opening hours", "are you open on sunday",
                          "milloin olette auki", "saat kaçta açılıyorsunuz"],
    "faq/returns": ["how do i return an item", "can i send the lamp back", "what is your return policy",
                    "miten palautan tuotteen", "ürünü nasıl iade ederim"],
    "faq/payment": ["can i pay with paypal", "which cards do you accept", "do you take apple pay",
                    "voinko maksaa laskulla", "kapıda ödeme var mı"],
}
RESPONSES = {f"utter_{topic}": [{"text": f"answer about {topic}"}] for topic in QUESTIONS}


def _context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "faq")


def _selector(tmp_path: Path, **config: Any) -> LinearResponseSelector:
    messages = [
        Message({TEXT: text, INTENT: "faq", INTENT_RESPONSE_KEY: topic})
        for topic, texts in QUESTIONS.items() for text in texts
    ] + [Message({TEXT: "hello there", INTENT: "greet"})]
    selector = LinearResponseSelector.create(
        {**LinearResponseSelector.get_default_config(), **config}, LocalModelStorage(tmp_path), Resource("faq"),
        _context(),
    )
    selector.train(TrainingData(messages, responses=RESPONSES))
    return selector


def _selected(message: Message) -> Dict[str, Any]:
    return message.get("response_selector")["faq"]


def _message(text: str, ranking: Optional[List[Dict[str, Any]]] = None) -> Message:
    message = Message({TEXT: text})
    if ranking:
        top = ranking[0]
        message.set("response_selector", {
            "all_retrieval_intents": ["faq"],
            "faq": {
                "response": {"responses": [{"text": "previous"}], "confidence": top["confidence"],
                             "intent_response_key": top["intent_response_key"],
                             "utter_action": f"utter_{top['intent_response_key']}"},
                "ranking": ranking,
            },
        }, add_to_output=True)
    return message


def test_the_topics_of_unseen_questions_in_any_language(tmp_path: Path) -> None:
    selector = _selector(tmp_path, previous_weight=0.0)
    messages = [_message(text) for text in ("what time do you open on saturday", "palautus", "PAYPAL ok?")]
    selector.process(messages)
    picked = [_selected(m)["response"] for m in messages]
    assert [p["intent_response_key"] for p in picked] == ["faq/opening_hours", "faq/returns", "faq/payment"]
    assert picked[0]["utter_action"] == "utter_faq/opening_hours"
    assert picked[0]["responses"] == RESPONSES["utter_faq/opening_hours"]
    assert set(selector.regression.classes) == set(QUESTIONS)  # the greeting is not a topic


def test_the_ranking_is_the_weighted_mean_and_an_unchanged_top_keeps_its_answer(tmp_path: Path) -> None:
    selector = _selector(tmp_path, previous_weight=0.5)
    text = "can i pay by card"
    regression = dict(zip(selector.regression.classes, selector.regression.probabilities([text], ["en"])[0]))
    previous = [{"intent_response_key": "faq/payment", "confidence": 0.8},
                {"intent_response_key": "faq/returns", "confidence": 0.2}]
    message = _message(text, previous)
    selector.process([message])
    ranking = {e["intent_response_key"]: e["confidence"] for e in _selected(message)["ranking"]}
    assert np.isclose(ranking["faq/payment"], 0.4 + 0.5 * regression["faq/payment"])
    assert np.isclose(ranking["faq/opening_hours"], 0.5 * regression["faq/opening_hours"])
    response = _selected(message)["response"]
    assert response["intent_response_key"] == "faq/payment" and response["responses"] == [{"text": "previous"}]
    assert np.isclose(response["confidence"], ranking["faq/payment"])


def test_weights_and_answers_survive_persisting_and_loading(tmp_path: Path) -> None:
    selector = _selector(tmp_path)
    loaded = LinearResponseSelector.load(
        LinearResponseSelector.get_default_config(), LocalModelStorage(tmp_path), Resource("faq"), _context()
    )
    texts = ["when do you close", "iade", ""]
    languages = ["en", "tr", "en"]
    restored, trained = (s.regression.probabilities(texts, languages) for s in (loaded, selector))
    assert np.allclose(restored, trained)
    assert loaded.responses == RESPONSES


def test_without_weights_or_text_the_selector_output_stands(tmp_path: Path) -> None:
    empty = LinearResponseSelector.load(
        LinearResponseSelector.get_default_config(), LocalModelStorage(tmp_path), Resource("none"), _context()
    )
    previous = [{"intent_response_key": "faq/returns", "confidence": 0.9}]
    message = _message("how do i pay", previous)
    empty.process([message])
    assert _selected(message)["ranking"] == previous
    blank = _message("", previous)
    _selector(tmp_path).process([blank])
    assert _selected(blank)["ranking"] == previous
