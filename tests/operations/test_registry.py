"""The registry keeps the last models, deploys through Rasa's PUT /model, honours the gate and rolls back."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.operations.registry import GateRefused, ModelEntry, ModelRegistry, RasaModelServer, RegistryError
from tests.operations.fake_rasa_model import FakeRasaModelServer


def _model(registry: ModelRegistry, name: str, passed: bool = True) -> ModelEntry:
    registry.path(name).write_bytes(b"model " + name.encode())
    return registry.add(ModelEntry(name, "2025-01-01T00:00:00+00:00", ["fi"], gate={"passed": passed,
                                                                                  "failed_languages": ["fi"]}))


@pytest.fixture
def rasa():
    with FakeRasaModelServer(token="secret") as fake:
        yield fake


def test_deploy_swaps_the_model_in_rasa_and_rollback_restores(tmp_path: Path, rasa) -> None:
    registry = ModelRegistry(tmp_path, keep=5, server=RasaModelServer(rasa.url, "secret"))
    _model(registry, "a.tar.gz")
    _model(registry, "b.tar.gz")
    registry.deploy("a.tar.gz", who="olli")
    registry.deploy("b.tar.gz", who="olli")
    assert registry.serving() == "b.tar.gz"
    assert rasa.loaded == [str(tmp_path / "a.tar.gz"), str(tmp_path / "b.tar.gz")]
    assert registry.rollback(who="olli") == "a.tar.gz"
    assert registry.serving() == "a.tar.gz" and rasa.loaded[-1] == str(tmp_path / "a.tar.gz")
    assert [e["action"] for e in registry.history()] == ["rollback", "deploy", "deploy"]


def test_a_model_that_failed_the_gate_needs_a_reason(tmp_path: Path, rasa) -> None:
    registry = ModelRegistry(tmp_path, keep=5, server=RasaModelServer(rasa.url, "secret"))
    _model(registry, "bad.tar.gz", passed=False)
    with pytest.raises(GateRefused, match="fi"):
        registry.deploy("bad.tar.gz", who="olli")
    with pytest.raises(GateRefused):
        registry.deploy("bad.tar.gz", who="olli", override_reason="   ")
    assert rasa.loaded == [] and registry.serving() is None
    registry.deploy("bad.tar.gz", who="olli", override_reason="Finnish test set is wrong, fixed tomorrow")
    assert registry.history()[0]["override_reason"] == "Finnish test set is wrong, fixed tomorrow"


def test_only_the_last_models_are_kept_but_never_the_serving_or_previous(tmp_path: Path, rasa) -> None:
    registry = ModelRegistry(tmp_path, keep=3, server=RasaModelServer(rasa.url, "secret"))
    _model(registry, "m0.tar.gz")
    _model(registry, "m1.tar.gz")
    registry.deploy("m0.tar.gz", who="olli")
    registry.deploy("m1.tar.gz", who="olli")
    for index in range(2, 6):
        _model(registry, f"m{index}.tar.gz")
    names = [entry.name for entry in registry.models()]
    assert names == ["m5.tar.gz", "m1.tar.gz", "m0.tar.gz"]
    assert sorted(p.name for p in tmp_path.glob("*.tar.gz")) == ["m0.tar.gz", "m1.tar.gz", "m5.tar.gz"]


def test_rasa_errors_leave_the_serving_model_unchanged(tmp_path: Path, rasa) -> None:
    registry = ModelRegistry(tmp_path, keep=5, server=RasaModelServer(rasa.url, "wrong-token"))
    _model(registry, "a.tar.gz")
    with pytest.raises(RegistryError, match="401"):
        registry.deploy("a.tar.gz", who="olli")
    assert registry.serving() is None and registry.history() == []
    with pytest.raises(RegistryError, match="roll back"):
        registry.rollback(who="olli")


def test_a_model_started_outside_the_registry_can_be_rolled_back_to(tmp_path: Path, rasa) -> None:
    registry = ModelRegistry(tmp_path, keep=5, server=RasaModelServer(rasa.url, "secret"))
    (tmp_path / "polydesk-abc.tar.gz").write_bytes(b"x")
    registry = ModelRegistry(tmp_path / "registry", keep=5, server=RasaModelServer(rasa.url, "secret"))
    registry.adopt_serving(tmp_path / "polydesk-abc.tar.gz")
    assert registry.get("polydesk-abc.tar.gz").held_out is False
    _model(registry, "new.tar.gz")
    registry.deploy("new.tar.gz", who="olli")
    assert registry.rollback(who="olli") == "polydesk-abc.tar.gz"
