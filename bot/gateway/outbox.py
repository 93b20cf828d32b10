"""Everything the gateway tells customers and consoles goes through here, so both sides stay in step:
a message shown to the customer is also pushed to the consoles watching the conversation."""

from __future__ import annotations

from typing import Any, Optional

from bot.gateway.channels.base import OutboundEvent
from bot.gateway.delivery import CustomerDelivery
from bot.gateway.hub import ConsoleHub
from bot.gateway.locales import Locales
from bot.gateway.models import Conversation, Message
from bot.gateway.store.store import Store


class Outbox:
    def __init__(self, store: Store, delivery: CustomerDelivery, hub: ConsoleHub, locales: Locales) -> None:
        self.store = store
        self.delivery = delivery
        self.hub = hub
        self.locales = locales

    def text(self, conversation: Conversation, key: str, **params: Any) -> str:
        return self.locales.text(conversation.ui_language, key, **params)

    async def customer(
        self,
        conversation: Conversation,
        type_: str,
        data: Optional[dict[str, Any]] = None,
        *,
        text: Optional[str] = None,
        in_turn: bool = False,
    ) -> None:
        event = OutboundEvent(type_, data or {}, text)
        await self.delivery.send(conversation.channel, conversation.id, event, in_turn=in_turn)

    async def message(self, conversation: Conversation, message: Message, *, in_turn: bool = False) -> None:
        """A stored message to the customer (unless it is theirs) and to every console."""
        if message.sender != "customer":
            await self.customer(
                conversation, "message", {"message": message.to_json()}, text=message.text, in_turn=in_turn
            )
        await self.consoles(
            {
                "type": "conversation_message",
                "conversation_id": conversation.id,
                "message": message.to_transcript_json(),
            }
        )

    async def system(
        self, conversation: Conversation, key: str, *, in_turn: bool = False, **params: Any
    ) -> Message:
        """Stores a localized gateway notice in the transcript and shows it."""
        message = await self.store.conversations.add_message(
            conversation.id, "system", self.text(conversation, key, **params)
        )
        await self.message(conversation, message, in_turn=in_turn)
        return message

    async def consoles(self, event: dict[str, Any], agent_id: Optional[int] = None) -> None:
        await self.hub.send(event, agent_id)
