"""Customer satisfaction: ask after an agent resolves or after a bot-only goodbye, store, report."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Optional

from bot.gateway.models import Conversation
from bot.gateway.outbox import Outbox

BOT_KEY = "bot"  # the report's row for conversations no agent took part in


class CsatNotPending(ValueError):
    """The customer answered a rating nobody asked for (or answered twice)."""


class CsatService:
    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox
        self._store = outbox.store

    async def request(
        self, conversation: Conversation, agent_id: Optional[int], *, in_turn: bool = False
    ) -> None:
        """Asks for a 1-5 rating about `agent_id`'s work (None: the bot's)."""
        conversation = await self._store.conversations.update(
            conversation.id, csat_pending_agent_id=agent_id if agent_id is not None else 0
        )
        await self._outbox.customer(
            conversation,
            "csat_request",
            text=self._outbox.text(conversation, "csat_question"),
            in_turn=in_turn,
        )

    async def answer(self, conversation: Conversation, rating: int, comment: Optional[str]) -> None:
        if conversation.csat_pending_agent_id is None:
            raise CsatNotPending(conversation.id)
        agent_id = conversation.csat_pending_agent_id or None
        await self._store.records.add_csat(
            conversation.id, agent_id, conversation.ui_language, rating, comment or None
        )
        conversation = await self._store.conversations.update(conversation.id, csat_pending_agent_id=None)
        await self._outbox.customer(
            conversation, "csat_thanks", text=self._outbox.text(conversation, "csat_thanks")
        )

    async def report(self) -> dict[str, Any]:
        """Counts, averages and 1-5 distributions per agent, per language and overall."""
        by_agent: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        by_language: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        overall: dict[int, int] = defaultdict(int)
        for row in await self._store.records.csat_counts():
            by_agent[row["agent"] or BOT_KEY][row["rating"]] += row["count"]
            by_language[row["language"] or "und"][row["rating"]] += row["count"]
            overall[row["rating"]] += row["count"]
        return {
            "by_agent": [_row(key, counts) for key, counts in sorted(by_agent.items())],
            "by_language": [_row(key, counts) for key, counts in sorted(by_language.items())],
            "overall": _row("overall", overall),
        }


def _row(key: str, counts: dict[int, int]) -> dict[str, Any]:
    total = sum(counts.values())
    average = sum(rating * count for rating, count in counts.items()) / total if total else None
    return {
        "key": key,
        "count": total,
        "average": round(average, 2) if average is not None else None,
        "distribution": {str(rating): counts.get(rating, 0) for rating in range(1, 6)},
    }
