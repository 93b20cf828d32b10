"""Brown word clusters: cluster terms of a text, and the n-gram regression's use of them."""

from __future__ import annotations

import numpy as np

from bot.nlu.ngram_regression import NgramRegression
from bot.nlu.word_clusters import cluster_document, cluster_table

FEELINGS = ["happy", "so pleased", "really annoyed", "upset"]
THINGS = ["parcel", "the sofa", "a lamp", "my invoice"]


def test_words_used_alike_share_their_cluster_terms() -> None:
    happy, grateful, parcel = (cluster_document("en", word).split() for word in ("happy", "grateful", "parcel"))
    assert happy == grateful  # one Brown cluster
    assert happy[0].startswith("en4:") and happy[-1].startswith("en=:")
    assert happy[-1] != parcel[-1]


def test_unknown_words_languages_without_a_table_and_empty_text() -> None:
    assert cluster_document("en", "zzqxv happy").split()[0] == "en?"
    assert cluster_document("en", "Happy!") == cluster_document("en", "happy")
    assert cluster_table("tr") == {} and cluster_document("tr", "faturam iki kez kesildi") == ""
    assert cluster_document("", "happy") == "" and cluster_document("en", "") == ""
    assert cluster_document("en", "🙂 12345") == "en?"


def _regression(cluster_weight: float) -> NgramRegression:
    regression = NgramRegression({"cluster_weight": cluster_weight})
    texts = FEELINGS + THINGS
    assert regression.fit(texts, ["feeling"] * len(FEELINGS) + ["thing"] * len(THINGS), ["en"] * len(texts))
    return regression


def test_an_unseen_word_counts_like_the_words_of_its_cluster() -> None:
    # "furious" shares no character n-gram with the examples but shares the cluster of "happy" and "upset"
    with_clusters, without = _regression(0.4), _regression(0.0)
    assert without.clusters is None and with_clusters.clusters is not None
    feeling = with_clusters.classes.index("feeling")
    clustered, unclustered = (r.probabilities(["furious"], ["en"])[0][feeling] for r in (with_clusters, without))
    assert clustered > 0.6 and clustered > unclustered + 0.1


def test_clusters_apply_only_to_texts_in_a_language_that_has_them() -> None:
    regression = _regression(0.4)
    ngrams_only = _regression(0.0)
    # a Turkish (or undetected) text gets the n-gram features alone, the same as without clusters
    assert np.allclose(regression.probabilities(["furious"], ["tr"]), regression.probabilities(["furious"], [None]))
    assert np.allclose(regression.features(["furious"], ["tr"]).sum(), ngrams_only.features(["furious"], ["tr"]).sum())


def test_another_language_with_a_table_gets_its_own_terms_and_none_from_an_english_model() -> None:
    german = cluster_document("de", "Paket").split()
    assert german and all(term.startswith("de") for term in german)
    regression = _regression(0.4)  # trained on English only
    assert regression.cluster_languages == ["en"]
    assert np.allclose(regression.probabilities(["Paket"], ["de"]), regression.probabilities(["Paket"], [None]))


def test_cluster_vocabulary_survives_arrays() -> None:
    regression = _regression(0.4)
    restored = NgramRegression.from_arrays({"cluster_weight": 0.4}, regression.arrays())
    assert restored.cluster_languages == ["en"]
    texts, languages = ["furious", "sofa", ""], ["en", "en", "en"]
    assert np.allclose(restored.probabilities(texts, languages), regression.probabilities(texts, languages))
    older = {k: v for k, v in regression.arrays().items() if not k.startswith("cluster_")}
    assert NgramRegression.from_arrays({}, older).clusters is None  # a model trained before clusters loads
