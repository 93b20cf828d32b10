"""`create_app(settings)`: the gateway's aiohttp application, wired from one Settings object."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import AsyncIterator

import aiohttp
from aiohttp import web

from bot.gateway import internal, pages
from bot.gateway.assignment import Assignments
from bot.gateway.business_hours import BusinessHours
from bot.gateway.channels.media import media_routes
from bot.gateway.channels.registry import build_channels, enabled_channels
from bot.gateway.console import api as console_api
from bot.gateway.console.auth import auth_middleware
from bot.gateway.console.ws import console_socket
from bot.gateway.csat import CsatService
from bot.gateway.delivery import CustomerDelivery
from bot.gateway.handoff import HandoffService
from bot.gateway.hub import ConsoleHub
from bot.gateway.locales import Locales, load_canned_replies
from bot.gateway.model_swap import ModelSwap
from bot.gateway.openapi import openapi_document
from bot.gateway.operator.app import mount as mount_operator
from bot.gateway.outbox import Outbox
from bot.gateway.queue import Queue
from bot.gateway.rasa_client import RasaClient
from bot.gateway.router import Router
from bot.gateway.services import SERVICES, Services
from bot.gateway.store.store import Store, open_store
from bot.settings import Settings

logger = logging.getLogger(__name__)

SETTINGS = web.AppKey("settings", Settings)
STORE = web.AppKey("store", Store)
HTTP = web.AppKey("http", aiohttp.ClientSession)
CHANNELS = web.AppKey("channels", CustomerDelivery)


async def _database(app: web.Application) -> AsyncIterator[None]:
    app[STORE] = await open_store(app[SETTINGS])
    yield
    await app[STORE].engine.dispose()


async def _http_session(app: web.Application) -> AsyncIterator[None]:
    app[HTTP] = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200))
    yield
    await app[HTTP].close()


async def _services(app: web.Application) -> AsyncIterator[None]:
    settings, store, delivery = app[SETTINGS], app[STORE], app[CHANNELS]
    locales = Locales.load()
    hub = ConsoleHub()
    outbox = Outbox(store, delivery, hub, locales)
    queue = Queue(outbox, settings.minutes_per_handoff)
    csat = CsatService(outbox)
    handoff = HandoffService(
        outbox, queue, BusinessHours.parse(settings.business_hours, settings.business_timezone)
    )
    swap = ModelSwap(settings.model_swap_max_wait_seconds)
    rasa = RasaClient(app[HTTP], settings.rasa_url, settings.rasa_timeout_seconds, swap)
    router = Router(outbox, rasa, handoff, queue, csat, settings.languages)
    app[SERVICES] = Services(
        settings=settings,
        store=store,
        locales=locales,
        canned_replies=load_canned_replies(),
        hub=hub,
        outbox=outbox,
        queue=queue,
        handoff=handoff,
        csat=csat,
        rasa=rasa,
        router=router,
        assignments=Assignments(outbox, queue, csat),
    )
    yield
    await router.close()
    await hub.close_all()
    for channel in delivery.channels.values():
        await channel.close()


async def _channel_workers(app: web.Application) -> AsyncIterator[None]:
    """Channels with background work (the messaging apps' outbound queues) start once services exist;
    their `close()` runs in `_services`' cleanup."""
    for channel in app[CHANNELS].channels.values():
        await channel.start(app[SERVICES], app[HTTP])
    logger.info("customer channels on: %s", ", ".join(enabled_channels(app[SETTINGS])))
    yield


async def _rasa_watcher(app: web.Application) -> AsyncIterator[None]:
    services = app[SERVICES]
    task = asyncio.create_task(services.router.watch_rasa(services.settings.rasa_retry_seconds))
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _console_app(delivery: CustomerDelivery) -> web.Application:
    """/api: the console's JSON API and WebSocket behind the session middleware."""
    api = web.Application(middlewares=[auth_middleware])
    api.add_routes(console_api.routes)
    api.add_routes(media_routes(delivery))
    api.router.add_get("/console/ws", console_socket)

    async def openapi(request: web.Request) -> web.Response:
        return web.json_response(openapi_document())

    api.router.add_get("/openapi.json", openapi)
    return api


def create_app(settings: Settings) -> web.Application:
    """Builds the app; resources open when it starts (cleanup contexts), nothing at import or here."""
    settings.check()
    app = web.Application(client_max_size=1024 * 1024)
    app[SETTINGS] = settings
    delivery = CustomerDelivery()
    for channel in build_channels(settings):
        delivery.register(channel)
    app[CHANNELS] = delivery
    app.cleanup_ctx.extend([_database, _http_session, _services, _channel_workers, _rasa_watcher])
    app.add_routes(pages.routes)
    app.add_routes(internal.routes)
    for channel in delivery.channels.values():
        app.add_routes(channel.routes())
    app.add_subapp("/api", _console_app(delivery))
    mount_operator(app, settings)
    app.add_routes(pages.static_routes())
    return app
