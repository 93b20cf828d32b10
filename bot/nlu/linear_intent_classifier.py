"""A linear intent classifier over character and word n-grams, blended with DIET's intent ranking.

DIET learns the intents through dense layers from a few thousand examples and a capped bag of features;
the n-gram regression (`bot.nlu.ngram_regression`) learns them from every n-gram of the folded text and
errs on other messages. Placed after DIETClassifier, this component replaces the message's intent ranking
with `previous_weight` x DIET's ranking + the rest x the regression's (an intent missing from DIET's
ranking counts as 0 for DIET). On two development splits the blend beat DIET alone in 7 of the 8 language
x split cases (Finnish on one split: 0.950 against 0.951; benchmarks/assistant/README.md).
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.code_version import CodeVersioned
from bot.nlu.ngram_regression import NgramRegression, blend, checked_settings, default_settings

logger = logging.getLogger(__name__)
WEIGHTS_FILE = "linear_intents.npz"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(CodeVersioned, GraphComponent, IntentClassifier):
    """N-gram logistic regression over intents, averaged with the previous classifier's ranking."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            **default_settings(),
            # Share of the previous classifier's (DIET's) confidence in the blended ranking; 0 uses only
            # the regression, 1 leaves DIET's ranking as it is.
            "previous_weight": 0.3,
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        regression: Optional[NgramRegression] = None,
    ) -> None:
        self.config = checked_settings("LinearIntentClassifier", {**self.get_default_config(), **config})
        self._model_storage = model_storage
        self._resource = resource
        self.regression = regression or NgramRegression(self.config)

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not self.regression.fit_messages(examples, [str(e.get(INTENT)) for e in examples]):
            logger.debug("LinearIntentClassifier: fewer than two intents, nothing to learn.")
            return self._resource
        with self._model_storage.write_to(self._resource) as folder:
            self.regression.save(folder / WEIGHTS_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        merged = {**cls.get_default_config(), **config}
        try:
            with model_storage.read_from(resource) as folder:
                regression = NgramRegression.load(merged, folder / WEIGHTS_FILE)
        except (ValueError, FileNotFoundError, KeyError):
            logger.debug("LinearIntentClassifier: no trained weights in the model; DIET's ranking is kept.")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, regression)

    def process(self, messages: List[Message]) -> List[Message]:
        weight = float(self.config["previous_weight"])
        for message, row in self.regression.message_rows(messages):
            previous = [
                (entry.get(INTENT_NAME_KEY), entry.get(PREDICTED_CONFIDENCE_KEY, 0.0))
                for entry in message.get(INTENT_RANKING_KEY) or []
            ]
            ranking = [
                {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
                for name, confidence in blend(previous, self.regression.classes, row, weight)
            ][: max(1, int(self.config["ranking_length"]))]
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
