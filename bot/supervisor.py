"""`polydesk up`: Rasa, the action server and the gateway as one command, with health checks.

Each process logs to var/log/<name>.log. If one of them dies the others are stopped, and Ctrl-C stops
all of them cleanly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional
from urllib.parse import urlsplit

from bot.settings import Settings
from bot.training import rasa_environment


@dataclass
class Service:
    """One child process and how to know it is ready."""

    name: str
    command: List[str]
    health_url: str
    process: Optional[subprocess.Popen] = None
    log_path: Optional[Path] = None
    env: Dict[str, str] = field(default_factory=dict)


def tracker_store_url(settings: Settings) -> str:
    """DATABASE_URL when it is PostgreSQL (Rasa uses psycopg2), else a SQLite file under var/."""
    if settings.database_url and settings.database_url.startswith("postgresql"):
        scheme, rest = settings.database_url.split("://", 1)
        return "postgresql://" + rest if "+" in scheme else settings.database_url
    return f"sqlite:///{(settings.var_dir / 'rasa_trackers.db').resolve()}"


def rasa_endpoint_environment(settings: Settings) -> Dict[str, str]:
    """The variables endpoints.yml reads: action server, tracker store, lock store."""
    env = {
        "POLYDESK_ACTION_ENDPOINT": settings.action_server_url,
        "POLYDESK_TRACKER_URL": tracker_store_url(settings),
        "POLYDESK_LOCK_STORE": "in_memory",
        "POLYDESK_REDIS_HOST": "localhost",
        "POLYDESK_REDIS_PORT": "6379",
        "POLYDESK_REDIS_DB": "1",
    }
    if settings.redis_url:
        parsed = urlsplit(settings.redis_url)
        env.update(
            POLYDESK_LOCK_STORE="redis",
            POLYDESK_REDIS_HOST=parsed.hostname or "localhost",
            POLYDESK_REDIS_PORT=str(parsed.port or 6379),
            POLYDESK_REDIS_DB=(parsed.path.strip("/") or "1"),
        )
    return env


LIVE_ANSWERS_ENDPOINT = """
# added by `polydesk up` with POLYDESK_LIVE_ANSWERS=1: responses rendered by the gateway from nlu_data/,
# so operators' answer edits apply without retraining
nlg:
  url: ${POLYDESK_NLG_URL}
"""


def endpoints_file(settings: Settings, live_answers: bool) -> Path:
    """endpoints.yml, plus the gateway's NLG endpoint when answers are rendered live."""
    source = settings.project_root / "endpoints.yml"
    if not live_answers:
        return source
    target = settings.project_root / "build" / "endpoints-live.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source.read_text(encoding="utf-8") + LIVE_ANSWERS_ENDPOINT, encoding="utf-8")
    return target


def services(settings: Settings, model: Path, with_gateway: bool = True) -> List[Service]:
    python = sys.executable
    root = settings.project_root
    live_answers = with_gateway and os.environ.get("POLYDESK_LIVE_ANSWERS", "") == "1"
    endpoint_env = rasa_endpoint_environment(settings)
    if live_answers:
        endpoint_env["POLYDESK_NLG_URL"] = f"{settings.gateway_url}/operator/nlg?token={settings.internal_token}"
    rasa = Service(
        "rasa",
        [
            python, "-m", "bot.nlu.serve", "run", "--enable-api", "--auth-token", settings.rasa_token,
            "--model", str(model), "--endpoints", str(endpoints_file(settings, live_answers)),
            "--credentials", str(root / "credentials.yml"),
            "--interface", settings.host, "--port", str(settings.rasa_port),
        ],
        f"{settings.rasa_url}/status?token={settings.rasa_token}",
        env=endpoint_env,
    )
    actions = Service(
        "actions",
        [python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(settings.action_port)],
        f"http://{settings.host}:{settings.action_port}/health",
    )
    gateway = Service("gateway", [python, "-m", "bot.gateway"], f"{settings.gateway_url}/health")
    return [actions, rasa] + ([gateway] if with_gateway else [])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


class Supervisor:
    """Starts services, waits until each answers its health check, and stops them together."""

    def __init__(self, settings: Settings, log: Callable[[str], None] = print) -> None:
        self._settings = settings
        self._log = log
        self._services: List[Service] = []

    def start(self, to_start: List[Service], timeout_seconds: float = 300) -> None:
        log_dir = self._settings.var_dir / "log"
        log_dir.mkdir(parents=True, exist_ok=True)
        for service in to_start:
            if _healthy(service.health_url):
                raise RuntimeError(
                    f"Something already answers at {service.health_url}: stop it, or set another port "
                    "(POLYDESK_RASA_PORT, POLYDESK_ACTION_PORT, POLYDESK_GATEWAY_PORT)."
                )
            service.log_path = log_dir / f"{service.name}.log"
            env = {**rasa_environment(), **service.env}
            handle = open(service.log_path, "ab")
            service.process = subprocess.Popen(
                service.command, stdout=handle, stderr=subprocess.STDOUT, env=env,
                cwd=self._settings.project_root, start_new_session=True,
            )
            handle.close()
            self._services.append(service)
            self._log(f"started {service.name} (pid {service.process.pid}), log: {service.log_path}")
        deadline = time.monotonic() + timeout_seconds
        waiting = list(to_start)
        while waiting:
            for service in list(waiting):
                self._raise_if_dead(service)
                if _healthy(service.health_url):
                    self._log(f"{service.name} is ready")
                    waiting.remove(service)
            if time.monotonic() > deadline:
                names = ", ".join(s.name for s in waiting)
                raise RuntimeError(f"{names} not ready after {timeout_seconds:.0f} s; see var/log/")
            time.sleep(1)

    def _raise_if_dead(self, service: Service) -> None:
        assert service.process is not None
        code = service.process.poll()
        if code is not None:
            tail = ""
            if service.log_path and service.log_path.exists():
                tail = "\n".join(service.log_path.read_text(errors="replace").splitlines()[-15:])
            raise RuntimeError(f"{service.name} exited with code {code}:\n{tail}")

    def wait(self) -> int:
        """Blocks until a service dies or the supervisor is told to stop; returns an exit code."""
        stop = {"requested": False}

        def request_stop(signum: int, frame: object) -> None:
            stop["requested"] = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        while not stop["requested"]:
            for service in self._services:
                if service.process is not None and service.process.poll() is not None:
                    self._log(f"{service.name} stopped unexpectedly (code {service.process.returncode})")
                    return 1
            time.sleep(0.5)
        return 0

    def stop(self) -> None:
        for service in reversed(self._services):
            if service.process is not None and service.process.poll() is None:
                os.killpg(service.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for service in reversed(self._services):
            if service.process is None:
                continue
            try:
                service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(service.process.pid, signal.SIGKILL)
            self._log(f"stopped {service.name}")
        self._services.clear()
