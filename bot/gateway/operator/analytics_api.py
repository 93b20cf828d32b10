"""/operator/api/analytics?from=YYYY-MM-DD&to=YYYY-MM-DD&language=fi"""

from __future__ import annotations

from datetime import date, timedelta

from aiohttp import web

from bot.gateway.console.auth import json_error
from bot.gateway.operator.analytics import analytics
from bot.gateway.services import SERVICES
from bot.gateway.store.engine import utcnow

routes = web.RouteTableDef()
MAX_DAYS = 366


@routes.get("/api/analytics")
async def analytics_report(request: web.Request) -> web.Response:
    today = utcnow().date()
    try:
        end = date.fromisoformat(request.query.get("to") or today.isoformat())
        start = date.fromisoformat(request.query.get("from") or (end - timedelta(days=29)).isoformat())
    except ValueError as error:
        raise json_error(400, "bad_request", "from and to are dates: YYYY-MM-DD") from error
    if start > end or (end - start).days >= MAX_DAYS:
        raise json_error(400, "bad_request", f"from must be before to, at most {MAX_DAYS} days apart")
    engine = request.config_dict[SERVICES].store.engine
    return web.json_response(await analytics(engine, start, end, request.query.get("language") or None))
