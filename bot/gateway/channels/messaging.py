"""What every messaging-app channel (Telegram, WhatsApp, Messenger) does the same way.

A platform adapter only verifies its webhook, parses its payload into `PlatformMessage`s, renders text
(with optional buttons) as its API's requests and performs one request. Everything else is here, once:
deduplication of redelivered webhooks, one conversation per platform account, the gateway's own path
for a message (`Router.store_inbound`, then `Router.schedule`: Rasa or the agent, handoff, CSAT),
non-text messages, and turning the gateway's events into text sent through the persistent outbound
queue.
"""

from __future__ import annotations

import abc
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Mapping, Optional
from urllib.parse import quote

import aiohttp
from aiohttp import web
from sqlalchemy.exc import IntegrityError

from bot.gateway.channels.base import Channel, InvalidInbound, OutboundEvent
from bot.gateway.channels.outbound import OutboundQueue, RetryPolicy
from bot.gateway.locales import base_language
from bot.gateway.models import BOT, Button, Conversation, InboundMessage
from bot.gateway.security import clean_text
from bot.gateway.services import SERVICES, Services
from bot.gateway.store.channels import Contact
from bot.gateway.store.engine import utcnow
from bot.settings import Settings

logger = logging.getLogger(__name__)

CSAT_ANSWERS = {"1", "2", "3", "4", "5"}


@dataclass(frozen=True)
class Attachment:
    """A non-text message: `kind` is image, voice, audio, video, file, sticker, location, contact or
    other; `url` is where an agent can open it (None when the platform gives nothing to open)."""

    kind: str
    url: Optional[str] = None


@dataclass(frozen=True)
class PlatformMessage:
    """One customer message as a platform delivered it, before it belongs to a conversation."""

    message_id: str  # the platform's id: a redelivery carries the same one
    address: str  # where replies go: Telegram chat id, WhatsApp number (wa_id), Messenger PSID
    text: Optional[str] = None
    payload: Optional[str] = None  # a button's payload, sent to Rasa instead of the text
    attachment: Optional[Attachment] = None
    language_hint: Optional[str] = None
    callback_id: Optional[str] = None  # Telegram: a button press to acknowledge


def osm_link(latitude: Any, longitude: Any) -> Optional[str]:
    """A shared location as a map link an agent can open."""
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None
    return f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}"


def buttons_as_text(text: str, buttons: tuple[Button, ...]) -> str:
    """Buttons a platform cannot show natively: listed under the text; typing a title works."""
    return "\n".join([text, *(f"• {button.title}" for button in buttons)]) if buttons else text


class MessagingChannel(Channel):
    """The webhook side and the sending side of a messaging app; subclasses add the platform."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._services: Optional[Services] = None
        self._session: Optional[aiohttp.ClientSession] = None
        self._queue: Optional[OutboundQueue] = None
        self._queue_positions: dict[str, int] = {}  # last position told, so updates are not repeated

    # --- what a platform adapter provides ---

    @abc.abstractmethod
    def verify(self, request: web.Request, body: bytes) -> None:
        """Raises HTTPUnauthorized / HTTPForbidden unless the delivery comes from the platform."""

    @abc.abstractmethod
    def parse_update(self, data: Any) -> list[PlatformMessage]:
        """The customer messages in one webhook body; raises ValueError when it is malformed."""

    @abc.abstractmethod
    def render(self, address: str, text: str, buttons: tuple[Button, ...]) -> list[dict[str, Any]]:
        """The API requests that show `text` (and its buttons) to `address`."""

    @abc.abstractmethod
    async def deliver(self, request: dict[str, Any]) -> None:
        """Performs one rendered request; raises RetryLater or Undeliverable (outbound.py)."""

    async def fetch_media(self, media_id: str) -> tuple[str, bytes]:
        """(content type, bytes) of a customer's file, for agents (console media proxy)."""
        raise LookupError(f"the {self.name} channel serves no media")

    def media_url(self, media_id: str) -> str:
        """Where an agent opens a customer's file: the console's proxy, so platform tokens stay here."""
        return f"{self._settings.gateway_url}/api/channels/{self.name}/media/{quote(media_id, safe='')}"

    async def lookup_language(self, address: str) -> Optional[str]:
        """A language hint the webhook did not carry (Messenger asks the profile API)."""
        return None

    async def acknowledge(self, message: PlatformMessage) -> None:
        """Tells the platform an interaction was received (Telegram's button presses)."""

    async def may_send(self, contact: Contact, event: OutboundEvent) -> bool:
        """Platform rules on when a business may write (WhatsApp's 24-hour window)."""
        return True

    # --- lifecycle ---

    def webhook_path(self) -> str:
        return f"/channels/{self.name}/webhook"

    def routes(self) -> list[web.RouteDef]:
        return [web.post(self.webhook_path(), self.webhook)]

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError(f"the {self.name} channel is not started")
        return self._services

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError(f"the {self.name} channel is not started")
        return self._session

    async def start(self, services: Services, session: aiohttp.ClientSession) -> None:
        self._services, self._session = services, session
        settings = services.settings
        policy = RetryPolicy(
            settings.delivery_retry_base_seconds,
            settings.delivery_retry_max_seconds,
            give_up_after=timedelta(hours=settings.delivery_give_up_hours),
        )
        self._queue = OutboundQueue(self.name, services.store.channels, self.deliver, policy)
        self._queue.start()

    async def close(self) -> None:
        if self._queue is not None:
            await self._queue.stop()

    # --- inbound ---

    def parse_inbound(self, conversation_id: str, payload: Mapping[str, Any]) -> InboundMessage:
        return InboundMessage(
            conversation_id=conversation_id,
            text=clean_text(payload.get("text"), self._settings.max_message_characters),
            payload=payload.get("payload") or None,
        )

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.verify(request, body)
        try:
            messages = self.parse_update(json.loads(body))
        except (ValueError, TypeError, AttributeError, KeyError) as error:
            logger.warning("%s webhook body refused: %s", self.name, error)
            raise web.HTTPBadRequest(text=f"malformed {self.name} update") from error
        services = request.app[SERVICES]
        for message in messages:
            await self._receive(services, message)
        return web.json_response({"status": "ok"})

    async def _receive(self, services: Services, message: PlatformMessage) -> None:
        receipts = services.store.channels
        if not await receipts.first_receipt(self.name, message.message_id):
            logger.info("%s message %s delivered again; already processed", self.name, message.message_id)
            return
        try:
            await self._process(services, message)
        except Exception:
            # answer 500 so the platform redelivers, and let that redelivery through
            await receipts.forget_receipt(self.name, message.message_id)
            raise
        if message.callback_id:
            await self.acknowledge(message)

    async def _process(self, services: Services, message: PlatformMessage) -> None:
        conversation = await self._conversation(services, message)
        await services.store.channels.touch_contact(conversation.id, utcnow())
        if message.attachment is not None:
            await self._non_text(services, conversation, message.attachment)
            return
        text = (message.text or "").strip()
        if conversation.csat_pending_agent_id is not None and text in CSAT_ANSWERS and not message.payload:
            await services.csat.answer(conversation, int(text), None)
            return
        try:
            inbound = self.parse_inbound(conversation.id, {"text": message.text, "payload": message.payload})
        except InvalidInbound as error:
            if error.code != "empty":
                text = services.locales.text(conversation.ui_language, f"error_{error.code}", **error.params)
                await services.outbox.customer(conversation, "error", {"code": error.code}, text=text)
            return
        stored = await services.router.store_inbound(conversation, inbound)
        services.router.schedule(conversation.id, stored, None)

    async def _conversation(self, services: Services, message: PlatformMessage) -> Conversation:
        """The customer's one conversation on this platform, created on first contact."""
        conversations, contacts = services.store.conversations, services.store.channels
        contact = await contacts.contact_by_address(self.name, message.address)
        hint = base_language(message.language_hint)
        if contact is None:
            hint = hint or base_language(await self.lookup_language(message.address))
            conversation = await conversations.create(uuid.uuid4().hex, self.name, hint)
            try:
                await contacts.add_contact(conversation.id, self.name, message.address)
                return conversation
            except IntegrityError:  # two first messages at once: the other webhook won
                contact = await contacts.contact_by_address(self.name, message.address)
                if contact is None:
                    raise
        found = await conversations.get(contact.conversation_id)
        if found is None:
            raise LookupError(f"contact of {self.name}:{message.address} has no conversation")
        if hint and hint != found.language_hint:
            found = await conversations.update(found.id, language_hint=hint)
        return found

    async def _non_text(self, services: Services, conversation: Conversation, item: Attachment) -> None:
        """Stored for the transcript (the agent sees the link); while the bot answers, the customer
        hears that only text is understood."""
        text = f"[{item.kind}] {item.url}" if item.url else f"[{item.kind}]"
        status = "attachment" if conversation.state == BOT else "routed"
        stored = await services.store.conversations.add_message(
            conversation.id, "customer", text, status=status
        )
        await services.outbox.message(conversation, stored)
        if conversation.state == BOT:
            await services.outbox.system(conversation, "channel_text_only")

    # --- outbound ---

    async def send(self, conversation_id: str, event: OutboundEvent) -> None:
        services = self.services
        text, buttons = await self._text_of(services, conversation_id, event)
        if not text:
            return
        contact = await services.store.channels.contact(conversation_id)
        if contact is None:
            logger.error(
                "%s has no contact for conversation %s; %s dropped", self.name, conversation_id, event.type
            )
            return
        if not await self.may_send(contact, event):
            return
        assert self._queue is not None
        for request in self.render(contact.address, text, buttons):
            await self._queue.put(conversation_id, request)

    async def _text_of(
        self, services: Services, conversation_id: str, event: OutboundEvent
    ) -> tuple[Optional[str], tuple[Button, ...]]:
        """The event as the one text a messaging app shows, or None for events it has no use for
        (typing, turn ends, widget-only signals)."""
        if event.type == "message":
            message = event.data.get("message", {})
            buttons = tuple(
                Button(str(b.get("title", "")), str(b.get("payload", "")))
                for b in message.get("buttons") or ()
                if isinstance(b, dict) and b.get("title")
            )
            return message.get("text"), buttons
        if event.type == "queue":
            position = int(event.data.get("position", 0))
            if self._queue_positions.get(conversation_id) == position:
                return None, ()
            self._queue_positions[conversation_id] = position
            return event.text, ()
        if event.type == "agent_joined":
            self._queue_positions.pop(conversation_id, None)
            return None, ()
        if event.type == "leave_message":
            conversation = await services.store.conversations.get(conversation_id)
            language = conversation.ui_language if conversation else None
            reason = event.data.get("reason")
            key = "channel_closed" if reason == "closed" else "channel_no_agents"
            return services.locales.text(language, key, opens=event.data.get("opens") or ""), ()
        return event.text, ()
