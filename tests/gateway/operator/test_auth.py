"""The operator console is refused to anonymous users and to agents; operators need the CSRF header."""

from __future__ import annotations

from tests.gateway.helpers import add_agent, login
from tests.gateway.operator.conftest import login_operator

API_GETS = ["/operator/api/session", "/operator/api/inbox", "/operator/api/intents", "/operator/api/models",
            "/operator/api/retrain", "/operator/api/analytics", "/operator/api/content/responses",
            "/operator/api/content/faq", "/operator/api/changes", "/operator/api/annotations"]
API_POSTS = ["/operator/api/annotations", "/operator/api/retrain", "/operator/api/models/rollback",
             "/operator/api/models/x.tar.gz/deploy", "/operator/api/content/examples"]


async def test_anonymous_users_are_refused(client) -> None:
    for path in API_GETS:
        response = await client.get(path)
        assert response.status == 401, path
        assert (await response.json())["error"] == "unauthenticated"
    for path in API_POSTS:
        assert (await client.post(path, json={})).status == 401, path
    page = await client.get("/operator/")
    assert page.status == 200 and "operator" in (await page.text()).lower()  # the login form only


async def test_agents_are_refused(client) -> None:
    await add_agent(client, "anna", ("fi",))
    csrf = await login(client, "anna")
    for path in API_GETS:
        response = await client.get(path)
        assert response.status == 403, path
        assert (await response.json())["error"] == "forbidden"
    for path in API_POSTS:
        assert (await client.post(path, json={}, headers={"X-CSRF-Token": csrf})).status == 403, path
    assert (await client.get("/operator/")).status == 403
    assert (await client.get("/api/queue")).status == 200  # still an agent


async def test_operators_get_in_and_need_the_csrf_header(client) -> None:
    headers = await login_operator(client)
    session = await (await client.get("/operator/api/session")).json()
    assert session["operator"]["name"] == "olli" and session["csrf_token"] == headers["X-CSRF-Token"]
    assert (await client.get("/operator", allow_redirects=False)).status == 302
    assert (await client.get("/operator/")).status == 200
    assert (await client.get("/operator/static/operator.js")).status == 200
    assert (await client.get("/operator/static/..%2Fapp.py")).status == 404
    refused = await client.post("/operator/api/models/rollback")
    assert refused.status == 403 and (await refused.json())["error"] == "csrf"


async def test_nlg_endpoint_needs_the_internal_token(client) -> None:
    body = {"response": "utter_thank", "tracker": {"slots": {"language": "fi"}}}
    assert (await client.post("/operator/nlg", json=body)).status == 401
    assert (await client.post("/operator/nlg?token=wrong", json=body)).status == 401
    answer = await client.post("/operator/nlg?token=polydesk-dev-internal-token", json=body)
    assert answer.status == 200 and (await answer.json())["text"] in (
        "Ole hyvä! Autan mielelläni.", "Eipä kestä! Kiva, että pystyin auttamaan.")
