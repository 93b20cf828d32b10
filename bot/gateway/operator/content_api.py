"""/operator/api/content: FAQ questions and answers, every response text, the change log."""

from __future__ import annotations

from dataclasses import asdict

from aiohttp import web

from bot.gateway.operator.http import body, content_call, operations, string, strings, who

routes = web.RouteTableDef()


@routes.get("/api/content/responses")
async def responses(request: web.Request) -> web.Response:
    content = operations(request).content
    return web.json_response(
        {"languages": await content_call(content.languages), "responses": await content_call(content.response_table)}
    )


@routes.put("/api/content/responses")
async def set_response(request: web.Request) -> web.Response:
    """{language, key, texts: [...]}: live at the next turn (the NLG endpoint reads the file)."""
    data = await body(request)
    variations = await content_call(
        operations(request).content.set_response,
        string(data, "language"), string(data, "key"), strings(data, "texts"), who(request),
    )
    return web.json_response({"key": data["key"], "variations": [dict(v) for v in variations]})


@routes.get("/api/content/faq")
async def faq(request: web.Request) -> web.Response:
    content = operations(request).content
    return web.json_response(
        {"languages": await content_call(content.languages), "topics": await content_call(content.faq_table)}
    )


@routes.get("/api/content/examples")
async def examples(request: web.Request) -> web.Response:
    content = operations(request).content
    language = request.query.get("language", "")
    return web.json_response({"language": language, "examples": await content_call(content.examples, language)})


@routes.post("/api/content/examples")
async def add_examples(request: web.Request) -> web.Response:
    """{language, intent, texts}: FAQ questions (intent faq/<topic>) or intent examples."""
    data = await body(request)
    added = await content_call(
        operations(request).content.add_examples,
        string(data, "language"), string(data, "intent"), strings(data, "texts"), who(request),
    )
    return web.json_response(asdict(added))


@routes.delete("/api/content/examples")
async def remove_example(request: web.Request) -> web.Response:
    data = await body(request)
    await content_call(
        operations(request).content.remove_example,
        string(data, "language"), string(data, "intent"), string(data, "text"), who(request),
    )
    return web.json_response({"status": "removed"})


@routes.get("/api/changes")
async def changes(request: web.Request) -> web.Response:
    entries = operations(request).content.changelog.entries()
    return web.json_response({"changes": [asdict(entry) for entry in entries]})
