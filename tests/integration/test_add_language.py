"""Adding a language is a folder plus a config entry: German from a small fixture, trained and used."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.assembly import assemble
from bot.project import load_project
from bot.training import rasa_environment, run_rasa_train

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "de"


@pytest.fixture(scope="module")
def project_with_german(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    shutil.copy(ROOT / "config.yml", root / "config.yml")
    shutil.copytree(ROOT / "domain", root / "domain")
    shutil.copytree(ROOT / "nlu_data", root / "nlu_data")
    shutil.copytree(FIXTURE, root / "nlu_data" / "de")
    config = root / "config.yml"
    config.write_text(config.read_text().replace("languages: [tr, fi, hu, en]", "languages: [tr, fi, hu, en, de]"))
    return root


def test_the_fifth_language_passes_the_checks(project_with_german):
    project = load_project(project_with_german)
    assert project.languages == ["tr", "fi", "hu", "en", "de"]
    assert project.missing_translations() == {}


@pytest.mark.training
def test_a_model_with_the_new_language_understands_it(project_with_german, tmp_path):
    # NLU only and two languages keep this quick; the components see German like any other language.
    project = load_project(project_with_german, ["en", "de"])
    assembled = assemble(project, project_with_german / "build" / "de", epochs=20)
    model = run_rasa_train(assembled, tmp_path / "models", "de", log=lambda line: None, core_too=False)
    texts = ["Guten Morgen, ich möchte mit einem Menschen sprechen", "wo ist meine Bestellung?", "hello there"]
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(texts))
    subprocess.run(
        [sys.executable, "-m", "bot.nlu.predict", str(model), str(source), str(target)],
        check=True, env=rasa_environment(), cwd=ROOT, stdout=subprocess.DEVNULL,
    )
    predictions = json.loads(target.read_text())
    assert [p["language"] for p in predictions] == ["de", "de", "en"]
    assert predictions[0]["intent"] == "request_human"
    assert predictions[1]["response_key"] == "faq/order_status"
