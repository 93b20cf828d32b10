"""Agents and their console sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.gateway.models import Agent
from bot.gateway.store.engine import utcnow
from bot.gateway.store.schema import agents, sessions


def _agent(row: Any) -> Agent:
    return Agent(
        id=row.id,
        name=row.name,
        languages=tuple(code for code in row.languages.split(",") if code),
        last_routed_at=row.last_routed_at,
    )


class AgentExists(ValueError):
    """An agent with that name is already there."""


class AgentStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(self, name: str, languages: tuple[str, ...], password_hash: str) -> Agent:
        if await self.by_name(name) is not None:
            raise AgentExists(f"an agent called {name!r} already exists")
        async with self._engine.begin() as connection:
            result = await connection.execute(
                agents.insert().values(
                    name=name,
                    languages=",".join(languages),
                    password_hash=password_hash,
                    created_at=utcnow(),
                )
            )
            agent_id = result.inserted_primary_key[0]
        agent = await self.get(agent_id)
        assert agent is not None
        return agent

    async def get(self, agent_id: int) -> Optional[Agent]:
        async with self._engine.connect() as connection:
            row = (await connection.execute(agents.select().where(agents.c.id == agent_id))).first()
        return _agent(row) if row else None

    async def by_name(self, name: str) -> Optional[Agent]:
        async with self._engine.connect() as connection:
            row = (await connection.execute(agents.select().where(agents.c.name == name))).first()
        return _agent(row) if row else None

    async def password_hash(self, name: str) -> Optional[tuple[Agent, str]]:
        async with self._engine.connect() as connection:
            row = (await connection.execute(agents.select().where(agents.c.name == name))).first()
        return (_agent(row), row.password_hash) if row else None

    async def all(self) -> list[Agent]:
        async with self._engine.connect() as connection:
            return [_agent(row) for row in await connection.execute(agents.select().order_by(agents.c.id))]

    async def mark_routed(self, agent_id: int) -> None:
        """Moves the agent to the back of the round-robin order."""
        async with self._engine.begin() as connection:
            await connection.execute(
                agents.update().where(agents.c.id == agent_id).values(last_routed_at=utcnow())
            )

    async def add_session(self, token_hash: str, agent_id: int, expires_at: datetime) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                sessions.insert().values(token_hash=token_hash, agent_id=agent_id, expires_at=expires_at)
            )

    async def session_agent(self, token_hash: str) -> Optional[Agent]:
        """The agent of a live session; expired sessions are deleted on sight."""
        async with self._engine.begin() as connection:
            row = (
                await connection.execute(sessions.select().where(sessions.c.token_hash == token_hash))
            ).first()
            if row is None:
                return None
            if row.expires_at <= utcnow():
                await connection.execute(sessions.delete().where(sessions.c.token_hash == token_hash))
                return None
        return await self.get(row.agent_id)

    async def delete_session(self, token_hash: str) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(sessions.delete().where(sessions.c.token_hash == token_hash))

    async def purge_sessions(self) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(sessions.delete().where(sessions.c.expires_at <= utcnow()))
