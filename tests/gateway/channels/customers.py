"""Customers on each platform: build the platform's webhook payload, sign it, post it to the gateway."""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any, Awaitable, Callable, Optional

from aiohttp.test_utils import TestClient

from bot.gateway.channels.meta import signature
from tests.gateway.channels.conftest import (
    MESSENGER_SECRET,
    PHONE_NUMBER_ID,
    TELEGRAM_SECRET,
    WHATSAPP_SECRET,
)

_ids = itertools.count(1)


async def post_signed(client: TestClient, path: str, payload: dict[str, Any], secret: str) -> Any:
    body = json.dumps(payload).encode()
    return await client.post(
        path,
        data=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature(secret, body)},
    )


class TelegramCustomer:
    def __init__(self, client: TestClient, chat_id: int, language_code: Optional[str] = "hu") -> None:
        self.client, self.chat_id, self.language_code = client, chat_id, language_code

    def update(self, **message: Any) -> dict[str, Any]:
        number = next(_ids)
        sender = {"id": self.chat_id, "is_bot": False, "first_name": "Eva"}
        if self.language_code:
            sender["language_code"] = self.language_code
        return {
            "update_id": 1000 + number,
            "message": {
                "message_id": number,
                "from": sender,
                "chat": {"id": self.chat_id, "type": "private"},
                "date": 1700000000,
                **message,
            },
        }

    async def post(self, update: dict[str, Any], secret: Optional[str] = TELEGRAM_SECRET) -> Any:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return await self.client.post("/channels/telegram/webhook", json=update, headers=headers)

    async def say(self, text: str) -> Any:
        response = await self.post(self.update(text=text))
        assert response.status == 200, await response.text()
        return response


class WhatsAppCustomer:
    def __init__(self, client: TestClient, number: str) -> None:
        self.client, self.number = client, number

    def notification(self, **message: Any) -> dict[str, Any]:
        item = {"from": self.number, "id": f"wamid.in{next(_ids)}", "timestamp": "1700000000", **message}
        value = {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550001111", "phone_number_id": PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": "Eva"}, "wa_id": self.number}],
            "messages": [item],
        }
        return {
            "object": "whatsapp_business_account",
            "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}],
        }

    async def post(self, payload: dict[str, Any], secret: str = WHATSAPP_SECRET) -> Any:
        return await post_signed(self.client, "/channels/whatsapp/webhook", payload, secret)

    async def say(self, text: str) -> Any:
        response = await self.post(self.notification(type="text", text={"body": text}))
        assert response.status == 200, await response.text()
        return response


class MessengerCustomer:
    def __init__(self, client: TestClient, psid: str) -> None:
        self.client, self.psid = client, psid

    def notification(self, **message: Any) -> dict[str, Any]:
        event = {
            "sender": {"id": self.psid},
            "recipient": {"id": "PAGE"},
            "timestamp": 1700000000000,
            "message": {"mid": f"m_{next(_ids)}", **message},
        }
        return {"object": "page", "entry": [{"id": "PAGE", "time": 1700000000000, "messaging": [event]}]}

    async def post(self, payload: dict[str, Any], secret: str = MESSENGER_SECRET) -> Any:
        return await post_signed(self.client, "/channels/messenger/webhook", payload, secret)

    async def say(self, text: str) -> Any:
        response = await self.post(self.notification(text=text))
        assert response.status == 200, await response.text()
        return response


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:
    """Waits until `check()` is true (background delivery), failing after `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)
