"""Runs a trained model over texts in-process: `python -m bot.nlu.predict MODEL IN.json OUT.json`.

IN is a JSON list of texts; OUT gets, per text, the intent, its confidence, the FAQ answer key and the
language the pipeline chose. Used by `polydesk eval`, which must not import Rasa itself.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any, Dict, List

from rasa.core.agent import Agent


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


async def predict_all(model: Path, texts: List[str]) -> List[Dict[str, Any]]:
    agent = Agent.load(str(model))
    return [prediction(await agent.parse_message(text)) for text in texts]


def main(argv: List[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    model, source, target = (Path(arg) for arg in argv)
    texts = json.loads(source.read_text(encoding="utf-8"))
    results = asyncio.run(predict_all(model, texts))
    target.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
