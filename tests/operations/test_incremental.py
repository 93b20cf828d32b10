"""Incremental retraining: when only NLU examples changed, the candidate is the serving model plus an
example overlay (or, with POLYDESK_RETRAIN_INCREMENTAL=finetune, the serving model finetuned); otherwise
(or when that fails) a full training runs, and the job says which and why."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Optional

import pytest
import yaml

from bot.operations.content import Content, changelog_for
from bot.operations.incremental import FINETUNE, FULL, INCREMENTAL, OVERLAY, plan_training, structure_fingerprint
from bot.operations.jobs import TrainingJobs
from bot.operations.registry import ModelEntry, ModelRegistry
from bot.operations.retrain import Retrain
from bot.project import load_project
from bot.settings import Settings
from tests.operations.test_retrain import fake_trainer, predictor


def _structure(root: Path) -> str:
    return structure_fingerprint(load_project(root, ["fi", "en"]))


def _content(root: Path, tmp_path: Path) -> Content:
    return Content(root, changelog_for(tmp_path / "var"))


def test_added_and_edited_examples_keep_the_structure(project_root: Path, tmp_path: Path) -> None:
    before = _structure(project_root)
    _content(project_root, tmp_path).add_examples("fi", "faq/order_status", ["missä viipyy mun sohva"], "olli")
    nlu = project_root / "nlu_data/en/nlu.yml"
    text = nlu.read_text("utf-8")
    first = next(line for line in text.splitlines() if line.startswith("    - "))  # an example, edited
    nlu.write_text(text.replace(first, first + " please", 1), "utf-8")
    assert _structure(project_root) == before


def test_epochs_and_answer_texts_keep_the_structure(project_root: Path, tmp_path: Path) -> None:
    before = _structure(project_root)
    config = project_root / "config.yml"
    text = config.read_text("utf-8")
    assert re.search(r"epochs: \d+", text)
    config.write_text(re.sub(r"epochs: \d+", "epochs: 77", text), "utf-8")
    content = _content(project_root, tmp_path)
    key = next(row["key"] for row in content.response_table())
    content.set_response("fi", key, ["Uusi vastausteksti"], "olli")
    assert _structure(project_root) == before


@pytest.mark.parametrize("change", ["pipeline", "new_intent", "new_faq_topic", "rules", "languages"])
def test_anything_but_examples_changes_the_structure(project_root: Path, tmp_path: Path, change: str) -> None:
    before = _structure(project_root)
    content = _content(project_root, tmp_path)
    if change == "pipeline":
        config = project_root / "config.yml"
        raw = yaml.safe_load(config.read_text("utf-8"))
        fallback = next(c for c in raw["pipeline"] if c["name"] == "FallbackClassifier")
        fallback["threshold"] = float(fallback.get("threshold", 0.3)) + 0.05
        config.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), "utf-8")
    elif change == "new_intent":
        content.create_intent("ask_warranty", "fi", ["onko takuuta", "kuinka pitkä takuu on"], "olli")
    elif change == "new_faq_topic":
        content.add_examples("fi", "faq/warranty_length", ["kuinka pitkä takuu sohvalla on"], "olli")
    elif change == "rules":
        rules = project_root / "nlu_data/rules.yml"
        rules.write_text(rules.read_text("utf-8") + "\n# a comment is a change too\n", "utf-8")
    else:
        assert structure_fingerprint(load_project(project_root, ["fi"])) != before
        return
    assert _structure(project_root) != before


def test_changed_feature_code_changes_the_structure(project_root: Path, tmp_path: Path) -> None:
    code = tmp_path / "code"
    (code / "bot/nlu").mkdir(parents=True)
    (code / "bot/nlu/tokenizer.py").write_text("LEMMAS = 1\n", "utf-8")
    project = load_project(project_root, ["fi", "en"])
    before = structure_fingerprint(project, code)
    (code / "bot/language").mkdir(parents=True)
    (code / "bot/language/model.py").write_text("DETECTION = 2\n", "utf-8")  # prediction only
    assert structure_fingerprint(project, code) == before
    (code / "bot/nlu/tokenizer.py").write_text("LEMMAS = 2\n", "utf-8")
    assert structure_fingerprint(project, code) != before


def _entry(**fields: object) -> ModelEntry:
    return ModelEntry("serving.tar.gz", "2026-01-01T00:00:00+00:00", **fields)  # type: ignore[arg-type]


def test_the_plan_finetunes_only_a_fair_registry_model_of_the_same_structure() -> None:
    same = _entry(structure="s1", finetune_chain=1)
    plan = plan_training("s1", same, True, max_chain=5)
    assert (plan.kind, plan.base, plan.chain, plan.method) == (INCREMENTAL, "serving.tar.gz", 2, OVERLAY)
    # finetuning needs no record of the learned examples
    assert plan_training("s1", same, True, 5, method=FINETUNE, learned_known=False).method == FINETUNE
    refusals = {
        "no model deployed": plan_training("s1", None, False, 5),
        "saw the held-out": plan_training("s1", _entry(structure="s1", held_out=False), True, 5),
        "predates": plan_training("s1", _entry(), True, 5),
        "changed since": plan_training("s2", same, True, 5),
        "missing": plan_training("s1", same, False, 5),
        "in a row": plan_training("s1", _entry(structure="s1", finetune_chain=5), True, 5),
        "asked for": plan_training("s1", same, True, 5, full_requested=True),
        "no record of the examples": plan_training("s1", same, True, 5, method=OVERLAY, learned_known=False),
    }
    for words, refused in refusals.items():
        assert refused.kind == FULL and refused.base is None and words in refused.reason, (words, refused)


def _settings(project_root: Path, tmp_path: Path, method: str = FINETUNE) -> Settings:
    return Settings(project_root=project_root, var_dir=tmp_path / "var", models_dir=tmp_path / "models",
                    environment="test", retrain_epoch_fraction=0.2, retrain_incremental=method)


def _serve(registry: ModelRegistry, name: str) -> None:
    state = registry._read()
    state["history"].append({"action": "deploy", "model": name, "previous": state["serving"]})
    state["serving"] = name
    registry._write(state)


def _retrain(settings: Settings, registry: ModelRegistry, finetunes: list, fail: bool = False,
             full: bool = False) -> Retrain:
    return Retrain(settings, registry, "olli", languages=["fi", "en"], full=full,
                   trainer=fake_trainer([], finetunes, fail_finetune=fail),
                   predictor=predictor({"polydesk-": lambda text: "greet"}, []))


def test_a_retrain_after_added_examples_finetunes_the_serving_model(project_root: Path, tmp_path: Path) -> None:
    settings = _settings(project_root, tmp_path)
    registry = ModelRegistry(settings.models_dir / "registry", keep=5)
    jobs = TrainingJobs(tmp_path / "lock")
    finetunes: list = []
    first = jobs.start("olli", _retrain(settings, registry, finetunes), background=False)
    assert first.result["training"]["kind"] == FULL and finetunes == [None]
    _serve(registry, first.result["model"])

    _content(project_root, tmp_path).add_examples("fi", "faq/order_status", ["missä viipyy mun sohva"], "olli")
    time.sleep(1.1)  # a new model name
    second = jobs.start("olli", _retrain(settings, registry, finetunes), background=False)
    assert second.state == "succeeded", second.error
    plan = second.result["training"]
    assert plan["kind"] == INCREMENTAL and plan["base"] == first.result["model"]
    assert finetunes[-1].base == registry.path(first.result["model"]) and finetunes[-1].epoch_fraction == 0.2
    assert second.training == plan and any(line.startswith("training: incremental") for line in second.log)
    entry = registry.get(second.result["model"])
    assert entry is not None and (entry.training, entry.base_model, entry.finetune_chain) == (
        INCREMENTAL, first.result["model"], 1)

    time.sleep(1.1)
    forced = jobs.start("olli", _retrain(settings, registry, finetunes, full=True), background=False)
    assert forced.result["training"]["kind"] == FULL and finetunes[-1] is None


def test_a_failed_finetune_falls_back_to_a_full_training_and_says_so(project_root: Path, tmp_path: Path) -> None:
    settings = _settings(project_root, tmp_path)
    registry = ModelRegistry(settings.models_dir / "registry", keep=5)
    jobs = TrainingJobs(tmp_path / "lock")
    finetunes: list = []
    first = jobs.start("olli", _retrain(settings, registry, finetunes), background=False)
    _serve(registry, first.result["model"])
    time.sleep(1.1)
    second = jobs.start("olli", _retrain(settings, registry, finetunes, fail=True), background=False)
    assert second.state == "succeeded", second.error
    assert [f is None for f in finetunes] == [True, False, True]  # full, failed finetune, full again
    plan = second.result["training"]
    assert plan["kind"] == FULL and "finetuning" in plan["reason"] and "Cannot finetune" in plan["reason"]
    assert any("falling back to a full training" in line for line in second.log)
    entry: Optional[ModelEntry] = registry.get(second.result["model"])
    assert entry is not None and entry.training == FULL and entry.finetune_chain == 0


def test_the_serving_model_answers_new_texts_while_the_candidate_trains(project_root: Path, tmp_path: Path) -> None:
    import threading

    from bot.operations.gate import Case

    settings = _settings(project_root, tmp_path)
    registry = ModelRegistry(settings.models_dir / "registry", keep=5)
    jobs = TrainingJobs(tmp_path / "lock")
    first = jobs.start("olli", _retrain(settings, registry, []), background=False)
    _serve(registry, first.result["model"])
    asked = threading.Event()
    overlapped: list[bool] = []
    train = fake_trainer([])

    def slow_trainer(*args, **kwargs):  # type: ignore[no-untyped-def]
        overlapped.append(asked.wait(10))  # the serving model is asked before training ends
        return train(*args, **kwargs)

    def predict(model: Path, texts):  # type: ignore[no-untyped-def]
        if model.name == first.result["model"]:
            asked.set()
        return ["greet"] * len(texts)

    time.sleep(1.1)
    retrain = Retrain(settings, registry, "olli", languages=["fi", "en"], trainer=slow_trainer, predictor=predict,
                      annotations=[Case("fi", "ihan uusi teksti", "greet", source="annotation")])
    second = jobs.start("olli", retrain, background=False)
    assert second.state == "succeeded", second.error
    assert overlapped == [True] and second.result["gate"]["baseline"] == "serving"
