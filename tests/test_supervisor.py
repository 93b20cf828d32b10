from pathlib import Path

from bot.settings import Settings
from bot.supervisor import rasa_endpoint_environment, services, tracker_store_url


def settings(**env) -> Settings:
    return Settings.from_env({"POLYDESK_HOME": "/srv/polydesk", **env})


def test_default_storage_is_sqlite_under_var_and_an_in_memory_lock():
    env = rasa_endpoint_environment(settings())
    assert env["POLYDESK_TRACKER_URL"] == "sqlite:////srv/polydesk/var/rasa_trackers.db"
    assert env["POLYDESK_LOCK_STORE"] == "in_memory"
    assert env["POLYDESK_ACTION_ENDPOINT"] == "http://127.0.0.1:5055/webhook"


def test_database_and_redis_urls_move_rasa_to_postgresql_and_redis():
    env = rasa_endpoint_environment(
        settings(DATABASE_URL="postgresql+asyncpg://u:p@db:5432/polydesk", REDIS_URL="redis://cache:6380/2")
    )
    assert env["POLYDESK_TRACKER_URL"] == "postgresql://u:p@db:5432/polydesk"
    assert (env["POLYDESK_LOCK_STORE"], env["POLYDESK_REDIS_HOST"]) == ("redis", "cache")
    assert (env["POLYDESK_REDIS_PORT"], env["POLYDESK_REDIS_DB"]) == ("6380", "2")


def test_rasa_is_started_with_the_api_token_and_the_project_files():
    rasa = next(s for s in services(settings(POLYDESK_RASA_TOKEN="t0k"), Path("/m/model.tar.gz")) if s.name == "rasa")
    command = " ".join(rasa.command)
    assert "--enable-api --auth-token t0k" in command
    assert "--credentials /srv/polydesk/credentials.yml" in command
    assert rasa.health_url.endswith("/status?token=t0k")


def test_tracker_store_url_keeps_a_plain_postgresql_url():
    assert tracker_store_url(settings(DATABASE_URL="postgresql://a@b/c")) == "postgresql://a@b/c"


def test_live_answers_add_the_gateway_nlg_endpoint(tmp_path, monkeypatch):
    import shutil

    shutil.copy(Path(__file__).resolve().parents[1] / "endpoints.yml", tmp_path / "endpoints.yml")
    live = Settings.from_env({"POLYDESK_HOME": str(tmp_path)})
    monkeypatch.setenv("POLYDESK_LIVE_ANSWERS", "1")
    rasa = next(s for s in services(live, Path("/m.tar.gz"), with_gateway=True) if s.name == "rasa")
    endpoints = Path(rasa.command[rasa.command.index("--endpoints") + 1])
    assert "nlg:" in endpoints.read_text()
    assert rasa.env["POLYDESK_NLG_URL"].startswith(f"{live.gateway_url}/operator/nlg?token=")
    quiet = next(s for s in services(live, Path("/m.tar.gz"), with_gateway=False) if s.name == "rasa")
    assert quiet.command[quiet.command.index("--endpoints") + 1] == str(tmp_path / "endpoints.yml")
