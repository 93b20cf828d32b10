"""Notes, tickets, CSAT answers and the handoff history: what a conversation leaves behind."""

from __future__ import annotations

from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.gateway.models import Handoff, Note, Ticket
from bot.gateway.store.engine import utcnow
from bot.gateway.store.schema import agents, csat, handoffs, notes, tickets


def _ticket(row: Any) -> Ticket:
    return Ticket(**dict(row._mapping))


class RecordStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add_note(self, conversation_id: str, agent_id: int, text: str) -> Note:
        async with self._engine.begin() as connection:
            result = await connection.execute(
                notes.insert().values(
                    conversation_id=conversation_id, agent_id=agent_id, text=text, created_at=utcnow()
                )
            )
            note_id = result.inserted_primary_key[0]
        found = [note for note in await self.notes(conversation_id) if note.id == note_id]
        return found[0]

    async def notes(self, conversation_id: str) -> list[Note]:
        query = (
            sa.select(
                notes.c.id,
                notes.c.conversation_id,
                agents.c.name.label("agent_name"),
                notes.c.text,
                notes.c.created_at,
            )
            .select_from(notes.join(agents, notes.c.agent_id == agents.c.id))
            .where(notes.c.conversation_id == conversation_id)
            .order_by(notes.c.id)
        )
        async with self._engine.connect() as connection:
            return [Note(**dict(row._mapping)) for row in await connection.execute(query)]

    async def open_ticket(self, conversation_id: str, language: Optional[str], reason: str) -> Ticket:
        """One open ticket per conversation: a second 'nobody there' reuses it."""
        async with self._engine.begin() as connection:
            row = (
                await connection.execute(
                    tickets.select()
                    .where(tickets.c.conversation_id == conversation_id)
                    .where(tickets.c.status == "open")
                )
            ).first()
            if row is not None:
                return _ticket(row)
            result = await connection.execute(
                tickets.insert().values(
                    conversation_id=conversation_id,
                    language=language,
                    reason=reason,
                    status="open",
                    created_at=utcnow(),
                )
            )
            ticket_id = result.inserted_primary_key[0]
        ticket = await self.ticket(ticket_id)
        assert ticket is not None
        return ticket

    async def has_open_ticket(self, conversation_id: str) -> bool:
        query = sa.select(tickets.c.id).where(tickets.c.conversation_id == conversation_id, tickets.c.status == "open")
        async with self._engine.connect() as connection:
            return (await connection.execute(query.limit(1))).first() is not None

    async def add_handoff(
        self,
        conversation_id: str,
        reason: str,
        outcome: str,
        language: Optional[str] = None,
        intent: Optional[str] = None,
        complaint_topic: Optional[str] = None,
    ) -> None:
        """One row of the handoff history (see schema.handoffs): it outlives the conversation's resolve."""
        async with self._engine.begin() as connection:
            await connection.execute(
                handoffs.insert().values(
                    conversation_id=conversation_id, reason=reason, outcome=outcome, language=language,
                    intent=intent, complaint_topic=complaint_topic, created_at=utcnow(),
                )
            )

    async def handoffs(self, conversation_id: str) -> list[Handoff]:
        query = handoffs.select().where(handoffs.c.conversation_id == conversation_id).order_by(handoffs.c.id)
        async with self._engine.connect() as connection:
            return [Handoff(**dict(row._mapping)) for row in await connection.execute(query)]

    async def fill_ticket(self, conversation_id: str, email: str, text: str) -> Optional[Ticket]:
        """Adds the customer's e-mail and message to the conversation's open ticket."""
        async with self._engine.begin() as connection:
            row = (
                await connection.execute(
                    tickets.select()
                    .where(tickets.c.conversation_id == conversation_id)
                    .where(tickets.c.status == "open")
                    .order_by(tickets.c.id.desc())
                )
            ).first()
            if row is None:
                return None
            await connection.execute(
                tickets.update().where(tickets.c.id == row.id).values(email=email, text=text)
            )
        return await self.ticket(row.id)

    async def ticket(self, ticket_id: int) -> Optional[Ticket]:
        async with self._engine.connect() as connection:
            row = (await connection.execute(tickets.select().where(tickets.c.id == ticket_id))).first()
        return _ticket(row) if row else None

    async def tickets(self, status: Optional[str] = None) -> list[Ticket]:
        query = tickets.select().order_by(tickets.c.id.desc())
        if status:
            query = query.where(tickets.c.status == status)
        async with self._engine.connect() as connection:
            return [_ticket(row) for row in await connection.execute(query)]

    async def close_ticket(self, ticket_id: int) -> Optional[Ticket]:
        async with self._engine.begin() as connection:
            await connection.execute(
                tickets.update().where(tickets.c.id == ticket_id).values(status="closed")
            )
        return await self.ticket(ticket_id)

    async def add_csat(
        self,
        conversation_id: str,
        agent_id: Optional[int],
        language: Optional[str],
        rating: int,
        comment: Optional[str],
    ) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                csat.insert().values(
                    conversation_id=conversation_id,
                    agent_id=agent_id,
                    language=language,
                    rating=rating,
                    comment=comment,
                    created_at=utcnow(),
                )
            )

    async def csat_counts(self) -> list[dict[str, Any]]:
        """(agent name or None, language, rating, count) rows: the report aggregates them."""
        query = (
            sa.select(
                agents.c.name.label("agent"), csat.c.language, csat.c.rating, sa.func.count().label("count")
            )
            .select_from(csat.outerjoin(agents, csat.c.agent_id == agents.c.id))
            .group_by(agents.c.name, csat.c.language, csat.c.rating)
        )
        async with self._engine.connect() as connection:
            return [dict(row._mapping) for row in await connection.execute(query)]
