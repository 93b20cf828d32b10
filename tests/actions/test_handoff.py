"""action_handoff against a fake gateway on loopback: the request it sends and what it tells the customer."""

import pytest
from aiohttp import web
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHandoff


def tracker() -> Tracker:
    events = [
        {"event": "user", "text": "Szia", "parse_data": {"intent": {"name": "greet"}}},
        {"event": "user", "text": "Élő ügyintézőt kérek", "parse_data": {"intent": {"name": "request_human"}}},
    ]
    latest = {"text": "Élő ügyintézőt kérek", "intent": {"name": "request_human", "confidence": 0.98}}
    slots = {"language": "hu", "complaint_topic": None, "human_offered": False}
    return Tracker("conv-1", slots, latest, events, False, None, {}, "")


async def run_against(aiohttp_server, monkeypatch, answer: web.Response):
    received = {}

    async def handoffs(request: web.Request) -> web.Response:
        received["auth"] = request.headers.get("Authorization")
        received["body"] = await request.json()
        return answer

    app = web.Application()
    app.router.add_post("/internal/handoffs", handoffs)
    server = await aiohttp_server(app)
    monkeypatch.setenv("POLYDESK_PUBLIC_URL", f"http://127.0.0.1:{server.port}")
    monkeypatch.setenv("POLYDESK_INTERNAL_TOKEN", "secret-token")
    dispatcher = CollectingDispatcher()
    events = await ActionHandoff().run(dispatcher, tracker(), {})
    return received, dispatcher.messages, events


async def test_queued_handoff_tells_position_and_wait(aiohttp_server, monkeypatch):
    answer = web.json_response({"status": "queued", "position": 3, "expected_wait_minutes": 8})
    received, messages, events = await run_against(aiohttp_server, monkeypatch, answer)
    assert received["auth"] == "Bearer secret-token"
    assert received["body"]["conversation_id"] == "conv-1"
    assert received["body"]["language"] == "hu"
    assert received["body"]["reason"] == "request_human"
    assert "Élő ügyintézőt kérek" in received["body"]["summary"]
    assert messages[0]["response"] == "utter_handoff_queued"
    assert messages[0]["position"] == 3 and messages[0]["wait_minutes"] == 8


@pytest.mark.parametrize("status", ["no_agents", "closed"])
async def test_nobody_there_asks_for_a_message(aiohttp_server, monkeypatch, status):
    _, messages, _ = await run_against(aiohttp_server, monkeypatch, web.json_response({"status": status}))
    assert messages[0]["response"] == "utter_handoff_unavailable"


async def test_gateway_failure_still_answers_the_customer(aiohttp_server, monkeypatch):
    _, messages, _ = await run_against(aiohttp_server, monkeypatch, web.Response(status=500))
    assert messages[0]["response"] == "utter_handoff"


async def test_gateway_down_still_answers_the_customer(monkeypatch):
    monkeypatch.setenv("POLYDESK_PUBLIC_URL", "http://127.0.0.1:9")
    dispatcher = CollectingDispatcher()
    await ActionHandoff().run(dispatcher, tracker(), {})
    assert dispatcher.messages[0]["response"] == "utter_handoff"
