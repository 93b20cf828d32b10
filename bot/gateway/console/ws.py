"""The console's WebSocket (/api/console/ws): live queue, messages and presence for one agent."""

from __future__ import annotations

import json
import logging

from aiohttp import WSMsgType, web

from bot.gateway.assignment import AssignmentError
from bot.gateway.console.auth import json_error, request_agent
from bot.gateway.models import Agent
from bot.gateway.security import origin_allowed
from bot.gateway.services import SERVICES, Services

logger = logging.getLogger(__name__)


async def _presence_changed(services: Services) -> None:
    await services.handoff.reroute()
    agents = await services.store.agents.all()
    online = services.hub.online_agent_ids()
    await services.outbox.consoles({"type": "agents", "agents": [a.to_json(a.id in online) for a in agents]})


async def console_socket(request: web.Request) -> web.StreamResponse:
    services = request.config_dict[SERVICES]
    # consoles are same-origin pages; a cross-site page must not ride on the agent's cookie
    if not origin_allowed(request.headers.get("Origin"), (), request.host):
        raise json_error(403, "forbidden", "the console socket is same-origin only")
    agent = request_agent(request)
    socket = web.WebSocketResponse(heartbeat=30.0)
    await socket.prepare(request)
    came_online = services.hub.add(agent.id, socket)
    try:
        await socket.send_json({"type": "queue", "queue": await services.queue.snapshot()})
        if came_online:
            services.hub.spawn(_presence_changed(services))
        async for frame in socket:
            if frame.type != WSMsgType.TEXT:
                continue
            await _frame(socket, services, agent, frame.data)
    finally:
        if services.hub.remove(agent.id, socket) and not services.hub.closing:
            services.hub.spawn(_presence_changed(services))
    return socket


async def _frame(socket: web.WebSocketResponse, services: Services, agent: Agent, raw: str) -> None:
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "ping":
        await socket.send_json({"type": "pong"})
    elif kind == "typing" and isinstance(data.get("conversation_id"), str):
        try:
            await services.assignments.typing(data["conversation_id"], agent, bool(data.get("active")))
        except AssignmentError as error:
            await socket.send_json({"type": "error", "code": error.code, "message": str(error)})
    else:
        await socket.send_json({"type": "error", "code": "bad_request", "message": f"unknown type {kind!r}"})
