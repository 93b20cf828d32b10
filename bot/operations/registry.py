"""The model registry: the last N trained models with their gate reports, which one Rasa serves, and the
deploy history. Deploying asks the running Rasa server to swap models (`PUT /model`, token auth): the
tracker store keeps every conversation, so nothing is dropped; rollback deploys the model served before.

State lives in `models/registry.json`, written atomically; a lock serialises changes in one process.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional, Protocol

from bot.settings import Settings


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class RegistryError(RuntimeError):
    """A deploy or rollback cannot be done; the message says why."""


class GateRefused(RegistryError):
    """The model failed the quality gate and no override reason was given."""


@dataclass
class ModelEntry:
    name: str  # file name, e.g. polydesk-candidate-20250101T1000.tar.gz
    created_at: str
    languages: list[str] = field(default_factory=list)
    trained_by: str = ""
    training_seconds: Optional[float] = None
    held_out: bool = True  # trained without the held-out examples (a fair baseline for the gate)
    gate: Optional[dict[str, Any]] = None
    structure: Optional[str] = None  # fingerprint of all but the NLU examples (bot.operations.incremental)
    training: str = "full"  # "full", or "incremental" (built from base_model by `method`)
    base_model: Optional[str] = None
    finetune_chain: int = 0  # incremental retrains since the last full training
    method: Optional[str] = None  # incremental only: "overlay" (bot.operations.overlay_model) or "finetune"
    overlay_examples: int = 0  # examples its overlay answers that the classifiers have not learned

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class ModelServer(Protocol):
    def replace_model(self, path: Path) -> None: ...

    def serving_model_file(self) -> Optional[str]: ...


class RasaModelServer:
    """Rasa's HTTP API: `PUT /model {"model_file": path}` loads a model and swaps it in when loaded."""

    def __init__(self, base_url: str, token: str, timeout_seconds: float = 600.0) -> None:
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout_seconds

    def replace_model(self, path: Path) -> None:
        url = f"{self._base_url}/model?{urllib.parse.urlencode({'token': self._token})}"
        body = json.dumps({"model_file": str(path.resolve())}).encode()
        request = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                if response.status not in (200, 204):
                    raise RegistryError(f"Rasa answered HTTP {response.status} to PUT /model")
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:300]
            raise RegistryError(f"Rasa refused the model (HTTP {error.code}): {detail}") from error
        except (urllib.error.URLError, OSError) as error:
            raise RegistryError(f"Rasa is not reachable at {self._base_url}: {error}") from error

    def serving_model_file(self) -> Optional[str]:
        """The model file Rasa has loaded (`GET /status`), None when Rasa cannot say."""
        url = f"{self._base_url}/status?{urllib.parse.urlencode({'token': self._token})}"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                found = json.loads(response.read()).get("model_file")
        except (urllib.error.URLError, OSError, ValueError):
            return None
        return found if isinstance(found, str) else None


class ModelRegistry:
    def __init__(self, models_dir: Path, keep: int, server: Optional[ModelServer] = None) -> None:
        self.models_dir = models_dir
        self.keep = max(2, keep)  # the serving model and one to roll back to
        self.server = server
        self._lock = threading.RLock()

    # --- state -----------------------------------------------------------------------------------

    @property
    def _state_path(self) -> Path:
        return self.models_dir / "registry.json"

    def _read(self) -> dict[str, Any]:
        if not self._state_path.exists():
            return {"models": [], "serving": None, "history": []}
        return json.loads(self._state_path.read_text(encoding="utf-8"))

    def _write(self, state: dict[str, Any]) -> None:
        self.models_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.models_dir, prefix=".registry.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(state, stream, indent=2, ensure_ascii=False)
        os.replace(temporary, self._state_path)

    def models(self) -> list[ModelEntry]:
        """Newest first."""
        return [ModelEntry(**entry) for entry in reversed(self._read()["models"])]

    def get(self, name: str) -> Optional[ModelEntry]:
        return next((entry for entry in self.models() if entry.name == name), None)

    def serving(self) -> Optional[str]:
        """The model Rasa serves, as far as deploys through the registry know."""
        return self._read()["serving"]

    def history(self) -> list[dict[str, Any]]:
        return list(reversed(self._read()["history"]))

    def path(self, name: str) -> Path:
        return self.models_dir / name

    # --- changes ---------------------------------------------------------------------------------

    def adopt_serving(self, path: Path) -> None:
        """Records a model started outside the registry (e.g. by `polydesk up`) as the one served, so the
        first deploy has something to roll back to. It is no fair gate baseline (it saw every example)."""
        with self._lock:
            state = self._read()
            if state["serving"] is not None or not path.exists():
                return
            target = self.path(path.name)
            if not target.exists():
                self.models_dir.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(path, target)
                except OSError:
                    shutil.copy2(path, target)
            if not any(entry["name"] == path.name for entry in state["models"]):
                state["models"].append(
                    ModelEntry(path.name, _now(), trained_by="polydesk train", held_out=False).to_json()
                )
            state["serving"] = path.name
            self._write(state)

    def _predictions_path(self, name: str) -> Path:
        return self.models_dir / f"{name}.predictions.json"

    def predictions(self, name: str) -> dict[str, Optional[str]]:
        """Text -> intent the model predicted for the gate (cached so the next gate need not load it)."""
        path = self._predictions_path(name)
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def save_predictions(self, name: str, predictions: dict[str, Optional[str]]) -> None:
        self.models_dir.mkdir(parents=True, exist_ok=True)
        self._predictions_path(name).write_text(json.dumps(predictions, ensure_ascii=False), encoding="utf-8")

    def _learned_path(self, name: str) -> Path:
        return self.models_dir / f"{name}.examples.json"

    def learned(self, name: str) -> Optional[set[str]]:
        """Digests of the examples the model's classifiers learned (bot.operations.overlay_model), None
        for a model registered without that record."""
        path = self._learned_path(name)
        return set(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else None

    def save_learned(self, name: str, digests: set[str]) -> None:
        self.models_dir.mkdir(parents=True, exist_ok=True)
        self._learned_path(name).write_text(json.dumps(sorted(digests)), encoding="utf-8")

    def adopt_running(self, search: list[Path]) -> None:
        """Before the first deploy through the registry: records the model Rasa serves now (looked up in
        `search` folders by file name), so that rollback has somewhere to go."""
        if self.serving() is not None or self.server is None:
            return
        found = self.server.serving_model_file()
        if not found:
            return
        for folder in search:
            candidate = folder / Path(found).name
            if candidate.exists():
                self.adopt_serving(candidate)
                return

    def add(self, entry: ModelEntry) -> ModelEntry:
        """Registers a trained model file (already in models_dir) and drops the oldest beyond `keep`."""
        with self._lock:
            if not self.path(entry.name).exists():
                raise RegistryError(f"{entry.name} is not in {self.models_dir}")
            state = self._read()
            state["models"] = [m for m in state["models"] if m["name"] != entry.name] + [entry.to_json()]
            self._prune(state)
            self._write(state)
        return entry

    def _prune(self, state: dict[str, Any]) -> None:
        protected = {state["serving"], self._previous(state)}
        while len(state["models"]) > self.keep:
            victim = next((m for m in state["models"] if m["name"] not in protected), None)
            if victim is None:
                return
            state["models"].remove(victim)
            self.path(victim["name"]).unlink(missing_ok=True)
            self._predictions_path(victim["name"]).unlink(missing_ok=True)
            self._learned_path(victim["name"]).unlink(missing_ok=True)

    @staticmethod
    def _previous(state: dict[str, Any]) -> Optional[str]:
        """The model served before the current one (what rollback goes back to)."""
        for event in reversed(state["history"]):
            if event.get("model") == state["serving"]:
                return event.get("previous")
        return None

    def deploy(self, name: str, who: str, override_reason: Optional[str] = None, action: str = "deploy") -> None:
        """Swaps `name` into the running Rasa; refused if it failed the gate and no reason is given."""
        with self._lock:
            entry = self.get(name)
            if entry is None:
                raise RegistryError(f"no model {name!r} in the registry")
            gate_passed = entry.gate is None or bool(entry.gate.get("passed"))
            if action == "deploy" and not gate_passed and not (override_reason and override_reason.strip()):
                failed = ", ".join(entry.gate.get("failed_languages", [])) if entry.gate else ""
                raise GateRefused(
                    f"{name} failed the quality gate ({failed}): deploy it only with an override reason"
                )
            if self.server is None:
                raise RegistryError("no Rasa server configured to deploy to")
            self.server.replace_model(self.path(name))
            state = self._read()
            state["history"].append(
                {
                    "action": action,
                    "model": name,
                    "previous": state["serving"],
                    "who": who,
                    "at": _now(),
                    "override_reason": override_reason.strip() if override_reason else None,
                }
            )
            state["serving"] = name
            self._prune(state)
            self._write(state)

    def rollback(self, who: str) -> str:
        """Deploys the model served before the current one; returns its name."""
        with self._lock:
            state = self._read()
            previous = self._previous(state)
            if previous is None or not self.path(previous).exists():
                raise RegistryError("there is no earlier model to roll back to")
            self.deploy(previous, who, action="rollback")
            return previous


def registry_for(settings: Settings) -> ModelRegistry:
    """The registry under models/registry/, deploying to the Rasa server of `settings`."""
    return ModelRegistry(
        settings.models_dir / "registry", settings.models_kept, RasaModelServer(settings.rasa_url, settings.rasa_token)
    )
