"""The sentiment reranker: learns how often complaints and compliments carry feeling words, re-splits
their shared confidence by it, leaves every other intent alone and survives persisting."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Optional

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.sentiment_featurizer import parse_lexicon, polarity
from bot.nlu.sentiment_reranker import SentimentReranker

LEXICON = {"negative": ["worst", "awful*", "bad"], "positive": ["best", "great*", "lovely"], "negation": ["not"]}
EXAMPLES = {
    "complaint": ["worst shop ever", "awful service", "the parcel is late", "bad bad bad", "my bill is wrong",
                  "awful courier"],
    "compliment": ["best shop ever", "great service", "lovely courier", "best purchase this year",
                   "you are great", "thank you, lovely staff"],
    "thank": ["thanks", "great thanks", "thank you"],
}


def _message(text: str, intent: Optional[str] = None, language: str = "en") -> Message:
    message = Message({TEXT: text, **({INTENT: intent} if intent else {})})
    message.set(TOKENS_NAMES[TEXT], [Token(m.group(), m.start()) for m in re.finditer(r"\w+", text)])
    message.set("language", {"code": language})
    return message


def _ranked(text: str, ranking: Dict[str, float], language: str = "en") -> Message:
    message = _message(text, language=language)
    entries = [{"name": name, "confidence": value} for name, value in ranking.items()]
    message.set(INTENT, entries[0], add_to_output=True)
    message.set(INTENT_RANKING_KEY, entries, add_to_output=True)
    return message


def _reranker(tmp_path: Path, **config: object) -> SentimentReranker:
    reranker = SentimentReranker.create(
        {**SentimentReranker.get_default_config(), "lexicons": {"en": LEXICON}, **config},
        LocalModelStorage(tmp_path), Resource("reranker"), ExecutionContext(GraphSchema({}), "reranker"),
    )
    messages = [_message(text, intent) for intent, texts in EXAMPLES.items() for text in texts]
    reranker.train(TrainingData(messages))
    return reranker


def _confidences(message: Message) -> Dict[str, float]:
    return {entry["name"]: entry["confidence"] for entry in message.get(INTENT_RANKING_KEY)}


def test_polarity_counts_negated_feeling_words_as_their_opposite() -> None:
    lexicon = parse_lexicon(LEXICON)
    assert polarity(["worst", "shop"], lexicon, 2) == "negative"
    assert polarity(["not", "great"], lexicon, 2) == "negative"
    assert polarity(["not", "bad", "at", "all"], lexicon, 2) == "positive"
    assert polarity(["best", "and", "worst"], lexicon, 2) == "mixed"
    assert polarity(["the", "parcel"], lexicon, 2) == "none"
    assert polarity([], lexicon, 2) == "none"


def test_a_negative_message_read_as_a_compliment_becomes_a_complaint(tmp_path: Path) -> None:
    message = _ranked("worst customer experience of my life", {"compliment": 0.7, "complaint": 0.2, "greet": 0.1})
    _reranker(tmp_path).process([message])
    confidences = _confidences(message)
    assert message.get(INTENT)["name"] == "complaint"
    assert np.isclose(confidences["complaint"] + confidences["compliment"], 0.9)  # their share is kept
    assert confidences["greet"] == 0.1  # other intents are not touched
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "complaint"


def test_a_positive_message_read_as_a_complaint_becomes_a_compliment(tmp_path: Path) -> None:
    message = _ranked("every order has been lovely", {"complaint": 0.6, "compliment": 0.35, "faq": 0.05})
    _reranker(tmp_path).process([message])
    assert message.get(INTENT)["name"] == "compliment"


def test_other_intents_and_sure_predictions_stand(tmp_path: Path) -> None:
    reranker = _reranker(tmp_path)
    thanks = _ranked("great thanks", {"thank": 0.8, "compliment": 0.15, "complaint": 0.05})
    late = _ranked("good grief, the parcel is late", {"complaint": 0.97, "compliment": 0.01, "greet": 0.02})
    reranker.process([thanks, late])
    assert thanks.get(INTENT)["name"] == "thank"
    assert _confidences(thanks)["thank"] == 0.8
    assert late.get(INTENT)["name"] == "complaint"


def test_a_language_without_word_lists_or_counts_is_left_as_it_is(tmp_path: Path) -> None:
    message = _ranked("pahin kauppa ikinä", {"compliment": 0.7, "complaint": 0.3}, language="fi")
    _reranker(tmp_path).process([message])
    assert _confidences(message) == {"compliment": 0.7, "complaint": 0.3}
    assert message.get(INTENT)["name"] == "compliment"


def test_counts_survive_persisting_and_loading(tmp_path: Path) -> None:
    trained = _reranker(tmp_path)
    loaded = SentimentReranker.load(
        {**SentimentReranker.get_default_config(), "lexicons": {"en": LEXICON}}, LocalModelStorage(tmp_path),
        Resource("reranker"), ExecutionContext(GraphSchema({}), "reranker"),
    )
    assert loaded.counts == trained.counts
    assert loaded.counts["en"]["complaint"]["negative"] == 4
    assert loaded.likelihood("en", "complaint", "negative") == pytest.approx((4 + 1) / (6 + 4))


def test_a_model_without_counts_loads_and_changes_nothing(tmp_path: Path) -> None:
    loaded = SentimentReranker.load(
        SentimentReranker.get_default_config(), LocalModelStorage(tmp_path), Resource("missing"),
        ExecutionContext(GraphSchema({}), "reranker"),
    )
    message = _ranked("worst shop ever", {"compliment": 0.7, "complaint": 0.3})
    loaded.process([message])
    assert message.get(INTENT)["name"] == "compliment"


@pytest.mark.parametrize("config", [{"intents": ["complaint"]}, {"intents": "complaint"}, {"lexicons": ["en"]}])
def test_a_bad_configuration_says_what_to_fix(tmp_path: Path, config: Dict[str, List[str]]) -> None:
    with pytest.raises(InvalidConfigException, match="SentimentReranker"):
        _reranker(tmp_path, **config)
