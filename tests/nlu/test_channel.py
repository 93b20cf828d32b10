"""The polydesk channel's webhook against a stand-in agent: what it loads per turn and what it answers."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any, Dict, List

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlu.channel import PolydeskInput


class Processor:
    def __init__(self) -> None:
        self.tracker_loads: List[str] = []

    async def get_tracker(self, sender: str) -> DialogueStateTracker:
        self.tracker_loads.append(sender)
        return DialogueStateTracker.from_events(sender, [])

    async def parse_message(self, message: UserMessage) -> Dict[str, Any]:
        language = message.metadata.get("conversation_language") or "fi"
        entities = [{"entity": "language", "value": language}]
        return {"text": message.text, "intent": {"name": "greet", "confidence": 0.9}, "entities": entities}


async def post(processor: Processor, body: Dict[str, Any]) -> Dict[str, Any]:
    async def on_new_message(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "Hei!")

    blueprint = PolydeskInput().blueprint(on_new_message)
    webhook = next(route.handler for route in blueprint._future_routes if route.uri == "/webhook")
    request = SimpleNamespace(
        json=body, app=SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(processor=processor)))
    )
    response = await webhook(request)
    assert response.status == 200, response.body
    return json.loads(response.body)


async def test_the_gateways_turns_load_no_tracker_even_before_a_language_is_known() -> None:
    processor = Processor()
    for language in (None, "fi"):
        metadata = {"channel": "widget", "conversation_language": language}
        answer = await post(processor, {"sender": "c1", "message": "Hei", "metadata": metadata})
        assert answer["language"] == "fi" and answer["messages"][0]["text"] == "Hei!"
    assert processor.tracker_loads == []


async def test_callers_without_the_language_get_it_from_the_tracker() -> None:
    processor = Processor()
    answer = await post(processor, {"sender": "c1", "message": "Hei", "metadata": {"channel": "test"}})
    assert processor.tracker_loads == ["c1"] and answer["parse"]["intent"]["name"] == "greet"
