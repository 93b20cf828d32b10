"""The handoff history: every handoff is kept with its reason, so the analytics' reasons stay true after an
agent resolves the conversation (which clears the conversation's own handoff fields); migration 4 starts
the history from the conversations waiting at upgrade time."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from bot.gateway.store import schema
from bot.gateway.store.engine import create_engine, utcnow
from bot.gateway.store.migrations import MIGRATIONS, upgrade
from bot.settings import Settings
from tests.gateway.fake_rasa import FakeRasa
from tests.gateway.helpers import add_agent, login, open_widget, services
from tests.gateway.operator.conftest import login_operator

INTERNAL = {"Authorization": "Bearer polydesk-dev-internal-token"}


async def test_resolved_handoffs_keep_their_reasons_in_the_analytics(client, rasa: FakeRasa) -> None:
    await login_operator(client)
    await add_agent(client, "anna", ("hu", "en"))
    agent = {"X-CSRF-Token": await login(client, "anna")}
    console = await client.ws_connect("/api/console/ws")  # anna is online: handoffs queue
    assert (await console.receive_json())["type"] == "queue"
    asked, _ = await open_widget(client)
    await asked.say("ember kell")  # the fake Rasa hands off with reason request_human
    fallback, _ = await open_widget(client)
    await fallback.say("mi?")
    response = await client.post("/internal/handoffs", headers=INTERNAL, json={
        "conversation_id": fallback.conversation_id, "language": "hu", "intent": "nlu_fallback",
        "reason": "fallback", "summary": "not understood"})
    assert response.status == 200, await response.text()
    for widget in (asked, fallback):
        for action in ("claim", "resolve"):
            done = await client.post(f"/api/conversations/{widget.conversation_id}/{action}", headers=agent)
            assert done.status == 200, await done.text()
    store = services(client).store
    assert (await store.conversations.get(asked.conversation_id)).handoff_reason is None  # forgotten here
    history = await store.records.handoffs(asked.conversation_id)
    assert [(h.reason, h.outcome, h.language) for h in history] == [("request_human", "queued", "hu")]

    await login(client, "olli")  # the operator again (the agent logged in since)
    report = await (await client.get("/operator/api/analytics")).json()
    assert report["handoff_reasons"] == {"request_human": 1, "fallback": 1}  # not "resolved"
    assert report["handoff_outcomes"] == {"queued": 2}
    assert report["handoff_rate"] == 1.0
    await console.close()


async def test_asking_again_while_nobody_is_there_is_one_handoff(client, rasa: FakeRasa) -> None:
    widget, _ = await open_widget(client)
    await widget.say("ember kell", client_id="a")
    await widget.say("ember!!", client_id="b")  # the ticket is still open: the same handoff
    history = await services(client).store.records.handoffs(widget.conversation_id)
    assert [(h.reason, h.outcome) for h in history] == [("request_human", "no_agents")]


async def test_migration_4_starts_the_history_from_waiting_conversations(tmp_path: Path) -> None:
    engine = create_engine(Settings(var_dir=tmp_path, environment="test"))
    assert await upgrade(engine) == MIGRATIONS[-1][0]
    now = utcnow()
    async with engine.begin() as connection:  # a database as version 3 left it: no history rows
        await connection.execute(schema.schema_version.delete().where(schema.schema_version.c.version == 4))
        for cid, reason in (("waiting", "urgent_complaint"), ("with_bot", None)):
            await connection.execute(schema.conversations.insert().values(
                id=cid, channel="widget", state="queued" if reason else "bot", handoff_reason=reason,
                language="fi", complaint_topic="damaged" if reason else None, had_agent=False,
                queued_at=now if reason else None, created_at=now, updated_at=now))
    assert await upgrade(engine) == 4
    async with engine.connect() as connection:
        rows = list(await connection.execute(sa.select(schema.handoffs)))
    assert [(r.conversation_id, r.reason, r.outcome, r.complaint_topic) for r in rows] == [
        ("waiting", "urgent_complaint", "queued", "damaged")]
    await engine.dispose()
