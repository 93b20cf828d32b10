"""Fixtures for browser tests: a gateway on SQLite in a temp dir, a Rasa (a Hungarian stand-in unless a
test overrides `rasa_url`), and Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import urlparse

import pytest
import sqlalchemy as sa
from aiohttp import web

from bot.gateway.app import create_app
from bot.gateway.console.passwords import hash_password
from bot.gateway.services import SERVICES, Services
from bot.gateway.store import schema
from bot.settings import DEV_INTERNAL_TOKEN, Settings
from tests.e2e.fake_rasa import HungarianRasa
from tests.e2e.servers import ServerThread, free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path("/tmp/polydesk-shots")


@dataclass
class Gateway:
    """A running gateway: its URL and direct access to its store for setup and checks."""

    url: str
    services: Services
    servers: ServerThread

    def add_agent(self, name: str, languages: tuple[str, ...], password: str) -> int:
        agent = self.servers.run(self.services.store.agents.add(name, languages, hash_password(password)))
        return agent.id

    def csat_rows(self) -> list[dict[str, Any]]:
        async def rows() -> list[dict[str, Any]]:
            async with self.services.store.engine.connect() as connection:
                result = await connection.execute(sa.select(schema.csat))
                return [dict(row._mapping) for row in result]

        return self.servers.run(rows())


@pytest.fixture
def servers() -> Iterator[ServerThread]:
    thread = ServerThread()
    yield thread
    thread.stop()


@pytest.fixture
def gateway_port() -> int:
    return free_port()


@pytest.fixture
def rasa_url(servers: ServerThread, gateway_port: int) -> str:
    """The Rasa the gateway talks to. Here a Hungarian stand-in; a variant against the real Rasa overrides
    this fixture with that server's URL (its action server must call the gateway at `gateway_port`)."""
    port = free_port()
    servers.serve(HungarianRasa(f"http://127.0.0.1:{gateway_port}", DEV_INTERNAL_TOKEN).app(), port)
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def site_url() -> str:
    """Another website (another origin) that embeds the widget; the gateway allows it."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def gateway(servers: ServerThread, gateway_port: int, rasa_url: str, site_url: str, tmp_path: Path) -> Gateway:
    rasa = urlparse(rasa_url)
    if rasa.hostname not in ("127.0.0.1", "localhost") or rasa.port is None:
        raise ValueError(f"the gateway reaches Rasa on loopback by port; got {rasa_url}")
    settings = Settings(
        environment="test",
        var_dir=tmp_path,
        gateway_port=gateway_port,
        rasa_port=rasa.port,
        internal_token=DEV_INTERNAL_TOKEN,
        business_hours="always",
        rasa_retry_seconds=3600,
        max_message_characters=500,
        allowed_origins=(f"http://127.0.0.1:{gateway_port}", site_url),
    )
    app = create_app(settings)
    servers.serve(app, gateway_port)
    return Gateway(f"http://127.0.0.1:{gateway_port}", app[SERVICES], servers)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module-scoped: Playwright's sync API keeps an event loop running while it is open, which would
    break the asyncio tests collected after this folder."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def other_site(servers: ServerThread, site_url: str, gateway: Gateway) -> str:
    """Serves a page of another website with nothing but the widget's one-tag embedding; returns its URL."""
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Another shop</title></head>
<body><h1>Another shop</h1><p>A page the gateway does not serve.</p>
<script src="{gateway.url}/widget/widget.js" async data-server="{gateway.url}"
        data-title="Tulipa Home" data-color="#00695c" data-language="hu"></script></body></html>"""

    async def index(request: web.Request) -> web.Response:
        return web.Response(text=page, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", index)
    servers.serve(app, int(urlparse(site_url).port or 0))
    return site_url + "/"


def browser_contexts(browser: Any) -> Iterator[Callable[..., Any]]:
    """Yields a factory of browser contexts (one per person) and closes them all afterwards; a fixture
    that uses it depends on the servers, so the contexts close before the servers stop."""
    contexts: list[Any] = []

    def create(**options: Any) -> Any:
        context = browser.new_context(**options)
        contexts.append(context)
        return context

    yield create
    for context in contexts:
        context.close()


@pytest.fixture
def new_context(browser: Any, gateway: Gateway) -> Iterator[Callable[..., Any]]:
    """Browser contexts (one per person) closed before the gateway stops."""
    yield from browser_contexts(browser)


@pytest.fixture
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
