"""An operator's verdict on an inbox row, the same from the console and the CLI: the text becomes an example
of the intent in nlu_data/ (or of a new intent), or is dismissed; either way its group leaves the inbox."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Optional, Sequence

from bot.gateway.operator.inbox import text_key
from bot.gateway.operator.store import Annotation, OperatorStore
from bot.operations.content import Content, ContentError, ExamplesAdded
from bot.operations.gate import Case

ACTIONS = {"assign": "assigned", "new_intent": "new_intent", "dismiss": "dismissed"}


@dataclass(frozen=True)
class Verdict:
    annotation: Annotation
    change: Optional[ExamplesAdded]


async def annotate(
    content: Content,
    store: OperatorStore,
    *,
    operator_id: int,
    operator_name: str,
    text: str,
    action: str,
    language: Optional[str] = None,
    intent: Optional[str] = None,
    examples: Sequence[str] = (),
    message_id: Optional[int] = None,
    predicted_intent: Optional[str] = None,
) -> Verdict:
    """Raises ContentError when the edit is refused (unknown intent or language, bad name...)."""
    if action not in ACTIONS:
        raise ContentError("action must be assign, new_intent or dismiss")
    change = None
    if action != "dismiss":
        if not language or not intent:
            raise ContentError("a language and an intent are needed")
        if action == "assign":
            change = await asyncio.to_thread(content.add_examples, language, intent, [text], operator_name)
        else:
            change = await asyncio.to_thread(
                content.create_intent, intent, language, [text, *examples], operator_name
            )
    annotation = await store.annotate(
        text_key=text_key(text),
        text=text,
        action=ACTIONS[action],
        operator_id=operator_id,
        message_id=message_id,
        language=language,
        intent=intent,
        predicted_intent=predicted_intent,
    )
    return Verdict(annotation, change)


async def annotated_cases(store: OperatorStore) -> list[Case]:
    """The operators' labelled texts: the gate's second test set."""
    found = await store.annotations(labelled_only=True, limit=5000)
    return [
        Case(a.language, a.text, a.intent.split("/", 1)[0], source="annotation")
        for a in found
        if a.language and a.intent
    ]
