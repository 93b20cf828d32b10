"""Dumps what `blend_grid.py` needs from a development-split model: DIET's intent ranking for the
development examples, and the training and development texts with their intents and languages.

    .venv/bin/polydesk eval --dev 101 --out /tmp/dev101       # trains build/eval-model on the dev split
    .venv/bin/python benchmarks/assistant/dev_rankings.py /tmp/dev101.pkl 101

The model is run only up to DIETClassifier, so the ranking is DIET's alone, whatever comes after it.
"""

from __future__ import annotations

import pickle
import sys
import tempfile
from pathlib import Path

from rasa.core.channels.channel import UserMessage
from rasa.engine.constants import PLACEHOLDER_MESSAGE
from rasa.engine.graph import ExecutionContext
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.evaluation import dev_split, plain_text  # noqa: E402
from bot.nlu.fast_loading import prediction_only_loading  # noqa: E402
from bot.project import load_project, parse_examples  # noqa: E402


def main(out: str, dev_seed: int, seed: int = 7) -> None:
    project = load_project(ROOT)
    training, dev = dev_split(project, 0.2, seed, dev_seed)
    trained = [
        (code, plain_text(example), str(block["intent"]).partition("/")[0])
        for code, files in training.items() for blocks in files.values() for block in blocks
        for example in parse_examples(block["examples"])
    ]
    model = ROOT / "build" / "eval-model" / "eval.tar.gz"
    with tempfile.TemporaryDirectory() as folder, prediction_only_loading():
        storage, metadata = LocalModelStorage.from_model_archive(Path(folder), model)
        target = next(name for name in metadata.predict_schema.nodes if name.startswith("run_DIETClassifier"))
        schema = metadata.predict_schema.minimal_graph_schema([target])
        runner = DaskGraphRunner(schema, storage, ExecutionContext(schema, metadata.model_id))
        messages = runner.run(inputs={PLACEHOLDER_MESSAGE: [UserMessage(h.text) for h in dev]}, targets=[target])
    rankings = [{e["name"]: e["confidence"] for e in m.get("intent_ranking") or []} for m in messages[target]]
    data = {
        "train_texts": [t for _, t, _ in trained], "train_intents": [i for _, _, i in trained],
        "train_languages": [code for code, _, _ in trained],
        "dev_texts": [h.text for h in dev], "dev_intents": [h.intent for h in dev],
        "dev_languages": [h.language for h in dev], "diet_rankings": rankings,
    }
    Path(out).write_bytes(pickle.dumps(data))
    print(f"{out}: {len(trained)} training and {len(dev)} development examples")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
