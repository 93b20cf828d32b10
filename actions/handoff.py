"""Handing a conversation to a human agent through the gateway's internal API.

The action never talks to a customer channel: it tells the gateway who needs a person (language,
intent, complaint topic, a short summary) and tells the customer, in their language, what happens next.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

import aiohttp
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.settings import Settings

logger = logging.getLogger(__name__)

SUMMARY_MESSAGES = 3
SUMMARY_CHARACTERS = 300


def handoff_reason(tracker: Tracker) -> str:
    """Why the customer needs a person, from the message that led here."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "request_human":
        return "request_human"
    if tracker.get_slot("human_offered"):
        return "fallback"
    if intent == "complaint":
        return "urgent_complaint"
    return "service_request" if intent in ("affirm", "service_request", "info_request") else "other"


def summarise(tracker: Tracker) -> str:
    """The customer's last few messages, newest last, cut to a length an agent reads at a glance."""
    texts = [
        str(event.get("text"))
        for event in tracker.events
        if event.get("event") == "user" and event.get("text") and not str(event["text"]).startswith("/")
    ]
    summary = " | ".join(texts[-SUMMARY_MESSAGES:])
    return summary[:SUMMARY_CHARACTERS]


def handoff_request(tracker: Tracker) -> Dict[str, Any]:
    return {
        "conversation_id": tracker.sender_id,
        "language": tracker.get_slot("language"),
        "intent": (tracker.latest_message.get("intent") or {}).get("name"),
        "complaint_topic": tracker.get_slot("complaint_topic"),
        "summary": summarise(tracker),
        "reason": handoff_reason(tracker),
    }


class ActionHandoff(Action):
    """Queues the conversation for an agent who speaks the customer's language."""

    def __init__(self) -> None:
        self._settings = Settings.from_env()

    def name(self) -> str:
        return "action_handoff"

    async def _post(self, payload: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        url = f"{self._settings.gateway_url}/internal/handoffs"
        headers = {"Authorization": f"Bearer {self._settings.internal_token}"}
        timeout = aiohttp.ClientTimeout(total=5)
        try:
            async with aiohttp.ClientSession(timeout=timeout) as session:
                async with session.post(url, json=payload, headers=headers) as response:
                    if response.status != 200:
                        logger.error(f"Gateway refused the handoff: {response.status} {await response.text()}")
                        return None
                    return await response.json()
        except (aiohttp.ClientError, TimeoutError) as error:
            logger.error(f"Gateway unreachable for the handoff of {payload['conversation_id']}: {error!r}")
            return None

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        answer = await self._post(handoff_request(tracker))
        status = (answer or {}).get("status")
        if status == "queued":
            dispatcher.utter_message(
                response="utter_handoff_queued",
                position=answer.get("position", 1),
                wait_minutes=answer.get("expected_wait_minutes", 5),
            )
        elif status in ("no_agents", "closed"):
            dispatcher.utter_message(response="utter_handoff_unavailable")
        else:
            dispatcher.utter_message(response="utter_handoff")
        return [SlotSet("human_offered", False)]
