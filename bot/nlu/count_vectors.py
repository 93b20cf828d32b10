"""Rasa's CountVectorsFeaturizer, except that finetuning respects `max_features`.

When Rasa finetunes a model (`rasa train --finetune`, an operator's incremental retrain), its featurizer adds
to the vocabulary every term of the training texts that the vocabulary lacks. With `max_features` the
vocabulary was cut to the most frequent terms, so the first finetune brings back every term cut before:
the character n-gram vocabulary nearly doubles, and DIET's and ResponseSelector's weights with it (a 25 MB
Finnish model became 40 MB, and slower to train). This one, when the loaded vocabulary was cut, adds only
the new terms more frequent than the rarest term it kept, i.e. those a training from scratch would keep.
A vocabulary that was never cut grows as in Rasa (every new word of the new examples). Training from
scratch and prediction are Rasa's, unchanged.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import List, Set

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer

from bot.nlu.code_version import CodeVersioned

logger = logging.getLogger(__name__)


def frequent_new_terms(vocabulary: Set[str], counts: Counter, max_features: int) -> Set[str]:
    """Terms of `counts` missing from a vocabulary cut to `max_features`, more frequent than its rarest."""
    if len(vocabulary) < max_features:
        return {term for term in counts if term not in vocabulary}
    kept = [counts[term] for term in vocabulary if counts[term] > 0]
    cutoff = min(kept) if kept else 0
    return {term for term, count in counts.items() if term not in vocabulary and count > cutoff}


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class BoundedCountVectorsFeaturizer(CodeVersioned, CountVectorsFeaturizer):
    """Same options as Rasa's CountVectorsFeaturizer (see its `get_default_config`)."""

    def _fit_loaded_vectorizer(self, attribute: str, attribute_texts: List[str]) -> None:
        if not self.max_features:
            super()._fit_loaded_vectorizer(attribute, attribute_texts)
            return
        vectorizer = self.vectorizers[attribute]
        analyzer = vectorizer.build_analyzer()
        counts: Counter = Counter()
        for text in attribute_texts:
            counts.update(analyzer(text))
        vocabulary = set(vectorizer.vocabulary)
        added = frequent_new_terms(vocabulary, counts, int(self.max_features))
        logger.info(
            f"Finetuning '{attribute}' features: {len(added)} new terms added to {len(vocabulary)} "
            f"(max_features {self.max_features}); "
            f"{sum(1 for term in counts if term not in vocabulary) - len(added)} rarer ones left out."
        )
        self._update_vectorizer_vocabulary(attribute, added)
