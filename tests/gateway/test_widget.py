"""The widget channel: conversations survive reloads, input is sanitised and limited, origins checked."""

from __future__ import annotations

from tests.gateway.fake_rasa import FakeRasa
from tests.gateway.helpers import open_widget, services


async def test_new_conversation_then_turn_with_buttons_in_order(client, rasa: FakeRasa) -> None:
    widget, welcome = await open_widget(client)
    assert len(welcome["conversation_id"]) == 32 and welcome["history"] == []
    assert welcome["max_message_characters"] == 100
    events = await widget.say("Szia!")
    kinds = [event["type"] for event in events]
    assert kinds[0] == "ack" and kinds[-1] == "turn_end"
    assert kinds.index("typing") < kinds.index("message")
    bot = next(event for event in events if event["type"] == "message")["message"]
    assert bot["sender"] == "bot" and bot["buttons"][0] == {"title": "Igen", "payload": "/affirm"}
    assert {"type": "language", "language": "hu"} in events
    # the browser's language went to Rasa as a prior
    assert rasa.calls[0]["metadata"]["language_prior"] == {"hu": 0.6}
    assert rasa.calls[0]["sender"] == widget.conversation_id


async def test_button_payload_goes_to_rasa_and_title_is_stored(client, rasa: FakeRasa) -> None:
    widget, _ = await open_widget(client)
    await widget.socket.send_json({"type": "message", "text": "Igen", "payload": "/affirm", "client_id": "b"})
    await widget.until("turn_end")
    assert rasa.calls[-1]["message"] == "/affirm"
    transcript = await services(client).store.conversations.transcript(widget.conversation_id)
    assert transcript[0].text == "Igen"


async def test_reload_resumes_with_history_and_parse_data_is_stored(client) -> None:
    widget, _ = await open_widget(client)
    await widget.say("Szia!")
    await widget.socket.close()
    again, welcome = await open_widget(client, widget.conversation_id)
    assert welcome["conversation_id"] == widget.conversation_id
    assert [m["sender"] for m in welcome["history"]] == ["customer", "bot"]
    assert welcome["language"] == "hu"
    customer = (await services(client).store.conversations.transcript(widget.conversation_id))[0]
    assert (customer.intent, customer.confidence, customer.language) == ("greet", 0.93, "hu")


async def test_unknown_conversation_id_starts_a_new_one(client) -> None:
    _, welcome = await open_widget(client, "0" * 32)
    assert welcome["conversation_id"] != "0" * 32


async def test_too_long_message_is_refused_with_limit_and_not_stored(client) -> None:
    widget, _ = await open_widget(client)
    await widget.socket.send_json({"type": "message", "text": "x" * 101, "client_id": "c9"})
    error = await widget.receive("error")
    assert error["code"] == "too_long" and error["limit"] == 100 and error["client_id"] == "c9"
    assert "100" in error["message"] and "karakter" in error["message"]  # Hungarian, from the locale file
    assert await services(client).store.conversations.transcript(widget.conversation_id) == []


async def test_control_characters_are_stripped_and_markup_kept_as_text(client) -> None:
    widget, _ = await open_widget(client)
    events = await widget.say("a\x00b\x1b<script>alert(1)</script>")
    assert events[0]["message"]["text"] == "ab<script>alert(1)</script>"


async def test_whitespace_only_is_an_error(client) -> None:
    widget, _ = await open_widget(client)
    await widget.socket.send_json({"type": "message", "text": " \x07 ", "client_id": "e"})
    assert (await widget.receive("error"))["code"] == "empty"


async def test_rate_limit_per_connection(client) -> None:
    widget, _ = await open_widget(client)
    for index in range(5):
        await widget.say(f"hello {index}", client_id=str(index))
    await widget.socket.send_json({"type": "message", "text": "one too many", "client_id": "x"})
    assert (await widget.receive("error"))["code"] == "rate_limited"
    other, _ = await open_widget(client)  # another connection has its own budget
    assert (await other.say("fine"))[0]["type"] == "ack"


async def test_origin_not_allowed_is_refused_before_upgrade(client) -> None:
    response = await client.get(
        "/widget/ws",
        headers={
            "Origin": "https://evil.example",
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        },
    )
    assert response.status == 403


async def test_same_origin_is_allowed_when_the_list_is_empty(client) -> None:
    origin = str(client.make_url("")).rstrip("/")
    _, welcome = await open_widget(client, Origin=origin)
    assert welcome["type"] == "welcome"


async def test_unknown_frame_and_missing_hello(client) -> None:
    widget, _ = await open_widget(client)
    await widget.socket.send_json({"type": "dance"})
    assert (await widget.receive("error"))["code"] == "bad_request"
    socket = await client.ws_connect("/widget/ws")
    await socket.send_json({"type": "message", "text": "no hello"})
    assert (await socket.receive_json())["code"] == "bad_request"
