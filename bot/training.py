"""Training a model from the project's sources, with progress, once per change of the sources."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Optional

from bot.assembly import AssembledProject, assemble, fingerprint
from bot.project import Project
from bot.settings import Settings

MODEL_PREFIX = "polydesk-"


class TrainingError(RuntimeError):
    """`rasa train` failed; the message carries the end of its output."""


def model_path(settings: Settings, project: Project, epochs: Optional[int] = None) -> Path:
    """Where the model for the sources as they are now lives (it may not exist yet)."""
    return settings.models_dir / f"{MODEL_PREFIX}{fingerprint(project, epochs)}.tar.gz"


def latest_model(settings: Settings) -> Optional[Path]:
    models = sorted(settings.models_dir.glob(f"{MODEL_PREFIX}*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def rasa_environment() -> dict:
    """Environment for Rasa subprocesses: quiet TensorFlow, no telemetry, no network look-ups."""
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("PYTHONWARNINGS", "ignore")
    return env


def run_rasa_train(
    assembled: AssembledProject,
    out_dir: Path,
    model_name: str,
    log: Callable[[str], None] = print,
    core_too: bool = True,
) -> Path:
    """Runs `rasa train` on an assembled project, echoing Rasa's progress lines."""
    command = [sys.executable, "-m", "rasa", "train"] + ([] if core_too else ["nlu"])
    command += [
        "--config", str(assembled.config),
        "--out", str(out_dir),
        "--fixed-model-name", model_name,
    ]
    if core_too:
        command += ["--domain", str(assembled.domain), "--data", str(assembled.data)]
    else:
        command += ["--nlu", str(assembled.data), "--domain", str(assembled.domain)]
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    tail: list = []
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=rasa_environment(),
        cwd=assembled.directory.parent.parent,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            line = line.rstrip()
            tail = (tail + [line])[-40:]
            if _is_progress(line):
                log(f"  [{time.monotonic() - started:5.0f}s] {line[:150]}")
    if process.returncode != 0:
        raise TrainingError("rasa train failed:\n" + "\n".join(tail))
    path = out_dir / f"{model_name}.tar.gz"
    if not path.exists():
        raise TrainingError(f"rasa train finished but {path} is missing:\n" + "\n".join(tail))
    return path


def _is_progress(line: str) -> bool:
    keys = ("Epochs:", "Training", "Finished", "Your Rasa model", "Starting", "Processed", "ERROR", "Error")
    if "Epochs:" in line:
        # tqdm redraws; show every tenth epoch and the last
        return "100%" in line or "0/" in line.split("Epochs:")[-1][:6]
    return any(key in line for key in keys)


def train(
    settings: Settings,
    project: Project,
    epochs: Optional[int] = None,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> Path:
    """Trains unless a model of these exact sources exists; returns the model's path."""
    target = model_path(settings, project, epochs)
    if target.exists() and not force:
        log(f"Model is current: {target.name}")
        return target
    started = time.monotonic()
    log(f"Training {', '.join(project.languages)} ({'full' if epochs is None else f'{epochs} epochs'})...")
    assembled = assemble(project, settings.project_root / "build" / "train", epochs=epochs)
    path = run_rasa_train(assembled, settings.models_dir, target.name[: -len(".tar.gz")], log)
    log(f"Trained {path.name} in {time.monotonic() - started:.0f} s ({path.stat().st_size / 1e6:.1f} MB)")
    return path
