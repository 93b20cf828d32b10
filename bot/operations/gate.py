"""The quality gate: a candidate model may replace the serving one only if no language's intent macro-F1
falls by more than the allowed drop (1 point) on the held-out examples and the operators' annotations.

Pure computation on predictions (no Rasa here): the retrain job predicts both models' answers for the same
test cases and hands them in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence


@dataclass(frozen=True)
class Case:
    """One test text with the intent it should get (FAQ topics count as `faq`, as the classifier sees them)."""

    language: str
    text: str
    intent: str
    source: str = "held_out"  # held_out | annotation


def base_intent(intent: Optional[str]) -> str:
    return str(intent or "").split("/", 1)[0]


def scores(golds: Sequence[str], guesses: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 over the gold labels, F1 per intent and the confusion matrix."""
    labels = sorted(set(golds))
    per_intent = {}
    for label in labels:
        true_positive = sum(1 for g, p in zip(golds, guesses) if g == label and p == label)
        predicted = sum(1 for p in guesses if p == label)
        actual = sum(1 for g in golds if g == label)
        precision = true_positive / predicted if predicted else 0.0
        recall = true_positive / actual if actual else 0.0
        per_intent[label] = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    columns = sorted(set(golds) | set(guesses))
    matrix = [[sum(1 for g, p in zip(golds, guesses) if g == row and p == col) for col in columns] for row in labels]
    return {
        "count": len(golds),
        "accuracy": round(sum(1 for g, p in zip(golds, guesses) if g == p) / len(golds), 4) if golds else 0.0,
        "macro_f1": round(sum(per_intent.values()) / len(per_intent), 4) if per_intent else 0.0,
        "per_intent_f1": per_intent,
        "confusion": {"rows": labels, "columns": columns, "matrix": matrix},
    }


@dataclass
class GateReport:
    passed: bool
    max_drop: float
    languages: dict[str, dict[str, Any]]
    baseline: str  # "serving" | "none" (first model, or a serving model trained outside the registry)
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "max_drop": self.max_drop,
            "baseline": self.baseline,
            "note": self.note,
            "languages": self.languages,
            "failed_languages": [code for code, r in self.languages.items() if not r["passed"]],
        }


def judge(
    cases: Sequence[Case],
    candidate: Sequence[Optional[str]],
    serving: Optional[Sequence[Optional[str]]],
    languages: Sequence[str],
    max_drop: float,
    note: str = "",
) -> GateReport:
    """Compares per language; `serving` None means there is no fair baseline and the gate only reports."""
    results: dict[str, dict[str, Any]] = {}
    for code in languages:
        indices = [i for i, case in enumerate(cases) if case.language == code]
        golds = [cases[i].intent for i in indices]
        result: dict[str, Any] = {"candidate": scores(golds, [base_intent(candidate[i]) for i in indices])}
        annotated = [i for i in indices if cases[i].source == "annotation"]
        result["annotations"] = {
            "count": len(annotated),
            "candidate_correct": sum(1 for i in annotated if base_intent(candidate[i]) == cases[i].intent),
        }
        if serving is not None:
            result["serving"] = scores(golds, [base_intent(serving[i]) for i in indices])
            result["annotations"]["serving_correct"] = sum(
                1 for i in annotated if base_intent(serving[i]) == cases[i].intent
            )
            drop = result["serving"]["macro_f1"] - result["candidate"]["macro_f1"]
            result["f1_change"] = round(-drop, 4)
            result["passed"] = drop <= max_drop + 1e-9
        else:
            result["f1_change"] = None
            result["passed"] = True
        results[code] = result
    return GateReport(
        passed=all(r["passed"] for r in results.values()),
        max_drop=max_drop,
        languages=results,
        baseline="serving" if serving is not None else "none",
        note=note,
    )
