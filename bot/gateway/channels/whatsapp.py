"""WhatsApp through Meta's Cloud API: a webhook at `/channels/whatsapp/webhook` (GET for the
`hub.challenge` handshake, POST for messages signed with `X-Hub-Signature-256`) and
`POST /{phone-number-id}/messages` on the Graph API.

Why a small aiohttp client: there is no maintained async Cloud API client that fits Rasa 3.6's pins
(the known ones are synchronous, built on requests, or need pydantic 2 / httpx); the gateway needs one
JSON call and the webhook format.

WhatsApp lets a business write freely only within 24 hours of the customer's last message (after that
only pre-approved templates). The gateway does not send outside that window: an agent's late reply is
kept in the transcript and the console gets a notice instead of a silently failing send.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from bot.gateway.channels import meta
from bot.gateway.channels.base import OutboundEvent
from bot.gateway.channels.messaging import (
    Attachment,
    PlatformMessage,
    buttons_as_text,
    osm_link,
)
from bot.gateway.channels.outbound import download, post_json
from bot.gateway.channels.phone_language import language_of_number, load_calling_codes
from bot.gateway.models import Button
from bot.gateway.store.channels import Contact
from bot.gateway.store.engine import utcnow
from bot.settings import Settings

logger = logging.getLogger(__name__)

CUSTOMER_SERVICE_WINDOW = timedelta(hours=24)
MAX_TEXT = 4096
MAX_BUTTONS, MAX_BUTTON_TITLE, MAX_BUTTON_BODY = 3, 20, 1024
ATTACHMENT_TYPES = {
    "image": "image",
    "sticker": "sticker",
    "audio": "voice",
    "video": "video",
    "document": "file",
    "location": "location",
    "contacts": "contact",
}
IGNORED_TYPES = {"reaction", "system", "order"}


class WhatsAppChannel(meta.MetaChannel):
    name = "whatsapp"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._calling_codes = load_calling_codes()

    def meta_secrets(self) -> tuple[str, str]:
        return self._settings.whatsapp_app_secret, self._settings.whatsapp_verify_token

    def _headers(self) -> dict[str, str]:
        return meta.bearer(self._settings.whatsapp_access_token)

    def parse_update(self, data: Any) -> list[PlatformMessage]:
        if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
            raise ValueError("not a WhatsApp Business Account notification")
        found: list[PlatformMessage] = []
        for entry in data.get("entry") or []:
            for change in entry.get("changes") or []:
                value = change.get("value") or {}
                number_id = (value.get("metadata") or {}).get("phone_number_id")
                if number_id and number_id != self._settings.whatsapp_phone_number_id:
                    continue  # another number of the same Meta app
                # `statuses` (sent, delivered, read) are not customer messages
                found.extend(self._message(item) for item in value.get("messages") or [])
        return [message for message in found if message.message_id]

    def _message(self, item: dict[str, Any]) -> PlatformMessage:
        kind = item.get("type")
        sender = str(item["from"])
        common: dict[str, Any] = {
            "message_id": str(item["id"]),
            "address": sender,
            "language_hint": language_of_number(sender, self._calling_codes),
        }
        if kind == "text":
            return PlatformMessage(text=(item.get("text") or {}).get("body"), **common)
        if kind == "interactive":  # a reply button or list row we sent
            reply = item["interactive"].get("button_reply") or item["interactive"].get("list_reply") or {}
            return PlatformMessage(text=reply.get("title"), payload=reply.get("id"), **common)
        if kind == "button":  # a template's quick-reply button
            button = item.get("button") or {}
            return PlatformMessage(text=button.get("text"), payload=button.get("payload"), **common)
        if kind in IGNORED_TYPES:
            return PlatformMessage(message_id="", address=sender)
        if kind == "location":
            place = item.get("location") or {}
            url = osm_link(place.get("latitude"), place.get("longitude"))
            return PlatformMessage(attachment=Attachment("location", url), **common)
        media = item.get(kind) if isinstance(kind, str) else None
        media_id = media.get("id") if isinstance(media, dict) else None
        url = self.media_url(media_id) if isinstance(media_id, str) else None
        return PlatformMessage(attachment=Attachment(ATTACHMENT_TYPES.get(str(kind), "other"), url), **common)

    async def may_send(self, contact: Contact, event: OutboundEvent) -> bool:
        last = contact.last_inbound_at
        if last is not None and utcnow() - last <= CUSTOMER_SERVICE_WINDOW:
            return True
        message = event.data.get("message") or {}
        logger.warning("whatsapp: %s not sent to %s, outside the 24-hour window", event.type, contact.conversation_id)
        if event.type == "message" and message.get("sender") == "agent":
            await self._window_notice(contact.conversation_id)
        return False

    async def _window_notice(self, conversation_id: str) -> None:
        """A console-only line in the transcript: the customer never sees it."""
        services = self.services
        conversation = await services.store.conversations.get(conversation_id)
        language = conversation.ui_language if conversation else None
        notice = await services.store.conversations.add_message(
            conversation_id,
            "system",
            services.locales.text(language, "whatsapp_window_closed"),
            status="console_only",
        )
        await services.outbox.consoles(
            {
                "type": "conversation_message",
                "conversation_id": conversation_id,
                "message": notice.to_transcript_json(),
            }
        )

    def render(self, address: str, text: str, buttons: tuple[Button, ...]) -> list[dict[str, Any]]:
        base = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": address}
        native = (
            0 < len(buttons) <= MAX_BUTTONS
            and len(text) <= MAX_BUTTON_BODY
            and all(0 < len(b.title) <= MAX_BUTTON_TITLE and b.payload for b in buttons)
        )
        if native:
            action = {"buttons": [{"type": "reply", "reply": {"id": b.payload, "title": b.title}} for b in buttons]}
            interactive = {"type": "button", "body": {"text": text}, "action": action}
            return [{**base, "type": "interactive", "interactive": interactive}]
        if buttons:
            text = buttons_as_text(text, buttons)
        chunks = [text[start : start + MAX_TEXT] for start in range(0, len(text), MAX_TEXT)]
        return [{**base, "type": "text", "text": {"preview_url": False, "body": c}} for c in chunks]

    async def deliver(self, request: dict[str, Any]) -> None:
        url = self.graph_url(f"{self._settings.whatsapp_phone_number_id}/messages")
        await post_json(self.session, url, request, self._headers())

    async def fetch_media(self, media_id: str) -> tuple[str, bytes]:
        """Cloud API media: look up the short-lived URL, then download it with the same token."""
        found = await post_json(self.session, self.graph_url(media_id), {}, self._headers(), "GET")
        if not isinstance(found, dict) or not isinstance(found.get("url"), str):
            raise LookupError(f"WhatsApp has no media {media_id}")
        return await download(self.session, found["url"], self._headers())
