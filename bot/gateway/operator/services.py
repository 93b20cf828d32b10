"""The operator console's shared objects, built when the gateway starts and reached via OPERATIONS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from aiohttp import web

from bot.gateway.operator.store import OperatorStore
from bot.operations.content import Content, changelog_for
from bot.operations.jobs import TrainingJobs
from bot.operations.registry import ModelRegistry, registry_for
from bot.operations.responses import ResponseTexts
from bot.operations.retrain import Predictor, Trainer
from bot.settings import Settings


@dataclass
class Operations:
    settings: Settings
    content: Content
    jobs: TrainingJobs
    registry: ModelRegistry
    responses: ResponseTexts
    trainer: Optional[Trainer] = None  # None: the real ones (bot.operations.retrain); fakes in tests
    predictor: Optional[Predictor] = None


OPERATIONS = web.AppKey("operations", Operations)


def build_operations(settings: Settings) -> Operations:
    content = Content(settings.project_root, changelog_for(settings.var_dir))
    try:
        languages = content.languages()
    except FileNotFoundError:  # a gateway without the assistant's sources (e.g. its own machine)
        languages = list(settings.languages)
    return Operations(
        settings=settings,
        content=content,
        jobs=TrainingJobs(settings.var_dir / "operations" / "training.lock"),
        registry=registry_for(settings),
        responses=ResponseTexts(settings.project_root / "nlu_data", languages, _default_language(settings)),
    )


def _default_language(settings: Settings) -> str:
    from bot.operations import yamlio

    try:
        config = yamlio.load(settings.project_root / "config.yml").data
    except FileNotFoundError:
        return settings.languages[0] if settings.languages else "en"
    return str(config.get("default_language") or (config.get("languages") or ["en"])[0])


def operator_store(request: web.Request) -> OperatorStore:
    from bot.gateway.services import SERVICES

    return OperatorStore(request.config_dict[SERVICES].store.engine)
