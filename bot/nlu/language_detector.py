"""First NLU step after cleaning: which of the configured languages is this message in?

Emits the language as entity `language` (so the `language` slot follows it and responses come out in
that language) and as the message property `language` ({code, confidence, detected, source, ranking}),
which the tokenizer and `/model/parse` callers read. Ambiguous text ("ok", "1234", "👍") emits no
entity, so the conversation keeps its language.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Mapping, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language import UNDETERMINED, Detection, LanguageIdentifier
from bot.nlu.code_version import CodeVersioned
from bot.nlu.message_language import LANGUAGE_KEY, message_language

logger = logging.getLogger(__name__)

ENTITY_NAME = "language"
EXTRACTOR_NAME = "LanguageDetector"


def language_prior(metadata: Mapping[str, Any], languages: List[str]) -> Dict[str, float]:
    """Turns channel metadata into prior weights over the candidates.

    `language_prior` is what the channel knows about the customer (browser language, Telegram's
    `language_code`, a phone number's country) as a code or {code: weight}; `conversation_language`
    is the language the conversation has had so far, which gets the larger weight.
    """
    prior: Dict[str, float] = {}
    channel_prior = metadata.get("language_prior")
    if isinstance(channel_prior, str):
        channel_prior = {channel_prior.split("-")[0].lower(): 0.5}
    if isinstance(channel_prior, Mapping):
        for code, weight in channel_prior.items():
            code = str(code).split("-")[0].lower()
            if code in languages and isinstance(weight, (int, float)):
                prior[code] = max(prior.get(code, 0.0), float(weight))
    conversation = metadata.get("conversation_language")
    if isinstance(conversation, str) and conversation in languages:
        prior[conversation] = max(prior.get(conversation, 0.0), 0.7)
    return prior


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class LanguageDetector(CodeVersioned, GraphComponent):
    """Detects the message language among the configured languages, with priors and stickiness.

    Registered as a featurizer: that is the component type Rasa runs in order before the tokenizer,
    both on training data and on incoming messages.
    """

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # Candidate languages (written by `polydesk train` from `languages:` in config.yml).
            "languages": ["en"],
            # Used when the text has no evidence and the conversation has no language yet.
            "default_language": "en",
            # Detection engine in bot.language: "polydesk" or "langdetect".
            "backend": "polydesk",
            # Below this confidence the message keeps the conversation's language.
            "min_confidence": 0.5,
        }

    def __init__(self, config: Dict[str, Any], identifier: Optional[LanguageIdentifier] = None) -> None:
        self._languages = [str(code) for code in config["languages"]]
        self._default = str(config["default_language"])
        if self._default not in self._languages:
            self._default = self._languages[0]
        self._min_confidence = float(config["min_confidence"])
        self._identifier = identifier or LanguageIdentifier(
            candidates=self._languages, backend=config["backend"]
        )

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples keep the language of the folder they came from; others are detected."""
        for example in training_data.training_examples:
            if example.get(TEXT) and message_language(example) is None:
                self._detect(example, emit_entity=False)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._detect(message, emit_entity=True)
        return messages

    def _detect(self, message: Message, emit_entity: bool) -> None:
        text = message.get(TEXT) or ""
        metadata = message.get(METADATA) or {}
        if not isinstance(metadata, Mapping):
            metadata = {}
        prior = language_prior(metadata, self._languages)
        detection: Detection = self._identifier.detect(text, prior=prior or None)
        confident = (
            detection.language != UNDETERMINED and detection.confidence >= self._min_confidence
        )
        if confident:
            code, source = detection.language, "detected"
        elif metadata.get("conversation_language") in self._languages:
            code, source = str(metadata["conversation_language"]), "conversation"
        elif prior:
            code, source = max(prior, key=prior.__getitem__), "channel"
        else:
            code, source = self._default, "default"
        message.set(
            LANGUAGE_KEY,
            {
                "code": code,
                "confidence": round(float(detection.confidence), 4),
                "detected": detection.language,
                "source": source,
                "ranking": [[lang, round(float(score), 4)] for lang, score in detection.ranking],
            },
            add_to_output=True,
        )
        # A channel's hint (browser language...) sets the language of a conversation that has none yet.
        if emit_entity and source in ("detected", "channel"):
            entity = {
                "entity": ENTITY_NAME,
                "value": code,
                "start": 0,
                "end": len(text),
                "confidence_entity": round(float(detection.confidence if confident else 0.0), 4),
                "extractor": EXTRACTOR_NAME,
            }
            message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
