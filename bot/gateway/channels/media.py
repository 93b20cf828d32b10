"""`GET /api/channels/{channel}/media/{media_id}`: a customer's photo, voice note or file, for agents.

Platform download links need the bot's or the page's token; the console gets this proxy instead, behind
the console's session, so no token ever reaches a browser.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.gateway.channels.messaging import MessagingChannel
from bot.gateway.channels.outbound import RetryLater, Undeliverable
from bot.gateway.delivery import CustomerDelivery

logger = logging.getLogger(__name__)


def media_routes(delivery: CustomerDelivery) -> list[web.RouteDef]:
    async def media(request: web.Request) -> web.Response:
        channel = delivery.channels.get(request.match_info["channel"])
        if not isinstance(channel, MessagingChannel):
            raise web.HTTPNotFound(text="no such channel")
        try:
            content_type, body = await channel.fetch_media(request.match_info["media_id"])
        except LookupError as error:
            raise web.HTTPNotFound(text=str(error)) from error
        except (RetryLater, Undeliverable) as error:
            logger.warning("%s media %s unavailable: %s", channel.name, request.match_info["media_id"], error)
            raise web.HTTPBadGateway(text="the platform did not hand over the file") from error
        return web.Response(
            body=body,
            content_type=content_type or "application/octet-stream",
            headers={"Content-Disposition": "attachment", "X-Content-Type-Options": "nosniff"},
        )

    return [web.get("/channels/{channel}/media/{media_id}", media)]
