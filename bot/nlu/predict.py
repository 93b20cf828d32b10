"""Runs a trained model over texts in-process: `python -m bot.nlu.predict MODEL IN.json OUT.json`.

IN is a JSON list of texts; OUT gets, per text, the intent, its confidence, the FAQ answer key and the
language the pipeline chose. Used by `polydesk eval` and the retrain's quality gate, which must not import
Rasa themselves. Only the NLU part of the model is loaded (the dialogue policies would cost seconds for
nothing), once, and every text goes through it in one graph run: the parse data is what `/model/parse`
answers, bar `full_retrieval_intent_name`.

Loading is also cut short where Rasa builds a TensorFlow model for further training: `RasaModel.load`
trains one step on one example to create the weights before restoring them (most of DIET's load time, and
of a whole gate's), where a prediction creates every weight prediction needs. Same weights, same outputs.
"""

from __future__ import annotations

import json
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

from rasa.core.channels.channel import UserMessage
from rasa.engine.constants import PLACEHOLDER_MESSAGE
from rasa.engine.graph import ExecutionContext
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel


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


@contextmanager
def prediction_only_loading() -> Iterator[None]:
    """While active, Rasa's TensorFlow models load for prediction without a training step: a prediction on
    the stored example creates the weights, the checkpoint fills them (its optimizer state is not needed),
    and a second prediction computes the label embeddings and the graph with the trained weights."""
    original = RasaModel.load.__func__  # type: ignore[attr-defined]

    def load(
        cls: Any,
        model_file_name: str,
        model_data_example: RasaModelData,
        predict_data_example: Optional[RasaModelData] = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        if finetune_mode or predict_data_example is None:
            return original(
                cls, model_file_name, model_data_example, predict_data_example, finetune_mode, *args, **kwargs
            )
        model = cls(*args, **kwargs)
        model.run_inference(predict_data_example)
        model.load_weights(model_file_name).expect_partial()
        model.prepared_for_prediction = False
        model._tf_predict_step = None
        model.run_inference(predict_data_example)
        return model

    RasaModel.load = classmethod(load)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        RasaModel.load = classmethod(original)  # type: ignore[method-assign,assignment]


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
