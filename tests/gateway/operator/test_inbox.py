"""The inbox groups misunderstood messages; annotating writes the example into nlu_data/ and clears the row."""

from __future__ import annotations

from tests.gateway.helpers import services
from tests.gateway.operator.conftest import login_operator


async def _customer_message(client, conversation_id: str, text: str, intent: str, confidence: float,
                            language: str = "fi", language_confidence: float = 0.95, **conversation) -> int:
    store = services(client).store.conversations
    if await store.get(conversation_id) is None:
        await store.create(conversation_id, "widget", None)
        if conversation:
            await store.update(conversation_id, **conversation)
    parse = {"intent": {"name": intent, "confidence": confidence},
             "language": {"code": language, "confidence": language_confidence}}
    message = await store.add_message(conversation_id, "customer", text, parse=parse, language=language,
                                      intent=intent, confidence=confidence, status="answered")
    return message.id


async def test_near_duplicates_form_one_row_sorted_by_frequency(client) -> None:
    headers = await login_operator(client)
    await _customer_message(client, "c1", "Missä mun paketti???", "nlu_fallback", 0.3)
    await _customer_message(client, "c2", "missa mun paketti", "nlu_fallback", 0.2)
    await _customer_message(client, "c3", "MISSÄ MUN PAKETTI", "info_request", 0.41)
    await _customer_message(client, "c4", "laskutusosoite vaihtoon", "service_request", 0.45)
    await _customer_message(client, "c5", "hei", "greet", 0.99)  # understood: not in the inbox
    await _customer_message(client, "c6", "hello there mate", "greet", 0.97, language="en",
                            language_confidence=0.4)  # uncertain language
    rows = (await (await client.get("/operator/api/inbox")).json())["rows"]
    assert [row["count"] for row in rows] == [3, 1, 1]
    top = rows[0]
    assert top["text"] == "MISSÄ MUN PAKETTI" and top["language"] == "fi"
    assert top["reasons"] == ["fallback", "low_confidence"] and set(top["conversation_ids"]) == {"c1", "c2", "c3"}
    assert {row["text"]: row["reasons"] for row in rows[1:]} == {
        "laskutusosoite vaihtoon": ["low_confidence"], "hello there mate": ["language_uncertain"]}
    finnish = (await (await client.get("/operator/api/inbox?language=en")).json())["rows"]
    assert [row["text"] for row in finnish] == ["hello there mate"]
    transcript = await (await client.get("/operator/api/conversations/c1")).json()
    assert transcript["messages"][0]["intent"] == "nlu_fallback"
    assert headers


async def test_assigning_writes_the_example_and_clears_the_row(client, settings) -> None:
    headers = await login_operator(client)
    message_id = await _customer_message(client, "c1", "Missä mun paketti???", "nlu_fallback", 0.3)
    await _customer_message(client, "c2", "missa mun paketti", "nlu_fallback", 0.2)
    answer = await client.post("/operator/api/annotations", headers=headers, json={
        "text": "Missä mun paketti???", "action": "assign", "language": "fi", "intent": "faq/order_status",
        "message_id": message_id, "predicted_intent": "nlu_fallback"})
    assert answer.status == 200, await answer.text()
    result = await answer.json()
    assert result["file"] == "nlu_data/fi/faq.yml" and result["added"] == ["Missä mun paketti???"]
    assert "    - Missä mun paketti???\n" in (settings.project_root / "nlu_data/fi/faq.yml").read_text("utf-8")
    assert (await (await client.get("/operator/api/inbox")).json())["rows"] == []
    annotations = (await (await client.get("/operator/api/annotations")).json())["annotations"]
    assert annotations[0]["operator_name"] == "olli" and annotations[0]["intent"] == "faq/order_status"
    changes = (await (await client.get("/operator/api/changes")).json())["changes"]
    assert changes[0]["who"] == "olli" and changes[0]["file"] == "nlu_data/fi/faq.yml"


async def test_new_intent_and_dismiss(client, settings) -> None:
    headers = await login_operator(client)
    await _customer_message(client, "c1", "lahjakortin saldo", "nlu_fallback", 0.3)
    await _customer_message(client, "c2", "asdfgh", "nlu_fallback", 0.1)
    created = await client.post("/operator/api/annotations", headers=headers, json={
        "text": "lahjakortin saldo", "action": "new_intent", "language": "fi", "intent": "gift_card",
        "examples": ["paljonko lahjakortilla on rahaa"]})
    assert created.status == 200, await created.text()
    assert "  - gift_card\n" in (settings.project_root / "domain/core.yml").read_text("utf-8")
    intents = (await (await client.get("/operator/api/intents")).json())["intents"]
    assert "gift_card" in intents and "faq/order_status" in intents
    dismissed = await client.post("/operator/api/annotations", headers=headers,
                                  json={"text": "asdfgh", "action": "dismiss"})
    assert dismissed.status == 200
    assert (await (await client.get("/operator/api/inbox")).json())["rows"] == []
    bad = await client.post("/operator/api/annotations", headers=headers, json={
        "text": "x", "action": "assign", "language": "fi", "intent": "no_such_intent"})
    assert bad.status == 400 and "unknown intent" in (await bad.json())["message"]
