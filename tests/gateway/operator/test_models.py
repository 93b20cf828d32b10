"""Retrain through the API (fake trainer and predictor), the gate's verdict, deploy via PUT /model, rollback."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Optional, Sequence

from tests.gateway.operator.conftest import login_operator, operations
from tests.operations.test_retrain import fake_trainer


def _predictor(wrong_language: Optional[str] = None):
    """Right on every held-out text, except (for the newest model) in `wrong_language`."""

    def predict(model: Path, texts: Sequence[str]) -> list[Optional[str]]:
        from bot.operations.holdout import split
        from bot.project import load_project

        ops_root = model.parents[2] / "project"
        _, cases = split(load_project(ops_root, ["fi", "en"]))
        truth = {case.text: (case.intent, case.language) for case in cases}
        newest = sorted(model.parent.glob("polydesk-*.tar.gz"), key=lambda p: p.stat().st_mtime)[-1]
        answers = []
        for text in texts:
            intent, language = truth.get(text, ("faq", "fi"))
            answers.append("greet" if model == newest and language == wrong_language else intent)
        return answers

    return predict


async def _finish(client, job_id: str) -> dict:
    for _ in range(200):
        job = (await (await client.get("/operator/api/retrain")).json())["job"]
        if job["id"] == job_id and job["state"] != "running":
            return job
        await asyncio.sleep(0.05)
    raise AssertionError("the retrain did not finish")


async def _retrain(client, headers, wrong_language: Optional[str] = None) -> dict:
    ops = operations(client)
    ops.trainer = fake_trainer(["Epochs: 100%|██| 2/2 [00:02<00:00, 1it/s]"])
    ops.predictor = _predictor(wrong_language)
    started = await client.post("/operator/api/retrain", headers=headers, json={"languages": ["fi", "en"],
                                                                                 "epochs": 2})
    assert started.status == 202, await started.text()
    return await _finish(client, (await started.json())["job"]["id"])


async def test_retrain_gate_deploy_and_rollback(client, rasa) -> None:
    headers = await login_operator(client)
    first = await _retrain(client, headers)
    assert first["state"] == "succeeded", first["error"]
    assert first["result"]["gate"]["passed"] and first["result"]["gate"]["baseline"] == "none"
    first_model = first["result"]["model"]
    deployed = await client.post(f"/operator/api/models/{first_model}/deploy", headers=headers)
    assert deployed.status == 200, await deployed.text()
    assert rasa.loaded[-1].endswith(first_model)

    await asyncio.sleep(1.1)  # model names carry the second they were trained
    second = await _retrain(client, headers)
    assert second["result"]["gate"]["baseline"] == "serving" and second["result"]["gate"]["passed"]
    # nothing but examples changed since the first (serving) model: built on it (example overlay), and the job says so
    assert first["training"]["kind"] == "full" and second["training"]["kind"] == "incremental"
    assert second["training"]["base"] == first_model and second["training"]["method"] == "overlay"
    refused = await client.post("/operator/api/retrain", headers=headers, json={"full": "yes"})
    assert refused.status == 400
    second_model = second["result"]["model"]
    assert (await client.post(f"/operator/api/models/{second_model}/deploy", headers=headers)).status == 200
    models = await (await client.get("/operator/api/models")).json()
    assert models["serving"] == second_model and len(models["models"]) == 2

    rolled = await client.post("/operator/api/models/rollback", headers=headers)
    assert rolled.status == 200 and (await rolled.json())["serving"] == first_model
    assert rasa.loaded[-1].endswith(first_model) and len(rasa.loaded) == 3


async def test_a_model_that_hurts_one_language_is_refused_unless_overridden(client, rasa) -> None:
    headers = await login_operator(client)
    first = (await _retrain(client, headers))["result"]["model"]
    assert (await client.post(f"/operator/api/models/{first}/deploy", headers=headers)).status == 200
    await asyncio.sleep(1.1)
    worse = await _retrain(client, headers, wrong_language="fi")
    gate = worse["result"]["gate"]
    assert not gate["passed"] and gate["failed_languages"] == ["fi"]
    assert gate["languages"]["fi"]["f1_change"] < -0.01 and gate["languages"]["en"]["passed"]
    assert gate["languages"]["fi"]["candidate"]["confusion"]["rows"]
    name = worse["result"]["model"]
    refused = await client.post(f"/operator/api/models/{name}/deploy", headers=headers)
    assert refused.status == 409 and (await refused.json())["error"] == "gate_refused"
    assert len(rasa.loaded) == 1
    forced = await client.post(f"/operator/api/models/{name}/deploy", headers=headers,
                               json={"override_reason": "held-out Finnish texts are being rewritten"})
    assert forced.status == 200 and rasa.loaded[-1].endswith(name)
    history = (await (await client.get("/operator/api/models")).json())["history"]
    assert history[0]["override_reason"] == "held-out Finnish texts are being rewritten"


async def test_a_second_retrain_is_refused_while_one_runs(client) -> None:
    import threading

    headers = await login_operator(client)
    release = threading.Event()
    ops = operations(client)

    def slow_trainer(assembled, out_dir, name, on_line):
        on_line("Epochs:  50%|█ | 1/2 [00:01<00:01, 1it/s]")
        release.wait(10)
        raise RuntimeError("stopped by the test")

    ops.trainer = slow_trainer
    first = await client.post("/operator/api/retrain", headers=headers, json={"languages": ["fi"]})
    assert first.status == 202
    for _ in range(100):
        job = (await (await client.get("/operator/api/retrain")).json())["job"]
        if job["progress"]["epoch"] == 1:
            break
        await asyncio.sleep(0.05)
    assert job["progress"]["stage"] == "training" and job["progress"]["component"] == "DIETClassifier"
    second = await client.post("/operator/api/retrain", headers=headers, json={})
    assert second.status == 409
    unknown = await client.post("/operator/api/retrain", headers=headers, json={"languages": ["xx"]})
    assert unknown.status == 400 and "fi, en" in (await unknown.json())["message"]
    assert "olli" in (await second.json())["message"]
    release.set()
    job = await _finish(client, job["id"])
    assert job["state"] == "failed" and "stopped by the test" in job["error"]
