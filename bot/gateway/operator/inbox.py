"""The inbox: customer messages the bot probably misunderstood, near-duplicates grouped, most frequent first.

A message is in it when its intent was the fallback or under the confidence threshold, its language was
uncertain, or its conversation was handed to a person because the bot did not understand. Texts are
grouped by a normalised key (case, diacritics, punctuation, spacing, stretched letters ignored), so
"Missä paketti???" and "missa paketti" are one row with a count. An annotated or dismissed key leaves it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.gateway.store.engine import utcnow
from bot.gateway.store.schema import conversations, messages
from bot.text import text_key

FALLBACK_INTENT = "nlu_fallback"
# after a fallback handoff these say nothing about what was misunderstood
_NOT_MISUNDERSTOOD = {"affirm", "deny", "request_human", "greet", "thank", "goodbye"}
MAX_SCANNED = 20000


@dataclass
class InboxRow:
    key: str
    text: str  # the most recent spelling
    language: Optional[str]
    predicted_intent: Optional[str]
    confidence: Optional[float]
    language_confidence: Optional[float]
    reasons: set[str] = field(default_factory=set)
    count: int = 0
    message_ids: list[int] = field(default_factory=list)
    conversation_ids: list[str] = field(default_factory=list)
    last_seen: Optional[datetime] = None
    channels: set[str] = field(default_factory=set)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "text": self.text,
            "count": self.count,
            "language": self.language,
            "predicted_intent": self.predicted_intent,
            "confidence": self.confidence,
            "language_confidence": self.language_confidence,
            "reasons": sorted(self.reasons),
            "message_id": self.message_ids[0],
            "conversation_ids": self.conversation_ids[:20],
            "channels": sorted(self.channels),
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
        }


def _language_confidence(parse: Optional[str]) -> Optional[float]:
    try:
        data = json.loads(parse) if parse else {}
    except ValueError:
        return None
    language = data.get("language") if isinstance(data, dict) else None
    value = language.get("confidence") if isinstance(language, dict) else None
    return float(value) if isinstance(value, (int, float)) else None


async def inbox(
    engine: AsyncEngine,
    *,
    intent_threshold: float,
    language_threshold: float,
    reviewed: set[str],
    language: Optional[str] = None,
    days: int = 30,
    limit: int = 200,
) -> list[InboxRow]:
    """Rows sorted by count (then recency); `reviewed` keys (annotated or dismissed) are left out."""
    since = utcnow() - timedelta(days=days)
    query = (
        sa.select(
            messages.c.id,
            messages.c.conversation_id,
            messages.c.text,
            messages.c.parse,
            messages.c.language,
            messages.c.intent,
            messages.c.confidence,
            messages.c.created_at,
            conversations.c.channel,
            conversations.c.handoff_reason,
            conversations.c.queued_at,
        )
        .select_from(messages.join(conversations, messages.c.conversation_id == conversations.c.id))
        .where(messages.c.sender == "customer")
        .where(messages.c.intent.is_not(None))
        .where(messages.c.payload.is_(None))  # button clicks are not free text
        .where(messages.c.created_at >= since)
        .order_by(messages.c.id.desc())
        .limit(MAX_SCANNED)
    )
    if language:
        query = query.where(messages.c.language == language)
    groups: dict[str, InboxRow] = {}
    async with engine.connect() as connection:
        rows = list(await connection.execute(query))
    for row in rows:
        reasons = set()
        if row.intent == FALLBACK_INTENT:
            reasons.add("fallback")
        elif row.confidence is not None and row.confidence < intent_threshold:
            reasons.add("low_confidence")
        language_confidence = _language_confidence(row.parse)
        if language_confidence is not None and language_confidence < language_threshold:
            reasons.add("language_uncertain")
        if (
            row.handoff_reason == "fallback"
            and row.queued_at is not None
            and row.created_at <= row.queued_at
            and row.intent not in _NOT_MISUNDERSTOOD
        ):
            reasons.add("handoff")
        if not reasons:
            continue
        key = text_key(row.text)
        if not key or key in reviewed:
            continue
        group = groups.get(key)
        if group is None:  # rows come newest first: the first one names the group
            group = groups[key] = InboxRow(
                key, row.text, row.language, row.intent, row.confidence, language_confidence, last_seen=row.created_at
            )
        group.count += 1
        group.reasons |= reasons
        group.message_ids.append(row.id)
        group.channels.add(row.channel)
        if row.conversation_id not in group.conversation_ids:
            group.conversation_ids.append(row.conversation_id)
    ordered = sorted(groups.values(), key=lambda g: (-g.count, -(g.last_seen.timestamp() if g.last_seen else 0)))
    return ordered[:limit]
