"""The CLI equivalents: roles, inbox, annotate, content edits, models, deploy and rollback."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import pytest

from bot.gateway.console.passwords import hash_password
from bot.gateway.store.store import open_store
from bot.operations.cli import register
from bot.operations.jobs import TrainingJobs
from bot.operations.registry import ModelEntry, registry_for
from bot.settings import Settings
from tests.operations.fake_rasa_model import FakeRasaModelServer


def run(settings: Settings, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="polydesk")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return int(args.func(args, settings))


@pytest.fixture
def rasa():
    with FakeRasaModelServer(token="polydesk-dev-rasa-token") as fake:
        yield fake


@pytest.fixture
def settings(project_root: Path, tmp_path: Path, rasa) -> Settings:
    port = int(rasa.url.rsplit(":", 1)[1])
    settings = Settings(project_root=project_root, var_dir=tmp_path / "var", models_dir=tmp_path / "models",
                        environment="test", rasa_port=port)

    async def seed() -> None:
        store = await open_store(settings)
        await store.agents.add("olli", ("fi",), hash_password("correct horse battery"))
        await store.conversations.create("c1", "widget", None)
        for text in ("Missä mun paketti?", "missa mun paketti"):
            await store.conversations.add_message("c1", "customer", text, intent="nlu_fallback", confidence=0.2,
                                                  language="fi")
        await store.engine.dispose()

    asyncio.run(seed())
    return settings


def test_roles_inbox_and_annotate(settings: Settings, capsys) -> None:
    assert run(settings, "annotate", "Missä mun paketti?", "--as", "olli", "--intent", "faq/order_status",
               "--language", "fi") == 2  # not an operator yet
    assert run(settings, "operator", "grant", "olli") == 0
    assert run(settings, "operator", "grant", "nobody") == 1
    assert run(settings, "operator", "list") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "olli"
    assert run(settings, "inbox") == 0
    assert "   2  fi   nlu_fallback" in capsys.readouterr().out
    assert run(settings, "annotate", "Missä mun paketti?", "--as", "olli", "--intent", "faq/order_status",
               "--language", "fi") == 0
    assert "nlu_data/fi/faq.yml: added ['Missä mun paketti?']" in capsys.readouterr().out
    assert "- Missä mun paketti?" in (settings.project_root / "nlu_data/fi/faq.yml").read_text("utf-8")
    assert run(settings, "inbox") == 0
    assert "Nothing to review." in capsys.readouterr().out
    assert run(settings, "annotate", "x", "--as", "olli", "--intent", "nope", "--language", "fi") == 2


def test_content_commands(settings: Settings, capsys) -> None:
    assert run(settings, "content", "set-response", "--language", "fi", "--key", "utter_thank", "--text", "Ole hyvä!",
               "--as", "olli") == 0
    assert 'utter_thank:\n  - text: "Ole hyvä!"\n' in (
        settings.project_root / "nlu_data/fi/responses.yml").read_text("utf-8")
    assert run(settings, "content", "add-examples", "--language", "en", "--intent", "thank", "--text",
               "cheers, you're a star", "--as", "olli") == 0
    assert run(settings, "content", "log") == 0
    log = capsys.readouterr().out
    assert "olli: set_response utter_thank [fi]" in log and "olli: add_examples thank [en]" in log
    assert run(settings, "content", "missing") == 0
    assert run(settings, "content", "set-response", "--language", "en", "--key", "utter_faq/gift_cards",
               "--text", "In the shop.") == 0
    assert run(settings, "content", "missing") == 1
    assert "utter_faq/gift_cards: missing in tr, fi, hu" in capsys.readouterr().out


def test_models_deploy_and_rollback(settings: Settings, rasa, capsys) -> None:
    registry = registry_for(settings)
    registry.models_dir.mkdir(parents=True)
    for name, passed in (("a.tar.gz", True), ("b.tar.gz", False)):
        registry.path(name).write_bytes(b"x")
        registry.add(ModelEntry(name, "2025-01-01T00:00:00+00:00", gate={"passed": passed, "failed_languages": ["fi"],
                                                                         "languages": {}}))
    assert run(settings, "deploy", "a.tar.gz", "--as", "olli") == 0
    assert run(settings, "deploy", "b.tar.gz", "--as", "olli") == 3
    assert run(settings, "deploy", "b.tar.gz", "--as", "olli", "--override-reason", "known issue") == 0
    assert run(settings, "models") == 0
    assert "* b.tar.gz" in capsys.readouterr().out
    assert run(settings, "rollback", "--as", "olli") == 0
    assert [Path(p).name for p in rasa.loaded] == ["a.tar.gz", "b.tar.gz", "a.tar.gz"]
    assert run(settings, "analytics") == 0
    assert '"conversations": 1' in capsys.readouterr().out


def test_retrain_prints_progress_and_the_gate(settings: Settings, monkeypatch, capsys) -> None:
    from bot.operations import retrain
    from tests.operations.test_retrain import fake_trainer

    monkeypatch.setattr(retrain, "rasa_train", fake_trainer(["Epochs: 100%|██| 2/2 [00:02<00:00, 1it/s]"]))
    monkeypatch.setattr(retrain, "rasa_predict", lambda model, texts: ["greet"] * len(texts))
    assert run(settings, "retrain", "--epochs", "2", "--languages", "fi", "--as", "olli") == 0
    out = capsys.readouterr().out
    assert "training: DIETClassifier epoch 1/2" in out and "Quality gate: passed" in out
    assert "  fi: macro-F1" in out and "Candidate: polydesk-" in out
    assert "Training: full (no model deployed through the registry yet)" in out
    lock = TrainingJobs(settings.var_dir / "operations" / "training.lock")
    import threading

    release = threading.Event()
    lock.start("console", lambda sink: release.wait(5) and {})
    assert run(settings, "retrain", "--languages", "fi") == 1
    assert "started elsewhere" in capsys.readouterr().err  # the console's job holds the lock file
    release.set()
    lock.wait(5)
