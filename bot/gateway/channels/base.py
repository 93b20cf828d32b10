"""The Channel interface: what the gateway needs from any customer-facing transport.

A channel has a `name` (stored on the conversation), `routes()` it serves (webhooks or a WebSocket),
turns its inbound payloads into `InboundMessage` with `parse_inbound`, and delivers `OutboundEvent`s with
`send`. Text-only channels (messaging apps) render an event with its localized `text`; the widget uses
the structured `type`/`data` (PROTOCOL.md).
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Mapping, Optional

import aiohttp
from aiohttp import web

from bot.gateway.models import InboundMessage

if TYPE_CHECKING:  # services import the outbox, which imports this module
    from bot.gateway.services import Services


@dataclass(frozen=True)
class OutboundEvent:
    """Something the customer should see: a message, a queue position, a CSAT request, ..."""

    type: str
    data: dict[str, Any] = field(default_factory=dict)
    # the event as one localized line, for channels that can only show text (None: nothing to show)
    text: Optional[str] = None

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, **self.data}


class Channel(abc.ABC):
    name: ClassVar[str]

    @abc.abstractmethod
    def routes(self) -> list[web.RouteDef]:
        """The inbound endpoints of this channel, added to the gateway's router."""

    @abc.abstractmethod
    def parse_inbound(self, conversation_id: str, payload: Mapping[str, Any]) -> InboundMessage:
        """The channel's wire payload as the gateway's message; raises `InvalidInbound` with a reason."""

    @abc.abstractmethod
    async def send(self, conversation_id: str, event: OutboundEvent) -> None:
        """Delivers to the customer; a customer who is not connected simply misses live events."""

    async def start(self, services: Services, session: aiohttp.ClientSession) -> None:  # noqa: B027
        """Called once the app's services exist (optional: channels with background work)."""

    async def close(self) -> None:  # noqa: B027 - optional hook, most channels hold nothing
        """Releases connections at shutdown."""


class InvalidInbound(ValueError):
    """An inbound payload the gateway refuses; `code` is a PROTOCOL.md error code."""

    def __init__(self, code: str, detail: str = "", **params: Any) -> None:
        super().__init__(detail or code)
        self.code = code
        self.params = params
