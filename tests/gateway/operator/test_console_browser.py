"""The operator console in headless Chromium: log in, review the inbox, assign a Finnish message, open the
content, models and analytics pages."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from bot.gateway.app import create_app
from bot.gateway.console.passwords import hash_password
from bot.gateway.operator.store import OperatorStore
from bot.gateway.services import SERVICES
from bot.settings import Settings
from tests.e2e.servers import ServerThread, free_port
from tests.operations.conftest import copy_project

pytestmark = pytest.mark.e2e
CHROMIUM = "/usr/bin/chromium"
SHOTS = Path("/tmp/polydesk-shots")
PASSWORD = "correct horse battery"


@pytest.fixture
def page(tmp_path: Path) -> Iterator[tuple[Any, Any, Settings]]:
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed")
    playwright_api = pytest.importorskip("playwright.sync_api")
    (tmp_path / "project").mkdir()
    port = free_port()
    settings = Settings(project_root=copy_project(tmp_path / "project", ("fi", "en")), environment="test",
                        var_dir=tmp_path / "var", models_dir=tmp_path / "models", gateway_port=port,
                        rasa_port=free_port(), business_hours="always", rasa_retry_seconds=3600)
    servers = ServerThread()
    app = create_app(settings)
    servers.serve(app, port)
    services = app[SERVICES]

    async def seed() -> None:
        await services.store.agents.add("olli", ("fi", "en"), hash_password(PASSWORD))
        await OperatorStore(services.store.engine).set_role("olli", "operator")
        await services.store.conversations.create("c1", "widget", "fi-FI")
        for text in ("Missä viipyy mun sohva?", "missä viipyy mun sohva"):
            await services.store.conversations.add_message(
                "c1", "customer", text, intent="nlu_fallback", confidence=0.3, language="fi")

    servers.run(seed())
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        context = browser.new_context(locale="en-US")
        tab = context.new_page()
        tab.goto(f"http://127.0.0.1:{port}/operator")
        yield tab, servers, settings
        context.close()
        browser.close()
    servers.stop()


def test_operator_assigns_a_finnish_message_and_browses(page) -> None:
    tab, _, settings = page
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.get_by_label("Name").fill("olli")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    row = tab.locator("tr", has_text="viipyy")
    row.wait_for()
    assert row.locator(".count").inner_text() == "2"
    row.get_by_role("button", name="Review").click()
    tab.get_by_label("Intent", exact=True).fill("faq/order_status")
    tab.screenshot(path=str(SHOTS / "operator-inbox.png"), full_page=True)
    tab.get_by_role("button", name="Assign").click()
    tab.get_by_text("Nothing to review.").wait_for()
    assert "- missä viipyy mun sohva" in (settings.project_root / "nlu_data/fi/faq.yml").read_text("utf-8")

    tab.get_by_role("button", name="Content").click()
    tab.get_by_text("faq/order_status").first.wait_for()
    tab.get_by_role("button", name="Retrain and deploy").click()
    tab.get_by_text("No training yet.").wait_for()
    tab.get_by_role("button", name="Analytics").click()
    tab.get_by_text("Conversations per day by language").wait_for()
    assert tab.locator("figure svg").count() >= 5
    tab.screenshot(path=str(SHOTS / "operator-analytics.png"), full_page=True)
