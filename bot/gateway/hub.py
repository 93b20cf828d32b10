"""Who is connected: console sockets per agent (presence) and fan-out of console events.

In-memory and per process: with several gateway replicas this becomes Redis pub/sub (see the report).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Coroutine, Optional

from aiohttp import web

logger = logging.getLogger(__name__)


class ConsoleHub:
    def __init__(self) -> None:
        self._sockets: dict[int, set[web.WebSocketResponse]] = {}
        self.closing = False  # set at shutdown: agents leaving then are not a presence change
        self._tasks: set[asyncio.Task[None]] = set()

    def online_agent_ids(self) -> set[int]:
        return {agent_id for agent_id, sockets in self._sockets.items() if sockets}

    def add(self, agent_id: int, socket: web.WebSocketResponse) -> bool:
        """Registers a socket; True when the agent just came online."""
        sockets = self._sockets.setdefault(agent_id, set())
        sockets.add(socket)
        return len(sockets) == 1

    def remove(self, agent_id: int, socket: web.WebSocketResponse) -> bool:
        """Forgets a socket; True when the agent just went offline."""
        sockets = self._sockets.get(agent_id, set())
        sockets.discard(socket)
        if not sockets:
            self._sockets.pop(agent_id, None)
            return True
        return False

    async def send(self, event: dict[str, Any], agent_id: Optional[int] = None) -> None:
        """To one agent's sockets, or to every console when `agent_id` is None."""
        targets = (
            list(self._sockets.get(agent_id, ()))
            if agent_id is not None
            else [socket for sockets in self._sockets.values() for socket in sockets]
        )
        for socket in targets:
            if socket.closed:
                continue
            try:
                await socket.send_json(event)
            except (ConnectionError, RuntimeError) as error:
                logger.warning("console socket dropped while sending %s: %s", event.get("type"), error)

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Runs presence follow-ups outside the socket handler, which aiohttp cancels when the
        browser disconnects; failures are logged."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("console presence follow-up failed", exc_info=task.exception())

    async def close_all(self) -> None:
        self.closing = True
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
        for sockets in list(self._sockets.values()):
            for socket in list(sockets):
                await socket.close()
