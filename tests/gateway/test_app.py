"""App-level contracts: no Rasa import, locale files complete, OpenAPI complete, pages, health, CLI."""

from __future__ import annotations

import argparse
import ast
import io
import json
from pathlib import Path

import pytest

from bot.gateway import cli
from bot.gateway.app import create_app
from bot.gateway.locales import LOCALES_DIR, Locales
from bot.gateway.openapi import openapi_document
from bot.settings import ConfigError, Settings

GATEWAY = Path(__file__).resolve().parents[2] / "bot" / "gateway"


def test_gateway_never_imports_rasa() -> None:
    for path in GATEWAY.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(n.split(".")[0] in ("rasa", "rasa_sdk") for n in names), path


def test_locale_files_have_the_same_keys() -> None:
    bundles = {p.stem: json.loads(p.read_text("utf-8")) for p in LOCALES_DIR.glob("*.json")}
    assert set(bundles) >= {"tr", "fi", "hu", "en"}
    for code, bundle in bundles.items():
        assert set(bundle) == set(bundles["en"]), f"{code}: {set(bundles['en']) ^ set(bundle)}"
        assert all(isinstance(text, str) and text for text in bundle.values()), code


def test_unknown_language_falls_back_to_english() -> None:
    locales = Locales.load()
    assert locales.text("xx", "error_empty") == locales.text("en", "error_empty")
    assert locales.text("hu-HU", "queue_position", position=2, minutes=4).startswith("Ön a(z) 2.")


def test_production_refuses_default_secrets() -> None:
    with pytest.raises(ConfigError):
        create_app(Settings(environment="production"))


def test_openapi_describes_every_route() -> None:
    app = create_app(Settings())
    documented = {
        (method.upper(), path) for path, ops in openapi_document()["paths"].items() for method in ops
    }
    routes = {
        (r.method, r.resource.canonical)
        for r in app.router.routes()
        if r.method != "HEAD" and r.resource.canonical not in ("/widget", "/console/static")
    }
    assert routes <= documented, routes - documented


async def test_pages_locales_health_and_openapi(client) -> None:
    assert "widget.js" in await (await client.get("/")).text()
    assert (await client.get("/console")).status == 200
    assert (await client.get("/widget/widget.js")).status == 200
    assert (await (await client.get("/widget/locales/fi.json")).json())["widget_send"] == "Lähetä"
    fallback = await client.get("/console/locales/xx.json")
    assert fallback.status == 200 and (await fallback.json())["widget_send"] == "Send"
    health = await client.get("/health")
    assert health.status == 200 and (await health.json()) == {"status": "ok", "database": "ok", "rasa": "ok"}
    document = await (await client.get("/api/openapi.json")).json()
    assert "/internal/handoffs" in document["paths"]


def test_agent_add_and_list(tmp_path, monkeypatch, capsys) -> None:
    settings = Settings(var_dir=tmp_path)
    monkeypatch.setattr(Settings, "from_env", classmethod(lambda cls, env=None: settings))
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    args = parser.parse_args(["agent", "add", "--name", "anna", "--languages", "tr,en", "--password-stdin"])
    assert args.func(args) == 0
    listing = parser.parse_args(["agent", "list"])
    assert listing.func(listing) == 0
    assert "anna\ttr,en" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    short = parser.parse_args(["agent", "add", "--name", "b", "--languages", "hu", "--password-stdin"])
    assert short.func(short) == 2
