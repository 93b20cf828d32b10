"""Finetuning (an incremental retrain) with the count-vector featurizer and the tokenizer: the vocabulary
grows by what a training from scratch would keep, and new words get their lemmas."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.count_vectors import BoundedCountVectorsFeaturizer, frequent_new_terms
from bot.nlu.tokenizer import LanguageAwareTokenizer

OLD = [f"where is my order number {n} and the parcel with the sofa" for n in range(20)] + [
    "opening hours of the shop", "can I pay by invoice", "the delivery was damaged and late"]
# distinct texts (training data drops duplicates): "zebra" becomes as frequent as the kept n-grams
NEW = OLD + [f"zebra zebra zebra quokka {'a' * n}" for n in range(1, 13)]


def _data(texts: list[str]) -> TrainingData:
    data = TrainingData([Message.build(text, "greet") for text in texts])
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process_training_data(data)
    return data


def _vocabulary_after_finetune(cls: Any, tmp_path: Path, config: dict[str, Any]) -> tuple[int, set[str]]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    storage, resource = LocalModelStorage(tmp_path), Resource("featurizer")
    config = {**CountVectorsFeaturizer.get_default_config(), **config}
    cls.create(config, storage, resource, ExecutionContext(GraphSchema({}), "t")).train(_data(OLD))
    finetuning = ExecutionContext(GraphSchema({}), "t", is_finetuning=True)
    loaded = cls.load(config, storage, resource, finetuning)
    before = len(loaded.vectorizers["text"].vocabulary)
    loaded.train(_data(NEW))
    return before, set(loaded.vectorizers["text"].vocabulary_)


def test_a_cut_vocabulary_takes_only_frequent_new_terms(tmp_path: Path) -> None:
    config = {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 3, "max_features": 40}
    before, rasa = _vocabulary_after_finetune(CountVectorsFeaturizer, tmp_path / "rasa", config)
    assert before == 40 and len(rasa) > 100  # Rasa's own: every n-gram cut before comes back
    before, ours = _vocabulary_after_finetune(BoundedCountVectorsFeaturizer, tmp_path / "ours", config)
    assert before == 40 and 40 < len(ours) < 70
    assert {"ze", "zeb"} <= ours and "qu" not in ours  # 36 times "zebra" makes the cut, 12 "quokka" not


def test_an_uncut_vocabulary_takes_every_new_word(tmp_path: Path) -> None:
    before, words = _vocabulary_after_finetune(BoundedCountVectorsFeaturizer, tmp_path, {"max_features": 5000})
    assert before < 5000 and {"zebra", "quokka"} <= words


def test_frequent_new_terms_cutoff() -> None:
    counts = Counter({"a": 5, "b": 3, "c": 4, "d": 3, "e": 1})
    assert frequent_new_terms({"a", "b"}, counts, max_features=2) == {"c"}  # rarest kept: b (3)
    assert frequent_new_terms({"a", "b"}, counts, max_features=10) == {"c", "d", "e"}


def test_finetuning_the_tokenizer_gives_new_words_their_lemmas(tmp_path: Path) -> None:
    storage, resource = LocalModelStorage(tmp_path), Resource("tokenizer")
    config = {**LanguageAwareTokenizer.get_default_config(), "languages": ["en"]}
    context = ExecutionContext(GraphSchema({}), "t")

    def english(texts: list[str]) -> TrainingData:
        return TrainingData([Message.build(text, "greet", intent_metadata={"language": "en"}) for text in texts])

    LanguageAwareTokenizer.create(config, storage, resource, context).train(english(["my invoices are wrong"]))
    finetuning = ExecutionContext(GraphSchema({}), "t", is_finetuning=True)
    old = LanguageAwareTokenizer.load(config, storage, resource, finetuning)
    assert old._tables.to_dict()["en"].get("sofas") is None  # pruned away: nobody wrote it
    old.train(english(["my invoices are wrong", "where are the sofas I bought"]))
    tables = LanguageAwareTokenizer.load(config, storage, resource, context)._tables.to_dict()["en"]
    assert tables.get("sofas") == "sofa" and tables.get("bought") == "buy"
