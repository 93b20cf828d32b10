"""Analytics numbers from seeded conversations: containment, handoffs, fallbacks, intents, CSAT."""

from __future__ import annotations

from datetime import timedelta

from bot.gateway.store.engine import utcnow
from tests.gateway.helpers import add_agent, services
from tests.gateway.operator.conftest import login_operator


async def test_analytics_counts_and_filters(client) -> None:
    await login_operator(client)
    store = services(client).store
    agent_id = await add_agent(client, "anna", ("fi",))
    for cid, language in (("a", "fi"), ("b", "fi"), ("c", "en"), ("d", "fi")):
        await store.conversations.create(cid, "widget" if cid != "d" else "telegram", None)
        await store.conversations.update(cid, language=language)
    faq_parse = {"response_selector": {"faq": {"response": {"intent_response_key": "faq/opening_hours"}}}}
    await store.conversations.add_message("a", "customer", "aukioloajat?", intent="faq", confidence=0.9,
                                          parse=faq_parse, language="fi")
    await store.conversations.add_message("a", "bot", "ma-pe 8-20")
    await store.conversations.add_message("b", "customer", "blah", intent="nlu_fallback", confidence=0.2)
    await store.conversations.add_message("b", "bot", "en ymmärtänyt, yhdistän")
    await store.conversations.add_message("b", "agent", "Hei, Anna tässä", agent_id=agent_id)
    await store.conversations.update("b", had_agent=True)
    await store.conversations.add_message("c", "customer", "hi", intent="greet", confidence=0.99)
    await store.conversations.update("d", handoff_reason="request_human", state="queued", queued_at=utcnow())
    await store.records.add_csat("b", agent_id, "fi", 4, None)
    await store.records.add_csat("a", None, "fi", 5, None)
    report = await (await client.get("/operator/api/analytics")).json()
    today = utcnow().date().isoformat()
    assert report["conversations"] == 4 and len(report["days"]) == 30 and report["days"][-1] == today
    assert report["conversations_by_language"][today] == {"fi": 3, "en": 1}
    assert report["conversations_by_channel"][today] == {"widget": 3, "telegram": 1}
    assert report["containment_rate"] == 0.5 and report["handoff_rate"] == 0.5
    assert report["handoff_reasons"] == {"resolved": 1, "request_human": 1}
    assert report["fallback_rate"] == round(1 / 3, 4)
    assert report["top_intents"] == [["faq", 1], ["greet", 1]]
    assert report["top_faq_topics"] == [["faq/opening_hours", 1]]
    assert report["first_response_seconds"]["count"] == 1
    assert report["waiting_now_seconds"]["count"] == 1
    assert report["csat_by_day"][today] == {"count": 2, "average": 4.5}
    english = await (await client.get("/operator/api/analytics?language=en")).json()
    assert english["conversations"] == 1 and english["containment_rate"] == 1.0
    old = (utcnow() - timedelta(days=100)).date().isoformat()
    empty = await (await client.get(f"/operator/api/analytics?from={old}&to={old}")).json()
    assert empty["conversations"] == 0 and empty["containment_rate"] is None
    assert (await client.get("/operator/api/analytics?from=yesterday")).status == 400
