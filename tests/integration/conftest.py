"""Session fixtures for tests that run the real thing: one quick model, real Rasa and action servers.

The model is trained once per session with few epochs (POLYDESK_TEST_EPOCHS, default 20) and kept
under models/ by the fingerprint of its sources, so a second run on unchanged data reuses it.
"""

import os
import socket
from pathlib import Path
from typing import Iterator

import pytest

from bot.project import load_project
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
TEST_EPOCHS = int(os.environ.get("POLYDESK_TEST_EPOCHS", "20"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def project():
    return load_project(ROOT)


@pytest.fixture(scope="session")
def trained_model(project) -> Path:
    from bot.training import train

    return train(Settings.from_env(), project, epochs=TEST_EPOCHS)


@pytest.fixture(scope="session")
def assistant_settings(tmp_path_factory) -> Iterator[Settings]:
    """Settings on free ports with a fresh var/ dir, also exported for the child processes."""
    var_dir = tmp_path_factory.mktemp("var")
    overrides = {
        "POLYDESK_RASA_PORT": str(free_port()),
        "POLYDESK_ACTION_PORT": str(free_port()),
        "POLYDESK_GATEWAY_PORT": str(free_port()),
        "POLYDESK_VAR_DIR": str(var_dir),
        "POLYDESK_ENV": "test",
    }
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        yield Settings.from_env()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="session")
def running_assistant(assistant_settings: Settings, trained_model: Path) -> Iterator[Settings]:
    """Rasa and the action server as `polydesk up --no-gateway` starts them."""
    from bot.supervisor import Supervisor, services

    supervisor = Supervisor(assistant_settings, log=lambda line: None)
    try:
        supervisor.start(services(assistant_settings, trained_model, with_gateway=False), timeout_seconds=600)
        yield assistant_settings
    finally:
        supervisor.stop()
