"""Helpers for gateway tests: reach the app's services, open widget sockets, log agents in."""

from __future__ import annotations

import asyncio
import os
from typing import Any, Optional

from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.gateway.console.passwords import hash_password
from bot.gateway.services import SERVICES, Services

PASSWORD = "correct horse battery"


def services(client: TestClient) -> Services:
    app: web.Application = client.server.app  # type: ignore[assignment]
    return app[SERVICES]


async def add_agent(client: TestClient, name: str, languages: tuple[str, ...]) -> int:
    agent = await services(client).store.agents.add(name, languages, hash_password(PASSWORD))
    return agent.id


class Widget:
    """A customer's browser tab: one widget socket."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.conversation_id = ""

    async def receive(self, kind: Optional[str] = None, timeout: float = 10.0) -> dict[str, Any]:
        """The next event (of `kind`, skipping others)."""
        while True:
            event = await asyncio.wait_for(self.socket.receive_json(), timeout)
            if kind is None or event["type"] == kind:
                return event

    async def until(self, kind: str, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Every event up to and including the first of `kind`."""
        events = []
        while True:
            event = await asyncio.wait_for(self.socket.receive_json(), timeout)
            events.append(event)
            if event["type"] == kind:
                return events

    async def say(self, text: str, client_id: str = "c1") -> list[dict[str, Any]]:
        await self.socket.send_json({"type": "message", "text": text, "client_id": client_id})
        return await self.until("turn_end")


async def open_widget(
    client: TestClient, conversation_id: Optional[str] = None, language: str = "hu-HU", **headers: str
) -> tuple[Widget, dict[str, Any]]:
    socket = await client.ws_connect("/widget/ws", headers=headers or None)
    await socket.send_json({"type": "hello", "conversation_id": conversation_id, "language": language})
    widget = Widget(socket)
    welcome = await widget.receive("welcome")
    widget.conversation_id = welcome["conversation_id"]
    return widget, welcome


async def login(client: TestClient, name: str) -> str:
    response = await client.post("/api/auth/login", json={"name": name, "password": PASSWORD})
    assert response.status == 200, await response.text()
    return (await response.json())["csrf_token"]


def postgres_url() -> Optional[str]:
    return os.environ.get("POLYDESK_TEST_DATABASE_URL") or None
