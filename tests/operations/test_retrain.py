"""The retrain job with a fake trainer and predictor: held-out split, progress, gate, registration."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from bot.assembly import AssembledProject
from bot.operations.gate import Case
from bot.operations.jobs import TrainingJobs
from bot.operations.registry import ModelEntry, ModelRegistry
from bot.operations.retrain import Finetune, Retrain
from bot.settings import Settings
from bot.training import TrainingError

OVERLAY_RESOURCE = "train_bot.nlu.example_overlay.ExampleOverlay8"


def write_fake_model(path: Path, responses: Optional[dict[str, Any]] = None) -> Path:
    """A tar.gz shaped like a Rasa 3.6 model with an empty example overlay (no weights: not loadable)."""
    responses = responses or {"utter_faq/order_status": [{"text": "old answer"}]}
    metadata = {
        "model_id": "0" * 32, "trained_at": "2026-01-01T00:00:00", "domain": {"responses": responses},
        "predict_schema": {"nodes": {"run_bot.nlu.example_overlay.ExampleOverlay8": {
            "uses": "bot.nlu.example_overlay.ExampleOverlay", "resource": {"name": OVERLAY_RESOURCE}}}},
    }
    files = {
        "metadata.json": json.dumps(metadata),
        f"components/{OVERLAY_RESOURCE}/overlay.json": json.dumps(
            {"version": 1, "examples": [], "responses": responses}),
        "components/domain_provider/domain.yml": json.dumps({"version": "3.1", "responses": responses}),
        "components/train_ResponseSelector7/ResponseSelector.responses.json": json.dumps(responses),
        "components/train_DIETClassifier5/DIETClassifier.tf_model.data-00000-of-00001": "weights",
    }
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(text.encode())
            archive.addfile(info, io.BytesIO(text.encode()))
    return path


def read_fake_model(path: Path) -> dict[str, Any]:
    """Member name -> parsed JSON (YAML is JSON here) of an archive `write_fake_model` (or an overlay) wrote."""
    import yaml

    with tarfile.open(path, "r:gz") as archive:
        return {member.name: yaml.safe_load(archive.extractfile(member).read())  # type: ignore[union-attr]
                for member in archive.getmembers() if member.isfile()}


def fake_trainer(lines: list[str], finetunes: Optional[list] = None, fail_finetune: bool = False):
    def train(assembled: AssembledProject, out_dir: Path, name: str, on_line: Callable[[str], None],
              finetune: Optional[Finetune] = None) -> Path:
        if finetunes is not None:
            finetunes.append(finetune)
        if finetune is not None and fail_finetune:
            raise TrainingError("rasa train failed:\nInvalidConfigException: Cannot finetune")
        data = assembled.data / "fi_nlu.yml"
        assert data.exists() and "metadata" in data.read_text("utf-8")
        for line in ["Training NLU model...", "Epochs:  50%|█ | 1/2 [00:01<00:01, 1it/s]", *lines]:
            on_line(line)
        return write_fake_model(out_dir / f"{name}.tar.gz")

    return train


def predictor(per_model: dict[str, Callable[[Case], Optional[str]]], cases_seen: list):
    def predict(model: Path, texts: Sequence[str]) -> list[Optional[str]]:
        cases_seen.append(list(texts))
        rule = next(rule for prefix, rule in per_model.items() if model.name.startswith(prefix))
        return [rule(text) for text in texts]

    return predict


def _settings(project_root: Path, tmp_path: Path) -> Settings:
    return Settings(project_root=project_root, var_dir=tmp_path / "var", models_dir=tmp_path / "models",
                    environment="test")


def test_retrain_registers_a_candidate_with_its_gate_report(project_root: Path, tmp_path: Path) -> None:
    settings = _settings(project_root, tmp_path)
    registry = ModelRegistry(settings.models_dir / "registry", keep=5)
    seen: list = []
    truth: dict[str, str] = {}

    def perfect(text: str) -> Optional[str]:
        return truth.get(text)

    annotation = Case("fi", "missä mun lasku on", "faq", source="annotation")
    retrain = Retrain(settings, registry, "olli", annotations=[annotation], languages=["fi", "en"], epochs=2,
                      trainer=fake_trainer([]), predictor=predictor({"polydesk-": perfect}, seen))
    from bot.operations.holdout import split
    from bot.project import load_project

    _, held = split(load_project(project_root, ["fi", "en"]), [annotation.text])
    truth.update({case.text: case.intent for case in held + [annotation]})
    job = TrainingJobs(tmp_path / "lock").start("olli", retrain, background=False)
    assert job.state == "succeeded", job.error
    gate = job.result["gate"]
    assert gate["passed"] and gate["baseline"] == "none" and set(gate["languages"]) == {"fi", "en"}
    assert gate["languages"]["fi"]["candidate"]["macro_f1"] == 1.0
    assert gate["languages"]["fi"]["annotations"] == {"count": 1, "candidate_correct": 1}
    assert len(seen) == 1 and annotation.text in seen[0]  # only the candidate: nothing serves yet
    entry = registry.get(job.result["model"])
    assert entry is not None and entry.trained_by == "olli" and entry.gate["passed"]
    assert job.log[0].startswith("assembling")


def test_retrain_compares_with_the_serving_model_and_refuses_a_worse_one(project_root: Path, tmp_path: Path) -> None:
    settings = _settings(project_root, tmp_path)
    registry = ModelRegistry(settings.models_dir / "registry", keep=5)
    registry.models_dir.mkdir(parents=True)
    (registry.models_dir / "serving.tar.gz").write_bytes(b"x")
    registry.add(ModelEntry("serving.tar.gz", "2025-01-01T00:00:00+00:00", ["fi", "en"]))
    state = registry._read()
    state["serving"] = "serving.tar.gz"
    registry._write(state)
    from bot.operations.holdout import split
    from bot.project import load_project

    _, held = split(load_project(project_root, ["fi", "en"]))
    truth = {case.text: case.intent for case in held}
    finnish = {case.text for case in held if case.language == "fi"}

    def worse_in_finnish(text: str) -> Optional[str]:
        return "greet" if text in finnish else truth[text]

    seen: list = []
    retrain = Retrain(settings, registry, "olli", languages=["fi", "en"], epochs=2, trainer=fake_trainer([]),
                      predictor=predictor({"serving": truth.get, "polydesk-": worse_in_finnish}, seen))
    job = TrainingJobs(tmp_path / "lock").start("olli", retrain, background=False)
    gate = job.result["gate"]
    assert not gate["passed"] and gate["failed_languages"] == ["fi"] and gate["baseline"] == "serving"
    assert gate["languages"]["en"]["passed"]
    assert len(seen) == 2


def test_the_serving_model_is_not_loaded_again_for_texts_it_already_answered(project_root: Path,
                                                                            tmp_path: Path) -> None:
    settings = _settings(project_root, tmp_path)
    registry = ModelRegistry(settings.models_dir / "registry", keep=5)
    seen: list = []
    retrain = Retrain(settings, registry, "olli", languages=["fi"], epochs=2, trainer=fake_trainer([]),
                      predictor=predictor({"polydesk-": lambda text: "greet"}, seen))
    jobs = TrainingJobs(tmp_path / "lock")
    first = jobs.start("olli", retrain, background=False).result["model"]
    state = registry._read()
    state["serving"] = first
    state["history"].append({"action": "deploy", "model": first, "previous": None})
    registry._write(state)
    import time

    time.sleep(1.1)  # a new model name
    second = jobs.start("olli", retrain, background=False)
    assert second.result["gate"]["baseline"] == "serving" and len(seen) == 2  # the candidates only
    annotated = Retrain(settings, registry, "olli", languages=["fi"], epochs=2, trainer=fake_trainer([]),
                        annotations=[Case("fi", "uusi merkitty teksti", "greet", source="annotation")],
                        predictor=predictor({"polydesk-": lambda text: "greet"}, seen))
    time.sleep(1.1)
    jobs.start("olli", annotated, background=False)
    # the serving model saw only the new text (while the candidate trained: either order)
    assert ["uusi merkitty teksti"] in seen[-2:] and len(seen) == 4
