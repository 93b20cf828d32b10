"""What WhatsApp Cloud API and Messenger share as Meta webhooks: the `hub.challenge` handshake when the
webhook is registered, and the `X-Hub-Signature-256` HMAC that proves a delivery comes from Meta.

Kept in one place so that both channels verify exactly the same way.
"""

from __future__ import annotations

import abc
import hashlib
import hmac
from typing import Optional

from aiohttp import web

from bot.gateway.channels.messaging import MessagingChannel

SIGNATURE_HEADER = "X-Hub-Signature-256"


def signature(app_secret: str, body: bytes) -> str:
    """The header value Meta sends for `body`: `sha256=<hex HMAC-SHA256 with the app secret>`."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(app_secret: str, body: bytes, header: Optional[str]) -> None:
    """Raises 401 without a signature and 403 with a wrong one; the raw body is what was signed."""
    if not header:
        raise web.HTTPUnauthorized(text=f"{SIGNATURE_HEADER} is required")
    if not hmac.compare_digest(header.strip().lower(), signature(app_secret, body)):
        raise web.HTTPForbidden(text=f"{SIGNATURE_HEADER} does not match the body")


def handshake(request: web.Request, verify_token: str) -> web.Response:
    """Meta's subscription check: echo `hub.challenge` when `hub.verify_token` is ours."""
    query = request.query
    token = query.get("hub.verify_token", "")
    if query.get("hub.mode") != "subscribe" or not hmac.compare_digest(token.encode(), verify_token.encode()):
        raise web.HTTPForbidden(text="hub.verify_token does not match")
    return web.Response(text=query.get("hub.challenge", ""))


def bearer(token: str) -> dict[str, str]:
    """Graph API authentication in a header, so tokens never appear in URLs or access logs."""
    return {"Authorization": f"Bearer {token}"}


class MetaChannel(MessagingChannel):
    """A messaging channel whose webhook Meta delivers: the handshake route and signature check."""

    @abc.abstractmethod
    def meta_secrets(self) -> tuple[str, str]:
        """(app secret, verify token) of this channel."""

    def routes(self) -> list[web.RouteDef]:
        return [*super().routes(), web.get(self.webhook_path(), self.handshake)]

    async def handshake(self, request: web.Request) -> web.Response:
        return handshake(request, self.meta_secrets()[1])

    def verify(self, request: web.Request, body: bytes) -> None:
        verify_signature(self.meta_secrets()[0], body, request.headers.get(SIGNATURE_HEADER))

    def graph_url(self, path: str) -> str:
        return f"{self._settings.graph_api_url.rstrip('/')}/{path}"
