"""Entity `complaint_topic` of a complaint, from the topic stems in nlu_data/<code>/complaint_topics.yml.

A complaint names its topic with a handful of words per language and topic ("fatura", "laskuni",
"számlámat": billing), in any inflection; folded stems find them in every form, typed with or without
diacritics, and agree with what the complaint form (actions/topics.py) understands when it asks for the
topic. A model-learned tagger needs many annotated examples per inflection for the same. Only messages
classified as a complaint get the entity, so an FAQ about invoices does not fill the complaint's slot.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    INTENT,
    INTENT_NAME_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.complaint_topics import Stems, folded_stems, topics_in
from bot.nlu.code_version import CodeVersioned
from bot.nlu.message_language import message_language
from bot.text import fold


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ComplaintTopicExtractor(CodeVersioned, GraphComponent, EntityExtractorMixin):
    """Complaint topics by stem, per language; runs after the intent classifier."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # Language code -> topic -> stems (written by `polydesk train` from complaint_topics.yml).
            "topics": {},
            # Intents whose messages get the entity.
            "intents": ["complaint"],
            # The entity (and slot) it fills.
            "entity": "complaint_topic",
        }

    def __init__(self, config: Dict[str, Any]) -> None:
        self.entity = str(config["entity"])
        self.intents = set(config["intents"] or [])
        self.stems: Dict[str, Stems] = {
            code: folded_stems({str(topic): [str(stem) for stem in stems or ()] for topic, stems in topics.items()})
            for code, topics in (config["topics"] or {}).items()
        }

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ComplaintTopicExtractor:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = self._entities(message)
            if found:
                entities = message.get(ENTITIES, []) + self.add_extractor_name(found)
                message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def _entities(self, message: Message) -> List[Dict[str, Any]]:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        stems = self.stems.get(message_language(message) or "")
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        if intent not in self.intents or not stems or not tokens:
            return []
        already = {entity.get(ENTITY_ATTRIBUTE_TYPE) for entity in message.get(ENTITIES, [])}
        if self.entity in already:
            return []
        return [
            {
                ENTITY_ATTRIBUTE_TYPE: self.entity,
                ENTITY_ATTRIBUTE_VALUE: topic,
                ENTITY_ATTRIBUTE_START: tokens[index].start,
                ENTITY_ATTRIBUTE_END: tokens[index].end,
                ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
            }
            for index, topic in topics_in([fold(token.text) for token in tokens], stems)
        ]
