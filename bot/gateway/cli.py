"""`polydesk agent add|list` and `migrate(settings)`, wired into the `polydesk` command by bot/cli.py."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import Optional

from bot.gateway.console.passwords import MIN_PASSWORD_LENGTH, hash_password
from bot.gateway.store.agents import AgentExists
from bot.gateway.store.migrations import migrate
from bot.gateway.store.store import open_store
from bot.settings import Settings

__all__ = ["migrate", "register"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    agent = subparsers.add_parser("agent", help="manage agent console accounts")
    commands = agent.add_subparsers(dest="agent_command", required=True)
    add = commands.add_parser("add", help="create an agent")
    add.add_argument("--name", required=True)
    add.add_argument("--languages", required=True, help="comma-separated codes the agent speaks, e.g. tr,en")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.set_defaults(func=_add)
    listing = commands.add_parser("list", help="list agents")
    listing.set_defaults(func=_list)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        raise SystemExit("the passwords differ")
    return first


def _add(args: argparse.Namespace, settings: Optional[Settings] = None) -> int:
    settings = settings or Settings.from_env()
    languages = tuple(code.strip().lower() for code in args.languages.split(",") if code.strip())
    unknown = [code for code in languages if code not in settings.languages]
    if not languages or unknown:
        print(
            f"--languages must be among {','.join(settings.languages)}; got {args.languages!r}",
            file=sys.stderr,
        )
        return 2
    password = _read_password(args.password_stdin)
    if len(password) < MIN_PASSWORD_LENGTH:
        print(f"the password needs at least {MIN_PASSWORD_LENGTH} characters", file=sys.stderr)
        return 2

    async def run() -> int:
        store = await open_store(settings)
        try:
            created = await store.agents.add(args.name, languages, hash_password(password))
        except AgentExists as error:
            print(error, file=sys.stderr)
            return 1
        finally:
            await store.engine.dispose()
        print(f"agent {created.name} (id {created.id}) speaks {','.join(created.languages)}")
        return 0

    return asyncio.run(run())


def _list(args: argparse.Namespace, settings: Optional[Settings] = None) -> int:
    settings = settings or Settings.from_env()

    async def run() -> int:
        store = await open_store(settings)
        try:
            for agent in await store.agents.all():
                print(f"{agent.id}\t{agent.name}\t{','.join(agent.languages)}")
        finally:
            await store.engine.dispose()
        return 0

    return asyncio.run(run())
