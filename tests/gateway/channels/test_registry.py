"""Which channels are on: credentials decide, half-configured is an error, off means not mounted."""

from __future__ import annotations

import pytest

from bot.gateway.app import create_app
from bot.gateway.channels.registry import enabled_channels
from bot.gateway.openapi import openapi_document
from bot.settings import ConfigError, Settings


def test_only_channels_with_credentials_are_on() -> None:
    assert enabled_channels(Settings()) == ["widget"]
    env = {"TELEGRAM_BOT_TOKEN": "1:abc", "TELEGRAM_WEBHOOK_SECRET": "s3cret"}
    assert enabled_channels(Settings.from_env(env)) == ["widget", "telegram"]


def test_a_half_configured_channel_fails_loudly() -> None:
    with pytest.raises(ConfigError, match="WHATSAPP_APP_SECRET"):
        Settings.from_env({"WHATSAPP_ACCESS_TOKEN": "t", "WHATSAPP_PHONE_NUMBER_ID": "1", "WHATSAPP_VERIFY_TOKEN": "v"})


async def test_channels_without_credentials_are_not_mounted(aiohttp_client, tmp_path) -> None:
    client = await aiohttp_client(create_app(Settings(environment="test", var_dir=tmp_path)))
    for channel in ("telegram", "whatsapp", "messenger"):
        assert (await client.post(f"/channels/{channel}/webhook", json={})).status == 404


def test_every_channel_route_is_documented(settings: Settings) -> None:
    app = create_app(settings)
    documented = {(method.upper(), path) for path, ops in openapi_document()["paths"].items() for method in ops}
    routes = {
        (r.method, r.resource.canonical)
        for r in app.router.routes()
        if r.method != "HEAD" and r.resource.canonical.startswith(("/channels", "/api/channels"))
    }
    assert len(routes) == 6 and routes <= documented, routes - documented
