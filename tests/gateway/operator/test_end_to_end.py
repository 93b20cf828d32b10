"""The operator's whole loop against a real Rasa: annotate a misunderstood Finnish message through the API,
see the file change, retrain (3 epochs, two languages), read the gate's report, deploy with PUT /model,
and see /model/parse answer with the new model. Then annotate a second message: only an example changed,
so the retrain is incremental (the served model plus an example overlay, no training), and /model/parse
answers it after the deploy. One real training: slow, so marked."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

from bot.gateway.app import create_app
from bot.settings import Settings
from bot.training import rasa_environment
from tests.gateway.helpers import services
from tests.gateway.operator.conftest import login_operator
from tests.operations.conftest import ROOT, copy_project

pytestmark = [pytest.mark.integration, pytest.mark.training]
TOKEN = "end-to-end-token"
TEXT = "Missä viipyy mun tilaama sohva"
SECOND = "Voiko tilaamani sohvan noutaa itse teidän varastolta"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read() or b"null")


@pytest.fixture(scope="module")
def real_rasa(tmp_path_factory) -> Iterator[tuple[int, Path]]:
    """Rasa as `polydesk up` starts it (`bot.nlu.serve run --enable-api`), without a model (PUT /model gives it
    one)."""
    folder = tmp_path_factory.mktemp("rasa")
    (folder / "models").mkdir()
    port = _free_port()
    env = {**rasa_environment(), "PYTHONPATH": str(ROOT)}
    log = (folder / "rasa.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.nlu.serve", "run", "--enable-api", "--auth-token", TOKEN, "--model",
         str(folder / "models"), "--interface", "127.0.0.1", "--port", str(port)],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError((folder / "rasa.log").read_text()) from None
                time.sleep(1)
        yield port, folder
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def _parse(port: int, text: str) -> dict[str, Any]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/model/parse?token={TOKEN}", data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


async def _retrain(client: Any, headers: dict[str, str], started: float) -> dict[str, Any]:
    retrain = await client.post("/operator/api/retrain", headers=headers, json={"epochs": 3})
    assert retrain.status == 202, await retrain.text()
    busy = await client.post("/operator/api/retrain", headers=headers, json={"epochs": 3})
    assert busy.status == 409
    seen_epochs = set()
    while True:
        job = (await (await client.get("/operator/api/retrain")).json())["job"]
        if job["progress"]["epochs"]:
            seen_epochs.add((job["progress"]["component"], job["progress"]["epochs"]))
        if job["state"] != "running":
            break
        assert time.monotonic() - started < 1800, job
        await asyncio.sleep(1)
    assert job["state"] == "succeeded", job["error"]
    job["seen_epochs"] = seen_epochs
    return job


async def test_annotate_retrain_gate_deploy_parse(tmp_path, aiohttp_client, real_rasa, monkeypatch) -> None:
    port, _ = real_rasa
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    (tmp_path / "project").mkdir()
    settings = Settings(
        project_root=copy_project(tmp_path / "project", ("fi", "en")), environment="test",
        var_dir=tmp_path / "var", models_dir=tmp_path / "models", rasa_port=port, rasa_token=TOKEN,
        business_hours="always", rasa_retry_seconds=3600,
    )
    client = await aiohttp_client(create_app(settings))
    headers = await login_operator(client)
    store = services(client).store.conversations
    await store.create("c1", "widget", "fi-FI")
    await store.add_message("c1", "customer", TEXT, intent="nlu_fallback", confidence=0.31, language="fi",
                            parse={"language": {"code": "fi", "confidence": 0.9}}, status="answered")

    rows = (await (await client.get("/operator/api/inbox?language=fi")).json())["rows"]
    assert [row["text"] for row in rows] == [TEXT]
    annotated = await client.post("/operator/api/annotations", headers=headers, json={
        "text": TEXT, "action": "assign", "language": "fi", "intent": "faq/order_status"})
    assert annotated.status == 200, await annotated.text()
    assert f"    - {TEXT}\n" in (settings.project_root / "nlu_data/fi/faq.yml").read_text("utf-8")

    started = time.monotonic()
    job = await _retrain(client, headers, started)
    assert ("DIETClassifier", 3) in job["seen_epochs"] and job["training"]["kind"] == "full"
    gate = job["result"]["gate"]
    assert set(gate["languages"]) == {"fi", "en"} and gate["languages"]["fi"]["annotations"]["count"] == 1
    assert 0 < gate["languages"]["fi"]["candidate"]["macro_f1"] <= 1
    model = job["result"]["model"]

    deployed = await client.post(f"/operator/api/models/{model}/deploy", headers=headers)
    assert deployed.status == 200, await deployed.text()
    served_after = time.monotonic() - started
    status = _get(f"http://127.0.0.1:{port}/status?token={TOKEN}")
    assert Path(status["model_file"]).name == model
    parse = _parse(port, TEXT)
    language = next(e["value"] for e in parse["entities"] if e["entity"] == "language")
    assert language == "fi"
    assert parse["intent"]["name"] == "faq", parse["intent_ranking"][:3]
    print(f"retrain to serving: {served_after:.0f} s (3 epochs, fi+en)")

    await store.add_message("c1", "customer", SECOND, intent="nlu_fallback", confidence=0.22, language="fi",
                            parse={"language": {"code": "fi", "confidence": 0.9}}, status="answered")
    annotated = await client.post("/operator/api/annotations", headers=headers, json={
        "text": SECOND, "action": "assign", "language": "fi", "intent": "faq/delivery_times"})
    assert annotated.status == 200, await annotated.text()
    started = time.monotonic()
    job = await _retrain(client, headers, started)
    assert job["training"]["kind"] == "incremental" and job["training"]["method"] == "overlay", job["training"]
    assert job["training"]["base"] == model and not job["seen_epochs"]
    annotations = job["result"]["gate"]["languages"]["fi"]["annotations"]
    assert annotations["count"] == 2 and annotations["candidate_correct"] == 2, annotations
    incremental = job["result"]["model"]
    deployed = await client.post(f"/operator/api/models/{incremental}/deploy", headers=headers)
    assert deployed.status == 200, await deployed.text()
    served_after = time.monotonic() - started
    parse = _parse(port, SECOND + "?")
    assert parse["intent"]["name"] == "faq", parse["intent_ranking"][:3]
    assert parse["response_selector"]["faq"]["response"]["intent_response_key"] == "faq/delivery_times"
    assert _parse(port, TEXT)["intent"]["name"] == "faq"  # the first annotation still understood
    print(f"incremental retrain (example overlay) to serving: {served_after:.0f} s (fi+en)")
