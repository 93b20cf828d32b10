"""Console: login, session cookie, CSRF, claim/reply/notes/transfer/resolve, CSAT and its report."""

from __future__ import annotations

import asyncio

from tests.gateway.fake_rasa import FakeRasa
from tests.gateway.helpers import add_agent, login, open_widget, services


async def _handed_off(client, agent: str = "anna"):
    await add_agent(client, agent, ("hu", "en"))
    csrf = await login(client, agent)
    console = await client.ws_connect("/api/console/ws")
    await console.receive_json()
    widget, _ = await open_widget(client)
    await widget.say("Szia!")
    await widget.say("ember kell", client_id="h")
    return csrf, console, widget


async def test_login_rejects_wrong_password_and_sets_http_only_cookie(client) -> None:
    await add_agent(client, "anna", ("hu",))
    response = await client.post("/api/auth/login", json={"name": "anna", "password": "wrong password"})
    assert response.status == 401 and (await response.json())["error"] == "invalid_credentials"
    response = await client.post(
        "/api/auth/login", json={"name": "anna", "password": "correct horse battery"}
    )
    cookie = response.headers["Set-Cookie"]
    assert "polydesk_session=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    session = await (await client.get("/api/auth/session")).json()
    assert session["agent"]["name"] == "anna" and session["csrf_token"]
    await client.post("/api/auth/logout", headers={"X-CSRF-Token": session["csrf_token"]})
    assert (await client.get("/api/auth/session")).status == 401


async def test_every_console_route_needs_a_session(client) -> None:
    for method, path in [
        ("GET", "/api/queue"),
        ("GET", "/api/conversations/x"),
        ("POST", "/api/tickets/1/close"),
        ("GET", "/api/reports/csat"),
        ("GET", "/api/console/ws"),
        ("GET", "/api/agents"),
    ]:
        response = await client.request(method, path)
        assert response.status == 401, path


async def test_unsafe_methods_need_the_csrf_header(client) -> None:
    csrf, _, widget = await _handed_off(client)
    url = f"/api/conversations/{widget.conversation_id}/claim"
    assert (await client.post(url)).status == 403
    assert (await client.post(url, headers={"X-CSRF-Token": "forged"})).status == 403
    assert (await client.post(url, headers={"X-CSRF-Token": csrf})).status == 200


async def test_agent_chat_transcript_notes_transfer_resolve_and_csat(client, rasa: FakeRasa) -> None:
    csrf, console, widget = await _handed_off(client)
    headers = {"X-CSRF-Token": csrf}
    cid = widget.conversation_id
    queue = await (await client.get("/api/queue")).json()
    assert [(q["id"], q["language"], q["intent"], q["position"]) for q in queue["queue"]] == [
        (cid, "hu", "request_human", 1)
    ]
    # the whole transcript, bot turns with what the bot understood
    detail = await (await client.get(f"/api/conversations/{cid}")).json()
    greet = detail["messages"][0]
    assert (greet["sender"], greet["intent"], greet["confidence"], greet["language"]) == (
        "customer",
        "greet",
        0.93,
        "hu",
    )
    # replying before claiming is refused
    response = await client.post(
        f"/api/conversations/{cid}/messages", json={"text": "Hello"}, headers=headers
    )
    assert response.status == 409
    await client.post(f"/api/conversations/{cid}/claim", headers=headers)
    assert (await widget.receive("agent_joined"))["agent_name"] == "anna"
    response = await client.post(
        f"/api/conversations/{cid}/messages", json={"text": "Jó napot, <b>Anna</b>"}, headers=headers
    )
    assert response.status == 200
    seen = await widget.receive("message")
    while seen["message"]["sender"] != "agent":
        seen = await widget.receive("message")
    assert seen["message"]["text"] == "Jó napot, <b>Anna</b>" and seen["message"]["agent_name"] == "anna"
    # the customer's answer goes to the agent, not to Rasa
    calls = len(rasa.calls)
    await widget.say("Köszönöm", client_id="k")
    assert len(rasa.calls) == calls
    event = await console.receive_json(timeout=3)
    while event["type"] != "conversation_message" or event["message"]["text"] != "Köszönöm":
        event = await console.receive_json(timeout=3)
    assert event["message"]["sender"] == "customer"
    note = await client.post(f"/api/conversations/{cid}/notes", json={"text": "VIP"}, headers=headers)
    assert (await note.json())["note"]["agent_name"] == "anna"
    notes = (await (await client.get(f"/api/conversations/{cid}")).json())["notes"]
    assert [n["text"] for n in notes] == ["VIP"]
    assert all(m.text != "VIP" for m in (await services(client).store.conversations.transcript(cid)))
    # transfer to bela, who then resolves
    bela = await add_agent(client, "bela", ("hu",))
    response = await client.post(
        f"/api/conversations/{cid}/transfer", json={"agent_id": bela}, headers=headers
    )
    assert (await response.json())["conversation"]["assigned_agent_name"] == "bela"
    assert (await client.post(f"/api/conversations/{cid}/resolve", headers=headers)).status == 409
    bela_csrf = await login(client, "bela")
    response = await client.post(f"/api/conversations/{cid}/resolve", headers={"X-CSRF-Token": bela_csrf})
    assert (await response.json())["conversation"]["state"] == "bot"
    await widget.receive("agent_left")
    await widget.receive("csat_request")
    await widget.socket.send_json({"type": "csat", "rating": 9})
    assert (await widget.receive("error"))["code"] == "invalid_rating"
    await widget.socket.send_json({"type": "csat", "rating": 4, "comment": "gyors volt"})
    await widget.receive("csat_thanks")
    await widget.socket.send_json({"type": "csat", "rating": 5})
    assert (await widget.receive("error"))["code"] == "no_csat_pending"
    report = await (await client.get("/api/reports/csat")).json()
    assert report["by_agent"] == [
        {"key": "bela", "count": 1, "average": 4.0, "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0}}
    ]
    assert report["by_language"][0]["key"] == "hu"
    # back with the bot
    await widget.say("még valami", client_id="z")
    assert len(rasa.calls) == calls + 1
    await console.close()


async def test_claim_conflict_between_agents(client) -> None:
    csrf, _, widget = await _handed_off(client)
    await client.post(f"/api/conversations/{widget.conversation_id}/claim", headers={"X-CSRF-Token": csrf})
    await add_agent(client, "bela", ("hu",))
    other = await login(client, "bela")
    response = await client.post(
        f"/api/conversations/{widget.conversation_id}/claim", headers={"X-CSRF-Token": other}
    )
    assert response.status == 409 and (await response.json())["error"] == "conflict"


async def test_bot_only_goodbye_asks_for_csat_counted_for_the_bot(client) -> None:
    widget, _ = await open_widget(client)
    events = await widget.say("viszlat")
    assert "csat_request" in [event["type"] for event in events]
    await widget.socket.send_json({"type": "csat", "rating": 5, "comment": None})
    await widget.receive("csat_thanks")
    await add_agent(client, "anna", ("hu",))
    await login(client, "anna")
    report = await (await client.get("/api/reports/csat")).json()
    assert [(row["key"], row["average"]) for row in report["by_agent"]] == [("bot", 5.0)]


async def test_canned_replies_per_language_with_english_fallback(client) -> None:
    await add_agent(client, "anna", ("hu",))
    await login(client, "anna")
    hungarian = await (await client.get("/api/canned-replies?language=hu")).json()
    assert hungarian["language"] == "hu" and "Miben segíthetek" in hungarian["replies"][0]["text"]
    unknown = await (await client.get("/api/canned-replies?language=xx")).json()
    assert unknown["language"] == "en"


async def test_routed_event_goes_to_the_agent_speaking_the_language(client, rasa: FakeRasa) -> None:
    await add_agent(client, "cem", ("tr",))
    await add_agent(client, "anna", ("hu",))
    await login(client, "cem")
    cem = await client.ws_connect("/api/console/ws")
    await login(client, "anna")
    anna = await client.ws_connect("/api/console/ws")
    widget, _ = await open_widget(client)
    await widget.say("ember kell")
    conversation = await services(client).store.conversations.get(widget.conversation_id)
    anna_id = (await services(client).store.agents.by_name("anna")).id
    assert conversation.routed_agent_id == anna_id
    event = await anna.receive_json(timeout=3)
    while event["type"] != "routed":
        event = await anna.receive_json(timeout=3)
    assert event["conversation_id"] == widget.conversation_id
    # anna leaves: the waiting conversation is re-routed to cem
    await anna.close()
    for _ in range(50):
        conversation = await services(client).store.conversations.get(widget.conversation_id)
        if conversation.routed_agent_id != anna_id:
            break
        await asyncio.sleep(0.02)
    assert conversation.routed_agent_id == (await services(client).store.agents.by_name("cem")).id
    await cem.close()
