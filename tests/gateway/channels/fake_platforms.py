"""Loopback stand-ins for Telegram's Bot API and Meta's Graph API (WhatsApp Cloud API, Messenger).

Each records what the gateway sent and can be scripted: `fail_next` answers the next requests with
given statuses (429 with a Retry-After, 500...), `down` refuses everything with 503 until cleared.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any, Optional

from aiohttp import web


@dataclass
class Failure:
    status: int
    retry_after: Optional[str] = None
    body: Optional[dict[str, Any]] = None


@dataclass
class FakePlatform:
    token: str
    port: int = 0
    down: bool = False
    fail_next: list[Failure] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)  # {"path", "body", "at"} of accepted sends
    attempts: list[float] = field(default_factory=list)  # monotonic times of every send attempt

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def scripted(self) -> Optional[web.Response]:
        self.attempts.append(time.monotonic())
        if self.down:
            return web.json_response({"error": "maintenance"}, status=503)
        if self.fail_next:
            failure = self.fail_next.pop(0)
            headers = {"Retry-After": failure.retry_after} if failure.retry_after else None
            return web.json_response(failure.body or {"error": "scripted"}, status=failure.status, headers=headers)
        return None

    def bodies(self, path_end: str = "") -> list[dict[str, Any]]:
        return [item["body"] for item in self.sent if item["path"].endswith(path_end)]

    async def wait_for(self, count: int, path_end: str = "", timeout: float = 5.0) -> list[dict[str, Any]]:
        """The first `count` bodies sent to paths ending in `path_end`, waiting for them to arrive."""
        deadline = time.monotonic() + timeout
        while len(self.bodies(path_end)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} sends to *{path_end}, got {self.bodies(path_end)}")
            await asyncio.sleep(0.02)
        return self.bodies(path_end)


class FakeTelegram(FakePlatform):
    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self.method)
        app.router.add_get("/file/bot{token}/{path:.*}", self.file)
        return app

    async def method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        name = request.match_info["method"]
        if name == "getFile":
            body = await request.json()
            return web.json_response({"ok": True, "result": {"file_path": f"photos/{body['file_id']}.jpg"}})
        scripted = self.scripted()
        if scripted is not None:
            return scripted
        self.sent.append({"path": name, "body": await request.json(), "at": time.monotonic()})
        return web.json_response({"ok": True, "result": {"message_id": len(self.sent)}})

    async def file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=404)
        return web.Response(body=b"JPEG:" + request.match_info["path"].encode(), content_type="image/jpeg")


@dataclass
class FakeGraph(FakePlatform):
    """Graph API v19.0: /{phone-number-id}/messages, /me/messages, /{psid}?fields=locale, media."""

    locales: dict[str, str] = field(default_factory=dict)  # PSID -> profile locale

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/v19.0/{tail:.*}", self.graph)
        app.router.add_get("/cdn/{media_id}", self.cdn)
        return app

    def _authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.token}"

    async def graph(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return web.json_response({"error": {"message": "Invalid OAuth access token", "code": 190}}, status=401)
        tail = request.match_info["tail"]
        if request.method == "GET":
            if request.query.get("fields") == "locale":
                locale = self.locales.get(tail)
                if locale is None:
                    return web.json_response({"error": {"message": "no permission", "code": 10}}, status=400)
                return web.json_response({"id": tail, "locale": locale})
            return web.json_response({"url": f"{self.url}/cdn/{tail}", "mime_type": "image/jpeg", "id": tail})
        scripted = self.scripted()
        if scripted is not None:
            return scripted
        self.sent.append({"path": tail, "body": await request.json(), "at": time.monotonic()})
        return web.json_response({"messages": [{"id": f"wamid.out{len(self.sent)}"}]})

    async def cdn(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return web.Response(status=401)
        return web.Response(body=b"IMG:" + request.match_info["media_id"].encode(), content_type="image/jpeg")
