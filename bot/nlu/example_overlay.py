"""Examples added after the last full training, answered by matching text until the next full one.

Sits after DIETClassifier, EntitySynonymMapper and ResponseSelector, before FallbackClassifier. A full
training leaves its overlay empty (DIET and ResponseSelector learn every example) and keeps the retrieval
responses; an incremental retrain (`bot.operations.overlay_model`) copies the serving model and writes the
examples added or edited since into this component's resource. A message whose folded text equals an
overlay example's of its language, or nearly does, gets the example's intent at the top of the ranking and,
for a retrieval intent (`faq/<topic>`), the ResponseSelector output Rasa's own selector would give that
topic, so `utter_faq` answers it. Entities are left as DIET found them: annotations in overlay examples
are not applied.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.code_version import CodeVersioned
from bot.nlu.message_language import message_language
from bot.nlu.selector_output import previous_ranking, select_response
from bot.overlay import (
    RESOURCE_FILE,
    ExampleIndex,
    OverlayMatch,
    TypoTolerance,
    overlay_document,
    read_document,
)

logger = logging.getLogger(__name__)

MATCH_KEY = "example_overlay"  # parse-data property naming the overlay example a message matched


def _scaled(ranking: List[Dict[str, Any]], room: float) -> List[Dict[str, Any]]:
    """The ranking's entries with confidences shrunk to sum to at most `room` (order kept)."""
    total = sum(float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0) for entry in ranking)
    factor = room / total if total > room else 1.0
    return [
        {**entry, PREDICTED_CONFIDENCE_KEY: float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0) * factor}
        for entry in ranking
    ]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ExampleOverlay(CodeVersioned, GraphComponent, IntentClassifier):
    """Labels a message with an overlay example's intent when its text repeats that example's."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # Near duplicates: at most this many words may differ from an overlay example's by one typo
            # (an inserted, dropped, changed or swapped letter); every other word the same, in the same
            # order (see bot.overlay.TypoTolerance for why words, not character n-grams). 0: exact only.
            "max_typos": 2,
            # Shorter words must be equal: "en"/"ei", "is"/"in" are different words, not typos.
            "min_typo_word_length": 4,
            # Texts of fewer words match only exactly.
            "min_typo_words": 3,
            # Confidence given to an exact match; a near duplicate gets this times its similarity
            # (1 - typos / letters of the folded text).
            "confidence": 1.0,
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        index: Optional[ExampleIndex] = None,
        responses: Optional[Dict[str, Any]] = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._index = index or ExampleIndex([], None)
        self._responses = responses or {}
        self._confidence = float(config["confidence"])

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ExampleOverlay:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ExampleOverlay:
        """Reads the overlay once per model; without it the component changes nothing."""
        try:
            with model_storage.read_from(resource) as directory:
                examples, responses = read_document(json.loads((directory / RESOURCE_FILE).read_text(encoding="utf-8")))
        except (ValueError, OSError) as error:
            logger.warning(f"Example overlay not loaded ({error}); the classifiers' intents stand.")
            return cls(config, model_storage, resource)
        tolerance = None
        if int(config["max_typos"]) > 0:
            tolerance = TypoTolerance(
                int(config["max_typos"]), int(config["min_typo_word_length"]), int(config["min_typo_words"])
            )
        index = ExampleIndex(examples, tolerance)
        if examples:
            logger.info(f"Example overlay: {len(examples)} examples not learned by the classifiers yet.")
        return cls(config, model_storage, resource, index, responses)

    def train(self, training_data: TrainingData) -> Resource:
        """A full training: the classifiers learn every example, so the overlay is empty. The retrieval
        responses are kept for the selector output of examples a later incremental retrain adds."""
        self._responses = {key: value for key, value in (training_data.responses or {}).items() if "/" in key}
        with self._model_storage.write_to(self._resource) as directory:
            document = overlay_document([], self._responses)
            (directory / RESOURCE_FILE).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if not len(self._index):
            return messages
        for message in messages:
            match = self._index.match(message.get(TEXT) or "", message_language(message))
            if match is not None:
                self._apply(message, match)
        return messages

    def _apply(self, message: Message, match: OverlayMatch) -> None:
        label = match.example.intent
        intent, _, topic = label.partition("/")
        confidence = round(self._confidence * match.similarity, 4)
        others = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get(INTENT_NAME_KEY) != intent]
        top = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: confidence}
        message.set(INTENT, dict(top), add_to_output=True)
        message.set(INTENT_RANKING_KEY, [top, *_scaled(others, 1.0 - confidence)], add_to_output=True)
        if topic:
            self._select_response(message, intent, label, confidence)
        message.set(
            MATCH_KEY,
            {
                "text": match.example.text,
                "intent": label,
                "language": match.example.language,
                "similarity": match.similarity,
            },
            add_to_output=True,
        )

    def _select_response(self, message: Message, intent: str, label: str, confidence: float) -> None:
        """What Rasa's ResponseSelector sets for its top label, with this label on top."""
        others = [(key, score) for key, score in previous_ranking(message, intent) if key != label]
        total = sum(score for _, score in others)
        factor = (1.0 - confidence) / total if total > 1.0 - confidence else 1.0
        ranking = [(label, confidence), *((key, score * factor) for key, score in others)]
        select_response(message, intent, ranking, self._responses)
