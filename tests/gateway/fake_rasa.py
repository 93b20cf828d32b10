"""A stand-in for Rasa's `polydesk` channel on loopback, scriptable per test."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Optional

import aiohttp
from aiohttp import web

INTENTS = {
    "szia": "greet",
    "viszlat": "goodbye",
    "bye": "goodbye",
    "ember": "request_human",
    "human": "request_human",
}


@dataclass
class FakeRasa:
    mode: str = "up"  # up, down (HTTP 500 and health fails), slow (sleeps past the timeout)
    language: str = "hu"
    gateway_url: Optional[str] = None
    internal_token: str = "polydesk-dev-internal-token"
    port: int = 0
    calls: list[dict[str, Any]] = field(default_factory=list)
    handoff_answers: list[dict[str, Any]] = field(default_factory=list)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/webhooks/polydesk/webhook", self.webhook)
        app.router.add_get("/", self.root)
        return app

    async def root(self, request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa", status=500 if self.mode == "down" else 200)

    async def webhook(self, request: web.Request) -> web.Response:
        if self.mode == "down":
            return web.Response(status=500, text="boom")
        if self.mode == "slow":
            await asyncio.sleep(5)
        body = await request.json()
        self.calls.append(body)
        text = body["message"]
        intent = next((name for word, name in INTENTS.items() if word in text.lower()), "info_request")
        messages: list[dict[str, Any]] = [{"text": f"echo: {text}"}]
        if intent == "greet":
            messages = [
                {
                    "text": "Szia! Miben segíthetek?",
                    "buttons": [
                        {"title": "Igen", "payload": "/affirm"},
                        {"title": "Nem", "payload": "/deny"},
                    ],
                }
            ]
        if intent == "request_human":
            # like action_handoff: call the gateway while the gateway's own call is still pending
            async with aiohttp.ClientSession() as session:
                async with session.post(
                    f"{self.gateway_url}/internal/handoffs",
                    headers={"Authorization": f"Bearer {self.internal_token}"},
                    json={
                        "conversation_id": body["sender"],
                        "language": self.language,
                        "intent": intent,
                        "complaint_topic": None,
                        "summary": "wants a human",
                        "reason": "request_human",
                    },
                ) as response:
                    answer = await response.json()
            self.handoff_answers.append(answer)
            messages = [{"text": f"handoff: {answer['status']} {answer.get('position', '')}".strip()}]
        parse = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.93},
            "entities": [],
            "language": {"code": self.language, "confidence": 0.98},
        }
        return web.json_response({"messages": messages, "parse": parse, "language": self.language})
