"""`python -m bot.gateway`: serve the gateway on settings.host:settings.gateway_port."""

from __future__ import annotations

import logging
import sys

from aiohttp import web

from bot.gateway.app import create_app
from bot.settings import ConfigError, Settings


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env()
    except ConfigError as error:
        print(f"polydesk gateway: {error}", file=sys.stderr)
        return 2
    print(f"Polydesk gateway on {settings.gateway_url} (console {settings.gateway_url}/console)", flush=True)
    web.run_app(create_app(settings), host=settings.host, port=settings.gateway_port, print=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
