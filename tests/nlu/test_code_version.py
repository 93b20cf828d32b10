"""The pipeline's code is part of Rasa's training-cache key and of the model's fingerprint."""

import importlib
from pathlib import Path

import pytest
import yaml
from rasa.engine.training.fingerprinting import calculate_fingerprint_key

import bot.assembly
import bot.nlu.code_version as code_version
from bot.nlu.code_version import CodeVersioned, code_fingerprint, source_files
from bot.project import load_project

ROOT = Path(__file__).resolve().parents[2]


def _package(tmp_path: Path) -> Path:
    package = tmp_path / "bot"
    (package / "nlu").mkdir(parents=True)
    (package / "nlu" / "ngram_regression.py").write_text("C = 300\n", "utf-8")
    (package / "language" / "data").mkdir(parents=True)
    (package / "language" / "data" / "tr.txt").write_text("merhaba\n", "utf-8")
    (package / "text.py").write_text("def fold(text): return text\n", "utf-8")
    (package / "gateway").mkdir()
    (package / "gateway" / "app.py").write_text("PORT = 8080\n", "utf-8")
    return package


def test_the_hash_follows_the_nlu_code_and_the_language_data_only(tmp_path: Path) -> None:
    package = _package(tmp_path)
    before = code_fingerprint(package)
    (package / "gateway" / "app.py").write_text("PORT = 9090\n", "utf-8")  # not the pipeline's code
    (package / "nlu" / "__pycache__").mkdir()
    (package / "nlu" / "__pycache__" / "ngram_regression.cpython-310.pyc").write_bytes(b"\0\1")
    assert code_fingerprint(package) == before
    (package / "nlu" / "ngram_regression.py").write_text("C = 100\n", "utf-8")
    changed = code_fingerprint(package)
    assert changed != before
    (package / "language" / "data" / "tr.txt").write_text("selam\n", "utf-8")
    assert code_fingerprint(package) != changed
    assert [p.name for p in source_files(package)] == ["tr.txt", "ngram_regression.py", "text.py"]


def _pipeline_classes() -> list:
    config = yaml.safe_load((ROOT / "config.yml").read_text("utf-8"))
    classes = []
    for component in config["pipeline"]:
        module, _, name = str(component["name"]).rpartition(".")
        if module.startswith("bot."):
            classes.append(getattr(importlib.import_module(module), name))
    return classes


def test_every_polydesk_component_has_the_code_in_its_training_cache_key(monkeypatch: pytest.MonkeyPatch) -> None:
    classes = _pipeline_classes()
    assert len(classes) >= 8
    for component in classes:
        assert issubclass(component, CodeVersioned), component.__name__
        monkeypatch.setattr(code_version, "current_code_fingerprint", lambda: "old code")
        old = calculate_fingerprint_key(component, {}, {})
        monkeypatch.setattr(code_version, "current_code_fingerprint", lambda: "new code")
        assert calculate_fingerprint_key(component, {}, {}) != old, component.__name__


def test_the_model_fingerprint_changes_with_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    project = load_project(ROOT, ["fi"])
    monkeypatch.setattr(bot.assembly, "current_code_fingerprint", lambda: "old code")
    old = bot.assembly.fingerprint(project)
    assert bot.assembly.fingerprint(project) == old
    monkeypatch.setattr(bot.assembly, "current_code_fingerprint", lambda: "new code")
    assert bot.assembly.fingerprint(project) != old
