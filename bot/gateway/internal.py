"""The internal API the action server calls (`action_handoff`): token-authenticated, JSON in and out."""

from __future__ import annotations

import hmac
import logging
from typing import Any, Optional

from aiohttp import web

from bot.gateway.handoff import REASONS, HandoffRequest
from bot.gateway.services import SERVICES

logger = logging.getLogger(__name__)
routes = web.RouteTableDef()


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": code, "message": message}, status=status)


def _optional_str(data: dict[str, Any], key: str, limit: int) -> Optional[str]:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string or null")
    return value[:limit]


@routes.post("/internal/handoffs")
async def create_handoff(request: web.Request) -> web.Response:
    """Queues the conversation (or opens a ticket) and answers with what the action should say.
    Called while the gateway's own call to Rasa for this turn is still pending: the customer-side
    events it causes are held until that turn's bot messages are out (see delivery.py)."""
    services = request.app[SERVICES]
    sent = request.headers.get("Authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {services.settings.internal_token}".encode()):
        return _error(401, "unauthenticated", "Authorization: Bearer <POLYDESK_INTERNAL_TOKEN> required")
    try:
        data = await request.json()
        if not isinstance(data, dict) or not isinstance(data.get("conversation_id"), str):
            raise ValueError("conversation_id (string) is required")
        reason = data.get("reason") or "request_human"
        if reason not in REASONS:
            raise ValueError(f"reason must be one of {', '.join(REASONS)}")
        handoff = HandoffRequest(
            conversation_id=data["conversation_id"],
            reason=reason,
            language=_optional_str(data, "language", 16),
            intent=_optional_str(data, "intent", 80),
            complaint_topic=_optional_str(data, "complaint_topic", 80),
            summary=_optional_str(data, "summary", 2000),
        )
    except ValueError as error:
        return _error(400, "bad_request", str(error))
    try:
        result = await services.handoff.request(handoff)
    except LookupError:
        return _error(404, "not_found", f"no conversation {handoff.conversation_id}")
    logger.info("handoff of %s (%s): %s", handoff.conversation_id, handoff.reason, result["status"])
    return web.json_response(result)
