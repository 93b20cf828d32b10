"""Chooses LinearIntentClassifier's C, its blend weight and the fallback threshold on development splits
(never on the test split of `polydesk eval`): the protocol in this folder's README.

    .venv/bin/python benchmarks/assistant/blend_grid.py /tmp/dev101.pkl /tmp/dev102.pkl   # dev_rankings.py
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.nlu.ngram_regression import NgramRegression, blend  # noqa: E402

LANGUAGES = ("tr", "fi", "hu", "en")
GRID = [(c, w, t) for c in (30, 100, 300) for w in (0.3, 0.5) for t in (0.3, 0.35, 0.4, 0.45)]


def scores(data: Dict, classes: Sequence[str], probabilities: Optional[np.ndarray], weight: float,
           threshold: float, ambiguity: float = 0.05) -> Tuple[List[float], float]:
    """Macro-F1 per language with FallbackClassifier's rule, and the share of messages in fallback."""
    predicted = []
    for i, diet in enumerate(data["diet_rankings"]):
        row = probabilities[i] if probabilities is not None else []
        ranking = blend(diet.items(), classes, row, weight)
        low = ranking[0][1] < threshold or (len(ranking) > 1 and ranking[0][1] - ranking[1][1] < ambiguity)
        predicted.append("nlu_fallback" if low else ranking[0][0])
    gold, guess, language = (np.array(x) for x in (data["dev_intents"], predicted, data["dev_languages"]))
    f1 = [f1_score(gold[language == c], guess[language == c], labels=sorted(set(gold[language == c])),
                   average="macro") for c in LANGUAGES]
    return f1, float((guess == "nlu_fallback").mean())


def main(paths: List[str]) -> None:
    splits = [pickle.loads(Path(p).read_bytes()) for p in paths]
    diet_alone = [scores(d, [], None, 1.0, 0.45) for d in splits]
    print("DIET alone (0.45):", [np.round(f, 3).tolist() for f, _ in diet_alone], "fallback",
          [round(share, 3) for _, share in diet_alone])
    results = {}
    for c in sorted({c for c, _, _ in GRID}):
        fitted = []
        for d in splits:
            regression = NgramRegression({"C": c})
            languages = d.get("train_languages", [None] * len(d["train_texts"]))  # older dumps: no clusters
            regression.fit(d["train_texts"], d["train_intents"], languages)
            fitted.append((regression.classes, regression.probabilities(d["dev_texts"], d["dev_languages"])))
        for _, w, t in (g for g in GRID if g[0] == c):
            results[(c, w, t)] = [scores(d, classes, p, w, t) for d, (classes, p) in zip(splits, fitted)]
    rows = []
    for setting, per_split in results.items():
        mean = float(np.mean([np.mean(f) for f, _ in per_split]))
        allowed = all(share >= base for (_, share), (_, base) in zip(per_split, diet_alone))
        rows.append((mean, setting, allowed, per_split))
    for mean, setting, allowed, per_split in sorted(rows, reverse=True):
        print(f"{mean:.4f} C={setting[0]} weight={setting[1]} threshold={setting[2]}",
              "ok" if allowed else "fewer fallbacks than DIET alone",
              [np.round(f, 3).tolist() for f, _ in per_split], [round(s, 3) for _, s in per_split])


if __name__ == "__main__":
    main(sys.argv[1:])
