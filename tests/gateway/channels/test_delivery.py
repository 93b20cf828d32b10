"""Outbound delivery: 429 with Retry-After, platform down then up (nothing lost, order kept),
permanent refusals do not block the queue, Retry-After parsing."""

from __future__ import annotations

import time

from bot.gateway.app import CHANNELS
from bot.gateway.channels.outbound import RetryPolicy, retry_after_seconds
from tests.gateway.channels.customers import TelegramCustomer, WhatsAppCustomer, eventually
from tests.gateway.channels.fake_platforms import Failure, FakeGraph, FakeTelegram
from tests.gateway.fake_rasa import FakeRasa
from tests.gateway.helpers import services


def test_retry_policy_backs_off_and_respects_retry_after() -> None:
    policy = RetryPolicy(base_seconds=1.0, max_seconds=8.0)
    assert [policy.delay(n, None) for n in (1, 2, 3, 4, 5)] == [1.0, 2.0, 4.0, 8.0, 8.0]
    assert policy.delay(1, 30.0) == 30.0
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after_seconds("soon") is None


async def test_429_then_success_waits_the_retry_after(client, telegram: FakeTelegram) -> None:
    telegram.fail_next = [Failure(429, retry_after="0.3")]
    await TelegramCustomer(client, 601).say("hello")
    sent = await telegram.wait_for(1, "sendMessage")
    assert sent[0]["text"] == "echo: hello"
    first_try, second_try = telegram.attempts[0], telegram.attempts[1]
    assert second_try - first_try >= 0.3


async def test_telegram_retry_after_in_the_body(client, telegram: FakeTelegram) -> None:
    body = {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests",
        "parameters": {"retry_after": 0.3},
    }
    telegram.fail_next = [Failure(429, body=body)]
    await TelegramCustomer(client, 602).say("hello")
    await telegram.wait_for(1, "sendMessage")
    assert telegram.attempts[1] - telegram.attempts[0] >= 0.3


async def test_platform_down_then_up_delivers_everything_in_order(client, rasa: FakeRasa, graph: FakeGraph) -> None:
    graph.down = True
    customer = WhatsAppCustomer(client, "447700900123")
    for text in ("one", "two", "three"):
        await customer.say(text)
    await services(client).router.drain()
    assert len(rasa.calls) == 3 and graph.sent == []
    pending = await services(client).store.channels.pending("whatsapp")
    assert [row.request["text"]["body"] for row in pending] == ["echo: one", "echo: two", "echo: three"]

    async def kept_trying() -> bool:
        return len(graph.attempts) >= 2

    await eventually(kept_trying)
    graph.down = False
    sent = await graph.wait_for(3, "messages")
    assert [body["text"]["body"] for body in sent] == ["echo: one", "echo: two", "echo: three"]

    async def settled() -> bool:
        return await services(client).store.channels.pending("whatsapp") == []

    await eventually(settled)


async def test_a_refused_message_is_failed_and_the_next_one_still_goes(client, telegram: FakeTelegram) -> None:
    telegram.fail_next = [Failure(400, body={"ok": False, "error_code": 400, "description": "chat not found"})]
    customer = TelegramCustomer(client, 603)
    await customer.say("first")
    await customer.say("second")
    sent = await telegram.wait_for(1, "sendMessage")
    assert sent[0]["text"] == "echo: second"
    store = services(client).store.channels

    async def settled() -> bool:
        return await store.pending("telegram") == []

    await eventually(settled)


async def test_pending_requests_survive_a_restart(client, telegram: FakeTelegram) -> None:
    """A request written by an earlier gateway run (here: straight into the table) goes out once a
    worker starts."""
    customer = TelegramCustomer(client, 604)
    await customer.say("hello")
    await telegram.wait_for(1, "sendMessage")
    channel = services(client).store.channels
    conversation_id = (await channel.contact_by_address("telegram", "604")).conversation_id
    await channel.enqueue(
        "telegram", conversation_id, {"method": "sendMessage", "body": {"chat_id": "604", "text": "kept"}}
    )
    queue = client.server.app[CHANNELS].channels["telegram"]._queue
    await queue.stop()
    started = time.monotonic()
    queue.start()
    sent = await telegram.wait_for(2, "sendMessage")
    assert sent[1]["text"] == "kept" and time.monotonic() - started < 3
