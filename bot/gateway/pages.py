"""Public pages and files: the demo page, the widget's and console's static files, locale bundles,
and the health check the supervisor waits for."""

from __future__ import annotations

import logging
from pathlib import Path

from aiohttp import web

from bot.gateway.services import SERVICES

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
WIDGET_STATIC = PACKAGE_DIR / "widget" / "static"
CONSOLE_STATIC = PACKAGE_DIR / "console" / "static"

routes = web.RouteTableDef()


def _file(path: Path) -> web.FileResponse:
    if not path.is_file():
        raise web.HTTPNotFound(text=f"{path.name} is not built yet")
    return web.FileResponse(path, headers={"Cache-Control": "no-cache"})


@routes.get("/")
async def demo_page(request: web.Request) -> web.StreamResponse:
    return _file(WIDGET_STATIC / "demo.html")


@routes.get("/console")
async def console_page(request: web.Request) -> web.StreamResponse:
    return _file(CONSOLE_STATIC / "index.html")


@routes.get("/widget/locales/{language}.json")
@routes.get("/console/locales/{language}.json")
async def locale_bundle(request: web.Request) -> web.Response:
    """Unknown languages get English with a 200: the browser always has texts to show. The widget's
    bundles are public and fetched from the sites that embed the widget, hence CORS for any origin."""
    locales = request.app[SERVICES].locales
    language = locales.resolve(request.match_info["language"])
    headers = {"Content-Language": language}
    if request.path.startswith("/widget/"):
        headers["Access-Control-Allow-Origin"] = "*"
    return web.json_response(locales.bundle(language), headers=headers)


@routes.get("/health")
async def health(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    database = "ok"
    try:
        async with services.store.engine.connect() as connection:
            await connection.exec_driver_sql("SELECT 1")
    except Exception:  # the health check reports, it does not crash
        logger.exception("health check: database unreachable")
        database = "down"
    rasa = "ok" if await services.rasa.healthy() else "down"
    status = 200 if database == "ok" else 503
    return web.json_response(
        {"status": "ok" if status == 200 else "degraded", "database": database, "rasa": rasa}, status=status
    )


def static_routes() -> list[web.AbstractRouteDef]:
    """Static folders (registered after the explicit routes so /widget/ws and locales win)."""
    return [
        web.static("/widget", WIDGET_STATIC, append_version=False),
        web.static("/console/static", CONSOLE_STATIC, append_version=False),
    ]
