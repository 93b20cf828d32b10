"""Benchmark of the core assistant: full training time, model size, parse and full-turn latency.

    .venv/bin/python benchmarks/assistant/run.py [--skip-training] [--requests 300]

Trains with the configured (full) epochs into a temporary models folder, starts the real Rasa server
and action server on free ports, then measures `/model/parse` and full turns through Rasa's REST
channel and Polydesk's `polydesk` channel, one request at a time, interleaved so both see the same
machine load. Writes results.json and results.md beside this file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.project import load_project  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.supervisor import Supervisor, services  # noqa: E402
from bot.training import latest_model, train  # noqa: E402

MESSAGES = [
    "merhaba", "Faturam iki kez kesilmiş, çok sinirliyim", "kargom nerede?", "iade nasıl yapılır",
    "moi", "Milloin asiakaspalvelu on auki?", "haluan puhua ihmisen kanssa", "kiitos paljon",
    "Szia!", "Szeretnék egy élő ügyintézővel beszélni", "hogyan fizethetek?", "koszonom szepen",
    "hello", "where is my parcel?", "my invoice is wrong", "thanks a lot", "ok", "👍",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(url: str, payload: dict) -> float:
    body = json.dumps(payload).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def percentile(values: list, share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-training", action="store_true", help="measure the latest model in models/")
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    results: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(),
                     "python": platform.python_version()}
    project = load_project(ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        os.environ.update(
            POLYDESK_RASA_PORT=str(free_port()), POLYDESK_ACTION_PORT=str(free_port()),
            POLYDESK_GATEWAY_PORT=str(free_port()), POLYDESK_VAR_DIR=str(Path(scratch) / "var"),
        )
        if not args.skip_training:
            os.environ["POLYDESK_MODELS_DIR"] = str(Path(scratch) / "models")
            # from scratch: nothing restored from Rasa's training cache (.rasa/cache), as on a fresh install
            os.environ["RASA_MAX_CACHE_SIZE"] = "0"
        settings = Settings.from_env()
        if args.skip_training:
            model = latest_model(settings)
            assert model, "no model in models/: train one first"
        else:
            started = time.monotonic()
            model = train(settings, project, force=True)
            results["training_seconds"] = round(time.monotonic() - started, 1)
            # the model of the current sources: `polydesk up` (and the gateway benchmark) can serve it
            (ROOT / "models").mkdir(exist_ok=True)
            shutil.copy2(model, ROOT / "models" / model.name)
        results["model"] = model.name
        results["model_megabytes"] = round(model.stat().st_size / 1e6, 1)
        supervisor = Supervisor(settings)
        try:
            supervisor.start(services(settings, model, with_gateway=False), timeout_seconds=600)
            parse_url = f"{settings.rasa_url}/model/parse?token={settings.rasa_token}"
            rest_url = f"{settings.rasa_url}/webhooks/rest/webhook"
            polydesk_url = f"{settings.rasa_url}/webhooks/polydesk/webhook"
            for message in MESSAGES:  # warm-up
                post(parse_url, {"text": message})
            timings: dict = {"parse": [], "rest_turn": [], "polydesk_turn": []}
            for index in range(args.requests):
                message = MESSAGES[index % len(MESSAGES)]
                sender = f"bench-{index // len(MESSAGES)}"
                timings["parse"].append(post(parse_url, {"text": message}))
                timings["rest_turn"].append(post(rest_url, {"sender": "r" + sender, "message": message}))
                timings["polydesk_turn"].append(post(polydesk_url, {"sender": "p" + sender, "message": message}))
        finally:
            supervisor.stop()
    for name, values in timings.items():
        results[name] = {
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
            "requests": len(values),
        }
    here = Path(__file__).parent
    (here / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        f"Measured {results['date']} on this {results['cpus']}-core machine, Python {results['python']}.",
        "",
        "| measure | result | target |",
        "| --- | --- | --- |",
    ]
    if "training_seconds" in results:
        lines.append(f"| full training (configured epochs) | {results['training_seconds']:.0f} s | <= 300 s |")
    lines += [
        f"| model size | {results['model_megabytes']} MB | <= 40 MB |",
        f"| `/model/parse` p50 / p95 | {results['parse']['p50_ms']} / {results['parse']['p95_ms']} ms "
        "| p95 <= 40 ms |",
        f"| full turn, REST channel p50 / p95 | {results['rest_turn']['p50_ms']} / "
        f"{results['rest_turn']['p95_ms']} ms | |",
        f"| full turn, polydesk channel p50 / p95 | {results['polydesk_turn']['p50_ms']} / "
        f"{results['polydesk_turn']['p95_ms']} ms | |",
    ]
    (here / "results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
