"""The linear intent classifier: learns n-grams of the folded text, blends with DIET's ranking, persists."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear_intent_classifier import LinearIntentClassifier

EXAMPLES = {
    "complaint": ["my bill is wrong again", "the courier lost my parcel", "your staff was rude to me",
                  "i was charged twice this month", "the product broke after a day", "faturam iki kez kesildi"],
    "compliment": ["your staff was lovely", "great service thank you so much", "the courier was very kind",
                   "lovely product, works perfectly", "you are doing a great job", "harika bir hizmet"],
    "greet": ["hello", "hi there", "good morning", "hey", "hello there good evening", "günaydın"],
}


def _classifier(tmp_path: Path, examples: Dict[str, List[str]] = EXAMPLES, **config: float) -> LinearIntentClassifier:
    messages = [Message({TEXT: text, INTENT: intent, "language": {"code": _language(text)}})
                for intent, texts in examples.items() for text in texts]
    classifier = LinearIntentClassifier.create(
        {**LinearIntentClassifier.get_default_config(), **config}, LocalModelStorage(tmp_path), Resource("linear"),
        ExecutionContext(GraphSchema({}), "linear"),
    )
    classifier.train(TrainingData(messages))
    return classifier


def _language(text: str) -> str:
    return "tr" if text in ("faturam iki kez kesildi", "harika bir hizmet", "günaydın", "merhaba") else "en"


def _probabilities(classifier: LinearIntentClassifier, texts: List[str]) -> np.ndarray:
    return classifier.regression.probabilities(texts, [_language(text) for text in texts])


def _load(tmp_path: Path, name: str = "linear") -> LinearIntentClassifier:
    return LinearIntentClassifier.load(
        LinearIntentClassifier.get_default_config(), LocalModelStorage(tmp_path), Resource(name),
        ExecutionContext(GraphSchema({}), "linear"),
    )


def _message(text: str, ranking: Optional[List[dict]] = None) -> Message:
    message = Message({TEXT: text, "language": {"code": _language(text)}})
    if ranking:
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
    return message


def test_the_regression_alone_classifies_unseen_wordings_and_spellings(tmp_path: Path) -> None:
    classifier = _classifier(tmp_path, previous_weight=0.0)
    messages = [_message(text) for text in ("the courier was rude", "hi good evening", "GUNAYDIN")]
    classifier.process(messages)
    assert [m.get(INTENT)["name"] for m in messages] == ["complaint", "greet", "greet"]
    ranking = messages[0].get(INTENT_RANKING_KEY)
    assert abs(sum(entry["confidence"] for entry in ranking) - 1.0) < 1e-5


def test_the_ranking_is_the_weighted_mean_of_both_classifiers(tmp_path: Path) -> None:
    classifier = _classifier(tmp_path, previous_weight=0.3)
    regression = dict(zip(classifier.regression.classes, _probabilities(classifier, ["great service"])[0]))
    diet = [{"name": "greet", "confidence": 0.9}, {"name": "compliment", "confidence": 0.1}]
    message = _message("great service", diet)
    classifier.process([message])
    blended = {entry["name"]: entry["confidence"] for entry in message.get(INTENT_RANKING_KEY)}
    assert np.isclose(blended["greet"], 0.3 * 0.9 + 0.7 * regression["greet"])
    assert np.isclose(blended["compliment"], 0.3 * 0.1 + 0.7 * regression["compliment"])
    assert message.get(INTENT)["name"] == max(blended, key=blended.get)


def test_weights_and_vocabulary_survive_persisting_and_loading(tmp_path: Path) -> None:
    classifier = _classifier(tmp_path)
    loaded = _load(tmp_path)
    assert loaded.regression.classes == classifier.regression.classes
    texts = ["i was charged twice", "merhaba", ""]
    assert loaded.regression.clusters is not None  # the English examples' word clusters
    assert np.allclose(_probabilities(loaded, texts), _probabilities(classifier, texts))


def test_two_intents_give_probabilities_of_both(tmp_path: Path) -> None:
    classifier = _classifier(tmp_path, {k: v for k, v in EXAMPLES.items() if k != "greet"}, previous_weight=0.0)
    rows = _probabilities(classifier, ["the courier lost my parcel", "lovely service"])
    assert rows.shape == (2, 2) and np.allclose(rows.sum(axis=1), 1.0)
    assert [classifier.regression.classes[i] for i in rows.argmax(axis=1)] == ["complaint", "compliment"]


def test_a_model_without_weights_keeps_the_previous_ranking(tmp_path: Path) -> None:
    message = Message({TEXT: "hello", INTENT: {"name": "greet", "confidence": 0.7}})
    _load(tmp_path, "never-trained").process([message])
    assert message.get(INTENT) == {"name": "greet", "confidence": 0.7}


@pytest.mark.parametrize("text", ["", "🙂🙂", "12345", "x" * 10_000, "<script>alert(1)</script>"])
def test_any_text_gets_a_ranking_or_keeps_the_previous_one(tmp_path: Path, text: str) -> None:
    classifier = _classifier(tmp_path)
    message = Message({TEXT: text, INTENT: {"name": "greet", "confidence": 0.4}})
    classifier.process([message])
    assert message.get(INTENT)["name"] in EXAMPLES
    if not text:
        assert message.get(INTENT) == {"name": "greet", "confidence": 0.4}


@pytest.mark.parametrize(
    "setting, expected",
    [({"previous_weight": 1.5}, "previous_weight"), ({"C": 0}, "C must be"), ({"C": "lots"}, "numbers"),
     ({"char_ngrams": [5, 2]}, "char_ngrams"), ({"solver": "liblinear"}, "solver must be one of newton-cg")],
)
def test_a_bad_setting_is_refused_with_what_to_fix(tmp_path: Path, setting: Dict[str, object], expected: str) -> None:
    from rasa.shared.exceptions import InvalidConfigException

    with pytest.raises(InvalidConfigException, match=expected) as refused:
        _classifier(tmp_path, **setting)
    assert "config.yml, LinearIntentClassifier" in str(refused.value)
