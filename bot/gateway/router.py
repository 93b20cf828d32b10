"""Every customer message: stored first, then routed — to Rasa while the bot handles the conversation,
to the agent queue or the assigned agent after a handoff.

Turns of one conversation run one after another (a lock per conversation) so Rasa sees them in order;
the channel's read loop never waits for Rasa. A widget turn reads its conversation once, with the
message's insert (`receive`), and again only if another turn of it ended in between (a handoff, a new
language). If Rasa fails, the message stays `pending`, the customer
is told in their language, the conversation joins the queue, and `resume_bot()` replays it once Rasa
is back.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Optional

from bot.gateway.csat import CsatService
from bot.gateway.handoff import HandoffRequest, HandoffService
from bot.gateway.locales import base_language
from bot.gateway.models import BOT, QUEUED, Button, Conversation, InboundMessage, Message
from bot.gateway.outbox import Outbox
from bot.gateway.queue import Queue
from bot.gateway.rasa_client import BotUnavailable, RasaClient, understood

logger = logging.getLogger(__name__)

GOODBYE_INTENT = "goodbye"
LANGUAGE_PRIOR = 0.6  # weight of the browser's language before Rasa has seen any text


@dataclass(frozen=True)
class Received:
    """A stored customer message with the conversation as read in the same transaction."""

    conversation: Conversation
    message: Message
    turns_before: int  # the conversation's finished turns then: if more finished since, it is re-read


@dataclass
class _Turns:
    """One conversation's turns in this process: one at a time, counted so a conversation read before
    another turn ran is known to be stale. Kept while a message of it is stored or on its way."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0
    finished: int = 0


class Router:
    def __init__(
        self,
        outbox: Outbox,
        rasa: RasaClient,
        handoff: HandoffService,
        queue: Queue,
        csat: CsatService,
        languages: tuple[str, ...],
    ) -> None:
        self._outbox = outbox
        self._store = outbox.store
        self._rasa = rasa
        self._handoff = handoff
        self._queue = queue
        self._csat = csat
        self._languages = languages
        self._turns: dict[str, _Turns] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def store_inbound(self, conversation: Conversation, inbound: InboundMessage) -> Message:
        """Writes the customer's message before anything else; consoles see it at once."""
        message = await self._store.conversations.add_message(
            conversation.id,
            "customer",
            inbound.text,
            payload=inbound.payload,
            status=self._inbound_status(conversation),
        )
        await self._outbox.message(conversation, message)
        return message

    async def receive(self, conversation_id: str, inbound: InboundMessage) -> Received:
        """`store_inbound` for a conversation known by id: it is read in the message's transaction and that
        read serves the turn, unless another turn ran in between. Once it returns, the caller must
        `schedule(..., received=...)`, even if it fails itself (LookupError: no such conversation)."""
        turns = self._turns.setdefault(conversation_id, _Turns())
        turns.waiting += 1
        try:
            before = turns.finished
            conversation, message = await self._store.conversations.add_customer_message(
                conversation_id, inbound.text, inbound.payload, self._inbound_status
            )
            await self._outbox.message(conversation, message)
        except BaseException:
            self._done_with(conversation_id, turns)
            raise
        return Received(conversation, message, before)

    def schedule(
        self,
        conversation_id: str,
        message: Message,
        client_id: Optional[str],
        received: Optional[Received] = None,
    ) -> None:
        """Routes `message` in the background; the turn ends with a `turn_end` event for `client_id`."""
        if received is None:
            self._turns.setdefault(conversation_id, _Turns()).waiting += 1
        task = asyncio.create_task(self._route(conversation_id, message, client_id, received))
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    async def drain(self) -> None:
        """Waits for the turns in flight (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("routing a customer message failed", exc_info=task.exception())

    async def _route(
        self, conversation_id: str, message: Message, client_id: Optional[str], received: Optional[Received]
    ) -> None:
        turns = self._turns[conversation_id]
        try:
            async with turns.lock:
                try:
                    await self._turn(conversation_id, message, client_id, received, turns.finished)
                finally:
                    turns.finished += 1
        finally:
            self._done_with(conversation_id, turns)

    def _done_with(self, conversation_id: str, turns: _Turns) -> None:
        turns.waiting -= 1
        if not turns.waiting and self._turns.get(conversation_id) is turns:
            del self._turns[conversation_id]

    async def _turn(
        self,
        conversation_id: str,
        message: Message,
        client_id: Optional[str],
        received: Optional[Received],
        finished: int,
    ) -> None:
        if received is not None and received.turns_before == finished:  # no turn ran since it was read
            conversation: Optional[Conversation] = received.conversation
        else:
            conversation = await self._store.conversations.get(conversation_id)
        if conversation is None:
            logger.error("message %s belongs to unknown conversation %s", message.id, conversation_id)
            return
        if conversation.state == BOT:
            await self._bot_turn(conversation, message)
        elif message.status == "received":  # the handoff happened while the message was on its way
            await self._store.conversations.annotate_message(message.id, status=self._waiting_status(conversation))
        if client_id is not None:
            await self._outbox.customer(conversation, "turn_end", {"client_id": client_id})

    @classmethod
    def _inbound_status(cls, conversation: Conversation) -> str:
        return "received" if conversation.state == BOT else cls._waiting_status(conversation)

    @staticmethod
    def _waiting_status(conversation: Conversation) -> str:
        # messages the bot never saw because it was down are replayed to it when it is back
        return (
            "pending" if conversation.handoff_reason == "bot_unavailable" and conversation.state == QUEUED else "routed"
        )

    def _metadata(self, conversation: Conversation) -> dict[str, Any]:
        hint = base_language(conversation.language_hint)
        return {
            "channel": conversation.channel,
            "language_prior": {hint: LANGUAGE_PRIOR} if hint in self._languages else {},
            "conversation_language": conversation.language,
        }

    async def _bot_turn(self, conversation: Conversation, message: Message) -> None:
        async with self._outbox.delivery.turn(conversation.id):
            await self._typing(conversation, True)
            try:
                reply = await self._rasa.send(
                    conversation.id, message.payload or message.text, self._metadata(conversation)
                )
            except BotUnavailable as error:
                logger.warning("conversation %s goes to the agent queue: %s", conversation.id, error)
                await self._store.conversations.annotate_message(message.id, status="pending")
                await self._typing(conversation, False)
                await self._outbox.system(conversation, "bot_unavailable", in_turn=True)
                await self._handoff.request(
                    HandoffRequest(conversation.id, "bot_unavailable", language=conversation.ui_language),
                    announce=True,
                )
                return
            language, intent, confidence = understood(reply.parse)
            conversation = await self._follow_language(conversation, reply.language or language)
            replies = [
                {
                    "conversation_id": conversation.id,
                    "sender": "bot",
                    "text": str(bot_message.get("text") or ""),
                    "buttons": _buttons(bot_message.get("buttons")),
                    "custom": bot_message.get("custom") if isinstance(bot_message.get("custom"), dict) else None,
                    "language": reply.language or language,
                    "intent": intent,
                    "confidence": confidence,
                }
                for bot_message in reply.messages
            ]
            understood_values = {
                "parse": reply.parse,
                "language": language,
                "intent": intent,
                "confidence": confidence,
                "status": "answered",
            }
            for stored in await self._store.conversations.record_bot_turn(message.id, understood_values, replies):
                await self._outbox.message(conversation, stored, in_turn=True)
            await self._typing(conversation, False)
            if intent == GOODBYE_INTENT:
                current = await self._store.conversations.get(conversation.id)
                if current and current.state == BOT and not current.had_agent:
                    await self._csat.request(current, None, in_turn=True)

    async def _typing(self, conversation: Conversation, active: bool) -> None:
        await self._outbox.customer(conversation, "typing", {"sender": "bot", "active": active}, in_turn=True)

    async def _follow_language(self, conversation: Conversation, language: Optional[str]) -> Conversation:
        if not language or language == conversation.language:
            return conversation
        conversation = await self._store.conversations.update(conversation.id, language=language)
        await self._outbox.customer(conversation, "language", {"language": language}, in_turn=True)
        return conversation

    async def resume_bot(self) -> int:
        """Rasa is back: conversations queued only because it was down return to the bot, and their
        unanswered messages are replayed in order. Returns how many conversations resumed."""
        resumed = 0
        for conversation in await self._store.conversations.queued():
            if conversation.handoff_reason != "bot_unavailable":
                continue
            conversation = await self._store.conversations.update(
                conversation.id, state=BOT, queued_at=None, routed_agent_id=None, handoff_reason=None
            )
            await self._outbox.system(conversation, "bot_back")
            for pending in await self._store.conversations.pending_customer_messages(conversation.id):
                self.schedule(conversation.id, pending, None)
            resumed += 1
        if resumed:
            await self._queue.broadcast()
        return resumed

    async def watch_rasa(self, interval_seconds: float) -> None:
        """Background task: while conversations wait because Rasa was down, check whether it is back."""
        while True:
            await asyncio.sleep(interval_seconds)
            try:
                waiting = [c for c in await self._store.conversations.queued() if c.handoff_reason == "bot_unavailable"]
                if waiting and await self._rasa.healthy():
                    logger.info("Rasa is back; %d conversations resume", await self.resume_bot())
            except Exception:  # the watcher must outlive a database hiccup
                logger.exception("checking whether Rasa is back failed; retrying")


def _buttons(raw: Any) -> tuple[Button, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        Button(str(item.get("title", "")), str(item.get("payload", ""))) for item in raw if isinstance(item, dict)
    )
