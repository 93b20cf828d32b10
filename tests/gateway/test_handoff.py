"""Handoff through the internal API, the queue, language-aware routing, nobody-there tickets, Rasa down."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.gateway.business_hours import BusinessHours
from bot.gateway.models import Agent
from bot.gateway.routing import choose_agent, expected_wait_minutes
from tests.gateway.fake_rasa import FakeRasa
from tests.gateway.helpers import add_agent, login, open_widget, services

TOKEN = {"Authorization": "Bearer polydesk-dev-internal-token"}


def test_choose_agent_prefers_language_then_round_robin() -> None:
    early = datetime(2025, 1, 1, tzinfo=timezone.utc)
    late = datetime(2025, 1, 2, tzinfo=timezone.utc)
    anna = Agent(1, "anna", ("hu", "en"), last_routed_at=late)
    bela = Agent(2, "bela", ("hu",), last_routed_at=early)
    cem = Agent(3, "cem", ("tr",))
    agents = [anna, bela, cem]
    assert choose_agent("hu", agents, {1, 2, 3}) == bela  # least recently routed Hungarian speaker
    assert choose_agent("hu", agents, {1, 3}) == anna  # bela offline
    assert choose_agent("fi", agents, {1, 2}) == bela  # nobody speaks Finnish: any online agent
    assert choose_agent("hu", agents, {3}) == cem
    assert choose_agent("hu", agents, set()) is None


def test_expected_wait_shares_the_queue_among_online_agents() -> None:
    assert expected_wait_minutes(2, 1, 4.0) == 8
    assert expected_wait_minutes(2, 2, 4.0) == 4
    assert expected_wait_minutes(1, 0, 0.1) == 1


def test_business_hours_per_weekday_and_next_opening() -> None:
    hours = BusinessHours.parse("mon-fri 08:00-20:00; sat 10:00-16:00", "Europe/Budapest")
    saturday_noon = datetime(2025, 3, 8, 11, 0, tzinfo=timezone.utc)  # 12:00 in Budapest
    sunday = datetime(2025, 3, 9, 12, 0, tzinfo=timezone.utc)
    assert hours.is_open(saturday_noon)
    assert not hours.is_open(sunday)
    day, start = hours.next_opening(sunday)
    assert (day, start.strftime("%H:%M")) == (0, "08:00")
    assert BusinessHours.parse("always", "UTC").is_open(sunday)


async def test_internal_api_needs_the_token(client) -> None:
    response = await client.post("/internal/handoffs", json={"conversation_id": "x"})
    assert response.status == 401
    response = await client.post("/internal/handoffs", json={"conversation_id": "nope"}, headers=TOKEN)
    assert response.status == 404
    response = await client.post("/internal/handoffs", json={"reason": "x"}, headers=TOKEN)
    assert response.status == 400


async def test_no_agent_online_opens_a_ticket_and_asks_for_email(client, rasa: FakeRasa) -> None:
    widget, _ = await open_widget(client)
    events = await widget.say("ember kell")
    assert rasa.handoff_answers == [{"status": "no_agents"}]
    assert "handoff: no_agents" in [e["message"]["text"] for e in events if e["type"] == "message"]
    leave = next(event for event in events if event["type"] == "leave_message")
    assert leave == {"type": "leave_message", "reason": "no_agents", "opens": None}
    await widget.socket.send_json({"type": "ticket", "email": "not-an-email", "text": "hi"})
    assert (await widget.receive("error"))["code"] == "invalid_email"
    await widget.socket.send_json({"type": "ticket", "email": "eva@example.hu", "text": "Hívjanak vissza"})
    created = await widget.receive("ticket_created")
    tickets = await services(client).store.records.tickets("open")
    assert [(t.id, t.email, t.text, t.reason) for t in tickets] == [
        (created["ticket_id"], "eva@example.hu", "Hívjanak vissza", "no_agents")
    ]


async def test_outside_business_hours_says_when_we_open(client, rasa: FakeRasa) -> None:
    widget, _ = await open_widget(client)
    handoff = services(client).handoff
    handoff._hours = BusinessHours.parse("mon 08:00-09:00", "Europe/Budapest")
    handoff._clock = lambda: datetime(2025, 3, 9, 12, 0, tzinfo=timezone.utc)  # a Sunday
    await add_agent(client, "anna", ("hu",))
    events = await widget.say("ember")
    assert rasa.handoff_answers == [{"status": "closed", "opens": "hétfőn 08:00"}]
    assert [e["opens"] for e in events if e["type"] == "leave_message"] == ["hétfőn 08:00"]


async def test_handoff_during_turn_queues_and_positions_follow_the_bot_reply(client, rasa: FakeRasa) -> None:
    await add_agent(client, "anna", ("hu", "en"))
    await login(client, "anna")
    console = await client.ws_connect("/api/console/ws")
    assert (await console.receive_json())["type"] == "queue"
    first, _ = await open_widget(client)
    events = await first.say("ember kell")
    assert rasa.handoff_answers[0] == {"status": "queued", "position": 1, "expected_wait_minutes": 4}
    kinds = [event["type"] for event in events]
    # held during the turn: the bot's "you are number 1" comes before the live queue event
    assert kinds.index("message", 1) < kinds.index("queue")
    second, _ = await open_widget(client)
    events = await second.say("human please")
    assert rasa.handoff_answers[1]["position"] == 2
    assert [e["position"] for e in events if e["type"] == "queue"] == [2]
    conversation = await services(client).store.conversations.get(first.conversation_id)
    assert conversation.state == "queued" and conversation.summary == "wants a human"
    # the agent claims the first one: the second moves up live
    csrf = await login(client, "anna")
    response = await client.post(f"/api/conversations/{first.conversation_id}/claim", headers={"X-CSRF-Token": csrf})
    assert response.status == 200
    assert (await second.receive("queue"))["position"] == 1
    await console.close()


async def test_a_message_sent_during_a_handoff_turn_waits_for_the_agent(client, rasa: FakeRasa) -> None:
    """The second message is stored while the first turn still runs: the conversation it was stored with
    is stale once that turn hands off, so it must not go to Rasa."""
    await add_agent(client, "anna", ("hu",))
    await login(client, "anna")
    console = await client.ws_connect("/api/console/ws")
    widget, _ = await open_widget(client)
    await widget.socket.send_json({"type": "message", "text": "ember kell", "client_id": "c1"})
    await widget.socket.send_json({"type": "message", "text": "szia", "client_id": "c2"})
    while (await widget.receive("turn_end"))["client_id"] != "c2":
        pass
    assert [call["message"] for call in rasa.calls] == ["ember kell"]
    store = services(client).store.conversations
    assert (await store.get(widget.conversation_id)).state == "queued"
    assert [(m.text, m.status) for m in await store.transcript(widget.conversation_id) if m.sender == "customer"] == [
        ("ember kell", "answered"),
        ("szia", "routed"),
    ]
    await console.close()


async def test_rasa_down_keeps_the_message_queues_and_resumes(client, rasa: FakeRasa) -> None:
    rasa.mode = "down"
    widget, _ = await open_widget(client)
    events = await widget.say("baj van")
    notices = [e["message"]["text"] for e in events if e["type"] == "message"]
    assert notices and "Asszisztensünk jelenleg nem érhető el" in notices[0]
    store = services(client).store.conversations
    conversation = await store.get(widget.conversation_id)
    assert conversation.state == "queued" and conversation.handoff_reason == "bot_unavailable"
    assert [m.status for m in await store.transcript(widget.conversation_id) if m.sender == "customer"] == ["pending"]
    events = await widget.say("még itt vagyok", client_id="c2")  # stored while waiting, not lost
    assert events[0]["type"] == "ack"
    rasa.mode = "up"
    assert await services(client).router.resume_bot() == 1
    await services(client).router.drain()
    texts = [m.text for m in await store.transcript(widget.conversation_id)]
    assert "echo: baj van" in texts and "echo: még itt vagyok" in texts
    assert (await store.get(widget.conversation_id)).state == "bot"


async def test_rasa_timeout_is_handled_like_down(client, rasa: FakeRasa) -> None:
    rasa.mode = "slow"
    widget, _ = await open_widget(client)
    await widget.say("hello", client_id="t")
    conversation = await services(client).store.conversations.get(widget.conversation_id)
    assert conversation.state == "queued"
