"""Conversations and their messages: the transcript is written here before anything else happens."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Callable, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.gateway.models import BOT, QUEUED, Button, Conversation, Message
from bot.gateway.store.engine import utcnow
from bot.gateway.store.schema import agents, conversations, messages

_CONVERSATION_FIELDS = {column.name for column in conversations.columns}
_MESSAGE_FIELDS = {column.name for column in messages.columns}


def _conversation(row: Any) -> Conversation:
    data = dict(row._mapping)
    data["had_agent"] = bool(data["had_agent"])
    return Conversation(**data)


def _message(row: Any) -> Message:
    data = dict(row._mapping)
    buttons = json.loads(data.pop("buttons") or "[]")
    custom = json.loads(data.pop("custom") or "null")
    data.pop("parse", None)
    return Message(
        buttons=tuple(Button(str(b.get("title", "")), str(b.get("payload", ""))) for b in buttons),
        custom=custom,
        **data,
    )


_MESSAGE_COLUMNS = [*messages.columns, agents.c.name.label("agent_name")]
# Statements of every turn, built once: building one and its cache key costs about as much as running it.
_CONVERSATION_BY_ID = conversations.select().where(conversations.c.id == sa.bindparam("conversation_id_"))
_INSERT_MESSAGE = messages.insert()
_UPDATE_MESSAGE = messages.update().where(messages.c.id == sa.bindparam("message_id_"))


def _encoded(values: dict[str, Any]) -> dict[str, Any]:
    """Message column values with the JSON columns (buttons, custom, parse) serialised; unknown column
    names are a programming error (statements take values as parameters, which would ignore them)."""
    unknown = set(values) - _MESSAGE_FIELDS
    if unknown:
        raise KeyError(f"not message columns: {sorted(unknown)}")
    encoded = dict(values)
    if "buttons" in encoded:
        buttons = encoded["buttons"]
        encoded["buttons"] = json.dumps([b.to_json() for b in buttons]) if buttons else None
    for name in ("custom", "parse"):
        if encoded.get(name) is not None:
            encoded[name] = json.dumps(encoded[name])
    return encoded


def _written_message(message_id: int, created_at: datetime, values: dict[str, Any]) -> Message:
    """The message as `_message` would read it back (JSON columns round-trip to equal values)."""
    return Message(
        id=message_id,
        created_at=created_at,
        buttons=tuple(values.get("buttons") or ()),
        **{name: values.get(name) for name in _WRITTEN_FIELDS},
    )


_WRITTEN_FIELDS = (
    "conversation_id",
    "sender",
    "text",
    "custom",
    "payload",
    "agent_id",
    "language",
    "intent",
    "confidence",
    "status",
)


class ConversationStore:
    """Reads and writes conversations and messages; every method is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def create(self, conversation_id: str, channel: str, language_hint: Optional[str]) -> Conversation:
        now = utcnow()
        async with self._engine.begin() as connection:
            await connection.execute(
                conversations.insert().values(
                    id=conversation_id,
                    channel=channel,
                    state=BOT,
                    language_hint=language_hint,
                    had_agent=False,
                    created_at=now,
                    updated_at=now,
                )
            )
            conversation = await self._read_conversation(connection, conversation_id)
        assert conversation is not None
        return conversation

    @staticmethod
    async def _read_conversation(connection: AsyncConnection, conversation_id: str) -> Optional[Conversation]:
        row = (await connection.execute(_CONVERSATION_BY_ID, {"conversation_id_": conversation_id})).first()
        return _conversation(row) if row else None

    async def get(self, conversation_id: str) -> Optional[Conversation]:
        async with self._engine.connect() as connection:
            return await self._read_conversation(connection, conversation_id)

    async def update(self, conversation_id: str, **values: Any) -> Conversation:
        """Sets columns of one conversation; unknown column names are a programming error."""
        unknown = set(values) - _CONVERSATION_FIELDS
        if unknown:
            raise KeyError(f"not conversation columns: {sorted(unknown)}")
        async with self._engine.begin() as connection:
            await connection.execute(
                conversations.update()
                .where(conversations.c.id == conversation_id)
                .values(updated_at=utcnow(), **values)
            )
            conversation = await self._read_conversation(connection, conversation_id)
        if conversation is None:
            raise LookupError(conversation_id)
        return conversation

    async def claim(self, conversation_id: str, agent_id: int) -> bool:
        """Atomically gives a queued (or own) conversation to an agent; False if someone else holds it."""
        async with self._engine.begin() as connection:
            result = await connection.execute(
                conversations.update()
                .where(conversations.c.id == conversation_id)
                .where(
                    sa.or_(
                        conversations.c.state == QUEUED,
                        conversations.c.assigned_agent_id == agent_id,
                    )
                )
                .values(state="agent", assigned_agent_id=agent_id, had_agent=True, updated_at=utcnow())
            )
        return result.rowcount == 1

    async def queued(self) -> list[Conversation]:
        """Conversations waiting for an agent, oldest first (the queue order)."""
        async with self._engine.connect() as connection:
            rows = await connection.execute(
                conversations.select()
                .where(conversations.c.state == QUEUED)
                .order_by(conversations.c.queued_at, conversations.c.id)
            )
            return [_conversation(row) for row in rows]

    async def in_state(self, state: str, agent_id: Optional[int] = None) -> list[Conversation]:
        query = conversations.select().where(conversations.c.state == state)
        if agent_id is not None:
            query = query.where(conversations.c.assigned_agent_id == agent_id)
        async with self._engine.connect() as connection:
            rows = await connection.execute(query.order_by(conversations.c.updated_at))
            return [_conversation(row) for row in rows]

    async def add_message(
        self,
        conversation_id: str,
        sender: str,
        text: str,
        *,
        payload: Optional[str] = None,
        buttons: Sequence[Button] = (),
        custom: Optional[dict[str, Any]] = None,
        parse: Optional[dict[str, Any]] = None,
        agent_id: Optional[int] = None,
        language: Optional[str] = None,
        intent: Optional[str] = None,
        confidence: Optional[float] = None,
        status: Optional[str] = None,
    ) -> Message:
        reply = {
            "conversation_id": conversation_id,
            "sender": sender,
            "text": text,
            "payload": payload,
            "buttons": buttons,
            "custom": custom,
            "parse": parse,
            "agent_id": agent_id,
            "language": language,
            "intent": intent,
            "confidence": confidence,
            "status": status,
        }
        async with self._engine.begin() as connection:
            return await self._insert_message(connection, reply)

    async def add_customer_message(
        self, conversation_id: str, text: str, payload: Optional[str], status_of: Callable[[Conversation], str]
    ) -> tuple[Conversation, Message]:
        """Stores a customer's message and reads its conversation in one transaction (one round of the
        turn's store-first write); `status_of` gives the message's status from the conversation's state.
        Raises LookupError for an unknown conversation."""
        async with self._engine.begin() as connection:
            conversation = await self._read_conversation(connection, conversation_id)
            if conversation is None:
                raise LookupError(conversation_id)
            values = {
                "conversation_id": conversation_id,
                "sender": "customer",
                "text": text,
                "payload": payload,
                "status": status_of(conversation),
            }
            return conversation, await self._insert_message(connection, values)

    async def record_bot_turn(
        self, message_id: int, understood: dict[str, Any], replies: Sequence[dict[str, Any]]
    ) -> list[Message]:
        """One transaction for a bot turn: what the bot understood of the customer's message (as for
        `annotate_message`) and its replies (each a dict of `add_message`'s arguments by name, conversation
        included). Returns the stored replies."""
        async with self._engine.begin() as connection:
            await connection.execute(_UPDATE_MESSAGE, {"message_id_": message_id, **_encoded(understood)})
            return [await self._insert_message(connection, reply) for reply in replies]

    async def _insert_message(self, connection: AsyncConnection, values: dict[str, Any]) -> Message:
        """Inserts and returns the stored message, built from the values written (a read costs a round trip
        per message); only an agent's message is read back, for the agent's name."""
        created_at = utcnow()
        result = await connection.execute(_INSERT_MESSAGE, {**_encoded(values), "created_at": created_at})
        message_id = result.inserted_primary_key[0]
        if values.get("agent_id") is None:
            return _written_message(message_id, created_at, values)
        message = await self._read_message(connection, message_id)
        assert message is not None
        return message

    @staticmethod
    async def _read_message(connection: AsyncConnection, message_id: int) -> Optional[Message]:
        query = (
            sa.select(*_MESSAGE_COLUMNS)
            .select_from(messages.outerjoin(agents, messages.c.agent_id == agents.c.id))
            .where(messages.c.id == message_id)
        )
        row = (await connection.execute(query)).first()
        return _message(row) if row else None

    async def message(self, message_id: int) -> Optional[Message]:
        async with self._engine.connect() as connection:
            return await self._read_message(connection, message_id)

    async def annotate_message(self, message_id: int, **values: Any) -> None:
        """Adds what the bot understood (parse, language, intent, confidence) or a new status."""
        async with self._engine.begin() as connection:
            await connection.execute(_UPDATE_MESSAGE, {"message_id_": message_id, **_encoded(values)})

    async def transcript(self, conversation_id: str, limit: int = 500) -> list[Message]:
        """The last `limit` messages, oldest first."""
        query = (
            sa.select(*_MESSAGE_COLUMNS)
            .select_from(messages.outerjoin(agents, messages.c.agent_id == agents.c.id))
            .where(messages.c.conversation_id == conversation_id)
            .order_by(messages.c.id.desc())
            .limit(limit)
        )
        async with self._engine.connect() as connection:
            rows = list(await connection.execute(query))
        return [_message(row) for row in reversed(rows)]

    async def pending_customer_messages(self, conversation_id: str) -> list[Message]:
        """Customer messages the bot never answered because it was unavailable."""
        query = (
            sa.select(*_MESSAGE_COLUMNS)
            .select_from(messages.outerjoin(agents, messages.c.agent_id == agents.c.id))
            .where(messages.c.conversation_id == conversation_id)
            .where(messages.c.status == "pending")
            .order_by(messages.c.id)
        )
        async with self._engine.connect() as connection:
            return [_message(row) for row in await connection.execute(query)]

    async def last_message(self, conversation_id: str) -> Optional[Message]:
        found = await self.transcript(conversation_id, limit=1)
        return found[0] if found else None
