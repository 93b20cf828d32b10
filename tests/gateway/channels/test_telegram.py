"""Telegram: secret header, updates in, sendMessage out, language_code as prior, buttons, non-text."""

from __future__ import annotations

from tests.gateway.channels.customers import TelegramCustomer
from tests.gateway.channels.fake_platforms import FakeTelegram
from tests.gateway.fake_rasa import FakeRasa
from tests.gateway.helpers import services


async def test_message_in_reply_out_in_two_languages(client, rasa: FakeRasa, telegram: FakeTelegram) -> None:
    hungarian = TelegramCustomer(client, 501, "hu")
    await hungarian.say("Mennyi a szállítási díj?")
    sent = await telegram.wait_for(1, "sendMessage")
    assert sent[0] == {"chat_id": "501", "text": "echo: Mennyi a szállítási díj?"}
    assert rasa.calls[0]["metadata"]["language_prior"] == {"hu": 0.6}
    assert rasa.calls[0]["metadata"]["channel"] == "telegram"

    rasa.language = "tr"
    turkish = TelegramCustomer(client, 502, "tr")
    await turkish.say("Kargo ücreti ne kadar?")
    sent = await telegram.wait_for(2, "sendMessage")
    assert sent[1] == {"chat_id": "502", "text": "echo: Kargo ücreti ne kadar?"}
    assert rasa.calls[1]["metadata"]["language_prior"] == {"tr": 0.6}
    store = services(client).store
    conversation = await store.conversations.get(rasa.calls[1]["sender"])
    assert (conversation.channel, conversation.language, conversation.language_hint) == (
        "telegram",
        "tr",
        "tr",
    )
    # one conversation per Telegram chat: the next message continues it
    await turkish.say("teşekkürler")
    await telegram.wait_for(3, "sendMessage")
    assert rasa.calls[2]["sender"] == rasa.calls[1]["sender"]


async def test_wrong_or_missing_secret_is_refused_and_nothing_stored(client, rasa: FakeRasa) -> None:
    customer = TelegramCustomer(client, 503)
    assert (await customer.post(customer.update(text="hi"), secret="forged")).status == 403
    assert (await customer.post(customer.update(text="hi"), secret=None)).status == 401
    assert await services(client).store.conversations.in_state("bot") == []
    assert rasa.calls == []


async def test_redelivered_update_is_processed_once(client, rasa: FakeRasa, telegram: FakeTelegram) -> None:
    customer = TelegramCustomer(client, 504)
    update = customer.update(text="Szia")
    assert (await customer.post(update)).status == 200
    assert (await customer.post(update)).status == 200  # Telegram retries when it missed our 200
    await telegram.wait_for(1, "sendMessage")
    await services(client).router.drain()
    assert len(rasa.calls) == 1
    transcript = await services(client).store.conversations.transcript(rasa.calls[0]["sender"])
    assert [m.sender for m in transcript] == ["customer", "bot"]


async def test_buttons_are_an_inline_keyboard_and_a_press_sends_the_payload(
    client, rasa: FakeRasa, telegram: FakeTelegram
) -> None:
    customer = TelegramCustomer(client, 505)
    await customer.say("Szia")
    greeting = (await telegram.wait_for(1, "sendMessage"))[0]
    keyboard = greeting["reply_markup"]["inline_keyboard"]
    assert keyboard == [
        [{"text": "Igen", "callback_data": "/affirm"}],
        [{"text": "Nem", "callback_data": "/deny"}],
    ]
    press = {
        "update_id": 9001,
        "callback_query": {
            "id": "cbq-1",
            "from": {"id": 505, "language_code": "hu"},
            "message": {
                "message_id": 77,
                "chat": {"id": 505, "type": "private"},
                "reply_markup": greeting["reply_markup"],
            },
            "data": "/affirm",
        },
    }
    assert (await customer.post(press)).status == 200
    await telegram.wait_for(2, "sendMessage")
    assert rasa.calls[-1]["message"] == "/affirm"
    transcript = await services(client).store.conversations.transcript(rasa.calls[-1]["sender"])
    assert transcript[-2].text == "Igen"  # the title, as if typed
    assert telegram.attempts  # acknowledged below
    assert [b for b in telegram.bodies("answerCallbackQuery")] == [{"callback_query_id": "cbq-1"}]


async def test_start_command_greets(client, rasa: FakeRasa, telegram: FakeTelegram) -> None:
    await TelegramCustomer(client, 506).say("/start")
    await telegram.wait_for(1, "sendMessage")
    assert rasa.calls[0]["message"] == "/greet"


async def test_sticker_gets_a_localized_text_only_answer_and_never_reaches_rasa(
    client, rasa: FakeRasa, telegram: FakeTelegram
) -> None:
    customer = TelegramCustomer(client, 507, "tr")
    response = await customer.post(customer.update(sticker={"file_id": "STK1", "emoji": "👍"}))
    assert response.status == 200
    sent = await telegram.wait_for(1, "sendMessage")
    assert sent[0]["text"] == "Yalnızca yazılı mesajları okuyabiliyorum. Lütfen sorunuzu birkaç kelimeyle yazın."
    assert rasa.calls == []
    # location and voice do not crash either
    await customer.post(customer.update(location={"latitude": 41.01, "longitude": 28.97}))
    await customer.post(customer.update(voice={"file_id": "VOICE1", "duration": 3}))
    await telegram.wait_for(3, "sendMessage")
    conversation_id = (await services(client).store.conversations.in_state("bot"))[0].id
    texts = [m.text for m in await services(client).store.conversations.transcript(conversation_id)]
    assert texts[0] == "[sticker] http://127.0.0.1:8080/api/channels/telegram/media/STK1"
    assert "[location] https://www.openstreetmap.org/?mlat=41.010000&mlon=28.970000" in texts


async def test_malformed_update_is_a_400(client) -> None:
    response = await client.post(
        "/channels/telegram/webhook",
        data=b"not json",
        headers={"X-Telegram-Bot-Api-Secret-Token": "telegram-webhook-secret"},
    )
    assert response.status == 400
