"""Console sessions: an opaque HTTP-only cookie (only its SHA-256 is stored) and a CSRF token derived
from it with HMAC, so the token needs no storage and is worthless without the cookie."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any, Awaitable, Callable, Optional

from aiohttp import web

from bot.gateway.models import Agent
from bot.gateway.services import SERVICES
from bot.gateway.store.engine import utcnow

COOKIE = "polydesk_session"
CSRF_HEADER = "X-CSRF-Token"
REQUEST_AGENT = "polydesk.agent"
PUBLIC_PATHS = {"/api/auth/login", "/api/openapi.json"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_token(secret_key: str, token: str) -> str:
    return hmac.new(secret_key.encode("utf-8"), b"csrf:" + token.encode("utf-8"), hashlib.sha256).hexdigest()


async def json_body(request: web.Request) -> dict[str, Any]:
    """The request's JSON object, or a 400 in the API's error shape."""
    try:
        data = await request.json()
    except ValueError as error:
        raise json_error(400, "bad_request", "the body must be a JSON object") from error
    if not isinstance(data, dict):
        raise json_error(400, "bad_request", "the body must be a JSON object")
    return data


def json_error(status: int, code: str, message: str) -> web.HTTPException:
    """The API's one error shape: {"error": code, "message": text}."""
    classes = {
        400: web.HTTPBadRequest,
        401: web.HTTPUnauthorized,
        403: web.HTTPForbidden,
        404: web.HTTPNotFound,
        409: web.HTTPConflict,
    }
    return classes[status](
        text=web.json_response({"error": code, "message": message}).text, content_type="application/json"
    )


async def start_session(request: web.Request, response: web.Response, agent: Agent) -> str:
    """Creates a session for `agent`, sets the cookie on `response`, returns the CSRF token."""
    services = request.config_dict[SERVICES]
    token = secrets.token_urlsafe(32)
    lifetime = timedelta(hours=services.settings.session_hours)
    await services.store.agents.add_session(token_hash(token), agent.id, utcnow() + lifetime)
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="Strict",
        path="/",
        secure=services.settings.environment == "production",
        max_age=int(lifetime.total_seconds()),
    )
    return csrf_token(services.settings.secret_key, token)


async def end_session(request: web.Request, response: web.Response) -> None:
    token = request.cookies.get(COOKIE)
    if token:
        await request.config_dict[SERVICES].store.agents.delete_session(token_hash(token))
    response.del_cookie(COOKIE, path="/")


async def session_agent(request: web.Request) -> Optional[Agent]:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    return await request.config_dict[SERVICES].store.agents.session_agent(token_hash(token))


def request_agent(request: web.Request) -> Agent:
    """The authenticated agent of a request that passed `auth_middleware`."""
    agent: Agent = request[REQUEST_AGENT]
    return agent


def current_csrf(request: web.Request) -> str:
    return csrf_token(request.config_dict[SERVICES].settings.secret_key, request.cookies.get(COOKIE, ""))


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every /api route but login and the OpenAPI document needs a live session; unsafe methods also
    need the CSRF header (SameSite=Strict is the first line, this the second)."""
    if request.path in PUBLIC_PATHS:
        return await handler(request)
    agent = await session_agent(request)
    if agent is None:
        raise json_error(401, "unauthenticated", "log in first")
    if request.method in UNSAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent, current_csrf(request)):
            raise json_error(403, "csrf", f"missing or wrong {CSRF_HEADER} header")
    request[REQUEST_AGENT] = agent
    return await handler(request)
