"""Delivers events to customers through their conversation's channel, in turn order.

While Rasa is answering a customer message, other parts of the gateway may already want to tell that
customer something: the handoff API is called by the action server *during* the turn, before the bot's
"you are number 2 in the queue" reply exists. Events for a conversation in a turn are held and flushed
after the turn's own messages, so the customer sees them in a sensible order.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

from bot.gateway.channels.base import Channel, OutboundEvent

logger = logging.getLogger(__name__)


class CustomerDelivery:
    def __init__(self) -> None:
        self._channels: dict[str, Channel] = {}
        self._held: dict[str, list[tuple[str, OutboundEvent]]] = {}

    def register(self, channel: Channel) -> None:
        self._channels[channel.name] = channel

    @property
    def channels(self) -> dict[str, Channel]:
        return dict(self._channels)

    def in_turn(self, conversation_id: str) -> bool:
        return conversation_id in self._held

    async def send(
        self, channel: str, conversation_id: str, event: OutboundEvent, *, in_turn: bool = False
    ) -> None:
        """`in_turn=True` is for the turn's own events; everything else waits until the turn ends."""
        if not in_turn and conversation_id in self._held:
            self._held[conversation_id].append((channel, event))
            return
        target = self._channels.get(channel)
        if target is None:
            logger.error(
                "no channel %r registered; event %s for %s dropped", channel, event.type, conversation_id
            )
            return
        await target.send(conversation_id, event)

    @asynccontextmanager
    async def turn(self, conversation_id: str) -> AsyncIterator[None]:
        """Holds other events for the conversation until the block ends, then sends them in order."""
        self._held.setdefault(conversation_id, [])
        try:
            yield
        finally:
            held = self._held.pop(conversation_id, [])
            for channel, event in held:
                await self.send(channel, conversation_id, event)
