"""What the assistant does when it did not understand: rephrase once, then offer a person."""

from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

FALLBACK_INTENT = "nlu_fallback"


def consecutive_fallbacks(tracker: Tracker) -> int:
    """How many of the latest user messages in a row the NLU did not understand."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != FALLBACK_INTENT:
            break
        count += 1
    return count


class ActionHandleFallback(Action):
    """First miss: ask to rephrase. Second miss in a row: offer a human (accepted with "yes")."""

    def name(self) -> str:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if consecutive_fallbacks(tracker) >= 2:
            dispatcher.utter_message(response="utter_offer_human")
            return [SlotSet("human_offered", True)]
        dispatcher.utter_message(response="utter_default")
        # Core fallback (the policies had no answer): forget the message so it does not skew what
        # follows; an NLU fallback keeps it, so the second miss in a row is counted.
        latest_intent = (tracker.latest_message.get("intent") or {}).get("name")
        events: List[EventType] = [SlotSet("human_offered", False)]
        if latest_intent != FALLBACK_INTENT:
            events.append(UserUtteranceReverted())
        return events
