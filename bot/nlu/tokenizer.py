"""Tokenizer that splits text with spaCy's rules for the message's language and attaches lemmas.

The lemma is what featurizers see (`use_lemma`): a lookup lemma from spacy-lookups-data where it has a
table (tr, hu, en, de), a Snowball stem otherwise (fi, et), always folded to lowercase without
diacritics, so `faturamı`/`faturami`/`Faturanızı` or `laskuni`/`laskusta` share features.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.code_version import CodeVersioned
from bot.nlu.lemmas import LemmaTables, build_lemma_tables
from bot.nlu.message_language import message_language

logger = logging.getLogger(__name__)

LEMMA_FILE = "lemmas.json"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True
)
class LanguageAwareTokenizer(CodeVersioned, Tokenizer):
    """One tokenizer for every configured language; the language comes from `LanguageDetector`."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # Languages the assistant is trained for (written by `polydesk train` from config.yml).
            "languages": ["en"],
            # Language used when a message carries none (e.g. before detection ran).
            "default_language": "en",
            # Keep only the lookup lemmas whose lemma occurs in the training data: the rest can never
            # match a learned feature, and the Turkish table alone has 1.3 million entries.
            "prune_lemma_tables": True,
            # Rasa's standard tokenizer options.
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        lemma_tables: Optional[LemmaTables] = None,
    ) -> None:
        super().__init__(config)
        self._languages = list(config["languages"])
        self._default_language = config["default_language"]
        self._model_storage = model_storage
        self._resource = resource
        self._tables = lemma_tables or LemmaTables.empty(self._languages)

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageAwareTokenizer:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LanguageAwareTokenizer:
        """Loads the pruned lemma tables; without them tokens fall back to Snowball stems."""
        try:
            with model_storage.read_from(resource) as directory:
                raw = json.loads((directory / LEMMA_FILE).read_text(encoding="utf-8"))
            tables = LemmaTables.from_dict(config["languages"], raw)
        except (ValueError, FileNotFoundError, OSError) as error:
            logger.warning(f"Lemma tables not loaded ({error}); using Snowball stems only.")
            tables = None
        return cls(config, model_storage, resource, tables)

    def train(self, training_data: TrainingData) -> Resource:
        """Builds the per-language lemma tables from the training vocabulary and persists them.

        When Rasa finetunes a model it loads the old tables, then calls this with every example: the
        tables are rebuilt from the whole vocabulary, so words the new examples bring get their lemmas."""
        vocabulary: Dict[str, set] = {language: set() for language in self._languages}
        for example in training_data.training_examples:
            text = example.get(TEXT)
            if not text:
                continue
            language = self._language_of(example)
            vocabulary.setdefault(language, set()).update(
                token.text for token in self._tables.nlp(language)(text)
            )
        self._tables = build_lemma_tables(
            self._languages, vocabulary, prune=bool(self._config["prune_lemma_tables"])
        )
        with self._model_storage.write_to(self._resource) as directory:
            (directory / LEMMA_FILE).write_text(
                json.dumps(self._tables.to_dict(), ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return super().process_training_data(training_data)

    def _language_of(self, message: Message) -> str:
        language = message_language(message)
        if language in self._languages:
            return language
        return self._default_language

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        text = message.get(attribute)
        language = self._language_of(message)
        nlp = self._tables.nlp(language)
        tokens = [
            Token(
                token.text,
                token.idx,
                lemma=self._tables.lemma(language, token.text),
            )
            for token in nlp(text)
            if not token.is_space
        ]
        return self._apply_token_pattern(tokens)
