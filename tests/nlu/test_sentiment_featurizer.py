"""Feeling-word and negation features: what tells "not great" from "great" and "awful"."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.sentiment_featurizer import FEATURES, SentimentFeaturizer, WordList, parse_lexicon, token_features
from bot.project import load_project
from bot.text import fold

ROOT = Path(__file__).resolve().parents[2]


def _lexicon(code: str) -> Dict[str, WordList]:
    return parse_lexicon(load_project(ROOT, [code]).data[code].sentiment)


def _sentence(code: str, text: str) -> Dict[str, float]:
    rows = token_features([fold(word) for word in text.split()], _lexicon(code), window=2)
    return dict(zip(FEATURES, rows.max(axis=0)))


def test_word_lists_match_whole_words_stems_and_patterns() -> None:
    words = WordList.parse(["bad", "disappoint*", "~m[iu]yor", "Szörnyű*"])
    assert words.matches("bad") and not words.matches("badge")
    assert words.matches("disappointing") and words.matches("szornyuseg")
    assert words.matches("calismiyor") and not words.matches("calisiyor")


@pytest.mark.parametrize(
    "code, text, expected",
    [
        ("en", "the courier was great", {"positive": 1, "negated_positive": 0}),
        ("en", "the courier was not great", {"positive": 1, "negated_positive": 1}),
        ("en", "the courier was awful", {"negative": 1, "positive": 0}),
        ("fi", "palvelu ei ollut hyvaa", {"positive": 1, "negation": 1, "negated_positive": 1}),
        ("hu", "nem vagyok elégedett", {"positive": 1, "negated_positive": 1}),
        ("hu", "borzalmas volt", {"negative": 1, "negation": 0}),
        ("tr", "ürünü beğenmedim", {"positive": 1, "negated_positive": 1}),
        ("tr", "ürünü çok beğendim", {"positive": 1, "negated_positive": 0}),
    ],
)
def test_feelings_and_negation_in_each_language(code: str, text: str, expected: Dict[str, int]) -> None:
    features = _sentence(code, text)
    assert {name: features[name] for name in expected} == expected


def test_a_negation_far_from_the_feeling_word_does_not_negate_it() -> None:
    assert _sentence("en", "no I just wanted to say the courier was great")["negated_positive"] == 0


def _featurizer(tmp_path: Path, lexicons: Dict[str, Dict[str, List[str]]]) -> SentimentFeaturizer:
    config = {**SentimentFeaturizer.get_default_config(), "lexicons": lexicons}
    context = ExecutionContext(GraphSchema({}), "sentiment")
    return SentimentFeaturizer.create(config, LocalModelStorage(tmp_path), Resource("sentiment"), context)


def _message(text: str, language: str) -> Message:
    message = Message({TEXT: text, "language": {"code": language}})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    return message


def test_every_message_gets_features_of_the_same_width(tmp_path: Path) -> None:
    featurizer = _featurizer(tmp_path, {"en": {"negative": ["awful"], "positive": [], "negation": ["not"]}})
    known, unknown = _message("awful not fine", "en"), _message("kamala palvelu", "fi")
    featurizer.process([known, unknown])
    sequence, sentence = known.get_sparse_features(TEXT)
    assert sequence.features.shape == (3, len(FEATURES)) and sentence.features.shape == (1, len(FEATURES))
    assert np.asarray(sentence.features.todense())[0].tolist() == [1, 0, 1, 1, 0]
    other_sequence, _ = unknown.get_sparse_features(TEXT)
    assert other_sequence.features.shape == (2, len(FEATURES)) and other_sequence.features.nnz == 0


def test_a_malformed_lexicon_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidConfigException, match="sentiment.yml"):
        _featurizer(tmp_path, {"en": ["bad"]})  # type: ignore[dict-item]


def test_every_language_lists_feelings_and_negations() -> None:
    project = load_project(ROOT)
    for code in project.languages:
        lists = project.data[code].sentiment
        assert all(len(lists.get(name, [])) >= 10 for name in ("negative", "positive", "negation")), code
