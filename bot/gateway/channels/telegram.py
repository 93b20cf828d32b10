"""Telegram through the Bot API: a webhook at `/channels/telegram/webhook` and `sendMessage`.

Why a small aiohttp client and not a library: the maintained async library, aiogram 3, needs
pydantic 2 (Rasa 3.6 pins pydantic < 1.10.10); aiogram 2.15, which Rasa itself installs, is no longer
maintained and would tie the gateway to Rasa's environment, which the architecture keeps it out of.
The gateway needs two JSON calls (`sendMessage`, `answerCallbackQuery`) and the update format.

Telegram proves a webhook delivery by echoing the `secret_token` given to `setWebhook` in
`X-Telegram-Bot-Api-Secret-Token`. The customer's `language_code` (their app's language) is the
language prior.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from aiohttp import web

from bot.gateway.channels.messaging import (
    Attachment,
    MessagingChannel,
    PlatformMessage,
    buttons_as_text,
    osm_link,
)
from bot.gateway.channels.outbound import RetryLater, Undeliverable, download, post_json
from bot.gateway.models import Button

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64  # bytes
START_PAYLOAD = "/greet"  # `/start` (opening the bot) is a greeting to the assistant
# message fields that carry something other than text, and what the gateway calls them
ATTACHMENT_FIELDS = {
    "photo": "image",
    "animation": "image",
    "sticker": "sticker",
    "voice": "voice",
    "audio": "audio",
    "video": "video",
    "video_note": "video",
    "document": "file",
    "contact": "contact",
    "location": "location",
    "venue": "location",
    "poll": "other",
    "dice": "other",
}


class TelegramChannel(MessagingChannel):
    name = "telegram"

    def _api(self, method: str) -> str:
        settings = self._settings
        return f"{settings.telegram_api_url.rstrip('/')}/bot{settings.telegram_bot_token}/{method}"

    def verify(self, request: web.Request, body: bytes) -> None:
        sent = request.headers.get(SECRET_HEADER)
        if not sent:
            raise web.HTTPUnauthorized(text=f"{SECRET_HEADER} is required")
        if not hmac.compare_digest(sent.encode(), self._settings.telegram_webhook_secret.encode()):
            raise web.HTTPForbidden(text=f"{SECRET_HEADER} does not match")

    def parse_update(self, data: Any) -> list[PlatformMessage]:
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            raise ValueError("a Telegram update has an update_id")
        if isinstance(data.get("callback_query"), dict):
            return self._callback(data["callback_query"])
        message = data.get("message")
        if not isinstance(message, dict):
            return []  # edits, channel posts, member updates: nothing a customer said
        chat = message["chat"]
        if chat.get("type") != "private":
            logger.info("telegram message from a %s chat ignored", chat.get("type"))
            return []
        sender = message.get("from") or {}
        common: dict[str, Any] = {
            "message_id": f"{chat['id']}:{message['message_id']}",
            "address": str(chat["id"]),
            "language_hint": sender.get("language_code"),
        }
        text = message.get("text")
        if isinstance(text, str):
            payload = START_PAYLOAD if text == "/start" or text.startswith("/start ") else None
            return [PlatformMessage(text=text, payload=payload, **common)]
        return [PlatformMessage(attachment=self._attachment(message), **common)]

    def _attachment(self, message: dict[str, Any]) -> Attachment:
        kind = next((name for field, name in ATTACHMENT_FIELDS.items() if field in message), "other")
        place = message.get("location") or (message.get("venue") or {}).get("location")
        if isinstance(place, dict):
            return Attachment(kind, osm_link(place.get("latitude"), place.get("longitude")))
        # download links contain the bot token: agents get the console's media proxy instead
        field = next((name for name in ATTACHMENT_FIELDS if name in message), "")
        media = message.get(field)
        if isinstance(media, list):  # photos come in several sizes, the largest last
            media = media[-1] if media else None
        file_id = media.get("file_id") if isinstance(media, dict) else None
        return Attachment(kind, self.media_url(file_id) if isinstance(file_id, str) else None)

    def _callback(self, query: dict[str, Any]) -> list[PlatformMessage]:
        """A pressed inline button: its title is what the customer 'said', its data the payload."""
        message = query.get("message") or {}
        chat_id = (message.get("chat") or {}).get("id")
        data = query.get("data")
        if chat_id is None or not isinstance(data, str):
            return []
        rows = ((message.get("reply_markup") or {}).get("inline_keyboard")) or []
        title = next((b.get("text") for row in rows for b in row if b.get("callback_data") == data), data)
        return [
            PlatformMessage(
                message_id=f"callback:{query['id']}",
                address=str(chat_id),
                text=title,
                payload=data,
                language_hint=(query.get("from") or {}).get("language_code"),
                callback_id=str(query["id"]),
            )
        ]

    async def fetch_media(self, media_id: str) -> tuple[str, bytes]:
        found = await post_json(self.session, self._api("getFile"), {"file_id": media_id})
        path = (found.get("result") or {}).get("file_path") if isinstance(found, dict) else None
        if not isinstance(path, str):
            raise Undeliverable(f"Telegram has no file {media_id}")
        base = self._settings.telegram_api_url.rstrip("/")
        return await download(self.session, f"{base}/file/bot{self._settings.telegram_bot_token}/{path}")

    def render(self, address: str, text: str, buttons: tuple[Button, ...]) -> list[dict[str, Any]]:
        native = bool(buttons) and all(
            len(b.payload.encode()) <= MAX_CALLBACK_DATA and b.payload for b in buttons
        )
        if buttons and not native:
            text = buttons_as_text(text, buttons)
        chunks = [text[start : start + MAX_TEXT] for start in range(0, len(text), MAX_TEXT)] or [""]
        requests = [{"method": "sendMessage", "body": {"chat_id": address, "text": c}} for c in chunks]
        if native:
            requests[-1]["body"]["reply_markup"] = {
                "inline_keyboard": [[{"text": b.title, "callback_data": b.payload}] for b in buttons]
            }
        return requests

    async def deliver(self, request: dict[str, Any]) -> None:
        answer = await post_json(self.session, self._api(request["method"]), request["body"])
        if not isinstance(answer, dict) or not answer.get("ok"):
            raise Undeliverable(f"Telegram answered {str(answer)[:200]}")

    async def acknowledge(self, message: PlatformMessage) -> None:
        """Stops the button's spinner; best effort, the answer itself goes through the queue."""
        try:
            await post_json(
                self.session, self._api("answerCallbackQuery"), {"callback_query_id": message.callback_id}
            )
        except (RetryLater, Undeliverable) as error:
            logger.info("answerCallbackQuery failed: %s", error)
