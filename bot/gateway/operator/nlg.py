"""Rasa's NLG endpoint (`nlg:` in endpoints.yml): every response rendered from nlu_data/ as it is now, in
the conversation's `language` slot, so an edited answer is live without retraining."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.gateway.console.auth import json_error
from bot.gateway.operator.http import operations

logger = logging.getLogger(__name__)
routes = web.RouteTableDef()


@routes.post("/nlg")
async def generate(request: web.Request) -> web.Response:
    """Rasa posts {"response": "utter_x", "tracker": {"slots": {...}}, ...}; answers {"text", "buttons"}."""
    try:
        data = await request.json()
    except ValueError as error:
        raise json_error(400, "bad_request", "expected Rasa's NLG request") from error
    key = data.get("response") if isinstance(data, dict) else None
    if not isinstance(key, str):
        raise json_error(400, "bad_request", "response must be a response name")
    tracker = data.get("tracker") if isinstance(data.get("tracker"), dict) else {}
    slots = tracker.get("slots") if isinstance(tracker.get("slots"), dict) else {}
    slots = {**slots, **(data.get("arguments") or {})} if isinstance(data.get("arguments"), dict) else slots
    language = slots.get("language") if isinstance(slots.get("language"), str) else None
    rendered = operations(request).responses.render(key, language, slots)
    if rendered is None:
        logger.warning("NLG: no response %s in any language", key)
        return web.json_response({})
    return web.json_response(rendered)
