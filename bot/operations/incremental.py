"""Deciding whether a retrain may build on the serving model instead of training from scratch.

The registry stores with each model a fingerprint of everything except the NLU examples (the
"structure"); a retrain whose structure equals the serving model's has only added or edited examples and
is incremental. Two methods (`Settings.retrain_incremental`):
- overlay (the default): no training. The candidate is the serving model's archive plus the examples its
  classifiers have not learned, answered by `bot.nlu.example_overlay` when a message repeats one
  (`bot.operations.overlay_model`). Needs the record of what the serving model learned.
- finetune: Rasa 3.6's `rasa train --finetune MODEL --epoch-fraction F`, possible only when the
  configuration (bar epochs), the domain (bar response texts) and the labels are what the model was
  trained with; the featurizers grow their vocabulary and DIET, ResponseSelector and TED continue from
  their weights.
Anything else, or a serving model that cannot be a base, means a full training, and the plan says why.
Nothing here imports Rasa.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Optional

from bot.assembly import EPOCH_COMPONENTS, build_config
from bot.nlu.code_version import code_fingerprint
from bot.operations.registry import ModelEntry
from bot.project import Project, parse_examples

FULL, INCREMENTAL = "full", "incremental"
OVERLAY, FINETUNE = "overlay", "finetune"  # how an incremental retrain builds on its base
# Code whose behaviour shapes the features a model learned: a change to it makes old weights meaningless.
# Paths under bot/ (bot/language is not here: training examples carry their folder's language, detection
# runs at prediction).
FEATURE_CODE = ("nlu", "text.py")
# Entity annotations inside examples: `[text](entity)` and `[text]{"entity": "name", ...}`.
_ENTITY = re.compile(r"\]\(([^)]+)\)|\]\{([^}]*)\}")


@dataclass(frozen=True)
class TrainingPlan:
    """How a retrain trains: from scratch, or building on `base` (a registry model's file name)."""

    kind: str  # FULL or INCREMENTAL
    reason: str
    base: Optional[str] = None
    chain: int = 0  # incremental retrains since the last full training, this one included
    method: Optional[str] = None  # INCREMENTAL only: OVERLAY or FINETUNE

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _labels(project: Project) -> dict[str, list[str]]:
    """Every intent (retrieval keys included) and entity label of the training data, all languages."""
    intents: set[str] = set()
    entities: set[str] = set()
    for language in project.data.values():
        for blocks in language.training.values():
            for block in blocks:
                intents.add(str(block["intent"]))
                for example in parse_examples(block["examples"]):
                    for plain, annotated in _ENTITY.findall(example):
                        entities.add(plain or annotated)
    return {"intents": sorted(intents), "entities": sorted(entities)}


def _code_digest(root: Path) -> str:
    digest = hashlib.sha256(code_fingerprint(root / "bot", FEATURE_CODE).encode())
    try:
        digest.update(metadata.version("rasa").encode())
    except metadata.PackageNotFoundError:
        pass
    return digest.hexdigest()


def structure_fingerprint(project: Project, code_root: Optional[Path] = None) -> str:
    """A hash of everything a model is built from except the NLU example texts (and epochs, and response
    texts, which Rasa allows to change when finetuning): equal hashes mean only examples changed."""
    config = build_config(project)
    for section in ("pipeline", "policies"):
        for component in config.get(section) or []:
            if str(component.get("name", "")).rsplit(".", 1)[-1] in EPOCH_COMPONENTS:
                component.pop("epochs", None)
    dialogue = {path.name: path.read_text(encoding="utf-8") for path in sorted(project.data_dir.glob("*.yml"))}
    content = {
        "config": config,
        "domain": project.domain,
        "responses": project.response_keys(),
        "dialogue": dialogue,
        "labels": _labels(project),
        "code": _code_digest(code_root or Path(__file__).resolve().parents[2]),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()[:16]


def plan_training(
    structure: str,
    serving: Optional[ModelEntry],
    serving_file_exists: bool,
    max_chain: int,
    full_requested: bool = False,
    method: str = OVERLAY,
    learned_known: bool = True,
) -> TrainingPlan:
    """Incremental when the serving model is a fair registry model with the same structure (and, for an
    overlay, a record of the examples it learned); else full."""
    if full_requested:
        return TrainingPlan(FULL, "a full training was asked for")
    if serving is None:
        return TrainingPlan(FULL, "no model deployed through the registry yet")
    if not serving.held_out:
        return TrainingPlan(FULL, f"{serving.name} saw the held-out examples: it cannot be a base")
    if not serving.structure:
        return TrainingPlan(FULL, f"{serving.name} predates incremental training (no structure fingerprint)")
    if serving.structure != structure:
        return TrainingPlan(
            FULL, f"the configuration, domain, intents, responses or NLU code changed since {serving.name}"
        )
    if not serving_file_exists:
        return TrainingPlan(FULL, f"{serving.name} is missing from the registry folder")
    if serving.finetune_chain >= max_chain:
        return TrainingPlan(FULL, f"{serving.finetune_chain} incremental retrains in a row: time for a fresh training")
    if method == OVERLAY and not learned_known:
        return TrainingPlan(FULL, f"{serving.name} has no record of the examples it learned (an older model)")
    return TrainingPlan(
        INCREMENTAL,
        f"only NLU examples changed since {serving.name}",
        serving.name,
        serving.finetune_chain + 1,
        method,
    )
