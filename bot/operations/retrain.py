"""A retrain from the operators' side: build a candidate without the held-out examples (a full training,
or incrementally from the serving model: bot.operations.incremental), test it and the serving model on the
same cases, judge it with the gate, and register it (deploying is a separate step).

Training and prediction run in subprocesses (`rasa train`, `python -m bot.nlu.predict`): nothing here
imports Rasa. Both are injectable so the job's logic is tested without training.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Optional, Protocol, Sequence

from bot.assembly import AssembledProject, assemble, build_config, build_domain
from bot.operations.gate import Case, judge
from bot.operations.holdout import split
from bot.operations.incremental import FULL, INCREMENTAL, OVERLAY, TrainingPlan, plan_training, structure_fingerprint
from bot.operations.jobs import JobSink
from bot.operations.overlay_model import build_overlay_model, training_examples
from bot.operations.progress import ProgressParser, epoch_components
from bot.operations.registry import ModelEntry, ModelRegistry
from bot.project import load_project
from bot.settings import Settings
from bot.training import TrainingError, rasa_environment


@dataclass(frozen=True)
class Finetune:
    """Continue training `base` (a model file) for `epoch_fraction` of the configured epochs."""

    base: Path
    epoch_fraction: float


class Trainer(Protocol):
    """(assembled project, output dir, model name, line callback[, finetune]) -> model path."""

    def __call__(
        self, assembled: AssembledProject, out_dir: Path, name: str, on_line: Callable[[str], None],
        finetune: Optional[Finetune] = None,
    ) -> Path: ...


# (model path, texts) -> predicted intent per text
Predictor = Callable[[Path, Sequence[str]], list[Optional[str]]]


def rasa_train(
    assembled: AssembledProject, out_dir: Path, name: str, on_line: Callable[[str], None],
    finetune: Optional[Finetune] = None,
) -> Path:
    """`rasa train` with every output line handed to `on_line` (bot.training's runner shows only some);
    with `finetune`, Rasa's incremental training continues from that model's weights."""
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", str(assembled.config), "--domain", str(assembled.domain), "--data", str(assembled.data),
        "--out", str(out_dir), "--fixed-model-name", name,
    ]
    if finetune is not None:
        command += ["--finetune", str(finetune.base.resolve()), "--epoch-fraction", str(finetune.epoch_fraction)]
    out_dir.mkdir(parents=True, exist_ok=True)
    tail: list[str] = []
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=rasa_environment(),
        cwd=assembled.directory.parent.parent,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:  # tqdm's carriage returns end lines too (universal newlines)
            line = line.rstrip()
            if line:
                tail = (tail + [line])[-40:]
                on_line(line)
    path = out_dir / f"{name}.tar.gz"
    if process.returncode != 0 or not path.exists():
        raise TrainingError("rasa train failed:\n" + "\n".join(tail))
    return path


def rasa_predict(model: Path, texts: Sequence[str]) -> list[Optional[str]]:
    """Intents a model gives `texts`, via bot.nlu.predict in a subprocess."""
    with tempfile.TemporaryDirectory(prefix="polydesk-gate-") as folder:
        source, target = Path(folder) / "texts.json", Path(folder) / "predictions.json"
        source.write_text(json.dumps(list(texts), ensure_ascii=False), encoding="utf-8")
        subprocess.run(
            [sys.executable, "-m", "bot.nlu.predict", str(model), str(source), str(target)],
            check=True, env=rasa_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        return [p.get("intent") for p in json.loads(target.read_text(encoding="utf-8"))]


@dataclass
class Retrain:
    """One retrain: what to train and who asked."""

    settings: Settings
    registry: ModelRegistry
    who: str
    annotations: Sequence[Case] = ()
    languages: Optional[Sequence[str]] = None
    epochs: Optional[int] = None
    trainer: Optional[Trainer] = None  # None: rasa_train / rasa_predict (looked up when the job runs)
    predictor: Optional[Predictor] = None
    full: bool = False  # train from scratch even when only examples changed

    def _serving_predictions(self, name: str, texts: list[str]) -> list[Optional[str]]:
        """The serving model's answers, from what it predicted when it was a candidate; only texts it has
        not seen yet (new held-out examples, new annotations) cost a model load."""
        known = self.registry.predictions(name)
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        if missing:
            known.update(zip(missing, (self.predictor or rasa_predict)(self.registry.path(name), missing)))
            self.registry.save_predictions(name, known)
        return [known[text] for text in texts]

    def __call__(self, sink: JobSink) -> dict[str, Any]:
        sink.stage("assembling", "reading nlu_data/ and domain/")
        project = load_project(self.settings.project_root, self.languages)
        annotations = [case for case in self.annotations if case.language in project.languages]
        training, held_out = split(project, [case.text for case in annotations])
        epochs = self.epochs if self.epochs is not None else self.settings.retrain_epochs
        assembled = assemble(
            project, self.settings.project_root / "build" / "retrain", epochs=epochs, training_blocks=training
        )
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        name = f"polydesk-{assembled.fingerprint}-{stamp}"
        structure = structure_fingerprint(project)
        serving_name = self.registry.serving()
        serving_entry = self.registry.get(serving_name) if serving_name else None
        serving_learned = self.registry.learned(serving_name) if serving_name else None
        method = self.settings.retrain_incremental
        plan = plan_training(
            structure, serving_entry, bool(serving_name) and self.registry.path(str(serving_name)).exists(),
            self.settings.retrain_max_finetunes, full_requested=self.full, method=method,
            learned_known=serving_learned is not None,
        )
        examples = training_examples(training)  # digest -> example, of what this retrain trains on
        overlay_size = 0
        # explicit epochs are what this training runs; otherwise a finetune runs a share of config.yml's
        fraction = 1.0 if self.epochs is not None else self.settings.retrain_epoch_fraction
        components = epoch_components(build_config(project, epochs))
        self.registry.models_dir.mkdir(parents=True, exist_ok=True)
        trainer = self.trainer or rasa_train
        started = time.monotonic()

        def train(plan: TrainingPlan) -> Path:
            nonlocal overlay_size
            if plan.kind == INCREMENTAL and plan.method == OVERLAY:
                overlay = [example for digest, example in examples.items() if digest not in (serving_learned or ())]
                overlay_size = len(overlay)
                sink.job.training = plan.to_json()
                sink.stage("training", f"incremental (example overlay): {plan.reason}; {len(overlay)} examples "
                           f"not learned by {plan.base} yet; {len(held_out)} examples held out")
                return build_overlay_model(self.registry.path(str(plan.base)), self.registry.models_dir /
                                           f"{name}.tar.gz", overlay, build_domain(project)["responses"])
            scale = fraction if plan.kind == INCREMENTAL else 1.0
            parser = ProgressParser([(c, max(1, math.ceil(n * scale))) for c, n in components])
            sink.job.progress = parser.progress
            sink.job.training = plan.to_json()
            sink.stage("training", f"{plan.kind}: {plan.reason}; {len(project.languages)} languages, "
                       f"{len(held_out)} examples held out")

            def on_line(line: str) -> None:
                if parser.feed(line):
                    sink.changed()
                elif "ERROR" in line or "Error" in line:
                    sink.line(line[:300])

            if plan.kind == INCREMENTAL:
                base = self.registry.path(str(plan.base))
                return trainer(assembled, self.registry.models_dir, name, on_line, finetune=Finetune(base, fraction))
            return trainer(assembled, self.registry.models_dir, name, on_line)

        cases = held_out + list(annotations)
        texts = [case.text for case in cases]
        note = ""
        if serving_entry is None:
            note = "no model deployed through the registry yet: nothing to compare with"
        elif not serving_entry.held_out:
            note = f"{serving_name} was trained on every example (outside the registry): no fair baseline"
        elif not self.registry.path(serving_entry.name).exists():
            note = f"{serving_name} is missing from {self.registry.models_dir}"
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="serving-predictions") as pool:
            # the serving model's answers to texts it has not seen yet load it once: meanwhile, not after
            baseline = None if note else pool.submit(self._serving_predictions, str(serving_name), texts)
            try:
                path = train(plan)
            except Exception as error:  # any failure to build incrementally: say so, train from scratch
                if plan.kind != INCREMENTAL:
                    raise
                last = str(error).strip().splitlines()[-1:] or [type(error).__name__]
                what = "finetuning" if plan.method != OVERLAY else "adding the example overlay to"
                sink.line(f"{what} {plan.base} failed ({last[0][:200]}); falling back to a full training")
                plan = TrainingPlan(FULL, f"{what} {plan.base} failed: {last[0][:200]}")
                path = train(plan)
            training_seconds = round(time.monotonic() - started, 1)
            sink.stage("evaluating", f"built ({plan.method or plan.kind}) in {training_seconds:.0f} s; testing on "
                       f"{len(held_out)} + {len(annotations)} annotated texts")
            candidate = (self.predictor or rasa_predict)(path, texts)
            self.registry.save_predictions(path.name, dict(zip(texts, candidate)))
            serving: Optional[list[Optional[str]]] = baseline.result() if baseline else None
        report = judge(cases, candidate, serving, project.languages, self.settings.gate_max_f1_drop, note)
        entry = self.registry.add(
            ModelEntry(
                path.name,
                datetime.now(timezone.utc).isoformat(timespec="seconds"),
                languages=list(project.languages),
                trained_by=self.who,
                training_seconds=training_seconds,
                gate=report.to_json(),
                structure=structure,
                training=plan.kind,
                base_model=plan.base,
                finetune_chain=plan.chain,
                method=plan.method,
                overlay_examples=overlay_size if plan.method == OVERLAY and plan.kind == INCREMENTAL else 0,
            )
        )
        # what the classifiers learned: an overlay's base's examples, else every example trained on
        learned = serving_learned if plan.method == OVERLAY and plan.kind == INCREMENTAL else set(examples)
        self.registry.save_learned(entry.name, set(learned or ()))
        sink.stage("done", "gate passed" if report.passed else "gate refused: see the report")
        return {"model": entry.name, "gate": report.to_json(), "training_seconds": training_seconds,
                "serving": serving_name, "training": plan.to_json()}
