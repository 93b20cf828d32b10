"""The store on SQLite and on a real PostgreSQL (marked `postgres`)."""

from __future__ import annotations

import dataclasses
import uuid

import pytest
import sqlalchemy as sa

from bot.gateway.models import Button
from bot.gateway.store import schema
from bot.gateway.store.engine import async_database_url
from bot.gateway.store.migrations import MIGRATIONS, upgrade
from bot.gateway.store.store import Store, open_store
from bot.settings import Settings
from tests.gateway.helpers import postgres_url

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgres",
        id="postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not postgres_url(),
                reason="POLYDESK_TEST_DATABASE_URL is not set "
                "(run scripts/services.sh up and export the DATABASE_URL it prints)",
            ),
        ],
    ),
]


@pytest.fixture(params=BACKENDS)
async def store(request, tmp_path) -> Store:
    if request.param == "sqlite":
        settings = Settings(var_dir=tmp_path)
    else:
        settings = Settings(var_dir=tmp_path, database_url=postgres_url())
        from bot.gateway.store.engine import create_engine

        engine = create_engine(settings)
        async with engine.begin() as connection:  # a clean database for every test
            await connection.run_sync(schema.metadata.drop_all)
        await engine.dispose()
    opened = await open_store(settings)
    yield opened
    await opened.engine.dispose()


def test_database_url_mapping(tmp_path) -> None:
    assert async_database_url(Settings(var_dir=tmp_path)) == f"sqlite+aiosqlite:///{tmp_path}/polydesk.db"
    pg = Settings(database_url="postgresql://polydesk:pw@127.0.0.1:54329/polydesk")
    assert async_database_url(pg) == "postgresql+asyncpg://polydesk:pw@127.0.0.1:54329/polydesk"


async def test_migrations_build_exactly_the_declared_schema_and_are_idempotent(store: Store) -> None:
    assert await upgrade(store.engine) == MIGRATIONS[-1][0]

    def columns(connection):
        inspector = sa.inspect(connection)
        return {t: {c["name"] for c in inspector.get_columns(t)} for t in inspector.get_table_names()}

    async with store.engine.connect() as connection:
        found = await connection.run_sync(columns)
    declared = {table.name: {c.name for c in table.columns} for table in schema.metadata.sorted_tables}
    assert {name: found.get(name) for name in declared} == declared


async def test_transcript_roundtrip_with_parse_data(store: Store) -> None:
    cid = uuid.uuid4().hex
    conversation = await store.conversations.create(cid, "widget", "hu")
    assert conversation.state == "bot" and conversation.created_at.tzinfo is not None
    customer = await store.conversations.add_message(cid, "customer", "Számlám rossz", status="received")
    await store.conversations.annotate_message(
        customer.id,
        parse={"intent": {"name": "complaint"}},
        language="hu",
        intent="complaint",
        confidence=0.91,
        status="answered",
    )
    await store.conversations.add_message(cid, "bot", "Sajnálom", buttons=(Button("Igen", "/affirm"),))
    transcript = await store.conversations.transcript(cid)
    assert [(m.sender, m.intent, m.status) for m in transcript] == [
        ("customer", "complaint", "answered"),
        ("bot", None, None),
    ]
    assert transcript[1].buttons == (Button("Igen", "/affirm"),)
    assert transcript[0].confidence == pytest.approx(0.91)


async def test_written_messages_are_what_reading_them_gives(store: Store) -> None:
    """The store returns inserted messages without reading them back: they must equal a read."""
    anna = await store.agents.add("anna", ("hu",), "x")
    cid = uuid.uuid4().hex
    await store.conversations.create(cid, "widget", "hu")

    def bot_status(conversation):
        assert conversation.id == cid and conversation.state == "bot"
        return "received"

    conversation, customer = await store.conversations.add_customer_message(cid, "Szia", "/greet", bot_status)
    assert (conversation.id, customer.status, customer.payload) == (cid, "received", "/greet")
    replies = [
        {
            "conversation_id": cid,
            "sender": "bot",
            "text": "Szia!",
            "buttons": (Button("Igen", "/affirm"),),
            "custom": {"card": {"items": [1, 2]}},
            "language": "hu",
            "intent": "greet",
            "confidence": 0.9312345,
        },
        {
            "conversation_id": cid,
            "sender": "bot",
            "text": "Miben segíthetek?",
            "buttons": (),
            "custom": None,
            "language": "hu",
            "intent": "greet",
            "confidence": None,
        },
    ]
    understood = {"parse": {"intent": {"name": "greet"}}, "intent": "greet", "status": "answered"}
    written = [customer, *await store.conversations.record_bot_turn(customer.id, understood, replies)]
    written.append(await store.conversations.add_message(cid, "agent", "Itt Anna", agent_id=anna.id))
    written.append(await store.conversations.add_message(cid, "system", "Sorban áll"))
    read = await store.conversations.transcript(cid)
    assert written[0] == dataclasses.replace(read[0], intent=None, status="received")  # annotated since
    assert written[1:] == read[1:]
    assert written[3].agent_name == "anna"
    with pytest.raises(LookupError):
        await store.conversations.add_customer_message(uuid.uuid4().hex, "?", None, bot_status)


async def test_claim_is_atomic(store: Store) -> None:
    from bot.gateway.store.engine import utcnow

    anna = await store.agents.add("anna", ("hu",), "x")
    bela = await store.agents.add("bela", ("hu",), "x")
    cid = uuid.uuid4().hex
    await store.conversations.create(cid, "widget", None)
    await store.conversations.update(cid, state="queued", queued_at=utcnow())
    assert await store.conversations.claim(cid, anna.id)
    assert not await store.conversations.claim(cid, bela.id)
    assert (await store.conversations.get(cid)).assigned_agent_id == anna.id


async def test_tickets_notes_and_csat(store: Store) -> None:
    anna = await store.agents.add("anna", ("hu", "en"), "x")
    cid = uuid.uuid4().hex
    await store.conversations.create(cid, "widget", "hu")
    first = await store.records.open_ticket(cid, "hu", "no_agents")
    assert (await store.records.open_ticket(cid, "hu", "closed")).id == first.id  # one open per conversation
    filled = await store.records.fill_ticket(cid, "eva@example.hu", "hívjanak")
    assert (filled.email, filled.status) == ("eva@example.hu", "open")
    assert (await store.records.close_ticket(first.id)).status == "closed"
    note = await store.records.add_note(cid, anna.id, "VIP")
    assert note.agent_name == "anna"
    await store.records.add_csat(cid, anna.id, "hu", 4, None)
    await store.records.add_csat(cid, None, "hu", 2, "lassú")
    rows = sorted((r["agent"] or "", r["rating"], r["count"]) for r in await store.records.csat_counts())
    assert rows == [("", 2, 1), ("anna", 4, 1)]


async def test_sqlite_statements_take_one_call_to_the_database_thread(tmp_path, monkeypatch) -> None:
    """aiosqlite runs each call on its own thread (a round trip through the event loop): a statement is
    one call, plus one to fetch rows when it returns some (SQLAlchemy's adapter makes three or four)."""
    import aiosqlite

    store = await open_store(Settings(var_dir=tmp_path))
    cid = uuid.uuid4().hex
    await store.conversations.create(cid, "widget", "fi")
    calls: list[str] = []
    for cls, name in (
        (aiosqlite.Connection, "execute"),
        (aiosqlite.Connection, "cursor"),
        (aiosqlite.Cursor, "fetchall"),
        (aiosqlite.Cursor, "close"),
        (aiosqlite.Cursor, "execute"),
    ):
        original = getattr(cls, name)

        def counted(*args, __original=original, __name=f"{cls.__name__}.{name}", **kwargs):
            calls.append(__name)
            return __original(*args, **kwargs)

        monkeypatch.setattr(cls, name, counted)
    conversation, message = await store.conversations.add_customer_message(cid, "Hei", None, lambda c: "received")
    assert sorted(calls) == ["Connection.execute", "Connection.execute", "Cursor.fetchall"]  # SELECT, INSERT
    assert (conversation.id, message.text) == (cid, "Hei")
    await store.engine.dispose()
