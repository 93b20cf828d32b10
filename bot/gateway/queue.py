"""The agent queue as everyone sees it: positions, expected waits, console snapshots and live updates."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from bot.gateway.models import Agent, Conversation, Message
from bot.gateway.outbox import Outbox
from bot.gateway.routing import expected_wait_minutes
from bot.gateway.store.engine import utcnow


def describe(
    conversation: Conversation,
    agents: dict[int, Agent],
    *,
    position: Optional[int] = None,
    last_message: Optional[Message] = None,
    now: Optional[datetime] = None,
) -> dict[str, Any]:
    """A conversation as the console lists it (QueueItem / ConversationSummary in PROTOCOL.md)."""
    now = now or utcnow()
    assigned = agents.get(conversation.assigned_agent_id or -1)
    return {
        "id": conversation.id,
        "channel": conversation.channel,
        "language": conversation.language or conversation.language_hint,
        "state": conversation.state,
        "intent": conversation.intent,
        "complaint_topic": conversation.complaint_topic,
        "summary": conversation.summary,
        "handoff_reason": conversation.handoff_reason,
        "queued_at": conversation.queued_at.isoformat() if conversation.queued_at else None,
        "waiting_seconds": int((now - conversation.queued_at).total_seconds())
        if conversation.queued_at
        else None,
        "position": position,
        "routed_agent_id": conversation.routed_agent_id,
        "assigned_agent_id": conversation.assigned_agent_id,
        "assigned_agent_name": assigned.name if assigned else None,
        "last_message": last_message.to_transcript_json() if last_message else None,
    }


class Queue:
    def __init__(self, outbox: Outbox, minutes_per_handoff: float) -> None:
        self._outbox = outbox
        self._store = outbox.store
        self._minutes_per_handoff = minutes_per_handoff

    def expected_wait(self, position: int) -> int:
        return expected_wait_minutes(
            position, len(self._outbox.hub.online_agent_ids()), self._minutes_per_handoff
        )

    async def position(self, conversation_id: str) -> Optional[int]:
        ids = [conversation.id for conversation in await self._store.conversations.queued()]
        return ids.index(conversation_id) + 1 if conversation_id in ids else None

    async def agents_by_id(self) -> dict[int, Agent]:
        return {agent.id: agent for agent in await self._store.agents.all()}

    async def snapshot(self) -> list[dict[str, Any]]:
        agents = await self.agents_by_id()
        now = utcnow()
        return [
            describe(
                conversation,
                agents,
                position=index,
                now=now,
                last_message=await self._store.conversations.last_message(conversation.id),
            )
            for index, conversation in enumerate(await self._store.conversations.queued(), start=1)
        ]

    async def summary(self, conversation: Conversation) -> dict[str, Any]:
        return describe(
            conversation,
            await self.agents_by_id(),
            position=await self.position(conversation.id),
            last_message=await self._store.conversations.last_message(conversation.id),
        )

    async def broadcast(self) -> None:
        """Consoles get the new snapshot; every waiting customer their (possibly new) position."""
        snapshot = await self.snapshot()
        await self._outbox.consoles({"type": "queue", "queue": snapshot})
        for item in snapshot:
            conversation = await self._store.conversations.get(item["id"])
            if conversation is None:
                continue
            minutes = self.expected_wait(item["position"])
            await self._outbox.customer(
                conversation,
                "queue",
                {"position": item["position"], "expected_wait_minutes": minutes},
                text=self._outbox.text(
                    conversation, "queue_position", position=item["position"], minutes=minutes
                ),
            )
