"""Which agent gets a waiting conversation, and how long the customer will wait. Pure functions."""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Iterable, Optional

from bot.gateway.models import Agent

_NEVER = datetime.min.replace(tzinfo=timezone.utc)


def choose_agent(language: Optional[str], agents: Iterable[Agent], online: set[int]) -> Optional[Agent]:
    """An online agent who speaks `language`, else any online agent; among equals the one who was
    routed a conversation least recently (round-robin). None when nobody is online."""
    available = [agent for agent in agents if agent.id in online]
    speakers = [agent for agent in available if language and language in agent.languages]
    pool = speakers or available
    if not pool:
        return None
    return min(pool, key=lambda agent: (agent.last_routed_at or _NEVER, agent.id))


def expected_wait_minutes(position: int, online_agents: int, minutes_per_handoff: float) -> int:
    """Queue position times the average handling time, shared among the online agents; at least 1."""
    return max(1, math.ceil(position * minutes_per_handoff / max(1, online_agents)))
