"""The `response_selector` parse data Rasa's ResponseSelector writes, for components that change its choice.

`LinearResponseSelector` (a blended topic ranking) and `ExampleOverlay` (an annotated example's topic) both
put another topic on top after the ResponseSelector ran; `utter_<intent>/<topic>` is what the retrieval
action then renders, and `responses` carries the topic's response texts as the selector would.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Sequence, Tuple

from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import INTENT_RESPONSE_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


def previous_ranking(message: Message, intent: str) -> List[Tuple[str, float]]:
    """(topic, confidence) of the selector's ranking for `intent`, as the message has it."""
    selected = (message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}).get(intent) or {}
    return [
        (str(entry.get(INTENT_RESPONSE_KEY)), float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0))
        for entry in selected.get(RESPONSE_SELECTOR_RANKING_KEY) or []
    ]


def select_response(
    message: Message, intent: str, ranking: Sequence[Tuple[str, float]], responses: Mapping[str, Any]
) -> None:
    """Makes `ranking` (topic, confidence; best first) the selector's output for `intent`. An unchanged top
    topic keeps the selector's own answer; another one gets its texts from `responses`."""
    selector = dict(message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {})
    previous = dict((selector.get(intent) or {}).get(RESPONSE_SELECTOR_PREDICTION_KEY) or {})
    topic, confidence = ranking[0]
    if previous.get(INTENT_RESPONSE_KEY) == topic:
        prediction = previous
    else:
        utter_action = f"utter_{topic}"
        prediction = {
            RESPONSE_SELECTOR_RESPONSES_KEY: responses.get(utter_action) or [{TEXT: topic}],
            INTENT_RESPONSE_KEY: topic,
            RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter_action,
        }
    prediction[PREDICTED_CONFIDENCE_KEY] = confidence
    selector.setdefault(RESPONSE_SELECTOR_RETRIEVAL_INTENTS, [intent])
    selector[intent] = {
        RESPONSE_SELECTOR_PREDICTION_KEY: prediction,
        RESPONSE_SELECTOR_RANKING_KEY: [
            {PREDICTED_CONFIDENCE_KEY: score, INTENT_RESPONSE_KEY: label} for label, score in ranking
        ],
    }
    message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selector, add_to_output=True)
