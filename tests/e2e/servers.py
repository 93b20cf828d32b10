"""The gateway and a Rasa stand-in served from a background thread, so that synchronous Playwright
can drive a browser against them from the test's own thread."""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any, Awaitable, Callable, Optional, TypeVar

from aiohttp import web

T = TypeVar("T")
SHUTDOWN_SECONDS = 3.0  # open browser sockets must not hold a test's teardown for aiohttp's default minute


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerThread:
    """An event loop in a daemon thread serving aiohttp apps on loopback ports."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="e2e-servers", daemon=True)
        self._runners: list[web.AppRunner] = []
        self._thread.start()

    def run(self, coroutine: Awaitable[T], timeout: float = 30.0) -> T:
        """Runs `coroutine` on the servers' loop and waits for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)  # type: ignore[arg-type]

    def serve(self, app: web.Application, port: int) -> None:
        async def start() -> None:
            runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=SHUTDOWN_SECONDS)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            self._runners.append(runner)

        self.run(start())

    def call(self, function: Callable[..., Awaitable[T]], *args: Any) -> T:
        return self.run(function(*args))

    def stop(self, timeout: Optional[float] = 30.0) -> None:
        async def cleanup() -> None:
            for runner in reversed(self._runners):
                await runner.cleanup()

        try:
            self.run(cleanup(), timeout or 30.0)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout)
