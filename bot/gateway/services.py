"""The gateway's shared objects, built once per app and reached through `request.app[SERVICES]`."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from bot.gateway.assignment import Assignments
from bot.gateway.csat import CsatService
from bot.gateway.handoff import HandoffService
from bot.gateway.hub import ConsoleHub
from bot.gateway.locales import Locales
from bot.gateway.outbox import Outbox
from bot.gateway.queue import Queue
from bot.gateway.rasa_client import RasaClient
from bot.gateway.router import Router
from bot.gateway.store.store import Store
from bot.settings import Settings


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    locales: Locales
    canned_replies: dict[str, list[dict[str, str]]]
    hub: ConsoleHub
    outbox: Outbox
    queue: Queue
    handoff: HandoffService
    csat: CsatService
    rasa: RasaClient
    router: Router
    assignments: Assignments


SERVICES = web.AppKey("services", Services)
