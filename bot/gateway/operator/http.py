"""Request helpers shared by the operator API modules."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, TypeVar

from aiohttp import web

from bot.gateway.console.auth import json_body, json_error, request_agent
from bot.gateway.operator.services import OPERATIONS, Operations
from bot.operations.content import ContentError

T = TypeVar("T")


def operations(request: web.Request) -> Operations:
    return request.config_dict[OPERATIONS]


def who(request: web.Request) -> str:
    return request_agent(request).name


body = json_body  # the operator API reads bodies the same way as the console


def string(data: dict[str, Any], key: str, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise json_error(400, "bad_request", f"{key} must be a non-empty string")
    return value.strip()


def strings(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise json_error(400, "bad_request", f"{key} must be a list of strings")
    return value


async def content_call(function: Callable[..., T], *args: Any) -> T:
    """Runs a (blocking) content edit in a thread; its refusal becomes a 400 with the reason."""
    try:
        return await asyncio.to_thread(function, *args)
    except ContentError as error:
        raise json_error(400, "invalid_content", str(error)) from error
