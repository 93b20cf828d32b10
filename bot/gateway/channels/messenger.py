"""Facebook Messenger through a Page: a webhook at `/channels/messenger/webhook` (GET handshake, POST
signed with `X-Hub-Signature-256`) and the Send API `POST /me/messages` on the Graph API.

Why a small aiohttp client: `fbmessenger` (installed with Rasa) is synchronous, built on requests, and
would block the gateway's event loop on every send; the gateway needs one JSON call and the webhook
format.

Messenger's webhook carries no language: on a customer's first message the gateway asks the User
Profile API for `locale` (e.g. `tr_TR`). That field needs an approved permission; without it the call
fails, which is logged and costs nothing but the prior.
"""

from __future__ import annotations

import logging
from typing import Any, Optional

import aiohttp

from bot.gateway.channels import meta
from bot.gateway.channels.messaging import (
    Attachment,
    PlatformMessage,
    buttons_as_text,
    osm_link,
)
from bot.gateway.channels.outbound import RetryLater, Undeliverable, post_json
from bot.gateway.models import Button

logger = logging.getLogger(__name__)

MAX_TEXT = 2000
MAX_QUICK_REPLIES, MAX_QUICK_REPLY_TITLE = 13, 20
ATTACHMENT_TYPES = {"image": "image", "audio": "voice", "video": "video", "file": "file"}


class MessengerChannel(meta.MetaChannel):
    name = "messenger"

    def meta_secrets(self) -> tuple[str, str]:
        return self._settings.messenger_app_secret, self._settings.messenger_verify_token

    def parse_update(self, data: Any) -> list[PlatformMessage]:
        if not isinstance(data, dict) or data.get("object") != "page":
            raise ValueError("not a Page notification")
        found = []
        for entry in data.get("entry") or []:
            for event in entry.get("messaging") or []:
                parsed = self._event(event)
                if parsed is not None:
                    found.append(parsed)
        return found

    def _event(self, event: dict[str, Any]) -> Optional[PlatformMessage]:
        sender = str((event.get("sender") or {}).get("id", ""))
        if isinstance(event.get("postback"), dict):  # a button of a template or the Get Started button
            postback = event["postback"]
            mid = postback.get("mid") or f"postback:{sender}:{event.get('timestamp')}"
            return PlatformMessage(
                message_id=str(mid),
                address=sender,
                text=postback.get("title"),
                payload=postback.get("payload"),
            )
        message = event.get("message")
        if not isinstance(message, dict) or message.get("is_echo") or not sender:
            return None  # echoes of our own sends, deliveries, reads
        common = {"message_id": str(message["mid"]), "address": sender}
        quick_reply = message.get("quick_reply") or {}
        attachments = message.get("attachments") or []
        if isinstance(message.get("text"), str) and not attachments:
            return PlatformMessage(text=message["text"], payload=quick_reply.get("payload"), **common)
        first = attachments[0] if attachments else {}
        payload = first.get("payload") or {}
        if "sticker_id" in message or "sticker_id" in payload:
            return PlatformMessage(attachment=Attachment("sticker", payload.get("url")), **common)
        if first.get("type") == "location":
            point = payload.get("coordinates") or {}
            url = osm_link(point.get("lat"), point.get("long"))
            return PlatformMessage(attachment=Attachment("location", url), **common)
        kind = ATTACHMENT_TYPES.get(str(first.get("type")), "other")
        return PlatformMessage(attachment=Attachment(kind, payload.get("url")), **common)

    async def lookup_language(self, address: str) -> Optional[str]:
        try:
            profile = await post_json(
                self.session,
                self.graph_url(f"{address}?fields=locale"),
                {},
                meta.bearer(self._settings.messenger_page_access_token),
                "GET",
            )
        except (RetryLater, Undeliverable, aiohttp.ClientError) as error:
            logger.info("messenger: no locale for %s: %s", address, error)
            return None
        locale = profile.get("locale") if isinstance(profile, dict) else None
        return locale if isinstance(locale, str) else None

    def render(self, address: str, text: str, buttons: tuple[Button, ...]) -> list[dict[str, Any]]:
        native = 0 < len(buttons) <= MAX_QUICK_REPLIES and all(
            0 < len(b.title) <= MAX_QUICK_REPLY_TITLE and b.payload for b in buttons
        )
        if buttons and not native:
            text = buttons_as_text(text, buttons)
        chunks = [text[start : start + MAX_TEXT] for start in range(0, len(text), MAX_TEXT)]
        requests: list[dict[str, Any]] = [
            {"recipient": {"id": address}, "messaging_type": "RESPONSE", "message": {"text": chunk}} for chunk in chunks
        ]
        if native:
            requests[-1]["message"]["quick_replies"] = [
                {"content_type": "text", "title": b.title, "payload": b.payload} for b in buttons
            ]
        return requests

    async def deliver(self, request: dict[str, Any]) -> None:
        await post_json(
            self.session,
            self.graph_url("me/messages"),
            request,
            meta.bearer(self._settings.messenger_page_access_token),
        )
