"""A temporary copy of the project's sources: operations tests edit files freely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def copy_project(target: Path, languages: tuple[str, ...] = ("tr", "fi", "hu", "en")) -> Path:
    for name in ("config.yml", "endpoints.yml", "credentials.yml"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, target / name)
    shutil.copytree(ROOT / "domain", target / "domain")
    (target / "nlu_data").mkdir()
    for path in (ROOT / "nlu_data").glob("*.yml"):
        shutil.copy(path, target / "nlu_data" / path.name)
    for code in languages:
        shutil.copytree(ROOT / "nlu_data" / code, target / "nlu_data" / code)
    config = (target / "config.yml").read_text("utf-8")
    listed = "languages: [tr, fi, hu, en]"
    assert listed in config, "config.yml's language list moved: update copy_project"
    (target / "config.yml").write_text(config.replace(listed, f"languages: [{', '.join(languages)}]"), "utf-8")
    return target


@pytest.fixture
def project_root(tmp_path: Path) -> Path:
    (tmp_path / "project").mkdir()
    return copy_project(tmp_path / "project")
