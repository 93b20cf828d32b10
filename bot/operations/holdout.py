"""The held-out examples the quality gate tests on, chosen so that the choice is stable over edits.

An example is held out when a hash of its language and text falls in the chosen tenth, and only from
intents with enough examples, so the same sentence stays on the same side whatever else changes:
successive models are compared on the same test set, and none of them trained on it. Texts operators
annotated are never held out (they are the gate's second test set and must be learned).
"""

from __future__ import annotations

import hashlib
from typing import Any, Collection

from bot.assembly import tag_blocks
from bot.evaluation import plain_text
from bot.operations.gate import Case
from bot.project import Project, parse_examples

MIN_EXAMPLES = 10  # intents (and FAQ topics) with fewer keep every example for training
BUCKETS = 10  # one in BUCKETS examples is held out


def held_out(language: str, example: str) -> bool:
    digest = hashlib.sha256(f"{language}\n{plain_text(example).casefold()}".encode()).digest()
    return digest[0] % BUCKETS == 0


def split(
    project: Project, annotated: Collection[str] = ()
) -> tuple[dict[str, dict[str, list[dict[str, Any]]]], list[Case]]:
    """Training blocks (language -> file -> tagged blocks) and the held-out cases."""
    keep_for_training = {text.casefold() for text in annotated}
    training: dict[str, dict[str, list[dict[str, Any]]]] = {}
    cases: list[Case] = []
    for code, language in project.data.items():
        training[code] = {}
        for file_name, blocks in language.training.items():
            kept = []
            for block in blocks:
                intent = str(block["intent"])
                examples = parse_examples(block["examples"])
                train = []
                for example in examples:
                    text = plain_text(example)
                    if (
                        len(examples) >= MIN_EXAMPLES
                        and held_out(code, example)
                        and text.casefold() not in keep_for_training
                    ):
                        cases.append(Case(code, text, intent.split("/", 1)[0]))
                    else:
                        train.append(example)
                kept.append({"intent": intent, "examples": "".join(f"- {e}\n" for e in train)})
            training[code][file_name] = tag_blocks(code, kept)
    return training, cases
