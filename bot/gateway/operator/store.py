"""Operators' rows in the gateway database: the agents' role and the annotations of the inbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.gateway.store.engine import utcnow
from bot.gateway.store.schema import agents, annotations

OPERATOR, AGENT_ROLE = "operator", "agent"
ACTIONS = ("assigned", "new_intent", "dismissed")


@dataclass(frozen=True)
class Annotation:
    id: int
    text_key: str
    text: str
    action: str
    operator_id: int
    created_at: datetime
    message_id: Optional[int] = None
    language: Optional[str] = None
    intent: Optional[str] = None
    predicted_intent: Optional[str] = None
    operator_name: Optional[str] = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "action": self.action,
            "language": self.language,
            "intent": self.intent,
            "predicted_intent": self.predicted_intent,
            "message_id": self.message_id,
            "operator_name": self.operator_name,
            "created_at": self.created_at.isoformat(),
        }


class OperatorStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def role(self, agent_id: int) -> Optional[str]:
        async with self._engine.connect() as connection:
            return (
                await connection.execute(sa.select(agents.c.role).where(agents.c.id == agent_id))
            ).scalar()

    async def set_role(self, name: str, role: str) -> bool:
        """Makes the named account an operator or a plain agent; False if there is no such account."""
        if role not in (OPERATOR, AGENT_ROLE):
            raise ValueError(f"role must be {OPERATOR} or {AGENT_ROLE}")
        async with self._engine.begin() as connection:
            result = await connection.execute(agents.update().where(agents.c.name == name).values(role=role))
        return result.rowcount == 1

    async def operators(self) -> list[str]:
        async with self._engine.connect() as connection:
            rows = await connection.execute(
                sa.select(agents.c.name).where(agents.c.role == OPERATOR).order_by(agents.c.name)
            )
            return [row.name for row in rows]

    async def annotate(
        self,
        *,
        text_key: str,
        text: str,
        action: str,
        operator_id: int,
        message_id: Optional[int] = None,
        language: Optional[str] = None,
        intent: Optional[str] = None,
        predicted_intent: Optional[str] = None,
    ) -> Annotation:
        if action not in ACTIONS:
            raise ValueError(f"action must be one of {', '.join(ACTIONS)}")
        async with self._engine.begin() as connection:
            result = await connection.execute(
                annotations.insert().values(
                    text_key=text_key,
                    text=text,
                    action=action,
                    operator_id=operator_id,
                    message_id=message_id,
                    language=language,
                    intent=intent,
                    predicted_intent=predicted_intent,
                    created_at=utcnow(),
                )
            )
            annotation_id = result.inserted_primary_key[0]
        found = await self.annotations(annotation_id=annotation_id)
        return found[0]

    async def annotations(
        self, *, annotation_id: Optional[int] = None, labelled_only: bool = False, limit: int = 1000
    ) -> list[Annotation]:
        """Newest first; `labelled_only` leaves out dismissals (the gate's test set)."""
        query = (
            sa.select(*annotations.columns, agents.c.name.label("operator_name"))
            .select_from(annotations.outerjoin(agents, annotations.c.operator_id == agents.c.id))
            .order_by(annotations.c.id.desc())
            .limit(limit)
        )
        if annotation_id is not None:
            query = query.where(annotations.c.id == annotation_id)
        if labelled_only:
            query = query.where(annotations.c.action != "dismissed")
        async with self._engine.connect() as connection:
            return [Annotation(**dict(row._mapping)) for row in await connection.execute(query)]

    async def reviewed_keys(self) -> set[str]:
        async with self._engine.connect() as connection:
            return {row.text_key for row in await connection.execute(sa.select(annotations.c.text_key).distinct())}
