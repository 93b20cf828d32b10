"""One training at a time, progress parsed from Rasa's bars, failures reported."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bot.operations.jobs import JobSink, TrainingBusy, TrainingJobs
from bot.operations.progress import ProgressParser, epoch_components

BARS = [
    "2025-01-01 INFO  rasa.engine.training.hooks  - Starting to train component 'DIETClassifier'.",
    "Epochs:   0%|          | 0/10 [00:00<?, ?it/s]",
    "Epochs:  50%|█████     | 5/10 [00:05<00:05,  1.00it/s, t_loss=3.1]",
    "Epochs: 100%|██████████| 10/10 [00:10<00:00,  1.00it/s, t_loss=2.0]",
    "Epochs:  20%|██        | 1/5 [00:02<00:08,  0.50it/s]",
]


def test_progress_follows_components_epochs_and_time_left() -> None:
    config = {"pipeline": [{"name": "DIETClassifier", "epochs": 10}, {"name": "ResponseSelector", "epochs": 5}],
              "policies": [{"name": "TEDPolicy", "epochs": 20}]}
    parser = ProgressParser(epoch_components(config), post_training_seconds=30)
    for line in BARS[:3]:
        parser.feed(line)
    progress = parser.progress
    assert (progress.component, progress.epoch, progress.epochs) == ("DIETClassifier", 5, 10)
    assert progress.eta_seconds == 5 + (5 + 20) * 1.0 + 30
    parser.feed(BARS[3])
    parser.feed(BARS[4])
    assert (progress.component, progress.epoch, progress.component_index) == ("ResponseSelector", 1, 1)
    assert progress.eta_seconds == 8 + 20 * 2.0 + 30
    assert not parser.feed("some other log line")


def test_a_second_training_is_refused_while_one_runs(tmp_path: Path) -> None:
    release = threading.Event()
    jobs = TrainingJobs(tmp_path / "training.lock")

    def slow(sink: JobSink) -> dict:
        sink.stage("training", "fake")
        release.wait(5)
        return {"model": "m.tar.gz"}

    first = jobs.start("olli", slow)
    with pytest.raises(TrainingBusy, match="olli"):
        jobs.start("anna", slow)
    other_process = TrainingJobs(tmp_path / "training.lock")  # same lock file: like the CLI
    with pytest.raises(TrainingBusy, match="elsewhere"):
        other_process.start("cli", slow)
    release.set()
    jobs.wait(5)
    assert first.state == "succeeded" and first.result == {"model": "m.tar.gz"}
    assert jobs.start("anna", lambda sink: {}, background=False).state == "succeeded"


def test_a_failing_training_is_reported(tmp_path: Path) -> None:
    jobs = TrainingJobs(tmp_path / "training.lock")

    def broken(sink: JobSink) -> dict:
        raise RuntimeError("rasa train failed: out of memory")

    job = jobs.start("olli", broken, background=False)
    assert job.state == "failed" and "out of memory" in (job.error or "")
    assert job.to_json()["progress"]["stage"] == "failed"
    assert jobs.start("olli", lambda sink: {}, background=False).state == "succeeded"  # lock released
