"""bot/language must stay importable without Rasa (see ARCHITECTURE.md, "Keep Rasa at arm's length")."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "bot" / "language"


def test_no_module_imports_rasa():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] in {"rasa", "rasa_sdk"} for n in names), path


def test_importing_and_detecting_loads_no_rasa_module():
    code = (
        "import sys; from bot.language import detect; detect('merhaba', ['tr', 'en']);"
        "print(any(m.split('.')[0] in ('rasa', 'rasa_sdk') for m in sys.modules))"
    )
    root = PACKAGE.parents[1]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr
