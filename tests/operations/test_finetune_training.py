"""A real incremental retrain by finetuning (POLYDESK_RETRAIN_INCREMENTAL=finetune; the default is the
example overlay): train Finnish for 3 epochs, serve it, add an FAQ question with new words, retrain, and
see Rasa's finetuning (not a fresh training) learn it. Two real trainings: slow, so marked."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional, Sequence

import pytest

from bot.operations import incremental
from bot.operations.content import Content, changelog_for
from bot.operations.gate import Case
from bot.operations.jobs import TrainingJobs
from bot.operations.registry import ModelRegistry
from bot.operations.retrain import Retrain
from bot.settings import Settings
from bot.training import rasa_environment
from tests.operations.conftest import ROOT, copy_project

pytestmark = [pytest.mark.integration, pytest.mark.training]
TEXT = "missä viipyy mun tilaama nojatuoli"


class RecordingPredictor:
    """bot.nlu.predict in a subprocess, keeping the whole prediction (FAQ key too) of each text."""

    def __init__(self) -> None:
        self.seen: dict[str, dict[str, Any]] = {}

    def __call__(self, model: Path, texts: Sequence[str]) -> list[Optional[str]]:
        with tempfile.TemporaryDirectory() as folder:
            source, target = Path(folder) / "in.json", Path(folder) / "out.json"
            source.write_text(json.dumps(list(texts), ensure_ascii=False), encoding="utf-8")
            subprocess.run([sys.executable, "-m", "bot.nlu.predict", str(model), str(source), str(target)],
                           check=True, env={**rasa_environment(), "PYTHONPATH": str(ROOT)}, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            predictions = json.loads(target.read_text(encoding="utf-8"))
        self.seen.update({f"{model.name}\n{text}": p for text, p in zip(texts, predictions)})
        return [p["intent"] for p in predictions]


def test_added_examples_finetune_the_serving_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    # others may edit bot/nlu/ in this working tree during the minutes of training; that would rightly mean a
    # full training (test_incremental.py tests it), so this test pins the code part of the structure
    monkeypatch.setattr(incremental, "_code_digest", lambda root: "pinned")
    (tmp_path / "project").mkdir()
    root = copy_project(tmp_path / "project", ("fi",))
    settings = Settings(project_root=root, environment="test", var_dir=tmp_path / "var",
                        models_dir=tmp_path / "models", retrain_incremental="finetune")
    registry = ModelRegistry(settings.models_dir / "registry", keep=5)
    jobs = TrainingJobs(tmp_path / "lock")
    predict = RecordingPredictor()

    first = jobs.start("olli", Retrain(settings, registry, "olli", epochs=3, predictor=predict), background=False)
    assert first.state == "succeeded", first.error
    assert first.result["training"]["kind"] == "full"
    state = registry._read()
    state["serving"] = first.result["model"]
    registry._write(state)

    Content(root, changelog_for(settings.var_dir)).add_examples("fi", "faq/order_status", [TEXT], "olli")
    annotation = Case("fi", TEXT, "faq", source="annotation")
    time.sleep(1.1)  # a new model name
    started = time.monotonic()
    second = jobs.start("olli", Retrain(settings, registry, "olli", annotations=[annotation], epochs=3,
                                        predictor=predict), background=False)
    assert second.state == "succeeded", second.error
    plan = second.result["training"]
    assert plan["kind"] == "incremental" and plan["base"] == first.result["model"], (plan, second.log[-10:])
    assert not any("falling back" in line for line in second.log)
    understood = predict.seen[f"{second.result['model']}\n{TEXT}"]
    before = predict.seen[f"{first.result['model']}\n{TEXT}"]  # the serving model, for the gate
    assert understood["intent"] == "faq", understood
    assert second.result["gate"]["languages"]["fi"]["annotations"]["candidate_correct"] == 1
    # the featurizers grew by the new words only, not by every n-gram max_features had cut (bot/nlu/count_vectors.py)
    sizes = [registry.path(job.result["model"]).stat().st_size for job in (first, second)]
    assert sizes[1] < 1.1 * sizes[0], sizes
    print(f"finetune and gate: {time.monotonic() - started:.0f} s (training {second.result['training_seconds']:.0f} s, "
          f"3 epochs, fi); serving model said {before['intent']} {before['response_key']}, the finetuned one "
          f"{understood['intent']} {understood['response_key']}; sizes {sizes}")
