"""The overlay path of an incremental retrain with fake Rasa-shaped archives: which examples the overlay
gets (and keeps across retrains), what the candidate archive changes, and the fallbacks."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.operations.content import Content, changelog_for
from bot.operations.holdout import held_out
from bot.operations.incremental import FULL, INCREMENTAL, OVERLAY
from bot.operations.jobs import Job, TrainingJobs
from bot.operations.overlay_model import (
    OverlayUnavailable,
    build_overlay_model,
    example_digest,
    overlay_examples,
    training_examples,
)
from bot.operations.registry import ModelRegistry
from bot.operations.retrain import Retrain
from bot.overlay import OverlayExample
from bot.settings import Settings
from tests.operations.test_retrain import OVERLAY_RESOURCE, fake_trainer, predictor, read_fake_model, write_fake_model

OVERLAY_FILE = f"components/{OVERLAY_RESOURCE}/overlay.json"


def _blocks(language: str, intent: str, *examples: str) -> dict:
    return {language: {"nlu.yml": [{"intent": intent, "examples": "".join(f"- {e}\n" for e in examples)}]}}


def test_the_overlay_is_what_the_base_did_not_learn_edits_and_relabels_included() -> None:
    learned = {example_digest("en", "greet", "hello there"), example_digest("en", "greet", "hi [Anna](name)")}
    training = _blocks("en", "greet", "hello there", "hi [Anna](name)", "hey you")
    training["en"]["faq.yml"] = [{"intent": "faq/order_status", "examples": "- hello there\n"}]
    assert overlay_examples(training, learned) == [
        OverlayExample("en", "greet", "hey you"),
        OverlayExample("en", "faq/order_status", "hello there"),  # relabelled: the overlay overrides DIET
    ]
    assert training_examples(_blocks("en", "greet", "hi [Anna](name)")) == {
        example_digest("en", "greet", "hi [Anna](name)"): OverlayExample("en", "greet", "hi Anna")
    }


def test_the_candidate_archive_changes_only_the_overlay_the_model_id_and_the_answer_texts(tmp_path: Path) -> None:
    base = write_fake_model(tmp_path / "base.tar.gz")
    new_texts = {"utter_faq/order_status": [{"text": "new answer"}], "utter_unused": [{"text": "x"}]}
    examples = [OverlayExample("fi", "faq/order_status", "missä viipyy mun sohva")]
    target = build_overlay_model(base, tmp_path / "candidate.tar.gz", examples, new_texts)
    before, after = read_fake_model(base), read_fake_model(target)
    assert after[OVERLAY_FILE]["examples"] == [example.to_json() for example in examples]
    assert after["metadata.json"]["model_id"] != before["metadata.json"]["model_id"]
    assert after["metadata.json"]["trained_at"] != before["metadata.json"]["trained_at"]
    # every copy of the answer texts follows, and no response appears that the model did not have
    for member, responses in [
        ("metadata.json", after["metadata.json"]["domain"]["responses"]),
        (OVERLAY_FILE, after[OVERLAY_FILE]["responses"]),
        ("components/domain_provider/domain.yml", after["components/domain_provider/domain.yml"]["responses"]),
        (
            "components/train_ResponseSelector7/ResponseSelector.responses.json",
            after["components/train_ResponseSelector7/ResponseSelector.responses.json"],
        ),
    ]:
        assert responses == {"utter_faq/order_status": [{"text": "new answer"}]}, member
    weights = "components/train_DIETClassifier5/DIETClassifier.tf_model.data-00000-of-00001"
    assert after[weights] == before[weights] and set(after) == set(before)


def test_a_model_without_the_overlay_component_cannot_carry_one(tmp_path: Path) -> None:
    (tmp_path / "old.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(OverlayUnavailable):
        build_overlay_model(tmp_path / "old.tar.gz", tmp_path / "c.tar.gz", [])
    import tarfile

    with tarfile.open(tmp_path / "rasa2.tar.gz", "w:gz"):
        pass
    with pytest.raises(OverlayUnavailable):
        build_overlay_model(tmp_path / "rasa2.tar.gz", tmp_path / "c.tar.gz", [])
    assert not (tmp_path / "c.tar.gz").exists()


def _settings(project_root: Path, tmp_path: Path) -> Settings:
    return Settings(
        project_root=project_root,
        var_dir=tmp_path / "var",
        models_dir=tmp_path / "models",
        environment="test",
        retrain_incremental=OVERLAY,
    )


def _retrain(settings: Settings, registry: ModelRegistry, trained: list, full: bool = False) -> Retrain:
    return Retrain(
        settings,
        registry,
        "olli",
        languages=["fi", "en"],
        full=full,
        trainer=fake_trainer([], trained),
        predictor=predictor({"polydesk-": lambda text: "greet"}, []),
    )


def _run_and_serve(jobs: TrainingJobs, retrain: Retrain, registry: ModelRegistry) -> Job:
    time.sleep(1.1)  # a new model name
    job = jobs.start("olli", retrain, background=False)
    assert job.state == "succeeded", job.error
    state = registry._read()
    state["history"].append({"action": "deploy", "model": job.result["model"], "previous": state["serving"]})
    state["serving"] = job.result["model"]
    registry._write(state)
    return job


def _held_out_text() -> str:
    return next(text for n in range(500) if held_out("fi", text := f"missä viipyy mun sohva numero {n}"))


def test_added_examples_become_an_overlay_that_grows_until_the_next_full_training(
    project_root: Path, tmp_path: Path
) -> None:
    settings = _settings(project_root, tmp_path)
    registry = ModelRegistry(settings.models_dir / "registry", keep=5)
    jobs = TrainingJobs(tmp_path / "lock")
    content = Content(project_root, changelog_for(settings.var_dir))
    trained: list = []
    first = _run_and_serve(jobs, _retrain(settings, registry, trained), registry)
    assert first.result["training"]["kind"] == FULL and len(trained) == 1

    hidden = _held_out_text()
    content.add_examples("fi", "faq/order_status", ["missä viipyy mun sohva", hidden], "olli")
    second = _run_and_serve(jobs, _retrain(settings, registry, trained), registry)
    plan = second.result["training"]
    assert (plan["kind"], plan["method"], plan["base"]) == (INCREMENTAL, OVERLAY, first.result["model"])
    assert len(trained) == 1 and any("example overlay" in line for line in second.log)  # no training ran
    overlay = read_fake_model(registry.path(second.result["model"]))[OVERLAY_FILE]["examples"]
    # the held-out one stays a test case of the gate, never an answer of the overlay
    assert overlay == [{"language": "fi", "intent": "faq/order_status", "text": "missä viipyy mun sohva"}]
    entry = registry.get(second.result["model"])
    assert entry is not None and (entry.method, entry.overlay_examples, entry.finetune_chain) == (OVERLAY, 1, 1)
    assert registry.learned(second.result["model"]) == registry.learned(first.result["model"])

    content.add_examples("en", "greet", ["good morning dear bot"], "olli")
    third = _run_and_serve(jobs, _retrain(settings, registry, trained), registry)
    assert third.result["training"]["base"] == second.result["model"] and len(trained) == 1
    overlay = read_fake_model(registry.path(third.result["model"]))[OVERLAY_FILE]["examples"]
    assert [example["text"] for example in overlay] == ["missä viipyy mun sohva", "good morning dear bot"]

    fresh = _run_and_serve(jobs, _retrain(settings, registry, trained, full=True), registry)
    assert fresh.result["training"]["kind"] == FULL and len(trained) == 2
    learned = registry.learned(fresh.result["model"])
    assert learned is not None and len(learned) == len(registry.learned(first.result["model"]) or ()) + 2


def test_a_serving_model_without_a_record_of_its_examples_means_a_full_training(
    project_root: Path, tmp_path: Path
) -> None:
    settings = _settings(project_root, tmp_path)
    registry = ModelRegistry(settings.models_dir / "registry", keep=5)
    jobs = TrainingJobs(tmp_path / "lock")
    trained: list = []
    first = _run_and_serve(jobs, _retrain(settings, registry, trained), registry)
    registry._learned_path(first.result["model"]).unlink()
    second = _run_and_serve(jobs, _retrain(settings, registry, trained), registry)
    assert second.result["training"]["kind"] == FULL and "no record" in second.result["training"]["reason"]


def test_a_base_that_cannot_carry_an_overlay_falls_back_to_a_full_training(project_root: Path, tmp_path: Path) -> None:
    settings = _settings(project_root, tmp_path)
    registry = ModelRegistry(settings.models_dir / "registry", keep=5)
    jobs = TrainingJobs(tmp_path / "lock")
    trained: list = []
    first = _run_and_serve(jobs, _retrain(settings, registry, trained), registry)
    registry.path(first.result["model"]).write_bytes(b"a model from before the overlay")
    second = _run_and_serve(jobs, _retrain(settings, registry, trained), registry)
    plan = second.result["training"]
    assert plan["kind"] == FULL and "example overlay" in plan["reason"] and len(trained) == 2
    assert any("falling back to a full training" in line for line in second.log)
    entry = registry.get(second.result["model"])
    assert entry is not None and entry.overlay_examples == 0 and entry.method is None
