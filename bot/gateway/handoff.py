"""Handoff to a human: queue the conversation for an agent who speaks its language, or, when nobody can
take it (no agent online, outside business hours), open a ticket and ask for a message and an e-mail."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Optional

from bot.gateway.business_hours import DAYS, BusinessHours
from bot.gateway.models import QUEUED, Conversation
from bot.gateway.outbox import Outbox
from bot.gateway.queue import Queue
from bot.gateway.routing import choose_agent
from bot.gateway.store.engine import utcnow

logger = logging.getLogger(__name__)

REASONS = ("request_human", "fallback", "urgent_complaint", "service_request", "other", "bot_unavailable")


@dataclass(frozen=True)
class HandoffRequest:
    conversation_id: str
    reason: str
    language: Optional[str] = None
    intent: Optional[str] = None
    complaint_topic: Optional[str] = None
    summary: Optional[str] = None


class HandoffService:
    def __init__(
        self,
        outbox: Outbox,
        queue: Queue,
        hours: BusinessHours,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._outbox = outbox
        self._store = outbox.store
        self._queue = queue
        self._hours = hours
        self._clock = clock

    def opens_text(self, language: Optional[str]) -> Optional[str]:
        """'Monday 08:00' in the customer's language, or None when the hours never open."""
        opening = self._hours.next_opening(self._clock())
        if opening is None:
            return None
        day, start = opening
        locales = self._outbox.locales
        return locales.text(
            language, "opens_at", day=locales.text(language, f"day_{DAYS[day]}"), time=start.strftime("%H:%M")
        )

    async def request(self, request: HandoffRequest, *, announce: bool = False) -> dict[str, Any]:
        """Queues or opens a ticket; returns the internal API's answer. `announce=True` also tells the
        customer in words (used when the bot itself is down and cannot say it)."""
        conversation = await self._store.conversations.get(request.conversation_id)
        if conversation is None:
            raise LookupError(request.conversation_id)
        if request.language and not conversation.language:
            conversation = await self._store.conversations.update(conversation.id, language=request.language)
        online = self._outbox.hub.online_agent_ids()
        now = self._clock()
        if not self._hours.is_open(now) or not online:
            status = "closed" if not self._hours.is_open(now) else "no_agents"
            # the bot being down is no reason to lose the conversation: it waits in the queue anyway
            if request.reason == "bot_unavailable":
                conversation = await self._enqueue(conversation, request, now)
            elif not await self._store.records.has_open_ticket(conversation.id):  # not a repeat of the last
                await self._record(conversation, request, status)
            return await self._nobody_there(conversation, status, announce)
        conversation = await self._enqueue(conversation, request, now)
        position = await self._queue.position(conversation.id) or 1
        minutes = self._queue.expected_wait(position)
        if announce:
            await self._outbox.system(conversation, "queue_position", position=position, minutes=minutes)
        await self._queue.broadcast()
        return {"status": "queued", "position": position, "expected_wait_minutes": minutes}

    async def _enqueue(
        self, conversation: Conversation, request: HandoffRequest, now: datetime
    ) -> Conversation:
        values: dict[str, Any] = {
            "handoff_reason": request.reason,
            "intent": request.intent or conversation.intent,
            "complaint_topic": request.complaint_topic or conversation.complaint_topic,
            "summary": request.summary or conversation.summary,
        }
        joins_queue = conversation.state != QUEUED
        if joins_queue:
            values.update(state=QUEUED, queued_at=now, assigned_agent_id=None)
        conversation = await self._store.conversations.update(conversation.id, **values)
        if joins_queue:
            await self._record(conversation, request, "queued")
        return await self.route(conversation)

    async def _record(self, conversation: Conversation, request: HandoffRequest, outcome: str) -> None:
        """The handoff history keeps every handoff's reason (the conversation forgets it on resolve)."""
        await self._store.records.add_handoff(
            conversation.id, request.reason, outcome, conversation.language or request.language,
            request.intent or conversation.intent, request.complaint_topic or conversation.complaint_topic,
        )

    async def route(self, conversation: Conversation) -> Conversation:
        """Offers a waiting conversation to one online agent (language first, round-robin)."""
        agent = choose_agent(
            conversation.language or conversation.language_hint,
            await self._store.agents.all(),
            self._outbox.hub.online_agent_ids(),
        )
        if agent is None or agent.id == conversation.routed_agent_id:
            return conversation
        await self._store.agents.mark_routed(agent.id)
        conversation = await self._store.conversations.update(conversation.id, routed_agent_id=agent.id)
        await self._outbox.consoles({"type": "routed", "conversation_id": conversation.id}, agent.id)
        logger.info(
            "conversation %s (%s) routed to agent %s", conversation.id, conversation.language, agent.name
        )
        return conversation

    async def reroute(self) -> None:
        """After presence changes: waiting conversations whose agent left (or that had none) move on."""
        online = self._outbox.hub.online_agent_ids()
        for conversation in await self._store.conversations.queued():
            if conversation.routed_agent_id not in online:
                await self.route(conversation)
        await self._queue.broadcast()

    async def _nobody_there(self, conversation: Conversation, status: str, announce: bool) -> dict[str, Any]:
        ticket = await self._store.records.open_ticket(conversation.id, conversation.ui_language, status)
        await self._outbox.consoles({"type": "ticket_created", "ticket": ticket.to_json()})
        opens = self.opens_text(conversation.ui_language) if status == "closed" else None
        if announce:
            await self._outbox.system(conversation, status, opens=opens or "")
        await self._outbox.customer(
            conversation,
            "leave_message",
            {"reason": status, "opens": opens},
        )
        if conversation.state == QUEUED:
            await self._queue.broadcast()
        result: dict[str, Any] = {"status": status}
        if status == "closed":
            result["opens"] = opens
        return result
