"""/operator/api: retrain (background job, one at a time), models, deploy with the gate, rollback."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Optional, TypeVar

from aiohttp import web

from bot.gateway.console.auth import json_error
from bot.gateway.model_swap import ModelSwap
from bot.gateway.operator.annotations import annotated_cases
from bot.gateway.operator.http import body, operations, who
from bot.gateway.operator.services import operator_store
from bot.gateway.services import SERVICES
from bot.operations.jobs import TrainingBusy
from bot.operations.registry import GateRefused, RegistryError
from bot.operations.retrain import Retrain

routes = web.RouteTableDef()
T = TypeVar("T")


async def _swap_model(request: web.Request, change: Callable[..., T], *args: Any) -> T:
    """Runs a deploy or rollback (a blocking `PUT /model`) while customer turns wait for it instead of
    timing out (bot/gateway/model_swap.py); shielded, so a closed browser tab cannot end the wait early."""
    swap: ModelSwap = request.config_dict[SERVICES].rasa.swap

    async def tracked() -> T:
        async with swap.swapping():
            return await asyncio.to_thread(change, *args)

    return await asyncio.shield(asyncio.ensure_future(tracked()))


@routes.post("/api/retrain")
async def retrain(request: web.Request) -> web.Response:
    """{languages?: [...], epochs?: n, full?: bool}: starts the job; 409 if one runs already. Without
    `full`, a retrain where only NLU examples changed finetunes the serving model (job.training says)."""
    data = await body(request) if request.can_read_body else {}
    ops = operations(request)
    languages = data.get("languages")
    if languages is not None:
        known = await asyncio.to_thread(ops.content.languages)
        if not (isinstance(languages, list) and languages and all(code in known for code in languages)):
            raise json_error(400, "bad_request", f"languages must be a list of codes among {', '.join(known)}")
    epochs: Optional[Any] = data.get("epochs")
    if epochs is not None and (not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 1):
        raise json_error(400, "bad_request", "epochs must be a positive whole number")
    full = data.get("full", False)
    if not isinstance(full, bool):
        raise json_error(400, "bad_request", "full must be true or false")
    await asyncio.to_thread(ops.registry.adopt_running, [ops.settings.models_dir])
    work = Retrain(
        ops.settings, ops.registry, who(request), annotations=await annotated_cases(operator_store(request)),
        languages=languages, epochs=epochs, trainer=ops.trainer, predictor=ops.predictor, full=full,
    )
    try:
        job = ops.jobs.start(who(request), work)
    except TrainingBusy as error:
        raise json_error(409, "training_running", str(error)) from error
    return web.json_response({"job": job.to_json()}, status=202)


@routes.get("/api/retrain")
async def retrain_status(request: web.Request) -> web.Response:
    job = operations(request).jobs.current
    return web.json_response({"job": job.to_json() if job else None})


@routes.get("/api/models")
async def models(request: web.Request) -> web.Response:
    registry = operations(request).registry
    return web.json_response(
        {
            "serving": registry.serving(),
            "models": [entry.to_json() for entry in registry.models()],
            "history": registry.history(),
            "keep": registry.keep,
        }
    )


@routes.post("/api/models/{name}/deploy")
async def deploy(request: web.Request) -> web.Response:
    """{override_reason?}: swaps the model into Rasa; 409 when the gate refused it and no reason is given."""
    data = await body(request) if request.can_read_body else {}
    reason = data.get("override_reason") if isinstance(data.get("override_reason"), str) else None
    ops = operations(request)
    await asyncio.to_thread(ops.registry.adopt_running, [ops.settings.models_dir])
    try:
        await _swap_model(request, ops.registry.deploy, request.match_info["name"], who(request), reason)
    except GateRefused as error:
        raise json_error(409, "gate_refused", str(error)) from error
    except RegistryError as error:
        raise json_error(400, "deploy_failed", str(error)) from error
    return web.json_response({"serving": ops.registry.serving()})


@routes.post("/api/models/rollback")
async def rollback(request: web.Request) -> web.Response:
    registry = operations(request).registry
    try:
        name = await _swap_model(request, registry.rollback, who(request))
    except RegistryError as error:
        raise json_error(400, "rollback_failed", str(error)) from error
    return web.json_response({"serving": name})
