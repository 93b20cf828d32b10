"""Loading Rasa's TensorFlow models for prediction only, without the training step Rasa runs first.

`RasaModel.load` (DIETClassifier, ResponseSelector, TEDPolicy) compiles the model and trains it one step on
one stored example, so that every weight, optimizer state included, exists before the checkpoint restores
them; tracing that training step is most of a model's load time (DIET: ~35 of ~45 s on the loaded
2-core machine, for the gate and again for `PUT /model`). A process that only predicts does not need it:
one prediction on the stored prediction example creates every weight prediction uses, the checkpoint fills
them (its optimizer state stays unread), and a second prediction recomputes the label embeddings and the
graph with the trained weights. Parse data and TED's action probabilities were identical to Rasa's own
loading on the models we compared (bot/nlu/predict.py, benchmarks/retrain/README.md). Finetuning loads
(`finetune_mode`) keep Rasa's way.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Optional

from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel


@contextmanager
def prediction_only_loading() -> Iterator[None]:
    """While active, Rasa's TensorFlow models load for prediction without a training step."""
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
