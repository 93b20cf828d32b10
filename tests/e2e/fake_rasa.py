"""A Hungarian-speaking stand-in for Rasa's `polydesk` REST channel, for browser tests.

It answers `POST /webhooks/polydesk/webhook` like the lead's channel does (messages, parse data with the
detected language) and, when the customer asks for a person, calls the gateway's internal handoff API
during the turn, as `action_handoff` does (actions/handoff.py), before answering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bot.gateway.rasa_client import WEBHOOK_PATH

GREETING = "Jó napot! A Tulipa Home asszisztense vagyok. Miben segíthetek?"
DELIVERY = "A szállítás 2-4 munkanap, 20 000 Ft felett ingyenes."
HANDOFF_QUEUED = "Átadom egy kollégának, aki beszél magyarul. Ön a(z) {position}. a sorban, kb. {minutes} perc."
HANDOFF_UNAVAILABLE = "Sajnos most nincs elérhető kolléga. Kérem, hagyjon üzenetet."
DEFAULT = "Elnézést, ezt nem értettem. Megfogalmazná másképp?"
GOODBYE = "Viszontlátásra, további szép napot!"
BUTTONS = [
    {"title": "Szállítási idő", "payload": "/faq_delivery_times"},
    {"title": "Élő ügyintéző", "payload": "/request_human"},
]


def classify(text: str) -> tuple[str, float]:
    lowered = text.lower()
    if lowered.startswith("/"):
        return lowered[1:].split("{")[0], 1.0
    if "ügyintéző" in lowered or "ember" in lowered:
        return "request_human", 0.97
    if "szia" in lowered or "jó napot" in lowered:
        return "greet", 0.95
    if "szállít" in lowered:
        return "faq_delivery_times", 0.9
    if "viszlát" in lowered:
        return "goodbye", 0.96
    return "nlu_fallback", 0.31


@dataclass
class HungarianRasa:
    gateway_url: str
    internal_token: str
    calls: list[dict[str, Any]] = field(default_factory=list)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post(WEBHOOK_PATH, self.webhook)
        app.router.add_get("/", self.root)
        return app

    async def root(self, request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa: 3.6.21")

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.calls.append(body)
        intent, confidence = classify(body["message"])
        if intent == "greet":
            messages = [{"text": GREETING, "buttons": BUTTONS}]
        elif intent == "faq_delivery_times":
            messages = [{"text": DELIVERY}]
        elif intent == "request_human":
            messages = [{"text": await self.handoff(body["sender"], body["message"])}]
        elif intent == "goodbye":
            messages = [{"text": GOODBYE}]
        else:
            messages = [{"text": DEFAULT}]
        parse = {
            "text": body["message"],
            "intent": {"name": intent, "confidence": confidence},
            "entities": [{"entity": "language", "value": "hu", "confidence_entity": 0.99}],
        }
        return web.json_response({"messages": messages, "parse": parse, "language": "hu"})

    async def handoff(self, conversation_id: str, text: str) -> str:
        """Like action_handoff: the gateway's own call for this turn is still pending meanwhile."""
        async with aiohttp.ClientSession() as session:
            async with session.post(
                f"{self.gateway_url}/internal/handoffs",
                headers={"Authorization": f"Bearer {self.internal_token}"},
                json={
                    "conversation_id": conversation_id,
                    "language": "hu",
                    "intent": "request_human",
                    "complaint_topic": None,
                    "summary": text,
                    "reason": "request_human",
                },
            ) as response:
                answer = await response.json()
        if answer.get("status") == "queued":
            return HANDOFF_QUEUED.format(
                position=answer.get("position", 1), minutes=answer.get("expected_wait_minutes", 5)
            )
        return HANDOFF_UNAVAILABLE
