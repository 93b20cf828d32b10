"""The console's JSON API (mounted at /api): everything the console does, usable without it."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.gateway.assignment import AssignmentError
from bot.gateway.console.auth import (
    current_csrf,
    end_session,
    json_body,
    json_error,
    request_agent,
    start_session,
)
from bot.gateway.console.passwords import verify_password
from bot.gateway.models import AGENT
from bot.gateway.security import clean_text
from bot.gateway.services import SERVICES, Services

routes = web.RouteTableDef()
MAX_NOTE_CHARACTERS = 4000


def _services(request: web.Request) -> Services:
    return request.config_dict[SERVICES]


def _text(data: dict[str, Any], limit: int) -> str:
    try:
        return clean_text(data.get("text"), limit)
    except ValueError as error:
        raise json_error(400, "bad_request", f"text: {error}") from error


def _agent_json(services: Services, agent: Any) -> dict[str, Any]:
    return agent.to_json(online=agent.id in services.hub.online_agent_ids())


async def _assignment(call: Any) -> Any:
    try:
        return await call
    except AssignmentError as error:
        raise json_error(error.status, error.code, str(error)) from error


@routes.post("/auth/login")
async def login(request: web.Request) -> web.Response:
    services = _services(request)
    data = await json_body(request)
    name, password = data.get("name"), data.get("password")
    found = await services.store.agents.password_hash(name) if isinstance(name, str) else None
    if found is None or not isinstance(password, str) or not verify_password(password, found[1]):
        raise json_error(401, "invalid_credentials", "wrong name or password")
    response = web.json_response({})
    csrf = await start_session(request, response, found[0])
    response.text = web.json_response({"agent": _agent_json(services, found[0]), "csrf_token": csrf}).text
    return response


@routes.get("/auth/session")
async def session(request: web.Request) -> web.Response:
    agent = request_agent(request)
    return web.json_response(
        {"agent": _agent_json(_services(request), agent), "csrf_token": current_csrf(request)}
    )


@routes.post("/auth/logout")
async def logout(request: web.Request) -> web.Response:
    response = web.json_response({"status": "logged_out"})
    await end_session(request, response)
    return response


@routes.get("/queue")
async def queue(request: web.Request) -> web.Response:
    return web.json_response({"queue": await _services(request).queue.snapshot()})


@routes.get("/conversations")
async def conversations(request: web.Request) -> web.Response:
    services = _services(request)
    mine = request.query.get("mine") in ("1", "true")
    agent_id = request_agent(request).id if mine else None
    found = await services.store.conversations.in_state(AGENT, agent_id)
    return web.json_response({"conversations": [await services.queue.summary(c) for c in found]})


@routes.get("/conversations/{id}")
async def conversation(request: web.Request) -> web.Response:
    services = _services(request)
    found = await services.store.conversations.get(request.match_info["id"])
    if found is None:
        raise json_error(404, "not_found", "no such conversation")
    messages = await services.store.conversations.transcript(found.id)
    notes = await services.store.records.notes(found.id)
    return web.json_response(
        {
            "conversation": await services.queue.summary(found),
            "messages": [message.to_transcript_json() for message in messages],
            "notes": [note.to_json() for note in notes],
        }
    )


@routes.post("/conversations/{id}/claim")
async def claim(request: web.Request) -> web.Response:
    services = _services(request)
    claimed = await _assignment(services.assignments.claim(request.match_info["id"], request_agent(request)))
    return web.json_response({"conversation": await services.queue.summary(claimed)})


@routes.post("/conversations/{id}/messages")
async def reply(request: web.Request) -> web.Response:
    services = _services(request)
    text = _text(await json_body(request), services.settings.max_message_characters)
    message = await _assignment(
        services.assignments.reply(request.match_info["id"], request_agent(request), text)
    )
    return web.json_response({"message": message.to_transcript_json()})


@routes.post("/conversations/{id}/notes")
async def add_note(request: web.Request) -> web.Response:
    services = _services(request)
    text = _text(await json_body(request), MAX_NOTE_CHARACTERS)
    found = await services.store.conversations.get(request.match_info["id"])
    if found is None:
        raise json_error(404, "not_found", "no such conversation")
    note = await services.store.records.add_note(found.id, request_agent(request).id, text)
    return web.json_response({"note": note.to_json()})


@routes.post("/conversations/{id}/transfer")
async def transfer(request: web.Request) -> web.Response:
    services = _services(request)
    target = (await json_body(request)).get("agent_id")
    if not isinstance(target, int) or isinstance(target, bool):
        raise json_error(400, "bad_request", "agent_id must be a number")
    moved = await _assignment(
        services.assignments.transfer(request.match_info["id"], request_agent(request), target)
    )
    return web.json_response({"conversation": await services.queue.summary(moved)})


@routes.post("/conversations/{id}/resolve")
async def resolve(request: web.Request) -> web.Response:
    services = _services(request)
    done = await _assignment(services.assignments.resolve(request.match_info["id"], request_agent(request)))
    return web.json_response({"conversation": await services.queue.summary(done)})


@routes.get("/agents")
async def agents(request: web.Request) -> web.Response:
    services = _services(request)
    return web.json_response(
        {"agents": [_agent_json(services, a) for a in await services.store.agents.all()]}
    )


@routes.get("/canned-replies")
async def canned_replies(request: web.Request) -> web.Response:
    services = _services(request)
    language = services.locales.resolve(request.query.get("language"))
    replies = services.canned_replies.get(language) or services.canned_replies.get("en", [])
    return web.json_response({"language": language, "replies": replies})


@routes.get("/tickets")
async def tickets(request: web.Request) -> web.Response:
    status = request.query.get("status")
    found = await _services(request).store.records.tickets(status)
    return web.json_response({"tickets": [ticket.to_json() for ticket in found]})


@routes.post("/tickets/{id}/close")
async def close_ticket(request: web.Request) -> web.Response:
    try:
        ticket_id = int(request.match_info["id"])
    except ValueError as error:
        raise json_error(400, "bad_request", "ticket ids are numbers") from error
    ticket = await _services(request).store.records.close_ticket(ticket_id)
    if ticket is None:
        raise json_error(404, "not_found", "no such ticket")
    return web.json_response({"ticket": ticket.to_json()})


@routes.get("/reports/csat")
async def csat_report(request: web.Request) -> web.Response:
    return web.json_response(await _services(request).csat.report())
