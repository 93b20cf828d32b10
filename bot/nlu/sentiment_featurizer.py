"""Sparse features for the feeling a message carries: negative and positive words, and negation.

Complaints and compliments often share every content word ("the courier was great" / "the courier was not
great" / "the courier was awful"); what tells them apart is a feeling word or a negation, and customers use
many more feeling words than the examples show. Each language lists them in nlu_data/<code>/sentiment.yml
(`polydesk train` writes the lists into this component's `lexicons`); a word matches on its folded form.
Per token: negative, positive, negation, and negative/positive with a negation within `negation_window`
tokens before or after it (or in the word itself, as Turkish's `begenmedim`). The sentence features say
which of them occur.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Pattern, Sequence, Tuple, Type

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.code_version import CodeVersioned
from bot.nlu.message_language import message_language
from bot.text import fold

POLARITIES = ("negative", "positive")
FEATURES = ("negative", "positive", "negation", "negated_negative", "negated_positive")


@dataclass(frozen=True)
class WordList:
    """One list of a lexicon: whole words, stems (`stem*`) and patterns (`~regex`), all folded."""

    words: frozenset
    stems: Tuple[str, ...]
    patterns: Tuple[Pattern[str], ...]

    @classmethod
    def parse(cls, entries: Iterable[str]) -> WordList:
        words, stems, patterns = set(), [], []
        for entry in entries:
            entry = str(entry).strip()
            if entry.startswith("~"):
                patterns.append(re.compile(entry[1:]))
            elif entry.endswith("*"):
                stems.append(fold(entry[:-1]))
            elif entry:
                words.add(fold(entry))
        return cls(frozenset(words), tuple(sorted(set(stems))), tuple(patterns))

    def matches(self, folded: str) -> bool:
        return (
            folded in self.words
            or folded.startswith(self.stems)
            or any(pattern.search(folded) for pattern in self.patterns)
        )


def parse_lexicon(raw: Dict[str, Any]) -> Dict[str, WordList]:
    """`{negative: [...], positive: [...], negation: [...]}` -> word lists (a missing list is empty)."""
    return {name: WordList.parse(raw.get(name) or []) for name in (*POLARITIES, "negation")}


def parse_lexicons(component: str, raw: Any) -> Dict[str, Dict[str, WordList]]:
    """A component's `lexicons` setting ({code: {negative, positive, negation}}) parsed per language, or
    InvalidConfigException saying what is wrong."""
    lexicons = raw or {}
    if not isinstance(lexicons, dict) or not all(isinstance(lists, dict) for lists in lexicons.values()):
        raise InvalidConfigException(
            f"{component}: 'lexicons' must map a language code to {{negative, positive, negation}} lists "
            "(see nlu_data/<code>/sentiment.yml)"
        )
    return {str(code): parse_lexicon(lists) for code, lists in lexicons.items()}


def token_features(folded_tokens: Sequence[str], lexicon: Dict[str, WordList], window: int) -> np.ndarray:
    """One row per token, one column per name in FEATURES (0 or 1)."""
    rows = np.zeros((len(folded_tokens), len(FEATURES)))
    negations = [lexicon["negation"].matches(token) for token in folded_tokens]
    for index, token in enumerate(folded_tokens):
        rows[index, 2] = negations[index]
        # the word itself counts: Turkish negates with a suffix (begenmedim, calismiyor)
        nearby = negations[max(0, index - window) : index + 1 + window]
        for column, polarity in enumerate(POLARITIES):
            if lexicon[polarity].matches(token):
                rows[index, column] = 1
                rows[index, 3 + column] = any(nearby)
    return rows


POLARITY_CLASSES = ("none", "negative", "positive", "mixed")


def polarity(folded_tokens: Sequence[str], lexicon: Dict[str, WordList], window: int) -> str:
    """The message's feeling as one of POLARITY_CLASSES: a negated feeling word counts as its opposite
    ("not good" is negative, "never had a problem" positive)."""
    if not folded_tokens:
        return "none"
    rows = token_features(folded_tokens, lexicon, window)
    negative = bool(((rows[:, 0] == 1) & (rows[:, 3] == 0)).any() or rows[:, 4].any())
    positive = bool(((rows[:, 1] == 1) & (rows[:, 4] == 0)).any() or rows[:, 3].any())
    return POLARITY_CLASSES[int(negative) + 2 * int(positive)]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentimentFeaturizer(CodeVersioned, SparseFeaturizer, GraphComponent):
    """Feeling-word and negation features from per-language word lists."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            **SparseFeaturizer.get_default_config(),
            # Language code -> {negative, positive, negation} word lists (written by `polydesk train` from
            # nlu_data/<code>/sentiment.yml; a language without the file gets no sentiment features).
            "lexicons": {},
            # A feeling word counts as negated when a negation is at most this many tokens away.
            "negation_window": 2,
        }

    def __init__(self, config: Dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self.window = int(config["negation_window"])
        self.lexicons = parse_lexicons("SentimentFeaturizer", config["lexicons"])

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentimentFeaturizer:
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        parse_lexicons("SentimentFeaturizer", config.get("lexicons"))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._featurize(message)
        return messages

    def _featurize(self, message: Message) -> None:
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        if not tokens or not message.get(TEXT):
            return
        lexicon = self._lexicon_for(message_language(message))
        folded = [fold(token.text) for token in tokens]
        rows = token_features(folded, lexicon, self.window) if lexicon else np.zeros((len(tokens), len(FEATURES)))
        sentence = rows.max(axis=0, keepdims=True)
        self.add_features_to_message(scipy.sparse.coo_matrix(rows), scipy.sparse.coo_matrix(sentence), TEXT, message)

    def _lexicon_for(self, language: Optional[str]) -> Optional[Dict[str, WordList]]:
        return self.lexicons.get(language or "")
