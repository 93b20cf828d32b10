"""`polydesk retrain | models | deploy | rollback`: the model side of the operators' CLI (see cli.py)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.operations.jobs import TrainingBusy, TrainingJobs
from bot.operations.registry import GateRefused, ModelRegistry, RegistryError, registry_for
from bot.settings import Settings


def _registry(settings: Settings) -> ModelRegistry:
    return registry_for(settings)


def _print_gate(gate: dict[str, Any]) -> None:
    print(f"Quality gate: {'passed' if gate['passed'] else 'REFUSED (' + ', '.join(gate['failed_languages']) + ')'}"
          + (f" — {gate['note']}" if gate.get("note") else ""))
    for code, result in gate["languages"].items():
        serving = result.get("serving", {}).get("macro_f1")
        change = result["f1_change"]
        print(f"  {code}: macro-F1 {result['candidate']['macro_f1']:.3f}"
              + (f" (serving {serving:.3f}, {change * 100:+.1f} points)" if serving is not None else "")
              + f", annotated right {result['annotations']['candidate_correct']}/{result['annotations']['count']}")


def retrain(args: argparse.Namespace, settings: Settings) -> int:
    from bot.gateway.operator.annotations import annotated_cases
    from bot.operations.cli import operator_store, with_store
    from bot.operations.retrain import Retrain

    registry = _registry(settings)
    registry.adopt_running([settings.models_dir])
    cases = with_store(settings, lambda store: annotated_cases(operator_store(store)))
    languages = [c.strip() for c in args.languages.split(",")] if args.languages else None
    work = Retrain(settings, registry, args.operator, annotations=cases, languages=languages, epochs=args.epochs,
                   full=args.full)
    last: dict[str, Any] = {}

    def show(job: Any) -> None:
        p = job.progress
        line = (p.stage, p.component, p.epoch)
        if line != last.get("line"):
            last["line"] = line
            eta = f", about {p.eta_seconds:.0f} s left" if p.eta_seconds else ""
            detail = f" {p.component} epoch {p.epoch}/{p.epochs}{eta}" if p.component else f" {p.message}"
            print(f"[{job.to_json()['elapsed_seconds']:4d}s] {p.stage}:{detail}", flush=True)

    jobs = TrainingJobs(settings.var_dir / "operations" / "training.lock", on_change=show)
    try:
        job = jobs.start(args.operator, work, background=False)
    except TrainingBusy as error:
        print(f"polydesk: {error}", file=sys.stderr)
        return 1
    if job.state != "succeeded" or job.result is None:
        print(f"polydesk: the retrain failed: {job.error}", file=sys.stderr)
        return 1
    plan = job.result["training"]
    how = f"{plan['kind']} ({plan['method']})" if plan.get("method") else plan["kind"]
    print(f"Training: {how}" + (f" from {plan['base']}" if plan.get("base") else "") + f" ({plan['reason']}), "
          f"{job.result['training_seconds']:.0f} s")
    _print_gate(job.result["gate"])
    print(f"Candidate: {job.result['model']}  (polydesk deploy {job.result['model']})")
    return 0 if job.result["gate"]["passed"] else 3


def models(args: argparse.Namespace, settings: Settings) -> int:
    registry = _registry(settings)
    serving = registry.serving()
    for entry in registry.models():
        gate = "-" if entry.gate is None else "passed" if entry.gate.get("passed") else "refused"
        print(f"{'*' if entry.name == serving else ' '} {entry.name}  {entry.created_at}  gate {gate}  "
              f"{entry.training}  by {entry.trained_by}")
    return 0


def deploy(args: argparse.Namespace, settings: Settings) -> int:
    registry = _registry(settings)
    registry.adopt_running([settings.models_dir])
    try:
        registry.deploy(args.model, args.operator, args.override_reason)
    except GateRefused as error:
        print(f"polydesk: {error} (--override-reason)", file=sys.stderr)
        return 3
    except RegistryError as error:
        print(f"polydesk: {error}", file=sys.stderr)
        return 1
    print(f"Rasa now serves {args.model}")
    return 0


def rollback(args: argparse.Namespace, settings: Settings) -> int:
    try:
        name = _registry(settings).rollback(args.operator)
    except RegistryError as error:
        print(f"polydesk: {error}", file=sys.stderr)
        return 1
    print(f"Rasa serves {name} again")
    return 0
