"""Handoff is the same on every channel: the console sees the channel, the agent's reply and the CSAT
question reach the customer's platform, a typed digit answers CSAT; WhatsApp's 24-hour window."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.gateway.store.engine import utcnow
from tests.gateway.channels.customers import MessengerCustomer, TelegramCustomer, WhatsAppCustomer
from tests.gateway.channels.fake_platforms import FakeGraph, FakePlatform, FakeTelegram
from tests.gateway.fake_rasa import FakeRasa
from tests.gateway.helpers import add_agent, login, services

CASES = {
    "telegram": (lambda c: TelegramCustomer(c, 701, "hu"), "sendMessage", lambda b: b["text"]),
    "whatsapp": (lambda c: WhatsAppCustomer(c, "36201234567"), "messages", lambda b: b["text"]["body"]),
    "messenger": (lambda c: MessengerCustomer(c, "PSID-7"), "me/messages", lambda b: b["message"]["text"]),
}


async def _handed_off(client, rasa: FakeRasa, customer) -> tuple[str, str]:
    await add_agent(client, "anna", ("hu", "en"))
    csrf = await login(client, "anna")
    console = await client.ws_connect("/api/console/ws")
    await console.receive_json()
    await customer.say("ember kell")
    await services(client).router.drain()
    assert rasa.handoff_answers[-1]["status"] == "queued"
    return csrf, rasa.calls[-1]["sender"]


@pytest.mark.parametrize("channel", sorted(CASES))
async def test_agent_reply_from_the_console_reaches_the_platform(
    client, rasa: FakeRasa, telegram: FakeTelegram, graph: FakeGraph, channel: str
) -> None:
    make, path, text_of = CASES[channel]
    fake: FakePlatform = telegram if channel == "telegram" else graph
    customer = make(client)
    csrf, conversation_id = await _handed_off(client, rasa, customer)
    headers = {"X-CSRF-Token": csrf}
    queue = (await (await client.get("/api/queue")).json())["queue"]
    assert [(item["id"], item["channel"]) for item in queue] == [(conversation_id, channel)]
    assert (await client.post(f"/api/conversations/{conversation_id}/claim", headers=headers)).status == 200
    reply = {"text": "Jó napot, Anna vagyok. Miben segíthetek?"}
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json=reply, headers=headers)
    assert response.status == 200
    sent = await fake.wait_for(4, path)
    texts = [text_of(body) for body in sent]
    assert texts[-1] == reply["text"]
    assert texts[-2] == "anna csatlakozott a beszélgetéshez."  # the join notice, in Hungarian
    # the customer now talks to the agent, not to the bot
    calls = len(rasa.calls)
    await customer.say("Köszönöm!")
    await services(client).router.drain()
    assert len(rasa.calls) == calls
    # resolve: back to the bot and a CSAT question; a typed digit is the rating
    assert (await client.post(f"/api/conversations/{conversation_id}/resolve", headers=headers)).status == 200
    question = services(client).locales.text("hu", "csat_question")
    await fake.wait_for(len(sent) + 2, path)
    assert question in [text_of(body) for body in fake.bodies(path)]
    await customer.say("5")
    report = await (await client.get("/api/reports/csat")).json()
    assert report["overall"]["distribution"]["5"] == 1 and len(rasa.calls) == calls


async def test_whatsapp_agent_reply_outside_24_hours_is_held_with_a_console_notice(
    client, rasa: FakeRasa, graph: FakeGraph
) -> None:
    customer = WhatsAppCustomer(client, "36201234567")
    csrf, conversation_id = await _handed_off(client, rasa, customer)
    headers = {"X-CSRF-Token": csrf}
    await client.post(f"/api/conversations/{conversation_id}/claim", headers=headers)
    before = len(await graph.wait_for(2, "messages"))
    await services(client).store.channels.touch_contact(conversation_id, utcnow() - timedelta(hours=25))
    console = await client.ws_connect("/api/console/ws")
    await console.receive_json()
    response = await client.post(
        f"/api/conversations/{conversation_id}/messages", json={"text": "Late answer"}, headers=headers
    )
    assert response.status == 200
    notice = None
    while notice is None:
        event = await console.receive_json(timeout=3)
        if event["type"] == "conversation_message" and event["message"]["sender"] == "system":
            notice = event["message"]["text"]
    assert "24" in notice and "WhatsApp" in notice
    await services(client).router.drain()
    assert len(graph.bodies("messages")) == before
    assert await services(client).store.channels.pending("whatsapp") == []


async def test_attachment_during_handoff_gives_the_agent_a_link_that_works(
    client, rasa: FakeRasa, graph: FakeGraph
) -> None:
    customer = WhatsAppCustomer(client, "36201234567")
    csrf, conversation_id = await _handed_off(client, rasa, customer)
    await client.post(f"/api/conversations/{conversation_id}/claim", headers={"X-CSRF-Token": csrf})
    await customer.post(customer.notification(type="image", image={"id": "MEDIA9", "mime_type": "image/jpeg"}))
    detail = await (await client.get(f"/api/conversations/{conversation_id}")).json()
    last = detail["messages"][-1]
    assert last["sender"] == "customer" and last["text"].startswith("[image] http")
    path = last["text"].split("8080", 1)[1]
    assert path == "/api/channels/whatsapp/media/MEDIA9"
    media = await client.get(path)
    assert media.status == 200 and await media.read() == b"IMG:MEDIA9"
    # no customer-facing "text only" answer during a handoff
    texts = [body.get("text", {}).get("body") for body in graph.bodies("messages")]
    assert not any(t and t.startswith("Csak szöveges") for t in texts)
    await client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})
    assert (await client.get(path)).status == 401
