"""Polydesk's configuration: one typed object read from the environment.

Every process (CLI, supervisor, gateway) builds a `Settings` with `Settings.from_env()` and passes it, or
the part it needs, into constructors. Defaults suit one machine; `POLYDESK_ENV=production` refuses to start
with the development secrets.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEV_RASA_TOKEN = "polydesk-dev-rasa-token"
DEV_INTERNAL_TOKEN = "polydesk-dev-internal-token"
DEV_SECRET_KEY = "polydesk-dev-secret-key-change-me"


class ConfigError(ValueError):
    """A setting is missing or wrong; the message says which and how to fix it."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from error


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as error:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from error


def _list(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    return tuple(item.strip() for item in raw.split(",") if item.strip())


@dataclass(frozen=True)
class Settings:
    """Everything a Polydesk process needs to know about where things are."""

    project_root: Path = PROJECT_ROOT
    environment: str = "development"
    host: str = "127.0.0.1"
    # Rasa server (HTTP API and REST channel)
    rasa_port: int = 5005
    rasa_token: str = DEV_RASA_TOKEN
    rasa_timeout_seconds: float = 10.0
    rasa_retry_seconds: float = 5.0  # how often the gateway checks whether a down Rasa is back
    # while the gateway swaps Rasa's model (operator deploy), customer turns wait at most this long for it
    model_swap_max_wait_seconds: float = 120.0
    # rasa-sdk action server
    action_port: int = 5055
    # aiohttp gateway
    gateway_port: int = 8080
    gateway_public_url: str = ""
    internal_token: str = DEV_INTERNAL_TOKEN
    secret_key: str = DEV_SECRET_KEY
    allowed_origins: tuple[str, ...] = ()
    max_message_characters: int = 4000
    # gateway: languages the widget and console speak, rate limit, handoff routing, console sessions
    languages: tuple[str, ...] = ("tr", "fi", "hu", "en")
    widget_rate_limit_messages: int = 10
    widget_rate_limit_seconds: float = 10.0
    # "mon-fri 08:00-20:00; sat 10:00-16:00" (days without an entry are closed); "always" for 24/7
    business_hours: str = "mon-fri 08:00-20:00; sat 10:00-16:00"
    business_timezone: str = "Europe/Budapest"
    minutes_per_handoff: float = 4.0
    session_hours: float = 12.0
    # messaging-app channels (docs/channels.md): a channel is mounted when its credentials are set
    telegram_bot_token: str = ""
    telegram_webhook_secret: str = ""  # echoed by Telegram in X-Telegram-Bot-Api-Secret-Token
    telegram_api_url: str = "https://api.telegram.org"
    whatsapp_access_token: str = ""
    whatsapp_phone_number_id: str = ""
    whatsapp_app_secret: str = ""  # signs webhooks (X-Hub-Signature-256)
    whatsapp_verify_token: str = ""  # our answer to Meta's hub.challenge handshake
    messenger_page_access_token: str = ""
    messenger_app_secret: str = ""
    messenger_verify_token: str = ""
    graph_api_url: str = "https://graph.facebook.com/v19.0"  # Graph API base, version included
    # outbound delivery to the platforms: first retry after `base`, doubling up to `max`; give up after
    delivery_retry_base_seconds: float = 1.0
    delivery_retry_max_seconds: float = 300.0
    delivery_give_up_hours: float = 24.0
    # operators: the inbox of misunderstood messages, retraining, quality gate, model registry
    # customer messages understood with less land in the inbox: about 6% of messages with the blended
    # intent ranking, half of them misread (development split 101 of `polydesk eval --dev`, 2026-12-04)
    inbox_intent_confidence: float = 0.5
    inbox_language_confidence: float = 0.7
    gate_max_f1_drop: float = 0.01  # a language's intent macro-F1 may fall by at most this (1 point)
    models_kept: int = 5  # deployable models kept in the registry (the serving one included)
    retrain_epochs: Optional[int] = None  # None: as config.yml says
    # a retrain where only NLU examples changed: "overlay" (the serving model plus the new examples, matched
    # by text, no training) or "finetune" (`rasa train --finetune` for retrain_epoch_fraction of the epochs)
    retrain_incremental: str = "overlay"
    retrain_epoch_fraction: float = 0.3
    retrain_max_finetunes: int = 5  # incremental retrains in a row before one trains from scratch again
    # storage
    database_url: Optional[str] = None
    redis_url: Optional[str] = None
    var_dir: Path = field(default=PROJECT_ROOT / "var")
    models_dir: Path = field(default=PROJECT_ROOT / "models")

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> Settings:
        """Reads `POLYDESK_*`, `DATABASE_URL` and `REDIS_URL`; fails loudly on a malformed value."""
        env = os.environ if env is None else env
        root = Path(env.get("POLYDESK_HOME", str(PROJECT_ROOT))).resolve()
        settings = cls(
            project_root=root,
            environment=env.get("POLYDESK_ENV", "development"),
            host=env.get("POLYDESK_HOST", "127.0.0.1"),
            rasa_port=_int(env, "POLYDESK_RASA_PORT", 5005),
            rasa_token=env.get("POLYDESK_RASA_TOKEN", DEV_RASA_TOKEN),
            rasa_timeout_seconds=_float(env, "POLYDESK_RASA_TIMEOUT", 10.0),
            rasa_retry_seconds=_float(env, "POLYDESK_RASA_RETRY", 5.0),
            model_swap_max_wait_seconds=_float(env, "POLYDESK_MODEL_SWAP_MAX_WAIT", 120.0),
            action_port=_int(env, "POLYDESK_ACTION_PORT", 5055),
            gateway_port=_int(env, "POLYDESK_GATEWAY_PORT", 8080),
            gateway_public_url=env.get("POLYDESK_PUBLIC_URL", ""),
            internal_token=env.get("POLYDESK_INTERNAL_TOKEN", DEV_INTERNAL_TOKEN),
            secret_key=env.get("POLYDESK_SECRET_KEY", DEV_SECRET_KEY),
            allowed_origins=_list(env, "POLYDESK_ALLOWED_ORIGINS", ()),
            max_message_characters=_int(env, "POLYDESK_MAX_MESSAGE_CHARS", 4000),
            languages=_list(env, "POLYDESK_LANGUAGES", ("tr", "fi", "hu", "en")),
            widget_rate_limit_messages=_int(env, "POLYDESK_WIDGET_RATE_LIMIT", 10),
            widget_rate_limit_seconds=_float(env, "POLYDESK_WIDGET_RATE_WINDOW", 10.0),
            business_hours=env.get("POLYDESK_BUSINESS_HOURS", "mon-fri 08:00-20:00; sat 10:00-16:00"),
            business_timezone=env.get("POLYDESK_TIMEZONE", "Europe/Budapest"),
            minutes_per_handoff=_float(env, "POLYDESK_MINUTES_PER_HANDOFF", 4.0),
            session_hours=_float(env, "POLYDESK_SESSION_HOURS", 12.0),
            telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN", ""),
            telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET", ""),
            telegram_api_url=env.get("TELEGRAM_API_URL", "https://api.telegram.org"),
            whatsapp_access_token=env.get("WHATSAPP_ACCESS_TOKEN", ""),
            whatsapp_phone_number_id=env.get("WHATSAPP_PHONE_NUMBER_ID", ""),
            whatsapp_app_secret=env.get("WHATSAPP_APP_SECRET", ""),
            whatsapp_verify_token=env.get("WHATSAPP_VERIFY_TOKEN", ""),
            messenger_page_access_token=env.get("MESSENGER_PAGE_ACCESS_TOKEN", ""),
            messenger_app_secret=env.get("MESSENGER_APP_SECRET", ""),
            messenger_verify_token=env.get("MESSENGER_VERIFY_TOKEN", ""),
            graph_api_url=env.get("META_GRAPH_API_URL", "https://graph.facebook.com/v19.0"),
            delivery_retry_base_seconds=_float(env, "POLYDESK_DELIVERY_RETRY_BASE", 1.0),
            delivery_retry_max_seconds=_float(env, "POLYDESK_DELIVERY_RETRY_MAX", 300.0),
            delivery_give_up_hours=_float(env, "POLYDESK_DELIVERY_GIVE_UP_HOURS", 24.0),
            inbox_intent_confidence=_float(env, "POLYDESK_INBOX_INTENT_CONFIDENCE", 0.5),
            inbox_language_confidence=_float(env, "POLYDESK_INBOX_LANGUAGE_CONFIDENCE", 0.7),
            gate_max_f1_drop=_float(env, "POLYDESK_GATE_MAX_F1_DROP", 0.01),
            models_kept=_int(env, "POLYDESK_MODELS_KEPT", 5),
            retrain_epochs=_int(env, "POLYDESK_RETRAIN_EPOCHS", 0) or None,
            retrain_incremental=env.get("POLYDESK_RETRAIN_INCREMENTAL", "overlay"),
            retrain_epoch_fraction=_float(env, "POLYDESK_RETRAIN_EPOCH_FRACTION", 0.3),
            retrain_max_finetunes=_int(env, "POLYDESK_RETRAIN_MAX_FINETUNES", 5),
            database_url=env.get("DATABASE_URL") or None,
            redis_url=env.get("REDIS_URL") or None,
            var_dir=Path(env.get("POLYDESK_VAR_DIR", str(root / "var"))),
            models_dir=Path(env.get("POLYDESK_MODELS_DIR", str(root / "models"))),
        )
        settings.check()
        return settings

    def check(self) -> None:
        """Refuses production with development secrets or a malformed storage URL."""
        if self.environment not in ("development", "production", "test"):
            raise ConfigError("POLYDESK_ENV must be development, production or test")
        if self.environment == "production":
            defaults = {
                "POLYDESK_RASA_TOKEN": self.rasa_token == DEV_RASA_TOKEN,
                "POLYDESK_INTERNAL_TOKEN": self.internal_token == DEV_INTERNAL_TOKEN,
                "POLYDESK_SECRET_KEY": self.secret_key == DEV_SECRET_KEY,
            }
            unset = [name for name, is_default in defaults.items() if is_default]
            if unset:
                raise ConfigError(
                    "POLYDESK_ENV=production needs your own secrets; set " + ", ".join(unset)
                )
        if self.retrain_incremental not in ("overlay", "finetune"):
            raise ConfigError("POLYDESK_RETRAIN_INCREMENTAL must be overlay or finetune")
        if self.database_url and not self.database_url.startswith(("postgresql", "sqlite")):
            raise ConfigError("DATABASE_URL must start with postgresql:// or sqlite://")
        if self.redis_url and not self.redis_url.startswith(("redis://", "rediss://")):
            raise ConfigError("REDIS_URL must start with redis:// or rediss://")
        for channel, credentials in self.channel_credentials().items():
            missing = [name for name, value in credentials.items() if not value]
            if 0 < len(missing) < len(credentials):  # half-configured: refuse rather than not mount
                raise ConfigError(f"the {channel} channel also needs " + ", ".join(missing))

    def channel_credentials(self) -> dict[str, dict[str, str]]:
        """Per messaging channel, its environment variables and values; all set = the channel is on."""
        return {
            "telegram": {
                "TELEGRAM_BOT_TOKEN": self.telegram_bot_token,
                "TELEGRAM_WEBHOOK_SECRET": self.telegram_webhook_secret,
            },
            "whatsapp": {
                "WHATSAPP_ACCESS_TOKEN": self.whatsapp_access_token,
                "WHATSAPP_PHONE_NUMBER_ID": self.whatsapp_phone_number_id,
                "WHATSAPP_APP_SECRET": self.whatsapp_app_secret,
                "WHATSAPP_VERIFY_TOKEN": self.whatsapp_verify_token,
            },
            "messenger": {
                "MESSENGER_PAGE_ACCESS_TOKEN": self.messenger_page_access_token,
                "MESSENGER_APP_SECRET": self.messenger_app_secret,
                "MESSENGER_VERIFY_TOKEN": self.messenger_verify_token,
            },
        }

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_server_url(self) -> str:
        return f"http://{self.host}:{self.action_port}/webhook"

    @property
    def gateway_url(self) -> str:
        return self.gateway_public_url or f"http://{self.host}:{self.gateway_port}"
