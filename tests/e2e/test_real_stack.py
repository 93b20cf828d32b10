"""Issue 4 end to end, with nothing faked: the gateway, the Rasa server and the action server started as
`polydesk up` starts them (subprocesses of the supervisor, SQLite under a temp var/), a quick model trained
once (the integration tests' epochs, so both share models/polydesk-<hash>.tar.gz), Debian's headless
Chromium as the customer on the demo page and as a Finnish-speaking agent in the console.

Rasa is never imported here: the browser process must stay free of it (see scripts/test.sh).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest
import sqlalchemy as sa

from bot.gateway.store import schema
from bot.project import Project, load_project
from bot.settings import Settings
from tests.e2e.conftest import browser_contexts
from tests.e2e.servers import free_port
from tests.integration.conftest import TEST_EPOCHS  # the same model file as the integration tests

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
TIMEOUT_MS = 60_000  # a real Rasa turn on a loaded two-core CI machine
STARTUP_SECONDS = 600  # Rasa loads TensorFlow and the model
LOG_LINES = 40

GREETING = "Hei, tarvitsisin vähän apua"
FAQ_QUESTION = "Milloin asiakaspalvelu on auki?"
ASK_FOR_HUMAN = "Haluan puhua ihmisen kanssa"
CUSTOMER_TO_AGENT = "Tilaukseni TH-54321 ei ole vielä tullut."
AGENT_REPLY = "Tarkistan tilauksen TH-54321 heti."
COMMENT = "Nopeaa ja ystävällistä palvelua, kiitos!"


@dataclass
class Stack:
    """The three processes as `polydesk up` runs them, the environment they share, their logs."""

    settings: Settings
    env: Dict[str, str]

    @property
    def url(self) -> str:
        return self.settings.gateway_url

    def add_agent(self, name: str, languages: str, password: str) -> int:
        """The README's way: `polydesk agent add --password-stdin`."""
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "agent", "add", "--name", name, "--languages", languages,
             "--password-stdin"],
            input=password + "\n", capture_output=True, text=True, env={**os.environ, **self.env},
            cwd=ROOT, timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        found = re.search(r"\(id (\d+)\)", done.stdout)
        assert found, done.stdout
        return int(found.group(1))

    def csat_rows(self) -> List[Dict[str, Any]]:
        engine = sa.create_engine(f"sqlite:///{self.settings.var_dir / 'polydesk.db'}")
        try:
            with engine.connect() as connection:
                return [dict(row._mapping) for row in connection.execute(sa.select(schema.csat))]
        finally:
            engine.dispose()

    def log_tails(self) -> str:
        parts = []
        for path in sorted((self.settings.var_dir / "log").glob("*.log")):
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[-LOG_LINES:]
            parts.append(f"--- {path.name} (last {len(lines)} lines)\n" + "\n".join(lines))
        return "\n".join(parts)

    @contextmanager
    def logs_on_failure(self) -> Iterator[None]:
        """A failing step prints the servers' logs (pytest shows them with the failure)."""
        try:
            yield
        except BaseException:
            print(self.log_tails())
            raise


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(ROOT)


@pytest.fixture(scope="module")
def stack(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    from bot.supervisor import Supervisor, services
    from bot.training import train

    model = train(Settings.from_env(), project, epochs=TEST_EPOCHS, log=lambda line: None)
    env = {
        "POLYDESK_ENV": "test",
        "POLYDESK_VAR_DIR": str(tmp_path_factory.mktemp("real-stack")),
        "POLYDESK_RASA_PORT": str(free_port()),
        "POLYDESK_ACTION_PORT": str(free_port()),
        "POLYDESK_GATEWAY_PORT": str(free_port()),
        "POLYDESK_PUBLIC_URL": "",
        "POLYDESK_BUSINESS_HOURS": "always",  # agents answer whenever CI runs
        "POLYDESK_RASA_TIMEOUT": "60",  # the default 10 s is for a quiet machine
        "DATABASE_URL": "",  # SQLite under the temp var/, whatever the CI environment sets
        "REDIS_URL": "",
    }
    settings = Settings.from_env({**os.environ, **env})
    processes = services(settings, model, with_gateway=True)
    for service in processes:  # the children read their settings from the environment, as under `up`
        service.env = {**env, **service.env}
    supervisor = Supervisor(settings, log=lambda line: None)
    stack = Stack(settings, env)
    try:
        with stack.logs_on_failure():
            supervisor.start(processes, timeout_seconds=STARTUP_SECONDS)
        yield stack
    finally:
        supervisor.stop()


@pytest.fixture
def new_context(browser: Any, stack: Stack) -> Iterator[Callable[..., Any]]:
    """Browser contexts (one per person) closed before the servers stop."""
    yield from browser_contexts(browser)


def says(project: Project, language: str, response: str, text: str) -> bool:
    """Whether `text` is a variation of `response` in `language`, its {slots} filled with anything."""
    for variation in project.data[language].responses[response]:
        parts = re.split(r"\{[a-z_]+\}", variation["text"])
        if re.fullmatch(".+?".join(re.escape(part) for part in parts), text, re.S):
            return True
    return False


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def test_finnish_customer_reaches_an_agent_through_the_real_assistant(
    new_context: Callable[..., Any], stack: Stack, project: Project, shots: Path
) -> None:
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=TIMEOUT_MS)
    with stack.logs_on_failure():
        # anna first: with the lower id she would get the conversation if its language were lost
        stack.add_agent("anna", "hu,en", PASSWORD)
        mikko = stack.add_agent("mikko", "fi,en", PASSWORD)

        # --- both agents sign in: the handoff needs someone online who speaks the customer's language
        anna_console = new_context(locale="hu-HU").new_page()
        anna_console.goto(f"{stack.url}/console")
        anna_console.fill("#login-name", "anna")
        anna_console.fill("#login-password", PASSWORD)
        anna_console.get_by_role("button", name="Belépés").click()
        expect(anna_console.locator("#presence.on")).to_be_visible()

        console = new_context(viewport={"width": 1400, "height": 900}, locale="fi-FI").new_page()
        console.goto(f"{stack.url}/console")
        console.fill("#login-name", "mikko")
        console.fill("#login-password", PASSWORD)
        console.get_by_role("button", name="Kirjaudu").click()
        expect(console.locator("#presence.on")).to_be_visible()
        expect(console.get_by_text("Kukaan ei odota.")).to_be_visible()

        # --- a Finnish customer on the demo page: greeting and an FAQ, answered by the real model
        shop = new_context(viewport={"width": 390, "height": 800}, locale="fi-FI").new_page()
        shop.goto(stack.url + "/")
        shop.get_by_role("button", name="Avaa keskustelu").click()
        chat = shop.get_by_role("dialog", name="Tulipa Home")
        message_box = chat.get_by_role("textbox", name="Viestisi")
        expect(message_box).to_be_focused()
        log = chat.get_by_role("log")
        bot_texts = log.locator(".message.bot .text")

        message_box.fill(GREETING)
        message_box.press("Enter")
        expect(bot_texts).to_have_count(1)
        assert says(project, "fi", "utter_greet", bot_texts.nth(0).inner_text())

        message_box.fill(FAQ_QUESTION)
        message_box.press("Enter")
        expect(bot_texts).to_have_count(2)
        assert says(project, "fi", "utter_faq/opening_hours", bot_texts.nth(1).inner_text())
        expect(shop.locator("#polydesk-widget")).to_have_attribute("lang", "fi")

        # --- asking for a person: the real action_handoff queues the conversation through the gateway
        message_box.fill(ASK_FOR_HUMAN)
        message_box.press("Enter")
        expect(bot_texts).to_have_count(3)
        queued = bot_texts.nth(2).inner_text()
        assert says(project, "fi", "utter_handoff_queued", queued) and "sijalla 1," in queued, queued
        expect(chat.locator(".queue")).to_have_text(re.compile(r"^Olet jonossa sijalla 1\. "))
        shop.screenshot(path=str(shots / "real-widget-queued.png"))

        # --- routed to the agent who speaks Finnish, who sees language, intent and summary in the queue
        row = console.locator(".queue-table tbody tr")
        expect(row).to_have_count(1)
        expect(row.locator("td").first).to_have_text("fi")
        expect(row.locator(".tag")).to_have_text("Ohjattu sinulle")
        expect(anna_console.locator(".queue-table tbody tr")).to_have_count(1)
        expect(anna_console.locator(".queue-table tbody tr .tag")).to_have_count(0)
        expect(row.locator(".row-open")).to_have_text("request_human")
        expect(row.locator(".summary")).to_contain_text(ASK_FOR_HUMAN)
        console.screenshot(path=str(shots / "real-console-queue.png"))
        row.locator(".row-open").click()
        transcript = console.get_by_role("log", name="Keskusteluhistoria")
        question = transcript.locator(".msg.customer").filter(has_text=FAQ_QUESTION)
        expect(question.locator(".lang")).to_have_text("fi")
        expect(question.locator(".intent")).to_have_text(re.compile(r"^faq"))
        request = transcript.locator(".msg.customer").filter(has_text=ASK_FOR_HUMAN)
        expect(request.locator(".intent")).to_have_text("request_human")
        expect(transcript.locator(".msg.bot")).to_have_count(3)
        console.get_by_role("button", name="Ota hoitoon").first.click()
        expect(console.locator(".mine-list li")).to_have_count(1)
        expect(console.get_by_text("Kukaan ei odota.")).to_be_visible()

        # --- the customer learns who took over; agent and customer chat in real time
        expect(log.get_by_text("mikko liittyi keskusteluun.")).to_be_visible()
        expect(chat.locator(".subtitle")).to_have_text("mikko")
        expect(chat.locator(".queue")).to_be_hidden()
        message_box.fill(CUSTOMER_TO_AGENT)
        message_box.press("Enter")
        expect(transcript.get_by_text(CUSTOMER_TO_AGENT)).to_be_visible()
        console.fill("#reply", AGENT_REPLY)
        console.get_by_role("button", name="Lähetä").click()
        expect(log.locator(".message.agent .text")).to_have_text(AGENT_REPLY)
        expect(log.locator(".message.agent .sender")).to_have_text("mikko")
        expect(bot_texts).to_have_count(3)  # while an agent has it, the bot stays silent
        console.screenshot(path=str(shots / "real-console-conversation.png"))

        # --- the agent resolves; the customer rates the service in Finnish
        console.get_by_role("button", name="Ratkaistu").click()
        expect(log.get_by_text("mikko palautti keskustelun avustajalle.")).to_be_visible()
        rating = chat.get_by_role("group", name=re.compile("Kuinka tyytyväinen olit"))
        expect(rating).to_be_visible()
        rating.locator("label[for='pd-star-4']").click()
        expect(rating.get_by_role("radio", name="4/5")).to_be_checked()
        chat.get_by_role("textbox", name="Kommentti (vapaaehtoinen)").fill(COMMENT)
        chat.get_by_role("button", name="Lähetä arvio").click()
        expect(log.get_by_text("Kiitos palautteestasi!")).to_be_visible()
        shop.screenshot(path=str(shots / "real-widget-rated.png"))

        rows = stack.csat_rows()
        assert [(r["rating"], r["comment"], r["agent_id"], r["language"]) for r in rows] == [
            (4, COMMENT, mikko, "fi")
        ]
        report = console.request.get(f"{stack.url}/api/reports/csat").json()
        assert [(r["key"], r["count"], r["average"]) for r in report["by_agent"]] == [("mikko", 1, 4.0)]
