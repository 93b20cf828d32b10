"""Fixtures: a gateway on SQLite in a temp dir, a fake Rasa on loopback, widget and console helpers."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.gateway.app import create_app
from bot.settings import Settings
from tests.gateway.fake_rasa import FakeRasa


@pytest.fixture
async def rasa(aiohttp_server: Any) -> FakeRasa:
    fake = FakeRasa()
    server = await aiohttp_server(fake.app())
    fake.port = server.port
    return fake


@pytest.fixture
def settings(tmp_path: Any, rasa: FakeRasa) -> Settings:
    return Settings(
        environment="test",
        var_dir=tmp_path,
        rasa_port=rasa.port,
        rasa_timeout_seconds=3.0,  # generous: the machine may be loaded; the slow fake sleeps 5 s
        business_hours="always",
        rasa_retry_seconds=3600,
        widget_rate_limit_messages=5,
        widget_rate_limit_seconds=60,
        max_message_characters=100,
    )


@pytest.fixture
async def client(aiohttp_client: Any, settings: Settings, rasa: FakeRasa) -> TestClient:
    test_client = await aiohttp_client(create_app(settings))
    rasa.gateway_url = str(test_client.make_url("")).rstrip("/")
    return test_client
