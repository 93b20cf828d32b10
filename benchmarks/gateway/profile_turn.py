"""Where the gateway's own milliseconds of a customer turn go, in-process, against an instant fake Rasa.

A widget conversation talks to a real gateway (`create_app`, SQLite in a temp dir, real loopback sockets)
whose Rasa is a stand-in answering the `polydesk` channel at once with a realistic body. Each turn is
timed from the widget's message to its `turn_end`, and stages (store methods, Rasa call, pushes, ...) are
timed by wrapping the gateway's methods; SQL statements, commits, rollbacks and pool checkouts are
counted per turn. Between turns the same client posts the same body straight to the fake Rasa: the
difference of the medians is what the gateway adds (the full benchmark's `gateway adds`, minus Rasa).

    .venv/bin/python benchmarks/gateway/profile_turn.py --turns 200
    .venv/bin/python benchmarks/gateway/profile_turn.py --against /tmp/base   # another source tree

`--against DIR...` runs rounds alternately in fresh processes on this tree and on each DIR (e.g. the last
commit: `git archive HEAD bot | tar -x -C /tmp/base`) and prints their medians side by side: on a noisy
machine, only compare numbers from one such run. `--cprofile` prints the hottest functions of the turns.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import inspect
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve()
TREE = HERE.parents[2]
TURNS_PER_CONVERSATION = 8  # as turn_latency.py: the first turn of each conversation sets its language
WARMUP_TURNS = 16

SPENT: dict[str, float] = defaultdict(float)  # stage -> seconds in the current turn
CALLS: dict[str, int] = defaultdict(int)


def _timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return await function(*args, **kwargs)
        finally:
            SPENT[name] += time.perf_counter() - start
            CALLS[name] += 1

    return wrapper


def instrument() -> None:
    """Wraps whatever of these exists in the tree under test (old and new trees differ)."""
    from bot.gateway.channels.widget import WidgetChannel
    from bot.gateway.outbox import Outbox
    from bot.gateway.rasa_client import RasaClient
    from bot.gateway.router import Router
    from bot.gateway.store.conversations import ConversationStore

    targets = [
        ("widget", WidgetChannel, ["_frame", "send"]),
        ("router", Router, ["receive", "store_inbound", "_route", "_bot_turn", "_follow_language"]),
        ("rasa", RasaClient, ["send"]),
        ("outbox", Outbox, ["message", "customer"]),
    ]
    store_methods = [
        name
        for name, member in vars(ConversationStore).items()
        if inspect.iscoroutinefunction(member) and not name.startswith("__")
    ]
    targets.append(("store", ConversationStore, store_methods))
    for prefix, cls, names in targets:
        for name in names:
            if inspect.iscoroutinefunction(getattr(cls, name, None)):
                setattr(cls, name, _timed(f"{prefix}.{name.lstrip('_')}", getattr(cls, name)))


def count_sql(engine: Any) -> None:
    from sqlalchemy import event

    def counter(name: str) -> Callable[..., None]:
        def count(*_: Any, **__: Any) -> None:
            CALLS[name] += 1

        return count

    event.listen(engine.sync_engine, "before_cursor_execute", counter("sql.statements"))
    event.listen(engine.sync_engine, "commit", counter("sql.commits"))
    event.listen(engine.sync_engine, "rollback", counter("sql.rollbacks"))
    event.listen(engine.sync_engine.pool, "checkout", counter("sql.checkouts"))
    event.listen(engine.sync_engine.pool, "reset", counter("sql.pool_resets"))


def fake_rasa_app() -> Any:
    """Answers like Rasa's polydesk channel would (sizes of a real answer: ranking, response selector)."""
    from aiohttp import web

    ranking = [{"name": f"intent_{i}", "confidence": round(0.9 / (i + 1), 4)} for i in range(10)]
    selector = {"all_retrieval_intents": ["faq"], "default": {"response": {"responses": None}, "ranking": []}}

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        language = "fi"
        parse = {
            "text": body["message"],
            "intent": {"name": "info_request", "confidence": 0.91},
            "entities": [{"entity": "language", "value": language, "start": 0, "end": 0, "extractor": "x"}],
            "intent_ranking": ranking,
            "response_selector": selector,
            "language": {"code": language, "confidence": 0.98, "detected": language, "source": "detected"},
        }
        messages = [{"recipient_id": body["sender"], "text": "Kiitos viestistäsi! Autan mielelläni."}]
        return web.json_response({"messages": messages, "parse": parse, "language": language})

    app = web.Application()
    app.router.add_post("/webhooks/polydesk/webhook", webhook)
    app.router.add_get("/", lambda request: web.Response(text="Hello from Rasa"))
    return app


async def run_worker(turns: int, profile: bool, database_url: str | None) -> dict[str, Any]:
    import aiohttp
    from aiohttp.test_utils import TestServer

    from bot.gateway.app import STORE, create_app
    from bot.settings import Settings

    instrument()
    rasa = TestServer(fake_rasa_app())
    await rasa.start_server()
    with tempfile.TemporaryDirectory() as var_dir:
        settings = Settings(
            environment="test",
            var_dir=Path(var_dir),
            rasa_port=rasa.port,
            business_hours="always",
            rasa_retry_seconds=3600,
            widget_rate_limit_messages=10**6,
            database_url=database_url,
        )
        gateway = TestServer(create_app(settings))
        await gateway.start_server()
        count_sql(gateway.app[STORE].engine)
        measured: list[dict[str, float]] = []
        profiler = cProfile.Profile() if profile else None
        async with aiohttp.ClientSession() as session:
            webhook = str(rasa.make_url("/webhooks/polydesk/webhook"))
            done = 0
            while len(measured) < turns:
                async with session.ws_connect(str(gateway.make_url("/widget/ws"))) as socket:
                    await socket.send_json({"type": "hello", "conversation_id": None, "language": "fi-FI"})
                    welcome = await socket.receive_json()
                    for index in range(min(TURNS_PER_CONVERSATION, turns + WARMUP_TURNS - done)):
                        text = f"Hei, missä tilaukseni {index} on?"
                        body = {"sender": welcome["conversation_id"], "message": text, "metadata": {}}
                        start = time.perf_counter()
                        async with session.post(webhook, json=body) as response:
                            await response.read()
                        direct = time.perf_counter() - start
                        SPENT.clear()
                        CALLS.clear()
                        if profiler and done >= WARMUP_TURNS:
                            profiler.enable()
                        start = time.perf_counter()
                        await socket.send_json({"type": "message", "text": text, "client_id": str(done)})
                        while (await socket.receive_json())["type"] != "turn_end":
                            pass
                        turn = time.perf_counter() - start
                        if profiler:
                            profiler.disable()
                        done += 1
                        if done <= WARMUP_TURNS:
                            continue
                        sample = {"turn (widget -> turn_end)": turn, "direct POST to the fake Rasa": direct}
                        sample["turn - rasa.send"] = turn - SPENT.get("rasa.send", 0.0)
                        sample.update(SPENT)
                        sample.update({"#" + name: float(calls) for name, calls in CALLS.items()})
                        measured.append(sample)
        await gateway.close()
    await rasa.close()
    if profiler:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    names = {name for sample in measured for name in sample}
    return {name: [sample.get(name, 0.0) for sample in measured] for name in names}


def worker_command(tree: Path, args: argparse.Namespace) -> list[str]:
    command = [sys.executable, str(HERE), "--worker", "--tree", str(tree), "--turns", str(args.turns)]
    if args.cprofile:
        command.append("--cprofile")
    if args.database_url:
        command += ["--database-url", args.database_url]
    return command


def report(trees: list[Path], results: list[dict[str, list[float]]]) -> None:
    names = sorted({name.lstrip("#") for result in results for name in result}, key=_order)
    header = "".join(f" | {tree.name[:18]:>18} median ms (mean) calls/turn" for tree in trees)
    print(f"{'stage':34}{header}")
    for name in names:
        cells = []
        for result in results:
            values, calls = result.get(name, []), result.get("#" + name, [])
            if not values and not calls:
                cells.append(f" | {'-':>42}")
                continue
            per_turn = statistics.mean(calls) if calls else float("nan")
            if name.startswith("sql."):
                cells.append(f" | {'':>30}{per_turn:12.2f}")
            else:
                median, mean = statistics.median(values) * 1000, statistics.mean(values) * 1000
                cells.append(f" | {median:14.3f} ({mean:7.3f}) {per_turn:14.2f}")
        print(f"{name:34}{''.join(cells)}")
    for tree, result in zip(trees, results):
        added = statistics.median(result["turn (widget -> turn_end)"]) - statistics.median(
            result["direct POST to the fake Rasa"]
        )
        print(f"{tree}: gateway adds {added * 1000:.2f} ms at p50 over {len(result['turn - rasa.send'])} turns")


def _order(name: str) -> tuple[int, str]:
    first = ("turn (widget", "direct POST", "turn - rasa")
    return (0 if name.startswith(first) else 2 if name.startswith("sql.") else 1, name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=200, help="measured turns per round and tree")
    parser.add_argument("--rounds", type=int, default=2, help="fresh processes per tree, alternating")
    parser.add_argument("--against", type=Path, nargs="+", default=[], help="other source trees, side by side")
    parser.add_argument("--cprofile", action="store_true", help="print the hottest functions (stderr)")
    parser.add_argument("--database-url", help="default: SQLite in a temp dir")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tree", type=Path, default=TREE, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.turns < 1 or args.rounds < 1:
        parser.error("--turns and --rounds must be at least 1")
    if args.worker:
        sys.path.insert(0, str(args.tree.resolve()))
        result = asyncio.run(run_worker(args.turns, args.cprofile, args.database_url))
        print(json.dumps(result))
        return 0
    trees = [TREE] + [tree.resolve() for tree in args.against]
    merged: list[dict[str, list[float]]] = [defaultdict(list) for _ in trees]
    for _ in range(args.rounds):
        for tree, into in zip(trees, merged):
            env = {**os.environ, "PYTHONPATH": str(tree)}
            command = worker_command(tree, args)
            output = subprocess.run(command, env=env, cwd=tree, check=True, text=True, stdout=subprocess.PIPE).stdout
            for name, values in json.loads(output.strip().splitlines()[-1]).items():
                into[name].extend(values)
    report(trees, merged)
    return 0


if __name__ == "__main__":
    sys.exit(main())
