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
import statistics
import sys
import time
import uuid

import aiohttp

TEXTS = [
    "Szia!",
    "Hol van a csomagom?",
    "Merhaba, siparişim nerede?",
    "Hei, miten voin palauttaa tuotteen?",
    "What are your opening hours?",
    "Köszönöm",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def direct_conversation(session: aiohttp.ClientSession, rasa: str, turns: int) -> list[float]:
    sender, latencies = uuid.uuid4().hex, []
    for index in range(turns):
        started = time.perf_counter()
        async with session.post(
            f"{rasa}/webhooks/rest/webhook", json={"sender": sender, "message": TEXTS[index % len(TEXTS)]}
        ) as response:
            response.raise_for_status()
            await response.json()
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def gateway_conversation(session: aiohttp.ClientSession, gateway: str, turns: int) -> list[float]:
    latencies = []
    async with session.ws_connect(gateway.replace("http", "ws", 1) + "/widget/ws") as socket:
        await socket.send_json({"type": "hello", "conversation_id": None, "language": "hu"})
        while (await socket.receive_json())["type"] != "welcome":
            pass
        for index in range(turns):
            client_id = str(index)
            started = time.perf_counter()
            await socket.send_json(
                {"type": "message", "text": TEXTS[index % len(TEXTS)], "client_id": client_id}
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
            *(direct_conversation(session, args.rasa, args.turns) for _ in range(concurrency))
        )
        through = await asyncio.gather(
            *(gateway_conversation(session, args.gateway, args.turns) for _ in range(concurrency))
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
    parser.add_argument("--out", help="also write the rows as JSON here")
    args = parser.parse_args()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        await direct_conversation(session, args.rasa, 1)  # warm-up: model loaded, caches filled
        await gateway_conversation(session, args.gateway, 1)
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
            json.dump(rows, handle, indent=1)
    worst = next((r for r in rows if r["concurrency"] == 50), rows[-1])
    ok = rows[0]["added_p50_ms"] <= 5 and worst["gateway_p95_ms"] <= 300
    print("targets (added p50 <= 5 ms, p95 at 50 conversations <= 300 ms):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
