"""`python -m bot.language --candidates tr,fi,hu,en`: one text per stdin line, one language code per line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Optional, Sequence, TextIO

from bot.language.backends import BACKENDS
from bot.language.identifier import LanguageIdentifier


def _parse_prior(value: Optional[str]) -> Optional[dict]:
    """ "fi=0.7,en=0.1" -> {"fi": 0.7, "en": 0.1}."""
    if not value:
        return None
    prior = {}
    for part in value.split(","):
        code, _, weight = part.partition("=")
        prior[code.strip()] = float(weight or 1.0)
    return prior


def main(argv: Optional[Sequence[str]] = None, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Runs the CLI; returns the process exit code (2 on bad arguments)."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.language",
        description="Identify the language of each line of standard input among the candidates.",
    )
    parser.add_argument(
        "--candidates", required=True, help="comma-separated ISO 639-1 codes, e.g. tr,fi,hu,en"
    )
    parser.add_argument("--backend", default="polydesk", choices=sorted(BACKENDS))
    parser.add_argument("--prior", help='weights per language, e.g. "fi=0.7"')
    parser.add_argument(
        "--json", action="store_true", help="one JSON object per line with ranking and confidence"
    )
    args = parser.parse_args(argv)
    try:
        identifier = LanguageIdentifier(args.candidates.split(","), backend=args.backend)
        prior = _parse_prior(args.prior)
    except ValueError as error:
        parser.error(str(error))
    for line in stdin:
        text = line.rstrip("\r\n")
        detection = identifier.detect(text, prior)
        if args.json:
            record = {
                "text": text,
                "language": detection.language,
                "confidence": round(detection.confidence, 4),
                "ranking": [[code, round(score, 4)] for code, score in detection.ranking],
            }
            stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            stdout.write(detection.language + "\n")
        stdout.flush()
    return 0
