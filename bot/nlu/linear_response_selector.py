"""FAQ topics by an n-gram regression, blended with the ResponseSelector's ranking.

The ResponseSelector picks the FAQ answer (`faq/opening_hours`, `faq/returns`...) with a small neural model;
the n-gram regression (`bot.nlu.ngram_regression`) learns the same topics from every character and word
n-gram of the folded questions. Placed right after ResponseSelector, this component replaces the selector's
ranking for the retrieval intent with `previous_weight` x the selector's + the rest x the regression's, and
its answer with the blended top topic's (`utter_faq/<topic>`, rendered in the customer's language by the
domain's conditional responses as before).
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.code_version import CodeVersioned
from bot.nlu.ngram_regression import NgramRegression, blend, checked_settings, default_settings
from bot.nlu.selector_output import previous_ranking, select_response

logger = logging.getLogger(__name__)
WEIGHTS_FILE = "linear_topics.npz"
RESPONSES_FILE = "responses.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearResponseSelector(CodeVersioned, GraphComponent):
    """N-gram logistic regression over one retrieval intent's topics, averaged with the selector's ranking."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            **default_settings(),
            "C": 30.0,
            # The retrieval intent whose topics are ranked (ResponseSelector's `retrieval_intent`).
            "retrieval_intent": "faq",
            # Share of the ResponseSelector's confidence in the blended ranking.
            "previous_weight": 0.5,
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        regression: Optional[NgramRegression] = None,
        responses: Optional[Dict[str, Any]] = None,
    ) -> None:
        self.config = checked_settings("LinearResponseSelector", {**self.get_default_config(), **config})
        self.intent = str(self.config["retrieval_intent"])
        self._model_storage = model_storage
        self._resource = resource
        self.regression = regression or NgramRegression(self.config)
        self.responses = responses or {}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearResponseSelector:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [
            e for e in training_data.intent_examples
            if e.get(INTENT) == self.intent and e.get(INTENT_RESPONSE_KEY) and e.get(TEXT)
        ]
        topics = [str(e.get(INTENT_RESPONSE_KEY)) for e in examples]
        if not self.regression.fit_messages(examples, topics):
            logger.debug("LinearResponseSelector: fewer than two %s topics, nothing to learn.", self.intent)
            return self._resource
        prefix = f"utter_{self.intent}/"
        self.responses = {k: v for k, v in (training_data.responses or {}).items() if k.startswith(prefix)}
        with self._model_storage.write_to(self._resource) as folder:
            self.regression.save(folder / WEIGHTS_FILE)
            (folder / RESPONSES_FILE).write_text(json.dumps(self.responses, ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearResponseSelector:
        merged = {**cls.get_default_config(), **config}
        try:
            with model_storage.read_from(resource) as folder:
                regression = NgramRegression.load(merged, folder / WEIGHTS_FILE)
                responses = json.loads((folder / RESPONSES_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError, KeyError):
            logger.debug("LinearResponseSelector: no trained weights; the ResponseSelector's answer stands.")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, regression, responses)

    def process(self, messages: List[Message]) -> List[Message]:
        weight = float(self.config["previous_weight"])
        for message, row in self.regression.message_rows(messages):
            ranking = blend(previous_ranking(message, self.intent), self.regression.classes, row, weight)
            select_response(message, self.intent, ranking[: max(1, int(self.config["ranking_length"]))], self.responses)
        return messages
