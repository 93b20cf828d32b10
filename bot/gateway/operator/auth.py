"""Who may use /operator: a logged-in account with the operator role. Agents get 403, nobody 401.

Reuses the console's session cookie and CSRF token (one login for both consoles); the NLG endpoint is
Rasa's, authenticated by the internal token instead.
"""

from __future__ import annotations

import hmac
from typing import Awaitable, Callable

from aiohttp import web

from bot.gateway.console.auth import CSRF_HEADER, REQUEST_AGENT, current_csrf, json_error, session_agent
from bot.gateway.operator.services import operator_store
from bot.gateway.operator.store import OPERATOR
from bot.gateway.services import SERVICES

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PAGE_PATHS = {"/operator", "/operator/"}


def _public(request: web.Request) -> bool:
    return request.path.startswith("/operator/static/") or request.path in PAGE_PATHS


@web.middleware
async def operator_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path == "/operator/nlg":
        token = request.query.get("token", "")
        expected = request.config_dict[SERVICES].settings.internal_token
        if not hmac.compare_digest(token, expected):
            raise json_error(401, "unauthenticated", "the NLG endpoint needs ?token=POLYDESK_INTERNAL_TOKEN")
        return await handler(request)
    agent = await session_agent(request)
    if _public(request):
        if agent is not None and await operator_store(request).role(agent.id) != OPERATOR:
            return web.Response(status=403, text="The operator console is for operators.")
        return await handler(request)
    if agent is None:
        raise json_error(401, "unauthenticated", "log in first")
    if await operator_store(request).role(agent.id) != OPERATOR:
        raise json_error(403, "forbidden", "operators only: ask an operator to run `polydesk operator grant`")
    if request.method in UNSAFE_METHODS:
        if not hmac.compare_digest(request.headers.get(CSRF_HEADER, ""), current_csrf(request)):
            raise json_error(403, "csrf", f"missing or wrong {CSRF_HEADER} header")
    request[REQUEST_AGENT] = agent
    return await handler(request)
