"""The `polydesk` command: up, train, eval, check, shell, and the gateway's admin commands."""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from bot.project import ProjectError, load_project
from bot.settings import ConfigError, Settings


def _languages(raw: Optional[str]) -> Optional[List[str]]:
    return [code.strip() for code in raw.split(",") if code.strip()] if raw else None


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Reads every source file and reports what is wrong, with file and line."""
    project = load_project(settings.project_root, _languages(args.languages))
    missing = project.missing_translations()
    for code, keys in missing.items():
        print(f"nlu_data/{code}/responses.yml is missing: {', '.join(keys)}")
    for code, language in project.data.items():
        counts = {intent: len(examples) for intent, examples in language.examples().items()}
        print(f"{code}: {len(counts)} intents, {sum(counts.values())} examples, "
              f"{len(language.responses)} responses")
    return 1 if missing else 0


def cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    from bot.training import train

    project = load_project(settings.project_root, _languages(args.languages))
    path = train(settings, project, epochs=args.epochs, force=args.force)
    print(path)
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    import warnings

    from bot.evaluation import evaluate

    # scikit-learn and matplotlib (the report's metrics and images) warn about their own dependencies
    warnings.filterwarnings("ignore", category=DeprecationWarning)

    project = load_project(settings.project_root, _languages(args.languages))
    report = evaluate(settings, project, out_dir=args.out, test_fraction=args.test_fraction,
                      epochs=args.epochs, seed=args.seed, dev_seed=args.dev)
    return 0 if report.targets_met else 1


def cmd_up(args: argparse.Namespace, settings: Settings) -> int:
    from bot.supervisor import Supervisor, services
    from bot.training import latest_model, model_path, train

    project = load_project(settings.project_root)
    model = model_path(settings, project)
    if not model.exists():
        if args.no_train and latest_model(settings):
            model = latest_model(settings)
            print(f"Sources changed since {model.name}; serving it anyway (--no-train).")
        else:
            print("No model for the current sources: training one first (a few minutes).")
            model = train(settings, project, epochs=args.epochs)
    supervisor = Supervisor(settings)
    try:
        supervisor.start(services(settings, model, with_gateway=not args.no_gateway))
        print()
        print(f"Polydesk is up with model {model.name}:")
        if not args.no_gateway:
            from bot.gateway.channels.registry import enabled_channels

            print(f"  customer channels on          {', '.join(enabled_channels(settings))}")
            print(f"  website with the chat widget  {settings.gateway_url}/")
            print(f"  agent console                 {settings.gateway_url}/console")
            print(f"  API description               {settings.gateway_url}/api/openapi.json")
        print(f"  Rasa HTTP API                 {settings.rasa_url}  (token: POLYDESK_RASA_TOKEN)")
        print(f"  action server                 http://{settings.host}:{settings.action_port}")
        print("  chat in this terminal         ./polydesk shell")
        print("Press Ctrl-C to stop.")
        return supervisor.wait()
    finally:
        supervisor.stop()


def cmd_shell(args: argparse.Namespace, settings: Settings) -> int:
    from bot.shell import run_shell

    return run_shell(settings, sender=args.sender)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="polydesk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="train if needed, start Rasa, actions and gateway, print URLs")
    up.add_argument("--no-train", action="store_true", help="serve the latest model even if outdated")
    up.add_argument("--no-gateway", action="store_true", help="start only Rasa and the action server")
    up.add_argument("--epochs", type=int, default=None, help="epochs if a model must be trained")
    up.set_defaults(func=cmd_up)

    train = commands.add_parser("train", help="train a model unless one of these sources exists")
    train.add_argument("--epochs", type=int, default=None, help="override the epochs (quick models)")
    train.add_argument("--force", action="store_true", help="train even if the model is current")
    train.add_argument("--languages", help="comma-separated subset of config.yml's languages")
    train.set_defaults(func=cmd_train)

    evaluate = commands.add_parser("eval", help="train on a split and report per language")
    evaluate.add_argument("--out", default="reports", help="report folder (default: reports/)")
    evaluate.add_argument("--test-fraction", type=float, default=0.2, help="held-out share per intent")
    evaluate.add_argument("--epochs", type=int, default=None, help="override the epochs")
    evaluate.add_argument("--seed", type=int, default=7, help="split seed")
    evaluate.add_argument("--languages", help="comma-separated subset of config.yml's languages")
    evaluate.add_argument("--dev", type=int, metavar="DEV_SEED",
                          help="compare settings without the test split: split the seed's training part "
                               "again with DEV_SEED and test on that")
    evaluate.set_defaults(func=cmd_eval)

    check = commands.add_parser("check", help="validate training data and translations")
    check.add_argument("--languages", help="comma-separated subset of config.yml's languages")
    check.set_defaults(func=cmd_check)

    shell = commands.add_parser("shell", help="chat with the running assistant in this terminal")
    shell.add_argument("--sender", default=None, help="conversation id (default: a new one)")
    shell.set_defaults(func=cmd_shell)

    from bot.gateway.cli import register as register_gateway
    from bot.operations.cli import register as register_operations

    register_gateway(commands)
    register_operations(commands)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        return int(args.func(args, settings) or 0)
    except (ConfigError, ProjectError) as error:
        print(f"polydesk: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except RuntimeError as error:
        print(f"polydesk: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
