"""The gateway on a temporary copy of the project, a fake Rasa that also loads models, and logins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.gateway.app import create_app
from bot.gateway.operator.services import OPERATIONS, Operations
from bot.gateway.operator.store import OperatorStore
from bot.settings import Settings
from tests.gateway.fake_rasa import FakeRasa
from tests.gateway.helpers import add_agent, login, services
from tests.operations.conftest import copy_project


class ModelLoadingRasa(FakeRasa):
    """FakeRasa plus the HTTP API's `PUT /model` and `GET /status` (token in the query)."""

    token: str = "polydesk-dev-rasa-token"
    loaded: list[str]

    def app(self) -> web.Application:
        self.loaded = []
        app = super().app()
        app.router.add_put("/model", self.put_model)
        app.router.add_get("/status", self.status)
        return app

    async def put_model(self, request: web.Request) -> web.Response:
        if request.query.get("token") != self.token:
            return web.json_response({"message": "unauthorized"}, status=401)
        self.loaded.append((await request.json())["model_file"])
        return web.Response(status=204)

    async def status(self, request: web.Request) -> web.Response:
        return web.json_response({"model_file": self.loaded[-1] if self.loaded else None})


@pytest.fixture
async def rasa(aiohttp_server: Any) -> ModelLoadingRasa:
    fake = ModelLoadingRasa()
    server = await aiohttp_server(fake.app())
    fake.port = server.port
    return fake


@pytest.fixture
def settings(tmp_path: Path, rasa: ModelLoadingRasa) -> Settings:
    (tmp_path / "project").mkdir()
    root = copy_project(tmp_path / "project", ("fi", "en"))
    return Settings(
        project_root=root,
        environment="test",
        var_dir=tmp_path / "var",
        models_dir=tmp_path / "models",
        rasa_port=rasa.port,
        rasa_timeout_seconds=3.0,  # generous: the machine may be loaded; the slow fake sleeps 5 s
        business_hours="always",
        rasa_retry_seconds=3600,
    )


@pytest.fixture
async def client(aiohttp_client: Any, settings: Settings, rasa: ModelLoadingRasa) -> TestClient:
    test_client = await aiohttp_client(create_app(settings))
    rasa.gateway_url = str(test_client.make_url("")).rstrip("/")
    return test_client


def operations(client: TestClient) -> Operations:
    app: web.Application = client.server.app  # type: ignore[assignment]
    subapp = next(resource._app for resource in app.router.resources() if getattr(resource, "_app", None)
                  is not None and resource.canonical == "/operator")
    return subapp[OPERATIONS]


async def login_operator(client: TestClient, name: str = "olli") -> dict[str, str]:
    await add_agent(client, name, ("fi", "en"))
    await OperatorStore(services(client).store.engine).set_role(name, "operator")
    return {"X-CSRF-Token": await login(client, name)}
