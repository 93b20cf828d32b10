"""`polydesk` commands for operators: the console's actions from a shell.

    polydesk operator grant|revoke NAME | operator list
    polydesk inbox [--language fi] [--days 30]
    polydesk annotate TEXT --as NAME (--intent I --language L [--new-intent [--example E ...]] | --dismiss)
    polydesk content missing | log | set-response --language L --key K --text T [--text T2]
                     | add-examples --language L --intent I --text T [...]
    polydesk retrain [--epochs N] [--languages fi,en] [--full] [--as NAME]
    polydesk models | deploy MODEL [--override-reason R] [--as NAME] | rollback [--as NAME]
    polydesk analytics [--from D] [--to D] [--language L]

`register(subparsers)` is called by bot/cli.py; each command is `func(args, settings) -> exit code`.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from datetime import date, timedelta
from typing import Any, Awaitable, Callable, TypeVar

from bot.operations import cli_models as model_commands
from bot.operations.content import Content, ContentError, changelog_for, describe
from bot.settings import Settings

T = TypeVar("T")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    operator = subparsers.add_parser("operator", help="give or take the operator role")
    roles = operator.add_subparsers(dest="operator_command", required=True)
    for name, role, what in (("grant", "operator", "an operator"), ("revoke", "agent", "a plain agent")):
        command = roles.add_parser(name, help=f"make an existing console account {what}")
        command.add_argument("name")
        command.set_defaults(func=_set_role, role=role)
    roles.add_parser("list", help="list operators").set_defaults(func=_list_operators)

    inbox = subparsers.add_parser("inbox", help="misunderstood messages, grouped, most frequent first")
    inbox.add_argument("--language")
    inbox.add_argument("--days", type=int, default=30)
    inbox.add_argument("--limit", type=int, default=50)
    inbox.set_defaults(func=_inbox)

    annotate = subparsers.add_parser("annotate", help="assign a misunderstood text to an intent, or dismiss it")
    annotate.add_argument("text")
    annotate.add_argument("--as", dest="operator", required=True, help="your operator account")
    annotate.add_argument("--intent")
    annotate.add_argument("--language")
    annotate.add_argument("--new-intent", action="store_true", help="create --intent first")
    annotate.add_argument("--example", action="append", default=[], help="more examples for a new intent")
    annotate.add_argument("--dismiss", action="store_true")
    annotate.set_defaults(func=_annotate)

    content = subparsers.add_parser("content", help="FAQ and answer texts, missing translations, change log")
    edits = content.add_subparsers(dest="content_command", required=True)
    edits.add_parser("missing", help="responses and FAQ topics missing in a language").set_defaults(func=_missing)
    edits.add_parser("log", help="who changed what, newest first").set_defaults(func=_log)
    response = edits.add_parser("set-response", help="replace a response's texts in one language (live at once)")
    response.add_argument("--language", required=True)
    response.add_argument("--key", required=True)
    response.add_argument("--text", action="append", required=True, help="one per variation")
    response.add_argument("--as", dest="operator", default=getpass.getuser())
    response.set_defaults(func=_set_response)
    examples = edits.add_parser("add-examples", help="add examples of an intent or questions of an FAQ topic")
    examples.add_argument("--language", required=True)
    examples.add_argument("--intent", required=True)
    examples.add_argument("--text", action="append", required=True)
    examples.add_argument("--as", dest="operator", default=getpass.getuser())
    examples.set_defaults(func=_add_examples)

    retrain = subparsers.add_parser("retrain", help="train a candidate, test it against the serving model (gate)")
    retrain.add_argument("--epochs", type=int, default=None)
    retrain.add_argument("--languages", help="comma-separated subset of config.yml's languages")
    retrain.add_argument("--full", action="store_true",
                         help="train from scratch even when only examples changed (default: finetune then)")
    retrain.add_argument("--as", dest="operator", default=getpass.getuser())
    retrain.set_defaults(func=model_commands.retrain)

    listing = subparsers.add_parser("models", help="registered models, the serving one, history")
    listing.set_defaults(func=model_commands.models)
    deploy = subparsers.add_parser("deploy", help="swap a registered model into the running Rasa")
    deploy.add_argument("model")
    deploy.add_argument("--override-reason", help="needed when the model failed the quality gate")
    deploy.add_argument("--as", dest="operator", default=getpass.getuser())
    deploy.set_defaults(func=model_commands.deploy)
    rollback = subparsers.add_parser("rollback", help="serve the previous model again")
    rollback.add_argument("--as", dest="operator", default=getpass.getuser())
    rollback.set_defaults(func=model_commands.rollback)

    analytics = subparsers.add_parser("analytics", help="containment, handoffs, fallbacks, intents, CSAT as JSON")
    analytics.add_argument("--from", dest="start", type=date.fromisoformat)
    analytics.add_argument("--to", dest="end", type=date.fromisoformat)
    analytics.add_argument("--language")
    analytics.set_defaults(func=_analytics)


# --- database-backed commands -------------------------------------------------------------------------


def with_store(settings: Settings, work: Callable[[Any], Awaitable[T]]) -> T:
    from bot.gateway.store.store import open_store

    async def run() -> T:
        store = await open_store(settings)
        try:
            return await work(store)
        finally:
            await store.engine.dispose()

    return asyncio.run(run())


def operator_store(store: Any) -> Any:
    from bot.gateway.operator.store import OperatorStore

    return OperatorStore(store.engine)


def _set_role(args: argparse.Namespace, settings: Settings) -> int:
    async def work(store: Any) -> bool:
        return bool(await operator_store(store).set_role(args.name, args.role))

    if not with_store(settings, work):
        print(f"no console account {args.name!r}: create it with `polydesk agent add` first", file=sys.stderr)
        return 1
    print(f"{args.name} is now {'an operator' if args.role == 'operator' else 'a plain agent'}")
    return 0


def _list_operators(args: argparse.Namespace, settings: Settings) -> int:
    async def work(store: Any) -> list[str]:
        return list(await operator_store(store).operators())

    for name in with_store(settings, work):
        print(name)
    return 0


def _inbox(args: argparse.Namespace, settings: Settings) -> int:
    from bot.gateway.operator.inbox import inbox

    async def work(store: Any) -> list[Any]:
        return await inbox(
            store.engine,
            intent_threshold=settings.inbox_intent_confidence,
            language_threshold=settings.inbox_language_confidence,
            reviewed=await operator_store(store).reviewed_keys(),
            language=args.language,
            days=args.days,
            limit=args.limit,
        )

    rows = with_store(settings, work)
    if not rows:
        print("Nothing to review.")
    for row in rows:
        confidence = f"{row.confidence:.2f}" if row.confidence is not None else "-"
        print(f"{row.count:4d}  {row.language or '?':3}  {row.predicted_intent or '-':22} {confidence:>5}  "
              f"{','.join(sorted(row.reasons)):28} {row.text}")
    return 0


def _annotate(args: argparse.Namespace, settings: Settings) -> int:
    from bot.gateway.operator.annotations import annotate
    from bot.gateway.operator.store import OPERATOR

    action = "dismiss" if args.dismiss else "new_intent" if args.new_intent else "assign"

    async def work(store: Any) -> int:
        account = await store.agents.by_name(args.operator)
        operators = operator_store(store)
        if account is None or await operators.role(account.id) != OPERATOR:
            print(f"{args.operator!r} is not an operator (polydesk operator grant NAME)", file=sys.stderr)
            return 2
        verdict = await annotate(
            _content(settings), operators, operator_id=account.id, operator_name=account.name, text=args.text,
            action=action, language=args.language, intent=args.intent, examples=args.example,
        )
        if verdict.change is None:
            print("dismissed")
        else:
            print(f"{verdict.change.file}: added {verdict.change.added or 'nothing'}"
                  + (f", already there: {verdict.change.already_there}" if verdict.change.already_there else ""))
        return 0

    try:
        return with_store(settings, work)
    except ContentError as error:
        print(f"polydesk: {error}", file=sys.stderr)
        return 2


def _analytics(args: argparse.Namespace, settings: Settings) -> int:
    from bot.gateway.operator.analytics import analytics

    end = args.end or date.today()
    start = args.start or end - timedelta(days=29)
    report = with_store(settings, lambda store: analytics(store.engine, start, end, args.language))
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


# --- file-backed commands ------------------------------------------------------------------------------


def _content(settings: Settings) -> Content:
    return Content(settings.project_root, changelog_for(settings.var_dir))


def _missing(args: argparse.Namespace, settings: Settings) -> int:
    content = _content(settings)
    missing = 0
    for row in content.response_table():
        if row["missing"]:
            missing += 1
            print(f"{row['key']}: missing in {', '.join(row['missing'])}")
    for topic in content.faq_table():
        if topic["missing_questions"]:
            missing += 1
            print(f"{topic['topic']}: no questions in {', '.join(topic['missing_questions'])}")
    print("Every response and FAQ topic exists in every language." if not missing else "")
    return 1 if missing else 0


def _log(args: argparse.Namespace, settings: Settings) -> int:
    for change in _content(settings).changelog.entries():
        print(describe(change))
    return 0


def _set_response(args: argparse.Namespace, settings: Settings) -> int:
    try:
        _content(settings).set_response(args.language, args.key, args.text, args.operator)
    except ContentError as error:
        print(f"polydesk: {error}", file=sys.stderr)
        return 2
    print(f"nlu_data/{args.language}/responses.yml: {args.key} updated (live at the next turn)")
    return 0


def _add_examples(args: argparse.Namespace, settings: Settings) -> int:
    try:
        added = _content(settings).add_examples(args.language, args.intent, args.text, args.operator)
    except ContentError as error:
        print(f"polydesk: {error}", file=sys.stderr)
        return 2
    print(f"{added.file}: added {added.added or 'nothing'}; already there: {added.already_there or 'none'}")
    return 0


__all__ = ["register"]
