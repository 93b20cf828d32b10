"""Turn latency through the gateway (widget WebSocket) against straight to Rasa's REST channel.

Needs a running Rasa (with a trained model) and gateway, e.g. `polydesk up`. For each concurrency level
(1, 10, 50 conversations), each conversation sends --turns messages one after another, first straight to
Rasa, then through the gateway, and the script prints p50/p95 of both and the difference. One run, side by
side, so both measure the same Rasa in the same state.

    python benchmarks/gateway/turn_latency.py --rasa http://127.0.0.1:5005 --gateway http://127.0.0.1:8080
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import uuid

import aiohttp

# One conversation keeps to one language, as customers do; conversation i uses language i mod 4.
TEXTS = {
    "hu": ["Szia!", "Hol van a csomagom?", "Mikor van nyitva az ügyfélszolgálat?", "Köszönöm"],
    "tr": ["Merhaba", "Siparişim nerede?", "Müşteri hizmetleri hangi saatlerde açık?", "Teşekkürler"],
    "fi": ["Hei", "Missä tilaukseni on?", "Milloin asiakaspalvelu on auki?", "Kiitos"],
    "en": ["Hello", "Where is my order?", "What are your opening hours?", "Thanks"],
}
LANGUAGES = sorted(TEXTS)


async def think(seconds: float) -> None:
    """A customer reading the answer and typing the next message: uniform in [0.5, 1.5] x seconds."""
    if seconds > 0:
        await asyncio.sleep(seconds * (0.5 + random.random()))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def direct_conversation(
    session: aiohttp.ClientSession, rasa: str, turns: int, language: str, pause: float = 0.0
) -> list[float]:
    sender, latencies, texts = uuid.uuid4().hex, [], TEXTS[language]
    for index in range(turns):
        await think(pause if index else pause * random.random())
        started = time.perf_counter()
        async with session.post(
            f"{rasa}/webhooks/rest/webhook", json={"sender": sender, "message": texts[index % len(texts)]}
        ) as response:
            response.raise_for_status()
            await response.json()
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def gateway_conversation(
    session: aiohttp.ClientSession, gateway: str, turns: int, language: str, pause: float = 0.0
) -> list[float]:
    latencies, texts = [], TEXTS[language]
    async with session.ws_connect(gateway.replace("http", "ws", 1) + "/widget/ws") as socket:
        await socket.send_json({"type": "hello", "conversation_id": None, "language": language})
        while (await socket.receive_json())["type"] != "welcome":
            pass
        for index in range(turns):
            await think(pause if index else pause * random.random())
            client_id = str(index)
            started = time.perf_counter()
            await socket.send_json(
                {"type": "message", "text": texts[index % len(texts)], "client_id": client_id}
            )
            while True:
                event = await socket.receive_json(timeout=30)
                if event["type"] == "error":
                    raise RuntimeError(f"gateway refused a turn: {event}")
                if event["type"] == "turn_end" and event["client_id"] == client_id:
                    break
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def level(session: aiohttp.ClientSession, args: argparse.Namespace, concurrency: int) -> dict:
    flat_direct: list[float] = []
    flat_gateway: list[float] = []
    for _ in range(args.rounds):  # alternated, so both paths see the same drift in machine load
        direct = await asyncio.gather(
            *(direct_conversation(session, args.rasa, args.turns, LANGUAGES[i % 4], args.think)
              for i in range(concurrency))
        )
        through = await asyncio.gather(
            *(gateway_conversation(session, args.gateway, args.turns, LANGUAGES[i % 4], args.think)
              for i in range(concurrency))
        )
        flat_direct += [value for values in direct for value in values]
        flat_gateway += [value for values in through for value in values]
    row = {"concurrency": concurrency, "turns": len(flat_gateway)}
    for name, values in (("rasa", flat_direct), ("gateway", flat_gateway)):
        row[f"{name}_p50_ms"] = round(statistics.median(values), 1)
        row[f"{name}_p95_ms"] = round(percentile(values, 0.95), 1)
    row["added_p50_ms"] = round(row["gateway_p50_ms"] - row["rasa_p50_ms"], 1)
    return row


async def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rasa", default="http://127.0.0.1:5005")
    parser.add_argument("--gateway", default="http://127.0.0.1:8080")
    parser.add_argument("--turns", type=int, default=6, help="messages per conversation")
    parser.add_argument("--levels", default="1,10,50")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of both paths per level")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds a customer takes between an answer and the next message (0: none)")
    parser.add_argument("--out", help="also write the rows as JSON here")
    args = parser.parse_args()
    if args.turns < 1 or args.rounds < 1 or args.think < 0:
        parser.error("--turns and --rounds must be at least 1, --think not negative")
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        for language in LANGUAGES:  # warm-up: model loaded, caches filled
            await direct_conversation(session, args.rasa, 1, language)
            await gateway_conversation(session, args.gateway, 1, language)
        rows = [await level(session, args, int(n)) for n in args.levels.split(",")]
    print(
        f"{'conc':>4} {'turns':>5} {'rasa p50':>9} {'rasa p95':>9} "
        f"{'gw p50':>8} {'gw p95':>8} {'added p50':>10}"
    )
    for r in rows:
        print(
            f"{r['concurrency']:>4} {r['turns']:>5} {r['rasa_p50_ms']:>9} {r['rasa_p95_ms']:>9} "
            f"{r['gateway_p50_ms']:>8} {r['gateway_p95_ms']:>8} {r['added_p50_ms']:>10}"
        )
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            meta = {"date": time.strftime("%Y-%m-%d %H:%M"), "turns": args.turns, "rounds": args.rounds,
                    "think_seconds": args.think, "cpus": os.cpu_count()}
            json.dump({"meta": meta, "rows": rows}, handle, indent=1)
    worst = next((r for r in rows if r["concurrency"] == 50), rows[-1])
    ok = rows[0]["added_p50_ms"] <= 5 and worst["gateway_p95_ms"] <= 300
    print("targets (added p50 <= 5 ms, p95 at 50 conversations <= 300 ms):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
