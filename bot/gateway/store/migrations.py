"""Schema migrations: a numbered list of steps and a `schema_version` table.

Why not Alembic: the gateway's schema is a handful of tables written with SQLAlchemy Core, migrations run
inside the gateway's own async engine at start-up and from `polydesk migrate`, and a plain list keeps that
to one file with no extra configuration tree or dependency. Each step runs in its own transaction and
records its number; a step is never edited once released, a schema change adds a new step. A test checks
that the migrated database has exactly the columns `schema.py` declares.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.gateway.store import schema
from bot.gateway.store.engine import create_engine, utcnow
from bot.settings import Settings

logger = logging.getLogger(__name__)


def _initial_schema(connection: Connection) -> None:
    """Version 1: every table of schema.py as first released."""
    tables = [table for table in schema.metadata.sorted_tables if table.name != "schema_version"]
    schema.metadata.create_all(connection, tables=tables)


def _messaging_channels(connection: Connection) -> None:
    """Version 2: contacts, webhook receipts (deduplication) and the outbound queue of the
    messaging-app channels. `create_all` checks first: a database created at version 1 from the
    current schema.py already has them."""
    tables = [schema.channel_contacts, schema.channel_receipts, schema.channel_outbound]
    schema.metadata.create_all(connection, tables=tables)


def _operators(connection: Connection) -> None:
    """Version 3: the agents' `role` (agent or operator) and the operators' annotations of misunderstood
    messages. Checks first, like version 2: a database created from the current schema.py has them."""
    columns = {column["name"] for column in sa.inspect(connection).get_columns("agents")}
    if "role" not in columns:
        connection.execute(sa.text("ALTER TABLE agents ADD COLUMN role VARCHAR(16) NOT NULL DEFAULT 'agent'"))
    schema.metadata.create_all(connection, tables=[schema.annotations])


def _handoff_history(connection: Connection) -> None:
    """Version 4: the handoff history. Conversations waiting or held now get their current handoff as
    its first row (earlier, resolved handoffs were not kept anywhere)."""
    schema.metadata.create_all(connection, tables=[schema.handoffs])
    if "conversations" not in sa.inspect(connection).get_table_names():
        return
    recorded = sa.select(schema.handoffs.c.id).where(
        schema.handoffs.c.conversation_id == schema.conversations.c.id
    )
    current = connection.execute(
        sa.select(schema.conversations).where(
            schema.conversations.c.handoff_reason.is_not(None), ~sa.exists(recorded)
        )
    )
    rows = [
        {
            "conversation_id": row.id,
            "reason": row.handoff_reason,
            "outcome": "queued",
            "language": row.language,
            "intent": row.intent,
            "complaint_topic": row.complaint_topic,
            "created_at": row.queued_at or row.updated_at,
        }
        for row in current
    ]
    if rows:
        connection.execute(schema.handoffs.insert(), rows)


MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [
    (1, _initial_schema),
    (2, _messaging_channels),
    (3, _operators),
    (4, _handoff_history),
]


def _current_version(connection: Connection) -> int:
    schema.metadata.create_all(connection, tables=[schema.schema_version])
    version = connection.execute(sa.select(sa.func.max(schema.schema_version.c.version))).scalar()
    return int(version or 0)


async def upgrade(engine: AsyncEngine) -> int:
    """Applies the missing steps in order; returns the schema version reached."""
    async with engine.begin() as connection:
        version = await connection.run_sync(_current_version)
    for number, step in MIGRATIONS:
        if number <= version:
            continue
        async with engine.begin() as connection:
            await connection.run_sync(step)
            await connection.execute(
                schema.schema_version.insert().values(version=number, applied_at=utcnow())
            )
        logger.info("database schema migrated to version %d", number)
        version = number
    return version


def migrate(settings: Settings) -> None:
    """Creates or upgrades the schema of `settings`' database (for `polydesk migrate` and deploys)."""

    async def _run() -> None:
        engine = create_engine(settings)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(_run())
