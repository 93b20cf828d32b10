"""/operator/api: session, inbox of misunderstood messages, annotations."""

from __future__ import annotations

from aiohttp import web

from bot.gateway.console.auth import current_csrf, json_error, request_agent
from bot.gateway.operator.annotations import annotate as record
from bot.gateway.operator.http import body, content_call, operations, string, strings, who
from bot.gateway.operator.inbox import inbox
from bot.gateway.operator.services import operator_store
from bot.gateway.services import SERVICES
from bot.operations.content import ContentError

routes = web.RouteTableDef()


@routes.get("/api/session")
async def session(request: web.Request) -> web.Response:
    agent = request_agent(request)
    return web.json_response(
        {"operator": {"id": agent.id, "name": agent.name, "languages": list(agent.languages)},
         "csrf_token": current_csrf(request)}
    )


@routes.get("/api/inbox")
async def inbox_rows(request: web.Request) -> web.Response:
    services = request.config_dict[SERVICES]
    settings = services.settings
    try:
        days = int(request.query.get("days", "30"))
    except ValueError as error:
        raise json_error(400, "bad_request", "days must be a number") from error
    rows = await inbox(
        services.store.engine,
        intent_threshold=settings.inbox_intent_confidence,
        language_threshold=settings.inbox_language_confidence,
        reviewed=await operator_store(request).reviewed_keys(),
        language=request.query.get("language") or None,
        days=days,
    )
    return web.json_response({"rows": [row.to_json() for row in rows]})


@routes.get("/api/intents")
async def intents(request: web.Request) -> web.Response:
    content = operations(request).content
    return web.json_response(
        {"intents": await content_call(content.known_intents), "languages": await content_call(content.languages)}
    )


@routes.get("/api/conversations/{id}")
async def conversation(request: web.Request) -> web.Response:
    store = request.config_dict[SERVICES].store
    found = await store.conversations.get(request.match_info["id"])
    if found is None:
        raise json_error(404, "not_found", "no such conversation")
    messages = await store.conversations.transcript(found.id)
    return web.json_response(
        {
            "conversation": {"id": found.id, "channel": found.channel, "language": found.language,
                             "state": found.state, "created_at": found.created_at.isoformat()},
            "messages": [message.to_transcript_json() for message in messages],
        }
    )


@routes.post("/api/annotations")
async def annotate(request: web.Request) -> web.Response:
    """{text, action: assign|new_intent|dismiss, language, intent, examples?, message_id?, predicted_intent?}:
    assigning writes the text as an example of the intent in that language; every message with the same
    normalised text leaves the inbox."""
    data = await body(request)
    action = string(data, "action")
    optional = action == "dismiss"
    try:
        verdict = await record(
            operations(request).content,
            operator_store(request),
            operator_id=request_agent(request).id,
            operator_name=who(request),
            text=string(data, "text"),
            action=action,
            language=string(data, "language", required=not optional) or None,
            intent=string(data, "intent", required=not optional) or None,
            examples=strings(data, "examples") if data.get("examples") is not None else [],
            message_id=data.get("message_id") if isinstance(data.get("message_id"), int) else None,
            predicted_intent=data.get("predicted_intent") if isinstance(data.get("predicted_intent"), str) else None,
        )
    except ContentError as error:
        raise json_error(400, "invalid_content", str(error)) from error
    result = {"annotation": verdict.annotation.to_json()}
    if verdict.change is not None:
        result.update(file=verdict.change.file, added=verdict.change.added, already_there=verdict.change.already_there)
    return web.json_response(result)


@routes.get("/api/annotations")
async def annotations(request: web.Request) -> web.Response:
    found = await operator_store(request).annotations(limit=500)
    return web.json_response({"annotations": [a.to_json() for a in found]})
