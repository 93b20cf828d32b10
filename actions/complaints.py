"""Complaints: ask the topic when the customer did not name it, record it, give a reference number."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.complaint_log import ComplaintLog
from actions.topics import normalise_topic
from bot.settings import Settings

logger = logging.getLogger(__name__)


def _data_dir(settings: Settings):
    return settings.project_root / "nlu_data"


class ValidateComplaintForm(FormValidationAction):
    """Accepts a topic from the entity, a button payload or a free-text answer like "the invoice"."""

    def __init__(self) -> None:
        self._settings = Settings.from_env()

    def name(self) -> str:
        return "validate_complaint_form"

    async def extract_complaint_topic(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        if tracker.get_slot("requested_slot") != "complaint_topic":
            return {}
        text = tracker.latest_message.get("text") or ""
        topic = normalise_topic(None, text, _data_dir(self._settings), tracker.get_slot("language"))
        return {"complaint_topic": topic} if topic else {}

    def validate_complaint_topic(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        topic = normalise_topic(value, text, _data_dir(self._settings), tracker.get_slot("language"))
        return {"complaint_topic": topic}


class ActionRecordComplaint(Action):
    """Stores the complaint and tells the customer its reference number."""

    def __init__(self) -> None:
        self._settings = Settings.from_env()
        self._log: Optional[ComplaintLog] = None

    def name(self) -> str:
        return "action_record_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if self._log is None:
            self._log = ComplaintLog(self._settings.var_dir / "complaints.db")
        complaint_text = _complaint_text(tracker)
        reference = self._log.record(
            conversation_id=tracker.sender_id,
            language=tracker.get_slot("language"),
            topic=tracker.get_slot("complaint_topic"),
            text=complaint_text,
        )
        dispatcher.utter_message(response="utter_complaint_recorded", complaint_reference=reference)
        return [SlotSet("complaint_reference", reference), SlotSet("complaint_topic", None)]


def _complaint_text(tracker: Tracker) -> str:
    """The customer's message that opened the complaint (the last one classified as a complaint)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user" and (event.get("parse_data") or {}).get("intent", {}).get(
            "name"
        ) == "complaint":
            return str(event.get("text") or "")
    return str(tracker.latest_message.get("text") or "")
