"""No conversation is dropped while the operator deploys: Rasa answers nothing while `PUT /model` loads the
new model, yet every customer turn sent meanwhile (and one already in flight) gets the bot's answer and
nothing goes to the agent queue."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import pytest
from aiohttp import web

from bot.operations.registry import ModelEntry
from bot.settings import Settings
from tests.gateway.helpers import open_widget, services
from tests.gateway.operator.conftest import ModelLoadingRasa, login_operator, operations

LOAD_SECONDS = 4.0  # several times the gateway's Rasa timeout below


class SlowLoadingRasa(ModelLoadingRasa):
    """Like Rasa: while PUT /model loads, no turn is answered (they wait, as in Rasa's blocked event loop)."""

    def app(self) -> web.Application:
        self.idle = asyncio.Event()
        self.idle.set()
        self.loading = asyncio.Event()
        return super().app()

    async def put_model(self, request: web.Request) -> web.Response:
        self.idle.clear()
        self.loading.set()
        try:
            await asyncio.sleep(LOAD_SECONDS)
            return await super().put_model(request)
        finally:
            self.idle.set()

    async def webhook(self, request: web.Request) -> web.Response:
        if "in flight" in (await request.json())["message"]:
            await self.loading.wait()  # this turn reached Rasa just before the swap began
        await self.idle.wait()
        return await super().webhook(request)


@pytest.fixture
async def rasa(aiohttp_server: Any) -> SlowLoadingRasa:
    fake = SlowLoadingRasa()
    server = await aiohttp_server(fake.app())
    fake.port = server.port
    return fake


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, rasa_timeout_seconds=1.0, model_swap_max_wait_seconds=60.0)


async def test_turns_during_a_deploy_wait_for_the_new_model_and_none_is_queued(client, rasa: SlowLoadingRasa) -> None:
    headers = await login_operator(client)
    registry = operations(client).registry
    registry.models_dir.mkdir(parents=True, exist_ok=True)
    registry.path("polydesk-new.tar.gz").write_bytes(b"model")
    registry.add(ModelEntry("polydesk-new.tar.gz", "2026-11-23T17:00:00+00:00", ["fi", "en"]))
    widgets = [(await open_widget(client, language="fi-FI"))[0] for _ in range(4)]

    in_flight = asyncio.create_task(widgets[0].say("hei, in flight", client_id="w0"))
    await asyncio.sleep(0.2)  # the turn is with Rasa when the deploy starts
    deploy = asyncio.create_task(client.post("/operator/api/models/polydesk-new.tar.gz/deploy", headers=headers))
    await asyncio.wait_for(rasa.loading.wait(), 10)
    during = [asyncio.create_task(widget.say(f"hei {n}", client_id=f"w{n}")) for n, widget in enumerate(widgets[1:], 1)]
    turns = await asyncio.gather(in_flight, *during)
    response = await deploy
    assert response.status == 200, await response.text()
    assert [path.rsplit("/", 1)[-1] for path in rasa.loaded] == ["polydesk-new.tar.gz"]

    for events in turns:
        answers = [e["message"]["text"] for e in events if e["type"] == "message" and e["message"]["sender"] == "bot"]
        assert answers and answers[0].startswith("echo: hei"), events
    store = services(client).store.conversations
    for widget in widgets:
        conversation = await store.get(widget.conversation_id)
        assert conversation.state == "bot" and conversation.handoff_reason is None
        statuses = [m.status for m in await store.transcript(widget.conversation_id) if m.sender == "customer"]
        assert statuses == ["answered"]
    assert await store.queued() == []
    assert len(rasa.calls) == 4  # every turn reached Rasa once: nothing was sent twice


async def test_without_a_deploy_a_silent_rasa_still_times_out_to_the_queue(client, rasa: SlowLoadingRasa) -> None:
    rasa.idle.clear()  # Rasa hangs, and nobody is deploying: the turn must not wait for long
    widget, _ = await open_widget(client, language="fi-FI")
    events = await asyncio.wait_for(widget.say("hei"), 10)
    assert not [e for e in events if e["type"] == "message" and e["message"]["text"].startswith("echo")]
    conversation = await services(client).store.conversations.get(widget.conversation_id)
    assert conversation.state == "queued" and conversation.handoff_reason == "bot_unavailable"
    rasa.idle.set()
