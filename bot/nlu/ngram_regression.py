"""A logistic regression over character and word n-grams of folded text, and blending of two rankings.

Shared by `LinearIntentClassifier` (intents, blended with DIET's ranking) and `LinearResponseSelector` (FAQ
topics, blended with the ResponseSelector's). The regression sees every character n-gram (2-5, within
words) and word n-gram (1-2) of the text without case and diacritics, as L2-normalised tf-idf, so
inflections, typos and chat spellings share features; in a language with Brown word clusters
(`bot.nlu.word_clusters`: English) it also sees each word's cluster prefixes, as a second tf-idf block
weighted `cluster_weight` against the first, so words no example has count like the words they are used
like. It is a convex fit (no random start) and errs on other messages than the neural classifiers.
Vocabularies, idf and weights are plain arrays: `arrays()` and `from_arrays()` store them in the model
archive without pickling.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import scipy.sparse
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.nlu.message_language import message_language
from bot.nlu.word_clusters import cluster_document, cluster_table
from bot.text import fold

logger = logging.getLogger(__name__)
ANALYZERS = ("char_wb", "word")
CLUSTERS = "cluster"
SOLVERS = ("newton-cg", "lbfgs", "sag", "saga")  # scikit-learn's solvers of the multinomial loss


def default_settings() -> Dict[str, Any]:
    """Component settings of the regression (merged into each component's default config)."""
    return {
        "C": 300.0,  # inverse regularisation strength
        "max_iter": 1000,
        # Newton steps with conjugate gradients: on the evaluation's ~6,800 examples (about a million
        # weights) 15-20 steps in 8 s, where L-BFGS took 260-290 steps in 26-36 s (most of it in
        # L-BFGS-B's own bookkeeping over the million weights); the same top class on every message of two
        # development splits, and nearer the exact optimum (probabilities within 0.0007 of L-BFGS at 1e-4)
        "solver": "newton-cg",
        "tol": 1e-4,  # stopping tolerance of the fit
        "char_ngrams": [2, 5],
        "word_ngrams": [1, 2],
        # weight of the word-cluster block against the n-gram block (0: no clusters); chosen on
        # development splits of the evaluation's training part (benchmarks/assistant/README.md)
        "cluster_weight": 0.4,
    }


def checked_settings(component: str, config: Mapping[str, Any]) -> Dict[str, Any]:
    """The component's config with the regression's defaults, or InvalidConfigException saying what in
    config.yml is wrong (C and tol positive numbers, solver one of SOLVERS, n-gram ranges [low, high] with
    1 <= low <= high, previous_weight between 0 and 1)."""
    from rasa.shared.exceptions import InvalidConfigException

    merged = {**default_settings(), **config}
    problems = []
    try:
        if float(merged["C"]) <= 0 or int(merged["max_iter"]) < 1 or float(merged["tol"]) <= 0:
            problems.append("C must be a positive number, tol too, and max_iter at least 1")
        if merged["solver"] not in SOLVERS:
            problems.append(f"solver must be one of {', '.join(SOLVERS)}, not {merged['solver']!r}")
        if float(merged["cluster_weight"]) < 0:
            problems.append("cluster_weight must be 0 or more")
    except (TypeError, ValueError):
        problems.append("C, tol, max_iter and cluster_weight must be numbers")
    for key in ("char_ngrams", "word_ngrams"):
        bounds = merged[key]
        if not (isinstance(bounds, (list, tuple)) and len(bounds) == 2 and all(isinstance(b, int) for b in bounds)
                and 1 <= bounds[0] <= bounds[1]):
            problems.append(f"{key} must be [low, high] with 1 <= low <= high, not {bounds!r}")
    weight = merged.get("previous_weight", 0.0)
    if not isinstance(weight, (int, float)) or not 0.0 <= float(weight) <= 1.0:
        problems.append(f"previous_weight must be between 0 and 1, not {weight!r}")
    if problems:
        raise InvalidConfigException(f"config.yml, {component}: " + "; ".join(problems))
    return merged


class NgramRegression:
    """Class probabilities of texts; `classes` in the order of the probability columns."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = {**default_settings(), **settings}
        self.classes: List[str] = []
        self.coefficients: Optional[np.ndarray] = None
        self.intercepts: Optional[np.ndarray] = None
        self.vectorizers: List[TfidfVectorizer] = []
        self.clusters: Optional[TfidfVectorizer] = None  # None: no language of the training texts has clusters
        self.cluster_languages: List[str] = []

    @property
    def trained(self) -> bool:
        return self.coefficients is not None and self.intercepts is not None

    def _vectorizers(self, vocabularies: Optional[Sequence[Sequence[str]]] = None) -> List[TfidfVectorizer]:
        ranges = {"char_wb": self.settings["char_ngrams"], "word": self.settings["word_ngrams"]}
        return [
            TfidfVectorizer(
                analyzer=analyzer, ngram_range=(int(ranges[analyzer][0]), int(ranges[analyzer][1])),
                sublinear_tf=True, lowercase=False, dtype=np.float32,
                vocabulary={term: index for index, term in enumerate(vocabularies[i])} if vocabularies else None,
            )
            for i, analyzer in enumerate(ANALYZERS)
        ]

    @staticmethod
    def _cluster_vectorizer(vocabulary: Optional[Sequence[str]] = None) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer=str.split, sublinear_tf=True, lowercase=False, dtype=np.float32,
            vocabulary={term: index for index, term in enumerate(vocabulary)} if vocabulary is not None else None,
        )

    def features(self, texts: Sequence[str], languages: Sequence[Optional[str]]) -> scipy.sparse.csr_matrix:
        """Each text's tf-idf n-grams (and word clusters of its language), one L2-normalised row."""
        from sklearn.preprocessing import normalize

        folded = [fold(text) for text in texts]
        ngrams = normalize(scipy.sparse.hstack([v.transform(folded) for v in self.vectorizers]).tocsr())
        if self.clusters is None:
            return ngrams
        learned = set(self.cluster_languages)  # a language the model has no clusters of gets none
        documents = [cluster_document(language if language in learned else "", text)
                     for text, language in zip(texts, languages)]
        clusters = float(self.settings["cluster_weight"]) * normalize(self.clusters.transform(documents))
        return normalize(scipy.sparse.hstack([ngrams, clusters]).tocsr())

    def fit(self, texts: Sequence[str], labels: Sequence[str], languages: Sequence[Optional[str]]) -> bool:
        """Learns the labels of the texts (each in its language); False (and untrained) with fewer than
        two labels."""
        from sklearn.linear_model import LogisticRegression

        if len(set(labels)) < 2:
            return False
        self.vectorizers = self._vectorizers()
        for vectorizer in self.vectorizers:
            vectorizer.fit([fold(text) for text in texts])
        self.clusters, self.cluster_languages = None, []
        if float(self.settings["cluster_weight"]) > 0:
            documents = [cluster_document(language or "", text) for text, language in zip(texts, languages)]
            if any(documents):
                self.clusters = self._cluster_vectorizer().fit(documents)
                self.cluster_languages = sorted({str(lang) for lang, doc in zip(languages, documents) if doc})
            logger.info(f"N-gram regression: word clusters for {sum(map(bool, documents))} of {len(texts)} texts.")
        regression = LogisticRegression(
            C=float(self.settings["C"]), max_iter=int(self.settings["max_iter"]), tol=float(self.settings["tol"]),
            class_weight="balanced", solver=str(self.settings["solver"]), random_state=0,
        )
        regression.fit(self.features(texts, languages), list(labels))
        self.classes = [str(c) for c in regression.classes_]
        coefficients, intercepts = regression.coef_, regression.intercept_
        if len(self.classes) == 2:  # one score s for the second class: softmax of (-s/2, s/2) = sigmoid(s)
            coefficients = np.vstack([-coefficients, coefficients]) / 2
            intercepts = np.hstack([-intercepts, intercepts]) / 2
        self.coefficients = coefficients.astype(np.float32)
        self.intercepts = intercepts.astype(np.float32)
        return True

    def probabilities(self, texts: Sequence[str], languages: Sequence[Optional[str]]) -> np.ndarray:
        """The probability of each of `classes`, one row per text (in its language)."""
        assert self.coefficients is not None and self.intercepts is not None
        scores = np.asarray(self.features(texts, languages) @ self.coefficients.T) + self.intercepts
        scores -= scores.max(axis=1, keepdims=True)
        exponentials = np.exp(scores)
        return exponentials / exponentials.sum(axis=1, keepdims=True)

    def message_rows(self, messages: Sequence[Message]) -> List[Tuple[Message, np.ndarray]]:
        """Each message that has text with its row of `probabilities`; none while untrained (an empty text
        has no n-grams, so the previous classifier's ranking stands)."""
        with_text = [message for message in messages if message.get(TEXT)]
        if not self.trained or not with_text:
            return []
        rows = self.probabilities([str(m.get(TEXT)) for m in with_text], [message_language(m) for m in with_text])
        return list(zip(with_text, rows))

    def fit_messages(self, messages: Sequence[Message], labels: Sequence[str]) -> bool:
        """`fit` on the messages' texts in their languages."""
        return self.fit([str(m.get(TEXT)) for m in messages], labels, [message_language(m) for m in messages])

    def arrays(self) -> Dict[str, np.ndarray]:
        assert self.coefficients is not None and self.intercepts is not None
        stored = {"classes": np.array(self.classes, dtype=str), "coefficients": self.coefficients,
                  "intercepts": self.intercepts}
        for analyzer, vectorizer in zip(ANALYZERS, self.vectorizers):
            stored[f"{analyzer}_vocabulary"] = vectorizer.get_feature_names_out().astype(str)
            stored[f"{analyzer}_idf"] = vectorizer.idf_.astype(np.float32)
        if self.clusters is not None:
            stored[f"{CLUSTERS}_vocabulary"] = self.clusters.get_feature_names_out().astype(str)
            stored[f"{CLUSTERS}_idf"] = self.clusters.idf_.astype(np.float32)
            stored[f"{CLUSTERS}_languages"] = np.array(self.cluster_languages, dtype=str)
        return stored

    def save(self, path: Path) -> None:
        """Writes `arrays()` to an .npz file."""
        np.savez_compressed(path, **self.arrays())

    @classmethod
    def load(cls, settings: Mapping[str, Any], path: Path) -> NgramRegression:
        """Reads what `save` wrote; ValueError, FileNotFoundError or KeyError when it is not there or not whole."""
        with np.load(path, allow_pickle=False) as stored:
            return cls.from_arrays(settings, stored)

    @classmethod
    def from_arrays(cls, settings: Mapping[str, Any], stored: Mapping[str, np.ndarray]) -> NgramRegression:
        regression = cls(settings)
        regression.classes = [str(c) for c in stored["classes"]]
        regression.coefficients, regression.intercepts = stored["coefficients"], stored["intercepts"]
        regression.vectorizers = regression._vectorizers([list(stored[f"{a}_vocabulary"]) for a in ANALYZERS])
        for analyzer, vectorizer in zip(ANALYZERS, regression.vectorizers):
            vectorizer.idf_ = stored[f"{analyzer}_idf"]
        if f"{CLUSTERS}_vocabulary" in stored:  # a model trained with clusters
            regression.clusters = cls._cluster_vectorizer(list(stored[f"{CLUSTERS}_vocabulary"]))
            regression.clusters.idf_ = stored[f"{CLUSTERS}_idf"]
            regression.cluster_languages = [str(language) for language in stored[f"{CLUSTERS}_languages"]]
            for language in regression.cluster_languages:
                cluster_table(language)  # read now, not on the first customer message
        return regression


def blend(
    previous: Iterable[Tuple[str, float]], classes: Sequence[str], probabilities: Iterable[float], weight: float
) -> List[Tuple[str, float]]:
    """(label, confidence) best first: `weight` x the previous ranking + (1 - weight) x the regression's; a
    label missing from one ranking counts as 0 there."""
    blended = {label: (1.0 - weight) * float(p) for label, p in zip(classes, probabilities)}
    for label, confidence in previous:
        blended[label] = blended.get(label, 0.0) + weight * float(confidence)
    return sorted(blended.items(), key=lambda item: -item[1])
