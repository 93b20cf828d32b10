"""Brown word clusters from spacy-lookups-data: word classes learned from a large corpus, shipped as data.

spacy-lookups-data carries `<code>_lexeme_cluster` tables for English, German and Spanish: each of about
190,000 English words has a Brown cluster, a path in a binary tree where words used in the same contexts
sit close ("happy" and "grateful" share one cluster; "terrible", "awful" and "great" share the first six
steps). A path's prefixes are word classes from coarse to fine, so a word no training example has still
shares features with the words it is used like ("ryanair", "tesco" and "vodafone" are in the table;
"chuffed" and "easyjet" are not, and count as unknown words). `cluster_document` turns a text into those
prefixes, one term per prefix depth and word, for the n-gram regression. A language without a table
gets an empty document.

The table stores each path as an integer whose lowest bit is the path's first step; leading zeros of the
reversed path are lost, which only merges a few leaf clusters.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from typing import Dict, Sequence

from bot.nlu.lemmas import lookups_table

logger = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
DEFAULT_DEPTHS = (4, 6, 8, 10, 12)


@cache
def cluster_table(language: str) -> Dict[str, str]:
    """Lower-cased word -> its cluster path ("0110...", first step first); {} when the language has no
    table. Read once per process (about 1.3 s and 20 MB for English)."""
    table: Dict[str, str] = {}
    for word, cluster in lookups_table(language, "lexeme_cluster").items():
        if isinstance(cluster, int) and cluster > 0:
            table.setdefault(str(word).lower(), format(cluster, "b")[::-1])
    if table:
        logger.info(f"Word clusters for '{language}': {len(table)} words.")
    return table


def cluster_document(language: str, text: str, depths: Sequence[int] = DEFAULT_DEPTHS) -> str:
    """The text's words as cluster terms ("en6:011010" for the first six steps of an English word's path,
    "en=:<path>" for the whole path, "en?" for a word the table lacks), space-separated; "" without a table.
    Terms carry the language: two languages' tables number their clusters independently."""
    table = cluster_table(language) if language else {}
    if not table:
        return ""
    terms = []
    for word in _WORD.findall(text.lower()):
        path = table.get(word) or table.get(word.replace("'", "")) or table.get(word.split("'")[0])
        if path is None:
            terms.append(f"{language}?")
            continue
        terms.extend(f"{language}{depth}:{path[:depth]}" for depth in depths if len(path) >= depth)
        terms.append(f"{language}=:{path}")
    return " ".join(terms)
