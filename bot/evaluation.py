"""`polydesk eval`: train on a split of the project's examples, report per language on the rest.

The held-out part is drawn per language and per intent (FAQ topics included) with a fixed seed, so it
never overlaps training. Writes reports/eval.json, reports/README.md and a confusion matrix per language.
"""

from __future__ import annotations

import json
import math
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from bot.assembly import assemble, tag_blocks
from bot.project import Project, parse_examples
from bot.settings import Settings
from bot.text import text_key
from bot.training import rasa_environment, run_rasa_train

TARGETS = {"intent_macro_f1": 0.92, "faq_accuracy": 0.90}
_ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")


def plain_text(example: str) -> str:
    """The text a customer typed, without Rasa's entity annotations."""
    return _ANNOTATION.sub(r"\1", example)


@dataclass(frozen=True)
class HeldOut:
    language: str
    text: str
    intent: str  # "faq" for every FAQ topic
    response_key: Optional[str]  # "faq/opening_hours" for FAQ questions


def split(project: Project, test_fraction: float, seed: int) -> Tuple[Dict, List[HeldOut]]:
    """Training blocks per language and file, and the held-out examples."""
    return split_blocks({code: language.training for code, language in project.data.items()}, test_fraction, seed)


def dev_split(project: Project, test_fraction: float, seed: int, dev_seed: int) -> Tuple[Dict, List[HeldOut]]:
    """A development split: the test split of `seed` is set aside unseen and the rest split again with
    `dev_seed`, so settings and data can be compared without looking at the examples they are judged on."""
    training, _ = split(project, test_fraction, seed)
    return split_blocks(training, test_fraction, dev_seed)


def split_blocks(
    data: Dict[str, Dict[str, List[Dict[str, Any]]]], test_fraction: float, seed: int
) -> Tuple[Dict, List[HeldOut]]:
    """Splits training blocks ({language: {file: blocks}}) per language and intent."""
    rng = random.Random(seed)
    training: Dict[str, Dict[str, List[Dict[str, Any]]]] = {}
    held_out: List[HeldOut] = []
    for code, files in data.items():
        training[code] = {}
        for file_name, blocks in files.items():
            kept = []
            for block in blocks:
                examples = parse_examples(block["examples"])
                count = math.ceil(len(examples) * test_fraction) if len(examples) >= 5 else 0
                intent = str(block["intent"])
                tested, train_examples = _held_out_part(examples, count, rng)
                for example in tested:
                    base, _, _ = intent.partition("/")
                    held_out.append(HeldOut(code, plain_text(example), base, intent if "/" in intent else None))
                kept.append({"intent": intent, "examples": "".join(f"- {e}\n" for e in train_examples)})
            training[code][file_name] = tag_blocks(code, kept)
    return training, held_out


def _held_out_part(examples: List[str], count: int, rng: random.Random) -> Tuple[List[str], List[str]]:
    """About `count` examples to hold out and the rest. Examples that are the same text once case,
    diacritics and punctuation are ignored ("günaydın" / "gunaydin") stay on one side: the tokenizer folds
    them to the same features, so one in training and its twin held out would test nothing."""
    groups: Dict[str, List[str]] = {}
    for example in examples:
        groups.setdefault(text_key(plain_text(example)), []).append(example)
    order = list(groups.values())
    rng.shuffle(order)
    tested: List[str] = []
    trained: List[str] = []
    for group in order:
        (tested if len(tested) < count else trained).extend(group)
    return tested, trained


def _metrics(golds: List[str], predictions: List[str]) -> Dict[str, Any]:
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(golds))
    return {
        "accuracy": round(float(accuracy_score(golds, predictions)), 4),
        "macro_f1": round(float(f1_score(golds, predictions, labels=labels, average="macro", zero_division=0)), 4),
        "per_intent_f1": {
            label: round(float(score), 4)
            for label, score in zip(labels, f1_score(golds, predictions, labels=labels, average=None, zero_division=0))
        },
    }


def _confusion_image(golds: List[str], predictions: List[str], title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    labels = sorted(set(golds) | set(predictions))
    figure, axes = plt.subplots(figsize=(9, 8))
    ConfusionMatrixDisplay.from_predictions(
        golds, predictions, labels=labels, ax=axes, xticks_rotation=60, colorbar=False
    )
    axes.set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


@dataclass
class EvaluationReport:
    per_language: Dict[str, Dict[str, Any]]
    targets_met: bool


def report_language(code: str, items: List[HeldOut], predicted: List[Dict[str, Any]], out_dir: Path) -> Dict:
    golds = [item.intent for item in items]
    guesses = [str(p["intent"]) for p in predicted]
    result = _metrics(golds, guesses)
    faq = [(item, p) for item, p in zip(items, predicted) if item.response_key]
    result["faq_accuracy"] = round(
        sum(1 for item, p in faq if p["response_key"] == item.response_key) / max(1, len(faq)), 4
    )
    result["language_accuracy"] = round(
        sum(1 for item, p in zip(items, predicted) if p["language"] == code) / max(1, len(items)), 4
    )
    result["held_out_examples"] = len(items)
    result["faq_questions"] = len(faq)
    _confusion_image(golds, guesses, f"Intents, {code} (held out)", out_dir / f"confusion_{code}.png")
    return result


def _markdown(report: Dict[str, Dict[str, Any]], meta: Dict[str, Any]) -> str:
    lines = [
        "# Evaluation report",
        "",
        f"`polydesk eval` on {meta['date']}: trained on {1 - meta['test_fraction']:.0%} of each intent's "
        f"examples per language (seed {meta['seed']}, epochs {meta['epochs'] or 'as configured'}), "
        f"tested on the held-out rest. Training took {meta['training_seconds']:.0f} s.",
        "",
        *([f"Development split {meta['dev_seed']}: trained and tested inside the training part of seed "
           f"{meta['seed']}; its test split was not used.", ""] if meta.get("dev_seed") is not None else []),
        "| language | held out | intent accuracy | intent macro-F1 | FAQ questions | FAQ accuracy "
        "| language detection |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for code, r in report.items():
        lines.append(
            f"| {code} | {r['held_out_examples']} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} | "
            f"{r['faq_questions']} | {r['faq_accuracy']:.3f} | {r['language_accuracy']:.3f} |"
        )
    lines += ["", f"Targets: macro-F1 >= {TARGETS['intent_macro_f1']}, FAQ accuracy >= {TARGETS['faq_accuracy']}"
              " per language.", ""]
    for code in report:
        lines.append(f"![{code}](confusion_{code}.png)")
    return "\n".join(lines) + "\n"


def evaluate(
    settings: Settings,
    project: Project,
    out_dir: str = "reports",
    test_fraction: float = 0.2,
    epochs: Optional[int] = None,
    seed: int = 7,
    dev_seed: Optional[int] = None,
) -> EvaluationReport:
    report_dir = (settings.project_root / out_dir).resolve()
    report_dir.mkdir(parents=True, exist_ok=True)
    if dev_seed is None:
        training, held_out = split(project, test_fraction, seed)
    else:
        training, held_out = dev_split(project, test_fraction, seed, dev_seed)
        print(f"Development split {dev_seed}: the test split of seed {seed} is left out unseen.")
    print(f"Held out {len(held_out)} examples; training on the rest...")
    assembled = assemble(project, settings.project_root / "build" / "eval", epochs=epochs, training_blocks=training)
    started = time.monotonic()
    model = run_rasa_train(assembled, settings.project_root / "build" / "eval-model", "eval")
    training_seconds = time.monotonic() - started
    texts_path, predictions_path = report_dir / "held_out.json", report_dir / "predictions.json"
    texts_path.write_text(json.dumps([item.text for item in held_out], ensure_ascii=False), encoding="utf-8")
    print("Predicting the held-out examples...")
    predicting = subprocess.run(
        [sys.executable, "-m", "bot.nlu.predict", str(model), str(texts_path), str(predictions_path)],
        env=rasa_environment(), cwd=settings.project_root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True,
    )
    if predicting.returncode != 0:  # Rasa's import-time warnings are noise unless prediction failed
        sys.stderr.write(predicting.stderr[-4000:])
        raise SystemExit(f"Predicting the held-out examples failed (exit {predicting.returncode}), see above.")
    predictions = json.loads(predictions_path.read_text(encoding="utf-8"))
    per_language = {}
    for code in project.languages:
        pairs = [(item, p) for item, p in zip(held_out, predictions) if item.language == code]
        per_language[code] = report_language(code, [a for a, _ in pairs], [b for _, b in pairs], report_dir)
    meta = {"date": time.strftime("%Y-%m-%d"), "test_fraction": test_fraction, "seed": seed, "epochs": epochs,
            "training_seconds": training_seconds, "dev_seed": dev_seed}
    (report_dir / "eval.json").write_text(json.dumps({"meta": meta, "languages": per_language}, indent=2))
    (report_dir / "README.md").write_text(_markdown(per_language, meta), encoding="utf-8")
    met = all(
        r["macro_f1"] >= TARGETS["intent_macro_f1"] and r["faq_accuracy"] >= TARGETS["faq_accuracy"]
        for r in per_language.values()
    )
    print((report_dir / "README.md").read_text(encoding="utf-8"))
    return EvaluationReport(per_language, met)
