"""WhatsApp Cloud API and Messenger: Meta's handshake and signature, messages in and out in two
languages, priors from the phone number and the profile locale, buttons, non-text messages."""

from __future__ import annotations

from bot.gateway.channels.phone_language import language_of_number, load_calling_codes
from tests.gateway.channels.customers import MessengerCustomer, WhatsAppCustomer
from tests.gateway.channels.fake_platforms import FakeGraph
from tests.gateway.fake_rasa import FakeRasa
from tests.gateway.helpers import services

MESSAGES = "1098765/messages"


def test_calling_codes_pick_the_longest_prefix() -> None:
    table = load_calling_codes()
    assert language_of_number("+90 532 123 4567", table) == "tr"
    assert language_of_number("358401234567", table) == "fi"
    assert language_of_number("36201234567", table) == "hu"
    assert language_of_number("447700900123", table) == "en"
    assert language_of_number("15551234567", table) == "en"
    assert language_of_number("4915112345678", table) == "de"
    assert language_of_number("3725123456", table) == "et"
    assert language_of_number("8613800000000", table) is None


async def test_handshake_echoes_the_challenge_only_with_our_token(client) -> None:
    for channel, token in (("whatsapp", "wa-verify"), ("messenger", "fb-verify")):
        query = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444"}
        response = await client.get(f"/channels/{channel}/webhook", params=query)
        assert (response.status, await response.text()) == (200, "1158201444")
        query["hub.verify_token"] = "guess"
        assert (await client.get(f"/channels/{channel}/webhook", params=query)).status == 403


async def test_whatsapp_message_in_reply_out_in_two_languages(client, rasa: FakeRasa, graph: FakeGraph) -> None:
    rasa.language = "tr"
    await WhatsAppCustomer(client, "905321234567").say("Siparişim nerede?")
    sent = await graph.wait_for(1, MESSAGES)
    assert sent[0] == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "905321234567",
        "type": "text",
        "text": {"preview_url": False, "body": "echo: Siparişim nerede?"},
    }
    assert rasa.calls[0]["metadata"]["language_prior"] == {"tr": 0.6}
    rasa.language = "fi"
    await WhatsAppCustomer(client, "358401234567").say("Missä tilaukseni on?")
    sent = await graph.wait_for(2, MESSAGES)
    assert sent[1]["to"] == "358401234567" and sent[1]["text"]["body"] == "echo: Missä tilaukseni on?"
    assert rasa.calls[1]["metadata"]["language_prior"] == {"fi": 0.6}


async def test_whatsapp_buttons_are_reply_buttons_and_a_tap_sends_the_payload(
    client, rasa: FakeRasa, graph: FakeGraph
) -> None:
    customer = WhatsAppCustomer(client, "36201234567")
    await customer.say("Szia")
    greeting = (await graph.wait_for(1, MESSAGES))[0]
    assert greeting["type"] == "interactive"
    assert [b["reply"] for b in greeting["interactive"]["action"]["buttons"]] == [
        {"id": "/affirm", "title": "Igen"},
        {"id": "/deny", "title": "Nem"},
    ]
    tap = {"type": "button_reply", "button_reply": {"id": "/affirm", "title": "Igen"}}
    assert (await customer.post(customer.notification(type="interactive", interactive=tap))).status == 200
    await graph.wait_for(2, MESSAGES)
    assert rasa.calls[-1]["message"] == "/affirm"


async def test_bad_or_missing_signature_is_refused_and_nothing_stored(client, rasa: FakeRasa) -> None:
    whatsapp = WhatsAppCustomer(client, "905321234567")
    messenger = MessengerCustomer(client, "PSID-1")
    assert (await whatsapp.post(whatsapp.notification(type="text", text={"body": "x"}), secret="wrong")).status == 403
    assert (await messenger.post(messenger.notification(text="x"), secret="wrong")).status == 403
    response = await client.post("/channels/messenger/webhook", json=messenger.notification(text="x"))
    assert response.status == 401
    assert await services(client).store.conversations.in_state("bot") == []
    assert rasa.calls == []


async def test_whatsapp_redelivery_and_status_updates(client, rasa: FakeRasa, graph: FakeGraph) -> None:
    customer = WhatsAppCustomer(client, "447700900123")
    payload = customer.notification(type="text", text={"body": "hello"})
    assert (await customer.post(payload)).status == 200
    assert (await customer.post(payload)).status == 200
    statuses = {
        "object": "whatsapp_business_account",
        "entry": [{"changes": [{"value": {"statuses": [{"id": "x"}]}}]}],
    }
    assert (await customer.post(statuses)).status == 200
    await graph.wait_for(1, MESSAGES)
    await services(client).router.drain()
    assert len(rasa.calls) == 1


async def test_whatsapp_image_gets_text_only_answer_in_the_numbers_language(
    client, rasa: FakeRasa, graph: FakeGraph
) -> None:
    customer = WhatsAppCustomer(client, "36201234567")
    await customer.post(customer.notification(type="image", image={"id": "MEDIA1", "mime_type": "image/jpeg"}))
    sent = await graph.wait_for(1, MESSAGES)
    assert sent[0]["text"]["body"] == "Csak szöveges üzeneteket tudok olvasni. Kérem, írja le néhány szóban a kérdését."
    assert rasa.calls == []


async def test_messenger_locale_prior_quick_replies_and_two_languages(client, rasa: FakeRasa, graph: FakeGraph) -> None:
    graph.locales["PSID-HU"] = "hu_HU"
    await MessengerCustomer(client, "PSID-HU").say("Szia")
    sent = await graph.wait_for(1, "me/messages")
    assert sent[0]["recipient"] == {"id": "PSID-HU"} and sent[0]["messaging_type"] == "RESPONSE"
    assert sent[0]["message"]["text"] == "Szia! Miben segíthetek?"
    assert sent[0]["message"]["quick_replies"][0] == {
        "content_type": "text",
        "title": "Igen",
        "payload": "/affirm",
    }
    assert rasa.calls[0]["metadata"]["language_prior"] == {"hu": 0.6}
    # no locale permission: no prior, the detector decides alone; still answered
    rasa.language = "en"
    customer = MessengerCustomer(client, "PSID-EN")
    await customer.say("Where is my order?")
    sent = await graph.wait_for(2, "me/messages")
    assert sent[1]["message"] == {"text": "echo: Where is my order?"}
    assert rasa.calls[1]["metadata"]["language_prior"] == {}
    # a quick reply tap sends its payload; our own echoes are ignored
    tap = customer.notification(text="Igen", quick_reply={"payload": "/affirm"})
    echo = customer.notification(text="echo", is_echo=True)
    assert (await customer.post(tap)).status == 200 and (await customer.post(echo)).status == 200
    await graph.wait_for(3, "me/messages")
    await services(client).router.drain()
    assert [call["message"] for call in rasa.calls] == ["Szia", "Where is my order?", "/affirm"]


async def test_messenger_location_and_sticker_do_not_crash(client, rasa: FakeRasa, graph: FakeGraph) -> None:
    graph.locales["PSID-FI"] = "fi_FI"
    customer = MessengerCustomer(client, "PSID-FI")
    location = {"type": "location", "payload": {"coordinates": {"lat": 60.17, "long": 24.94}}}
    sticker = {
        "type": "image",
        "payload": {"url": "https://cdn.example/sticker.png", "sticker_id": 369239263222822},
    }
    await customer.post(customer.notification(attachments=[location]))
    await customer.post(customer.notification(sticker_id=369239263222822, attachments=[sticker]))
    sent = await graph.wait_for(2, "me/messages")
    assert sent[0]["message"]["text"].startswith("Osaan lukea vain tekstiviestejä.")
    assert rasa.calls == []
