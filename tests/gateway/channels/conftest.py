"""Fixtures: a gateway with all three messaging channels on, pointed at fake platforms on loopback,
with millisecond retry backoff (the `client` fixture of tests/gateway picks these settings up)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from bot.settings import Settings
from tests.gateway.channels.fake_platforms import FakeGraph, FakeTelegram

TELEGRAM_TOKEN = "123456:test-bot-token"
TELEGRAM_SECRET = "telegram-webhook-secret"
GRAPH_TOKEN = "graph-test-token"
WHATSAPP_SECRET = "whatsapp-app-secret"
MESSENGER_SECRET = "messenger-app-secret"
PHONE_NUMBER_ID = "1098765"


@pytest.fixture
async def telegram(aiohttp_server: Any) -> FakeTelegram:
    fake = FakeTelegram(token=TELEGRAM_TOKEN)
    fake.port = (await aiohttp_server(fake.app())).port
    return fake


@pytest.fixture
async def graph(aiohttp_server: Any) -> FakeGraph:
    fake = FakeGraph(token=GRAPH_TOKEN)
    fake.port = (await aiohttp_server(fake.app())).port
    return fake


@pytest.fixture
def settings(settings: Settings, telegram: FakeTelegram, graph: FakeGraph) -> Settings:
    return dataclasses.replace(
        settings,
        max_message_characters=4000,
        telegram_bot_token=TELEGRAM_TOKEN,
        telegram_webhook_secret=TELEGRAM_SECRET,
        telegram_api_url=telegram.url,
        whatsapp_access_token=GRAPH_TOKEN,
        whatsapp_phone_number_id=PHONE_NUMBER_ID,
        whatsapp_app_secret=WHATSAPP_SECRET,
        whatsapp_verify_token="wa-verify",
        messenger_page_access_token=GRAPH_TOKEN,
        messenger_app_secret=MESSENGER_SECRET,
        messenger_verify_token="fb-verify",
        graph_api_url=f"{graph.url}/v19.0",
        delivery_retry_base_seconds=0.02,
        delivery_retry_max_seconds=0.1,
    )
