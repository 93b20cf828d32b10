"""Runs a trained model over texts in-process: `python -m bot.nlu.predict MODEL IN.json OUT.json`.

IN is a JSON list of texts; OUT gets, per text, the intent, its confidence, the FAQ answer key and the
language the pipeline chose. Used by `polydesk eval` and the retrain's quality gate, which must not import
Rasa themselves. Only the NLU part of the model is loaded (the dialogue policies would cost seconds for
nothing), once, and every text goes through it in one graph run: the parse data is what `/model/parse`
answers, bar `full_retrieval_intent_name`.

The TensorFlow models load without Rasa's training step (`bot.nlu.fast_loading`): most of a gate's time.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List

from rasa.core.channels.channel import UserMessage
from rasa.engine.constants import PLACEHOLDER_MESSAGE
from rasa.engine.graph import ExecutionContext
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT

from bot.nlu.fast_loading import prediction_only_loading


def prediction(parse: Dict[str, Any]) -> Dict[str, Any]:
    """The fields an evaluation compares, from `/model/parse`-style output."""
    intent = parse.get("intent") or {}
    selector = (parse.get("response_selector") or {}).get("faq") or {}
    response = selector.get("response") or {}
    language = parse.get("language") or {}
    return {
        "intent": intent.get("name"),
        "confidence": intent.get("confidence", 0.0),
        "response_key": response.get("intent_response_key"),
        "language": language.get("code"),
        "detected_language": language.get("detected"),
    }


def parse_all(model: Path, texts: List[str]) -> List[Dict[str, Any]]:
    """`/model/parse` output for each text, from the model's NLU graph loaded once."""
    with tempfile.TemporaryDirectory(prefix="polydesk-predict-") as folder, prediction_only_loading():
        storage, metadata = LocalModelStorage.from_model_archive(Path(folder), model)
        schema = metadata.predict_schema.minimal_graph_schema([metadata.nlu_target])
        runner = DaskGraphRunner(schema, storage, ExecutionContext(schema, metadata.model_id))
        messages = [UserMessage(text) for text in texts]
        parsed = runner.run(inputs={PLACEHOLDER_MESSAGE: messages}, targets=[metadata.nlu_target])
    results = []
    for message in parsed[metadata.nlu_target]:
        data: Dict[str, Any] = {TEXT: "", INTENT: {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}, ENTITIES: []}
        data.update(message.as_dict(only_output_properties=True))
        results.append(data)
    return results


def predict_all(model: Path, texts: List[str]) -> List[Dict[str, Any]]:
    return [prediction(parse) for parse in parse_all(model, texts)] if texts else []


def main(argv: List[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    model, source, target = (Path(arg) for arg in argv)
    texts = json.loads(source.read_text(encoding="utf-8"))
    results = predict_all(model, texts)
    target.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
