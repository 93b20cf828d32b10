"""Two Rasa replicas share one conversation through PostgreSQL (trackers) and Redis (locks).

Runs against the servers `./polydesk test` starts on loopback (POLYDESK_TEST_DATABASE_URL and
POLYDESK_TEST_REDIS_URL); skipped with a reason when they are not there.
"""

import json
import os
import urllib.request
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.supervisor import Service, Supervisor, rasa_endpoint_environment, services
from tests.integration.conftest import free_port

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

DATABASE_URL = os.environ.get("POLYDESK_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("POLYDESK_TEST_REDIS_URL")


def turn(url: str, sender: str, text: str) -> dict:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"{url}/webhooks/polydesk/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


@pytest.mark.skipif(not (DATABASE_URL and REDIS_URL), reason="needs ./polydesk test's PostgreSQL and Redis")
def test_a_conversation_continues_on_another_replica(trained_model: Path, tmp_path):
    settings = Settings.from_env(
        {
            **os.environ,
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": REDIS_URL,
            "POLYDESK_RASA_PORT": str(free_port()),
            "POLYDESK_ACTION_PORT": str(free_port()),
            "POLYDESK_VAR_DIR": str(tmp_path),
        }
    )
    assert rasa_endpoint_environment(settings)["POLYDESK_LOCK_STORE"] == "redis"
    first = next(s for s in services(settings, trained_model, with_gateway=False) if s.name == "rasa")
    actions = next(s for s in services(settings, trained_model, with_gateway=False) if s.name == "actions")
    second_port = free_port()
    second_command = [part if part != str(settings.rasa_port) else str(second_port) for part in first.command]
    second = Service(
        "rasa-2", second_command, f"http://127.0.0.1:{second_port}/status?token={settings.rasa_token}", env=first.env
    )
    supervisor = Supervisor(settings, log=lambda line: None)
    try:
        supervisor.start([actions, first, second], timeout_seconds=900)
        sender = f"replicas-{os.getpid()}"
        opened = turn(settings.rasa_url, sender, "Paketti on taas myöhässä, olen tosi pettynyt")
        assert opened["language"] == "fi"
        # the second replica has never seen this conversation: it reads the tracker from PostgreSQL
        answer = turn(f"http://127.0.0.1:{second_port}", sender, "ok")
        assert answer["language"] == "fi"
        tracker_url = f"http://127.0.0.1:{second_port}/conversations/{sender}/tracker?token={settings.rasa_token}"
        with urllib.request.urlopen(tracker_url, timeout=60) as response:
            tracker = json.loads(response.read())
        user_texts = [e.get("text") for e in tracker["events"] if e["event"] == "user"]
        assert user_texts == ["Paketti on taas myöhässä, olen tosi pettynyt", "ok"]
    finally:
        supervisor.stop()
