"""What agents do with a conversation: claim it, reply, transfer it, resolve it back to the bot."""

from __future__ import annotations

from bot.gateway.csat import CsatService
from bot.gateway.models import AGENT, BOT, Agent, Conversation, Message
from bot.gateway.outbox import Outbox
from bot.gateway.queue import Queue


class AssignmentError(Exception):
    """The agent may not do that now; `status` is the HTTP status the API answers with."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class Assignments:
    def __init__(self, outbox: Outbox, queue: Queue, csat: CsatService) -> None:
        self._outbox = outbox
        self._store = outbox.store
        self._queue = queue
        self._csat = csat

    async def _get(self, conversation_id: str) -> Conversation:
        conversation = await self._store.conversations.get(conversation_id)
        if conversation is None:
            raise AssignmentError(404, "not_found", f"no conversation {conversation_id}")
        return conversation

    async def _held_by(self, conversation_id: str, agent: Agent) -> Conversation:
        conversation = await self._get(conversation_id)
        if conversation.state != AGENT or conversation.assigned_agent_id != agent.id:
            raise AssignmentError(409, "conflict", "claim the conversation before acting on it")
        return conversation

    async def _updated(self, conversation: Conversation) -> None:
        await self._outbox.consoles(
            {"type": "conversation_updated", "conversation": await self._queue.summary(conversation)}
        )

    async def claim(self, conversation_id: str, agent: Agent) -> Conversation:
        conversation = await self._get(conversation_id)
        if not await self._store.conversations.claim(conversation_id, agent.id):
            raise AssignmentError(409, "conflict", "another agent already took this conversation")
        already_mine = conversation.assigned_agent_id == agent.id and conversation.state == AGENT
        conversation = await self._get(conversation_id)
        if not already_mine:
            await self._joined(conversation, agent)
        await self._queue.broadcast()
        await self._updated(conversation)
        return conversation

    async def _joined(self, conversation: Conversation, agent: Agent) -> None:
        await self._outbox.system(conversation, "agent_joined", agent=agent.name)
        await self._outbox.customer(conversation, "agent_joined", {"agent_name": agent.name})

    async def reply(self, conversation_id: str, agent: Agent, text: str) -> Message:
        conversation = await self._held_by(conversation_id, agent)
        message = await self._store.conversations.add_message(
            conversation.id, "agent", text, agent_id=agent.id, language=conversation.ui_language
        )
        await self._outbox.message(conversation, message)
        return message

    async def typing(self, conversation_id: str, agent: Agent, active: bool) -> None:
        conversation = await self._held_by(conversation_id, agent)
        await self._outbox.customer(conversation, "typing", {"sender": "agent", "active": active})

    async def transfer(self, conversation_id: str, agent: Agent, target_id: int) -> Conversation:
        conversation = await self._held_by(conversation_id, agent)
        target = await self._store.agents.get(target_id)
        if target is None:
            raise AssignmentError(404, "not_found", f"no agent {target_id}")
        if target.id == agent.id:
            raise AssignmentError(400, "bad_request", "you already hold this conversation")
        conversation = await self._store.conversations.update(
            conversation.id, assigned_agent_id=target.id, routed_agent_id=target.id
        )
        await self._joined(conversation, target)
        await self._outbox.consoles({"type": "routed", "conversation_id": conversation.id}, target.id)
        await self._updated(conversation)
        return conversation

    async def resolve(self, conversation_id: str, agent: Agent) -> Conversation:
        """Back to the bot; the customer is asked to rate the agent."""
        conversation = await self._held_by(conversation_id, agent)
        conversation = await self._store.conversations.update(
            conversation.id,
            state=BOT,
            assigned_agent_id=None,
            routed_agent_id=None,
            queued_at=None,
            handoff_reason=None,
        )
        await self._outbox.system(conversation, "agent_left", agent=agent.name)
        await self._outbox.customer(conversation, "agent_left")
        await self._csat.request(conversation, agent.id)
        await self._updated(conversation)
        return conversation
