"""The analytics page's numbers, from the gateway's own tables, for a date range and optionally a language.

Containment: conversations that never reached a person (no agent, no queue, no ticket). Handoff reasons
and outcomes come from the handoff history (every handoff of a handed-off conversation counts, resolved
ones too); a conversation handed off before the history existed (migration 4) falls back to its current
reason, its ticket, or `resolved`. First response: from the bot's last message before the first agent
message to that agent message.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.gateway.operator.inbox import FALLBACK_INTENT
from bot.gateway.store.schema import conversations, csat, handoffs, messages, tickets


def _day(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).date().isoformat()


def _faq_topic(parse: Optional[str]) -> Optional[str]:
    try:
        data = json.loads(parse) if parse else {}
        return data["response_selector"]["faq"]["response"]["intent_response_key"]
    except (ValueError, KeyError, TypeError):
        return None


async def analytics(engine: AsyncEngine, start: date, end: date, language: Optional[str] = None) -> dict[str, Any]:
    """Everything the page draws, for conversations started from `start` to `end` (inclusive, UTC)."""
    since = datetime.combine(start, time.min, tzinfo=timezone.utc)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=timezone.utc)
    conversation_query = conversations.select().where(
        conversations.c.created_at >= since, conversations.c.created_at < until
    )
    if language:
        conversation_query = conversation_query.where(conversations.c.language == language)
    async with engine.connect() as connection:
        found = list(await connection.execute(conversation_query))
        ids = [row.id for row in found]
        ticketed = {
            row.conversation_id: row.reason
            for row in await connection.execute(
                sa.select(tickets.c.conversation_id, tickets.c.reason).where(tickets.c.created_at >= since)
            )
        }
        history: dict[str, list[Any]] = defaultdict(list)
        for handoff in await connection.execute(
            sa.select(handoffs.c.conversation_id, handoffs.c.reason, handoffs.c.outcome)
            .where(handoffs.c.created_at >= since)
            .order_by(handoffs.c.id)
        ):
            history[handoff.conversation_id].append(handoff)
        message_rows = list(
            await connection.execute(
                sa.select(
                    messages.c.conversation_id, messages.c.sender, messages.c.intent, messages.c.parse,
                    messages.c.created_at,
                )
                .where(messages.c.created_at >= since, messages.c.created_at < until)
                .order_by(messages.c.id)
            )
        )
        csat_query = sa.select(csat.c.rating, csat.c.language, csat.c.created_at).where(
            csat.c.created_at >= since, csat.c.created_at < until
        )
        if language:
            csat_query = csat_query.where(csat.c.language == language)
        ratings = list(await connection.execute(csat_query))
    wanted = set(ids)
    per_day: dict[str, Counter[str]] = defaultdict(Counter)
    per_channel: dict[str, Counter[str]] = defaultdict(Counter)
    reasons: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    contained = handed_off = 0
    for row in found:
        day = _day(row.created_at)
        per_day[day][row.language or "und"] += 1
        per_channel[day][row.channel] += 1
        reason = row.handoff_reason or ticketed.get(row.id) or ("resolved" if row.had_agent else None)
        if reason is None and row.queued_at is None:
            contained += 1
        else:
            handed_off += 1
            for handoff in history.get(row.id, ()):
                reasons[handoff.reason] += 1
                outcomes[handoff.outcome] += 1
            if row.id not in history:
                reasons[reason or "other"] += 1
    intents: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    understood = fallbacks = 0
    first_responses: list[float] = []
    last_bot: dict[str, datetime] = {}
    answered: set[str] = set()
    for message in message_rows:
        if message.conversation_id not in wanted:
            continue
        if message.sender == "customer" and message.intent:
            understood += 1
            if message.intent == FALLBACK_INTENT:
                fallbacks += 1
            else:
                intents[message.intent] += 1
            if message.intent == "faq":
                topic = _faq_topic(message.parse)
                if topic:
                    topics[topic] += 1
        elif message.sender == "bot":
            last_bot[message.conversation_id] = message.created_at
        elif message.sender == "agent" and message.conversation_id not in answered:
            answered.add(message.conversation_id)
            if message.conversation_id in last_bot:
                first_responses.append((message.created_at - last_bot[message.conversation_id]).total_seconds())
    total = len(found)
    by_day_ratings: dict[str, list[int]] = defaultdict(list)
    for rating in ratings:
        by_day_ratings[_day(rating.created_at)].append(rating.rating)
    days = [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]
    return {
        "range": {"from": start.isoformat(), "to": end.isoformat(), "language": language},
        "days": days,
        "conversations_by_language": {day: dict(per_day.get(day, {})) for day in days},
        "conversations_by_channel": {day: dict(per_channel.get(day, {})) for day in days},
        "conversations": total,
        "containment_rate": round(contained / total, 4) if total else None,
        "handoff_rate": round(handed_off / total, 4) if total else None,
        "handoff_reasons": dict(reasons.most_common()),
        "handoff_outcomes": dict(outcomes.most_common()),
        "fallback_rate": round(fallbacks / understood, 4) if understood else None,
        "top_intents": intents.most_common(10),
        "top_faq_topics": topics.most_common(10),
        "first_response_seconds": _summary(first_responses),
        "waiting_now_seconds": _summary(
            [(datetime.now(timezone.utc) - row.queued_at).total_seconds() for row in found
             if row.queued_at is not None and row.state == "queued"]
        ),
        "csat_by_day": {
            day: {"count": len(found_ratings), "average": round(sum(found_ratings) / len(found_ratings), 2)}
            for day in days
            if (found_ratings := by_day_ratings.get(day))
        },
    }


def _summary(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"count": 0, "median": None, "average": None}
    ordered = sorted(values)
    return {
        "count": len(ordered),
        "median": round(ordered[len(ordered) // 2], 1),
        "average": round(sum(ordered) / len(ordered), 1),
    }
