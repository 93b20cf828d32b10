"""`Store`: the gateway's one handle on its database, opened and closed with the app."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.gateway.store.agents import AgentStore
from bot.gateway.store.channels import ChannelStore
from bot.gateway.store.conversations import ConversationStore
from bot.gateway.store.engine import create_engine
from bot.gateway.store.migrations import upgrade
from bot.gateway.store.records import RecordStore
from bot.settings import Settings


@dataclass(frozen=True)
class Store:
    engine: AsyncEngine
    conversations: ConversationStore
    agents: AgentStore
    records: RecordStore
    channels: ChannelStore

    @classmethod
    def from_engine(cls, engine: AsyncEngine) -> Store:
        return cls(
            engine, ConversationStore(engine), AgentStore(engine), RecordStore(engine), ChannelStore(engine)
        )


async def open_store(settings: Settings) -> Store:
    """Connects and migrates: a gateway never serves on an old schema."""
    engine = create_engine(settings)
    await upgrade(engine)
    return Store.from_engine(engine)
