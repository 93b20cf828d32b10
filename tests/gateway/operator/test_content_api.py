"""Editing answers through the API: the file changes, the NLG endpoint serves the new text at once."""

from __future__ import annotations

import os

from tests.gateway.operator.conftest import login_operator

NLG = "/operator/nlg?token=polydesk-dev-internal-token"


async def test_an_answer_edit_is_live_without_retraining(client, settings) -> None:
    headers = await login_operator(client)
    edited = await client.put("/operator/api/content/responses", headers=headers, json={
        "language": "fi", "key": "utter_faq/opening_hours", "texts": ["Palvelemme ma-pe 9-17."]})
    assert edited.status == 200, await edited.text()
    path = settings.project_root / "nlu_data/fi/responses.yml"
    assert 'utter_faq/opening_hours:\n  - text: "Palvelemme ma-pe 9-17."' in path.read_text("utf-8")
    os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 5))  # coarse file-system clocks
    body = {"response": "utter_faq/opening_hours", "tracker": {"slots": {"language": "fi"}}}
    assert (await (await client.post(NLG, json=body)).json())["text"] == "Palvelemme ma-pe 9-17."
    body["tracker"]["slots"]["language"] = "en"
    assert "Monday" in (await (await client.post(NLG, json=body)).json())["text"]


async def test_tables_show_missing_translations(client) -> None:
    headers = await login_operator(client)
    added = await client.put("/operator/api/content/responses", headers=headers, json={
        "language": "en", "key": "utter_faq/gift_cards", "texts": ["Gift cards: in the shop."]})
    assert added.status == 200
    table = (await (await client.get("/operator/api/content/responses")).json())["responses"]
    row = next(r for r in table if r["key"] == "utter_faq/gift_cards")
    assert row["missing"] == ["fi"]
    faq = (await (await client.get("/operator/api/content/faq")).json())["topics"]
    topic = next(t for t in faq if t["topic"] == "faq/gift_cards")
    assert topic["missing_answers"] == ["fi"] and topic["missing_questions"] == ["fi", "en"]
    questions = await client.post("/operator/api/content/examples", headers=headers, json={
        "language": "en", "intent": "faq/gift_cards", "texts": ["do you have gift cards?"]})
    assert questions.status == 200 and (await questions.json())["added"] == ["do you have gift cards?"]
    examples = (await (await client.get("/operator/api/content/examples?language=en")).json())["examples"]
    assert examples["faq/gift_cards"] == ["do you have gift cards?"]
    empty = await client.put("/operator/api/content/responses", headers=headers, json={
        "language": "en", "key": "utter_thank", "texts": [" "]})
    assert empty.status == 400
