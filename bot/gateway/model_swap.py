"""Model swaps the gateway starts in Rasa, so that no customer turn is lost to one.

Rasa's `PUT /model` loads the new model inside its event loop: for the seconds that takes, Rasa answers
nothing, and a turn would time out and send the conversation to the agent queue. While the gateway itself
deploys (the operator console's deploy and rollback), new turns wait for the swap to finish, up to a bound,
and a turn already in flight gets a fresh timeout once the swap is over instead of failing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import AsyncIterator

logger = logging.getLogger(__name__)


class ModelSwap:
    """Whether a model swap is under way (or just ended), and a bounded wait for it to end."""

    def __init__(self, max_wait_seconds: float) -> None:
        self.max_wait_seconds = max_wait_seconds
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._last_ended = float("-inf")

    @property
    def running(self) -> bool:
        return self._running > 0

    def recent(self, within_seconds: float) -> bool:
        """A swap runs now or ended less than `within_seconds` ago (it may be why Rasa was slow)."""
        return self.running or time.monotonic() - self._last_ended < within_seconds

    @contextlib.asynccontextmanager
    async def swapping(self) -> AsyncIterator[None]:
        """Wrap the `PUT /model` call: turns wait while it runs."""
        self._running += 1
        self._idle.clear()
        logger.info("model swap started: customer turns wait for it (at most %.0f s)", self.max_wait_seconds)
        try:
            yield
        finally:
            self._running -= 1
            self._last_ended = time.monotonic()
            if not self._running:
                self._idle.set()
                logger.info("model swap finished: waiting turns go to Rasa")

    async def settled(self) -> bool:
        """Waits until no swap runs, at most `max_wait_seconds`; False if the bound was reached."""
        if not self.running:
            return True
        try:
            await asyncio.wait_for(self._idle.wait(), self.max_wait_seconds)
        except asyncio.TimeoutError:
            logger.warning("a model swap still runs after %.0f s: the turn goes on", self.max_wait_seconds)
            return False
        return True
