"""The website widget's channel: one WebSocket per browser tab at `/widget/ws` (PROTOCOL.md)."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from typing import Any, Mapping, Optional

from aiohttp import WSMsgType, web

from bot.gateway.channels.base import Channel, InvalidInbound, OutboundEvent
from bot.gateway.csat import CsatNotPending
from bot.gateway.locales import base_language
from bot.gateway.models import AGENT, Conversation, InboundMessage
from bot.gateway.security import RateLimiter, clean_text, origin_allowed, valid_email
from bot.gateway.services import SERVICES, Services

logger = logging.getLogger(__name__)

_CONVERSATION_ID = re.compile(r"^[0-9a-f]{32}$")
HELLO_TIMEOUT_SECONDS = 30.0
HISTORY_LIMIT = 200
MAX_COMMENT_CHARACTERS = 1000


class WidgetChannel(Channel):
    name = "widget"

    def __init__(self, max_characters: int) -> None:
        self._max_characters = max_characters
        self._sockets: dict[str, set[web.WebSocketResponse]] = {}

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/widget/ws", self.handle)]

    def parse_inbound(self, conversation_id: str, payload: Mapping[str, Any]) -> InboundMessage:
        payload_value = payload.get("payload")
        if payload_value is not None and (not isinstance(payload_value, str) or len(payload_value) > 500):
            raise InvalidInbound("bad_request", "payload must be a short string")
        return InboundMessage(
            conversation_id=conversation_id,
            text=clean_text(payload.get("text"), self._max_characters),
            payload=payload_value or None,
        )

    async def send(self, conversation_id: str, event: OutboundEvent) -> None:
        for socket in list(self._sockets.get(conversation_id, ())):
            if socket.closed:
                continue
            try:
                await socket.send_json(event.to_json())
            except (ConnectionError, RuntimeError) as error:
                logger.info("widget socket of %s dropped: %s", conversation_id, error)

    async def close(self) -> None:
        for sockets in list(self._sockets.values()):
            for socket in list(sockets):
                await socket.close()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        services = request.app[SERVICES]
        settings = services.settings
        if not origin_allowed(request.headers.get("Origin"), settings.allowed_origins, request.host):
            raise web.HTTPForbidden(text="this origin may not open the chat widget")
        socket = web.WebSocketResponse(heartbeat=30.0, max_msg_size=max(65536, self._max_characters * 8))
        await socket.prepare(request)
        conversation = await self._hello(socket, services)
        if conversation is None:
            await socket.close()
            return socket
        self._sockets.setdefault(conversation.id, set()).add(socket)
        limiter = RateLimiter(settings.widget_rate_limit_messages, settings.widget_rate_limit_seconds)
        try:
            async for frame in socket:
                if frame.type != WSMsgType.TEXT:
                    continue
                await self._frame(socket, services, conversation.id, frame.data, limiter)
        finally:
            sockets = self._sockets.get(conversation.id, set())
            sockets.discard(socket)
            if not sockets:
                self._sockets.pop(conversation.id, None)
        return socket

    async def _hello(self, socket: web.WebSocketResponse, services: Services) -> Optional[Conversation]:
        try:
            frame = await socket.receive(timeout=HELLO_TIMEOUT_SECONDS)
            data = json.loads(frame.data) if frame.type == WSMsgType.TEXT else None
        except (asyncio.TimeoutError, ValueError):
            data = None
        if not isinstance(data, dict) or data.get("type") != "hello":
            await self._error(socket, services, None, "bad_request")
            return None
        store = services.store.conversations
        hint = base_language(data["language"]) if isinstance(data.get("language"), str) else None
        wanted = data.get("conversation_id")
        conversation = None
        if isinstance(wanted, str) and _CONVERSATION_ID.match(wanted):
            conversation = await store.get(wanted)
            if conversation is not None and conversation.channel != self.name:
                conversation = None
        if conversation is None:
            conversation = await store.create(uuid.uuid4().hex, self.name, hint)
        elif hint and hint != conversation.language_hint:
            conversation = await store.update(conversation.id, language_hint=hint)
        agent = (
            await services.store.agents.get(conversation.assigned_agent_id)
            if conversation.state == AGENT and conversation.assigned_agent_id
            else None
        )
        history = await store.transcript(conversation.id, HISTORY_LIMIT)
        await socket.send_json(
            {
                "type": "welcome",
                "conversation_id": conversation.id,
                "language": conversation.ui_language,
                "state": conversation.state,
                "agent_name": agent.name if agent else None,
                "history": [message.to_json() for message in history],
                "max_message_characters": self._max_characters,
                "csat_pending": conversation.csat_pending_agent_id is not None,
            }
        )
        return conversation

    async def _frame(
        self,
        socket: web.WebSocketResponse,
        services: Services,
        conversation_id: str,
        raw: str,
        limiter: RateLimiter,
    ) -> None:
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        kind = data.get("type") if isinstance(data, dict) else None
        client_id = data.get("client_id") if isinstance(data, dict) and isinstance(data.get("client_id"), str) else None
        if kind == "message":  # the hot path: the conversation is read with the message's insert
            try:
                await self._message(socket, services, conversation_id, data, client_id, limiter)
            except InvalidInbound as error:
                conversation = await services.store.conversations.get(conversation_id)
                await self._error(socket, services, conversation, error.code, client_id=client_id, **error.params)
            return
        conversation = await services.store.conversations.get(conversation_id)
        assert conversation is not None
        try:
            if kind == "typing":
                if conversation.state == AGENT and conversation.assigned_agent_id:
                    await services.outbox.consoles(
                        {
                            "type": "customer_typing",
                            "conversation_id": conversation_id,
                            "active": bool(data.get("active")),
                        },
                        conversation.assigned_agent_id,
                    )
            elif kind == "csat":
                await self._csat(services, conversation, data)
            elif kind == "ticket":
                await self._ticket(socket, services, conversation, data, limiter)
            elif kind == "ping":
                await socket.send_json({"type": "pong"})
            else:
                raise InvalidInbound("bad_request", f"unknown frame type {kind!r}")
        except InvalidInbound as error:
            await self._error(socket, services, conversation, error.code, client_id=client_id, **error.params)

    async def _message(
        self,
        socket: web.WebSocketResponse,
        services: Services,
        conversation_id: str,
        data: Mapping[str, Any],
        client_id: Optional[str],
        limiter: RateLimiter,
    ) -> None:
        if not limiter.allow():
            raise InvalidInbound("rate_limited")
        received = await services.router.receive(conversation_id, self.parse_inbound(conversation_id, data))
        try:
            await socket.send_json({"type": "ack", "client_id": client_id, "message": received.message.to_json()})
        finally:  # stored means routed, even if this socket just closed
            services.router.schedule(conversation_id, received.message, client_id, received)

    async def _csat(self, services: Services, conversation: Conversation, data: Mapping[str, Any]) -> None:
        rating = data.get("rating")
        if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
            raise InvalidInbound("invalid_rating")
        comment = data.get("comment")
        comment = clean_text(comment, MAX_COMMENT_CHARACTERS) if isinstance(comment, str) and comment.strip() else None
        try:
            await services.csat.answer(conversation, rating, comment)
        except CsatNotPending as error:
            raise InvalidInbound("no_csat_pending") from error

    async def _ticket(
        self,
        socket: web.WebSocketResponse,
        services: Services,
        conversation: Conversation,
        data: Mapping[str, Any],
        limiter: RateLimiter,
    ) -> None:
        if not limiter.allow():
            raise InvalidInbound("rate_limited")
        email = valid_email(data.get("email"))
        if email is None:
            raise InvalidInbound("invalid_email")
        text = clean_text(data.get("text"), self._max_characters)
        records = services.store.records
        ticket = await records.fill_ticket(conversation.id, email, text)
        if ticket is None:  # no handoff opened one: the customer still left a message, keep it
            ticket = await records.open_ticket(conversation.id, conversation.ui_language, "customer_message")
            ticket = await records.fill_ticket(conversation.id, email, text) or ticket
        await socket.send_json({"type": "ticket_created", "ticket_id": ticket.id})
        await services.outbox.consoles({"type": "ticket_created", "ticket": ticket.to_json()})

    async def _error(
        self,
        socket: web.WebSocketResponse,
        services: Services,
        conversation: Optional[Conversation],
        code: str,
        client_id: Optional[str] = None,
        **params: Any,
    ) -> None:
        language = conversation.ui_language if conversation else None
        event: dict[str, Any] = {
            "type": "error",
            "code": code,
            "message": services.locales.text(language, f"error_{code}", **params),
        }
        if "limit" in params:
            event["limit"] = params["limit"]
        if client_id is not None:
            event["client_id"] = client_id
        await socket.send_json(event)
