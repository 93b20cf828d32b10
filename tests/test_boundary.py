"""Only bot/nlu/ and actions/ may import Rasa: everything else must move to a newer Python freely."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {ROOT / "bot" / "nlu", ROOT / "actions"}


def rasa_imports(path: Path) -> list:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found += [name for name in names if name.split(".")[0] in ("rasa", "rasa_sdk")]
    return found


def test_only_nlu_and_actions_import_rasa():
    offenders = {}
    for path in (ROOT / "bot").rglob("*.py"):
        if any(allowed in path.parents for allowed in ALLOWED):
            continue
        imports = rasa_imports(path)
        if imports:
            offenders[str(path.relative_to(ROOT))] = imports
    assert offenders == {}


def test_the_check_sees_an_import():
    assert rasa_imports(ROOT / "bot" / "nlu" / "channel.py")
