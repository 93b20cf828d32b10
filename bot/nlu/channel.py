"""The REST channel the gateway talks to: Rasa's REST channel plus what the gateway needs back.

`POST /webhooks/polydesk/webhook` takes `{"sender", "message", "metadata"}` like the REST channel and
answers `{"messages": [...], "parse": {...}, "language": "fi", "truncated_characters": 0}`: the bot's
messages, what the NLU understood of the customer's message (stored by the gateway next to it) and the
conversation's language after the turn. Bad requests get a 400 with a reason; a failure inside Rasa gets
a 500 instead of an empty answer, so the gateway knows to fall back to a human.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.text import clean_text

logger = logging.getLogger(__name__)

TRUNCATION_RESPONSE = "utter_message_truncated"
MAX_SENDER_LENGTH = 128


def _turn_language(parse: Dict[str, Any], previous: Optional[str]) -> Optional[str]:
    """The conversation's language after the turn: the detected one when the detector emitted it (the
    `language` slot follows that entity), else the language the conversation already had."""
    for entity in parse.get("entities") or []:
        if entity.get("entity") == "language":
            return str(entity.get("value"))
    return previous


class PolydeskInput(InputChannel):
    """REST input that validates the request and returns parse data and language with the replies."""

    @classmethod
    def name(cls) -> str:
        return "polydesk"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> PolydeskInput:
        credentials = credentials or {}
        return cls(max_characters=int(credentials.get("max_characters", 2000)))

    def __init__(self, max_characters: int = 2000) -> None:
        self.max_characters = max_characters

    @staticmethod
    def _bad_request(reason: str) -> HTTPResponse:
        return response.json({"error": "bad_request", "reason": reason}, status=400)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("polydesk_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # sanic raises its own InvalidUsage for malformed JSON
                return self._bad_request("the body must be JSON")
            if not isinstance(body, dict):
                return self._bad_request("the body must be a JSON object")
            sender = body.get("sender")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_LENGTH:
                return self._bad_request(f"'sender' must be a non-empty string of at most {MAX_SENDER_LENGTH}")
            message = body.get("message")
            if not isinstance(message, str):
                return self._bad_request("'message' must be a string")
            metadata = body.get("metadata") or {}
            if not isinstance(metadata, dict):
                return self._bad_request("'metadata' must be an object")

            cleaned = clean_text(message, self.max_characters)
            agent = request.app.ctx.agent
            if "conversation_language" not in metadata:
                # Stickiness for callers that do not track the language themselves. The gateway does and
                # always sends the key (None before the first detection): no tracker load for its turns.
                previous = await agent.processor.get_tracker(sender)
                spoke_before = bool(previous.latest_message and previous.latest_message.text)
                metadata["conversation_language"] = previous.get_slot("language") if spoke_before else None
            collector = CollectingOutputChannel()
            user_message = UserMessage(cleaned.text, collector, sender, input_channel=self.name(), metadata=metadata)
            try:
                # Parsed here, outside the conversation lock, so the parse data can be returned without
                # loading the tracker again; the processor uses it instead of parsing a second time.
                parse = await agent.processor.parse_message(user_message)
                user_message.parse_data = parse
                await on_new_message(user_message)
            except Exception as error:
                logger.exception(f"Rasa failed on a message of conversation {sender}")
                return response.json({"error": "assistant_failure", "reason": str(error)}, status=500)

            messages = list(collector.messages)
            language = _turn_language(parse, metadata.get("conversation_language"))
            if cleaned.truncated:
                tracker = await agent.processor.get_tracker(sender)
                note = await agent.processor.nlg.generate(
                    TRUNCATION_RESPONSE, tracker, self.name(), max_characters=self.max_characters
                )
                if note:
                    note = {key: value for key, value in note.items() if key != "condition"}
                    messages.insert(0, {"recipient_id": sender, **note})
            return response.json(
                {
                    "messages": messages,
                    "parse": parse,
                    "language": language,
                    "truncated_characters": cleaned.cut_characters,
                }
            )

        return webhook
