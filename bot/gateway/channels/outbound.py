"""Delivery to a messaging platform that users can trust: every request is written to the database
first, then sent by one worker per channel in the order it was written.

A 429 or 5xx answer, a timeout or a refused connection means "the platform cannot take it now": the
worker waits (exponential backoff, at least the platform's `Retry-After`) and tries the same request
again, so nothing written while a platform is down is lost or reordered. Any other 4xx means the
request itself is wrong (blocked bot, unknown recipient): it is marked failed and logged, and the
queue moves on. Requests older than the give-up age are failed too, so a dead platform does not keep
the queue forever. Delivery is at least once: a crash between the platform's "ok" and the database
update sends that one request again.

One worker per channel and process: with several gateway replicas the pending rows need a claim
(`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL) before this scales out.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Awaitable, Callable, Mapping, Optional

import aiohttp

from bot.gateway.store.channels import ChannelStore
from bot.gateway.store.engine import utcnow

logger = logging.getLogger(__name__)

SEND_TIMEOUT = aiohttp.ClientTimeout(total=15)


class RetryLater(Exception):
    """The platform cannot take the request now; `retry_after` is its own hint in seconds."""

    def __init__(self, reason: str, retry_after: Optional[float] = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Undeliverable(Exception):
    """The platform refused the request for good (4xx other than 429)."""


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float = 1.0
    max_seconds: float = 300.0
    give_up_after: timedelta = timedelta(hours=24)

    def delay(self, failures: int, retry_after: Optional[float]) -> float:
        backoff = min(self.max_seconds, self.base_seconds * 2 ** max(0, failures - 1))
        return max(backoff, retry_after or 0.0)


def retry_after_seconds(header: Optional[str], now: Optional[datetime] = None) -> Optional[float]:
    """`Retry-After` as seconds: either delta-seconds or an HTTP date."""
    if not header:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - (now or utcnow())).total_seconds())


async def post_json(
    session: aiohttp.ClientSession,
    url: str,
    body: Mapping[str, Any],
    headers: Optional[Mapping[str, str]] = None,
    method: str = "POST",
) -> Any:
    """One call of a platform's HTTP API, its failures mapped to RetryLater / Undeliverable."""
    try:
        async with session.request(
            method, url, json=body if method != "GET" else None, headers=headers, timeout=SEND_TIMEOUT
        ) as response:
            text = await response.text()
            if response.status == 429 or response.status >= 500:
                hint = retry_after_seconds(response.headers.get("Retry-After"))
                if hint is None:  # Telegram puts it in the body: {"parameters": {"retry_after": 3}}
                    hint = _body_retry_after(text)
                raise RetryLater(f"HTTP {response.status}: {text[:200]}", hint)
            if response.status >= 300:
                raise Undeliverable(f"HTTP {response.status}: {text[:300]}")
            try:
                return await response.json(content_type=None)
            except ValueError as error:
                raise Undeliverable(f"not JSON: {text[:200]}") from error
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        raise RetryLater(f"{type(error).__name__}: {error}") from error


async def download(
    session: aiohttp.ClientSession, url: str, headers: Optional[Mapping[str, str]] = None
) -> tuple[str, bytes]:
    """A platform's media file for the console's proxy: (content type, bytes)."""
    try:
        async with session.get(url, headers=headers, timeout=SEND_TIMEOUT) as response:
            if response.status >= 300:
                raise Undeliverable(f"HTTP {response.status} for the media file")
            return response.content_type, await response.read()
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        raise RetryLater(f"{type(error).__name__}: {error}") from error


def _body_retry_after(text: str) -> Optional[float]:
    try:
        data = json.loads(text)
        value = data.get("parameters", {}).get("retry_after")
    except (ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, (int, float)) else None


Sender = Callable[[dict[str, Any]], Awaitable[None]]


class OutboundQueue:
    """The persistent, ordered outbound queue of one channel and its worker task."""

    def __init__(
        self,
        channel: str,
        store: ChannelStore,
        sender: Sender,
        policy: RetryPolicy,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._channel = channel
        self._store = store
        self._sender = sender
        self._policy = policy
        self._clock = clock
        self._wake = asyncio.Event()
        self._task: Optional[asyncio.Task[None]] = None
        self._failures = 0
        self._stop = asyncio.Event()

    async def put(self, conversation_id: str, request: dict[str, Any]) -> None:
        await self._store.enqueue(self._channel, conversation_id, request)
        self._wake.set()

    def start(self) -> None:
        """Starts the worker; requests left pending by an earlier run go out first."""
        self._stop.clear()
        self._wake.set()
        self._task = asyncio.create_task(self._run(), name=f"outbound-{self._channel}")

    async def stop(self, grace_seconds: float = 2.0) -> None:
        """Lets a send in flight finish (so its database update is not cut off), then stops."""
        if self._task is None:
            return
        self._stop.set()
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), grace_seconds)
        except asyncio.TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    async def _run(self) -> None:
        while not self._stop.is_set():
            await self._wake.wait()
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                delay = await self.send_pending()
            except Exception:  # a database hiccup must not end delivery for good
                logger.exception("%s outbound queue failed; retrying", self._channel)
                delay = self._policy.delay(1, None)
            if delay is not None:
                with contextlib.suppress(asyncio.TimeoutError):  # new messages wait; only stop wakes
                    await asyncio.wait_for(self._stop.wait(), delay)
                self._wake.set()

    async def send_pending(self) -> Optional[float]:
        """Sends what is pending, oldest first; returns how long to wait when the platform said
        "later" (the same request is retried first), None when the queue is empty."""
        while True:
            batch = await self._store.pending(self._channel)
            if not batch:
                return None
            for item in batch:
                if self._stop.is_set():
                    return None
                if self._clock() - item.created_at > self._policy.give_up_after:
                    logger.error("%s request %d given up after %s", self._channel, item.id, item.last_error)
                    await self._store.mark_failed(item.id, f"gave up: {item.last_error}")
                    continue
                try:
                    await self._sender(item.request)
                except RetryLater as error:
                    self._failures += 1
                    delay = self._policy.delay(self._failures, error.retry_after)
                    logger.warning(
                        "%s is not taking messages (%s); retrying request %d in %.1f s",
                        self._channel,
                        error,
                        item.id,
                        delay,
                    )
                    until = self._clock() + timedelta(seconds=delay)
                    await self._store.postpone(item.id, item.attempts + 1, until, str(error))
                    return delay
                except Undeliverable as error:
                    logger.error("%s refused request %d for good: %s", self._channel, item.id, error)
                    await self._store.mark_failed(item.id, str(error))
                else:
                    self._failures = 0
                    await self._store.mark_sent(item.id)
