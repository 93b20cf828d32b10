"""First step of the pipeline: whatever arrives, the rest of the pipeline sees clean, bounded text."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.code_version import CodeVersioned
from bot.text import clean_text

TRUNCATED_KEY = "truncated_characters"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class TextSanitizer(CodeVersioned, GraphComponent):
    """Removes control characters and cuts over-long text before language detection and tokenization.

    Registered as a featurizer because that is the component type Rasa runs, in order, before the
    tokenizer at both training and prediction time.
    """

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # Longer texts are cut to this many characters (DIET's attention is quadratic in length).
            "max_characters": 2000,
        }

    def __init__(self, config: Dict[str, Any]) -> None:
        self._max_characters = int(config["max_characters"])

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TextSanitizer:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text is None:
                continue
            cleaned = clean_text(text, self._max_characters)
            message.set(TEXT, cleaned.text)
            if cleaned.truncated:
                message.set(TRUNCATED_KEY, cleaned.cut_characters, add_to_output=True)
        return messages
