"""Talks to Rasa over HTTP (the lead's `polydesk` REST channel); never imports Rasa.

Every failure mode of the bot (refused connection, timeout, 5xx, a body that is not the agreed JSON)
becomes one exception, `BotUnavailable`, so that the router has one thing to handle: the customer's
message is already stored, it goes to the agent queue instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Mapping, Optional

import aiohttp

from bot.gateway.model_swap import ModelSwap
from bot.gateway.models import BotReply

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/polydesk/webhook"


class BotUnavailable(RuntimeError):
    """Rasa did not answer a turn in time or answered something unusable."""


class RasaClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        timeout_seconds: float,
        swap: Optional[ModelSwap] = None,
    ) -> None:
        self._session = session
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout_seconds
        self.swap = swap or ModelSwap(max_wait_seconds=0.0)

    async def send(self, conversation_id: str, text: str, metadata: Mapping[str, Any]) -> BotReply:
        """One customer turn; raises BotUnavailable instead of any transport or protocol error.

        During a model swap the gateway started, the turn waits for it (see model_swap) rather than time out.
        """
        body = {"sender": conversation_id, "message": text, "metadata": dict(metadata)}
        await self.swap.settled()
        request = asyncio.ensure_future(self._post(body))
        try:
            done, _ = await asyncio.wait({request}, timeout=self._timeout)
            if not done and self.swap.recent(self._timeout):
                # Rasa was busy loading a model while this turn was in flight: a fresh timeout after the swap
                logger.info("turn of %s waits for a model swap", conversation_id)
                await self.swap.settled()
                done, _ = await asyncio.wait({request}, timeout=self._timeout)
            if not done:
                raise BotUnavailable(f"Rasa did not answer within {self._timeout} s")
            return request.result()
        finally:
            if not request.done():
                request.cancel()
                with contextlib.suppress(asyncio.CancelledError, BotUnavailable):
                    await request

    async def _post(self, body: dict[str, Any]) -> BotReply:
        url = self._base_url + WEBHOOK_PATH
        # no total timeout here: `send` decides how long a turn may take
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=self._timeout)
        try:
            async with self._session.post(url, json=body, timeout=timeout) as response:
                if response.status != 200:
                    detail = (await response.text())[:200]
                    raise BotUnavailable(f"Rasa answered HTTP {response.status}: {detail}")
                data = await response.json(content_type=None)
        except asyncio.TimeoutError as error:
            raise BotUnavailable(f"Rasa did not accept the connection within {self._timeout} s") from error
        except (aiohttp.ClientError, ValueError) as error:
            raise BotUnavailable(f"Rasa unreachable at {url}: {error}") from error
        return _parse_reply(data)

    async def healthy(self) -> bool:
        """Rasa's root route answers 200 once the server is up (no model check: a turn will tell)."""
        try:
            async with self._session.get(self._base_url + "/", timeout=aiohttp.ClientTimeout(total=2)) as r:
                return r.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.debug("Rasa health check failed: %s", error)
            return False


def _parse_reply(data: Any) -> BotReply:
    if not isinstance(data, dict) or not isinstance(data.get("messages", []), list):
        raise BotUnavailable(f"Rasa's answer is not the agreed JSON object: {str(data)[:200]}")
    messages = [m for m in data.get("messages", []) if isinstance(m, dict)]
    parse = data.get("parse") if isinstance(data.get("parse"), dict) else {}
    language: Optional[str] = data.get("language") if isinstance(data.get("language"), str) else None
    return BotReply(messages=messages, parse=parse, language=language)


def understood(parse: Mapping[str, Any]) -> tuple[Optional[str], Optional[str], Optional[float]]:
    """(language, intent, confidence) from Rasa's parse data, each None when absent."""
    intent = parse.get("intent") if isinstance(parse.get("intent"), dict) else {}
    raw_language = parse.get("language")
    code = raw_language.get("code") if isinstance(raw_language, dict) else raw_language
    if not isinstance(code, str):  # Rasa's /model/parse shape: the language as an entity
        entities = parse.get("entities") if isinstance(parse.get("entities"), list) else []
        code = next(
            (e.get("value") for e in entities if isinstance(e, dict) and e.get("entity") == "language"), None
        )
    confidence = intent.get("confidence")
    return (
        code if isinstance(code, str) else None,
        intent.get("name"),
        float(confidence) if isinstance(confidence, (int, float)) else None,
    )
