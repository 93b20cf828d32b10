import io
import json
import subprocess
import sys
from pathlib import Path

from bot.language.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_cli_one_code_per_line_in_a_subprocess():
    result = subprocess.run(
        [sys.executable, "-m", "bot.language", "--candidates", "tr,fi,hu,en"],
        input="merhaba\nkiitos\n👍\nkoszonom szepen\n\nwhere is my order\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["tr", "fi", "und", "hu", "und", "en"]


def test_cli_json_has_ranking_and_confidence(identifier):
    out = io.StringIO()
    assert (
        main(["--candidates", "tr,fi,hu,en", "--json"], stdin=io.StringIO("tesekkurler\nok\n"), stdout=out)
        == 0
    )
    first, second = [json.loads(line) for line in out.getvalue().splitlines()]
    assert first["language"] == "tr" and first["confidence"] > 0.9
    assert [code for code, _ in first["ranking"]][0] == "tr" and len(first["ranking"]) == 4
    assert second["language"] == "und" and second["confidence"] == 0.0


def test_cli_prior(identifier):
    out = io.StringIO()
    main(["--candidates", "tr,fi,hu,en", "--prior", "hu=0.8"], stdin=io.StringIO("video\n"), stdout=out)
    assert out.getvalue() == "hu\n"


def test_cli_unknown_candidate_exits_with_a_message():
    result = subprocess.run(
        [sys.executable, "-m", "bot.language", "--candidates", "tr,xx"],
        input="merhaba\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    assert "unsupported candidate language(s): xx" in result.stderr
