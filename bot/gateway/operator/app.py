"""`operator_app(settings)`: the operator console and its API, mounted at /operator by create_app."""

from __future__ import annotations

import re
from pathlib import Path
from typing import AsyncIterator

from aiohttp import web

from bot.gateway.operator import analytics_api, content_api, inbox_api, models_api, nlg
from bot.gateway.operator.auth import operator_middleware
from bot.gateway.operator.services import OPERATIONS, build_operations
from bot.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"
_FILE_NAME = re.compile(r"^[a-z0-9_-]+\.(js|css|html|svg)$")


async def page(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


async def static_file(request: web.Request) -> web.StreamResponse:
    name = request.match_info["file"]
    if not _FILE_NAME.match(name) or not (STATIC / name).is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(STATIC / name, headers={"Cache-Control": "no-cache"})


def operator_app(settings: Settings) -> web.Application:
    app = web.Application(middlewares=[operator_middleware])

    async def _operations(app: web.Application) -> AsyncIterator[None]:
        app[OPERATIONS] = build_operations(settings)
        yield
        app[OPERATIONS].jobs.wait(timeout=0)  # a running training keeps its subprocess; nothing to close

    app.cleanup_ctx.append(_operations)
    app.router.add_get("/", page)
    app.router.add_get("/static/{file}", static_file)
    for module in (inbox_api, content_api, models_api, analytics_api, nlg):
        app.add_routes(module.routes)
    return app


def mount(app: web.Application, settings: Settings) -> None:
    """Adds the operator console under /operator (and /operator itself, redirected to /operator/)."""

    async def redirect(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/operator/")

    app.router.add_get("/operator", redirect)
    app.add_subapp("/operator", operator_app(settings))
