"""Migration 3 adds the role column to a database made before it, and keeps existing agents as agents."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from bot.gateway.operator.store import OperatorStore
from bot.gateway.store import schema
from bot.gateway.store.engine import create_engine, utcnow
from bot.gateway.store.migrations import MIGRATIONS, upgrade
from bot.settings import Settings


async def test_version_2_database_gets_roles_and_annotations(tmp_path: Path) -> None:
    engine = create_engine(Settings(var_dir=tmp_path, environment="test"))
    old_agents = sa.Table("agents", sa.MetaData(), *[c.copy() for c in schema.agents.columns if c.name != "role"])
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: old_agents.create(sync))
        await connection.run_sync(lambda sync: schema.schema_version.create(sync))
        await connection.execute(schema.schema_version.insert().values(version=2, applied_at=utcnow()))
        await connection.execute(old_agents.insert().values(name="anna", languages="fi", password_hash="x",
                                                            created_at=utcnow()))
    assert await upgrade(engine) == MIGRATIONS[-1][0]
    store = OperatorStore(engine)
    assert await store.role(1) == "agent"
    assert await store.set_role("anna", "operator") and await store.operators() == ["anna"]
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: sa.inspect(sync).get_table_names())
    assert "annotations" in tables
    await engine.dispose()
