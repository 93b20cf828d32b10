"""What the messaging-app channels persist: who a conversation's customer is on the platform, which
webhook deliveries were already processed, and the outbound requests not yet accepted by the platform.

The outbound queue lives in the database, not in memory, so that replies written while a platform is
down survive a gateway restart and go out later in order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.gateway.store.engine import utcnow
from bot.gateway.store.schema import channel_contacts, channel_outbound, channel_receipts


@dataclass(frozen=True)
class Contact:
    conversation_id: str
    channel: str
    address: str
    last_inbound_at: Optional[datetime] = None


@dataclass(frozen=True)
class OutboundRequest:
    id: int
    channel: str
    conversation_id: str
    request: dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    last_error: Optional[str] = None


def _outbound(row: Any) -> OutboundRequest:
    data = dict(row._mapping)
    data.pop("sent_at", None)
    data["request"] = json.loads(data["request"])
    return OutboundRequest(**data)


class ChannelStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def first_receipt(self, channel: str, platform_message_id: str) -> bool:
        """Records a platform message id; False when it was recorded before (a redelivery)."""
        try:
            async with self._engine.begin() as connection:
                await connection.execute(
                    channel_receipts.insert().values(
                        channel=channel, platform_message_id=platform_message_id, received_at=utcnow()
                    )
                )
        except IntegrityError:
            return False
        return True

    async def forget_receipt(self, channel: str, platform_message_id: str) -> None:
        """Processing failed after the receipt was written: let the platform's retry through."""
        async with self._engine.begin() as connection:
            await connection.execute(
                channel_receipts.delete()
                .where(channel_receipts.c.channel == channel)
                .where(channel_receipts.c.platform_message_id == platform_message_id)
            )

    async def contact_by_address(self, channel: str, address: str) -> Optional[Contact]:
        query = channel_contacts.select().where(
            sa.and_(channel_contacts.c.channel == channel, channel_contacts.c.address == address)
        )
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).first()
        return Contact(**dict(row._mapping)) if row else None

    async def contact(self, conversation_id: str) -> Optional[Contact]:
        query = channel_contacts.select().where(channel_contacts.c.conversation_id == conversation_id)
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).first()
        return Contact(**dict(row._mapping)) if row else None

    async def add_contact(self, conversation_id: str, channel: str, address: str) -> Contact:
        async with self._engine.begin() as connection:
            await connection.execute(
                channel_contacts.insert().values(
                    conversation_id=conversation_id, channel=channel, address=address
                )
            )
        return Contact(conversation_id, channel, address)

    async def touch_contact(self, conversation_id: str, when: datetime) -> None:
        """The customer wrote at `when` (opens WhatsApp's customer-service window)."""
        async with self._engine.begin() as connection:
            await connection.execute(
                channel_contacts.update()
                .where(channel_contacts.c.conversation_id == conversation_id)
                .values(last_inbound_at=when)
            )

    async def enqueue(self, channel: str, conversation_id: str, request: dict[str, Any]) -> int:
        now = utcnow()
        async with self._engine.begin() as connection:
            result = await connection.execute(
                channel_outbound.insert().values(
                    channel=channel,
                    conversation_id=conversation_id,
                    request=json.dumps(request, ensure_ascii=False),
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            return int(result.inserted_primary_key[0])

    async def pending(self, channel: str, limit: int = 200) -> list[OutboundRequest]:
        """The channel's unsent requests, oldest first."""
        query = (
            channel_outbound.select()
            .where(channel_outbound.c.channel == channel)
            .where(channel_outbound.c.status == "pending")
            .order_by(channel_outbound.c.id)
            .limit(limit)
        )
        async with self._engine.connect() as connection:
            return [_outbound(row) for row in await connection.execute(query)]

    async def mark_sent(self, request_id: int) -> None:
        await self._set(request_id, status="sent", sent_at=utcnow(), last_error=None)

    async def mark_failed(self, request_id: int, error: str) -> None:
        await self._set(request_id, status="failed", last_error=error[:2000])

    async def postpone(self, request_id: int, attempts: int, until: datetime, error: str) -> None:
        await self._set(request_id, attempts=attempts, next_attempt_at=until, last_error=error[:2000])

    async def _set(self, request_id: int, **values: Any) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                channel_outbound.update().where(channel_outbound.c.id == request_id).values(**values)
            )
