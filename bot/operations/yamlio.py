"""Round-trip YAML for files people also edit by hand: comments, quotes, key order and the
`examples: |` literal blocks survive a load/change/dump, so a change shows as a small diff."""

from __future__ import annotations

import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

# (sequence indent, dash offset): nlu_data/<language>/ puts dashes under their key, domain/ and
# rules.yml indent them; each file keeps the layout it was written in
LAYOUTS = ((2, 0), (4, 2))


def _yaml(layout: tuple[int, int] = LAYOUTS[0]) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long answer texts
    yaml.indent(mapping=2, sequence=layout[0], offset=layout[1])
    yaml.allow_unicode = True
    yaml.representer.add_representer(  # `key: null`, as people write it, not `key:`
        type(None), lambda representer, _: representer.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return yaml


@dataclass
class Document:
    """A parsed YAML file and the layout to write it back in."""

    path: Path
    data: Any
    layout: tuple[int, int]

    def save(self) -> None:
        save(self.path, self.data, self.layout)


def load(path: Path) -> Document:
    """Parses `path`, choosing the layout that reproduces the file as it is."""
    text = path.read_text(encoding="utf-8")
    data = _yaml().load(text)
    for layout in LAYOUTS:
        if dumps(data, layout) == text:
            return Document(path, data, layout)
    return Document(path, data, LAYOUTS[0] if re.search(r"^- ", text, re.M) else LAYOUTS[1])


def dumps(data: Any, layout: tuple[int, int] = LAYOUTS[0]) -> str:
    buffer = io.StringIO()
    _yaml(layout).dump(data, buffer)
    return buffer.getvalue()


def save(path: Path, data: Any, layout: tuple[int, int] = LAYOUTS[0]) -> None:
    """Writes atomically (temp file + rename): a crash never leaves half a training file."""
    text = dumps(data, layout)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def append(sequence: Any, value: Any) -> None:
    """Appends to a round-trip list, moving the blank line or comment that followed the old last
    item (ruamel keeps it there) below the new one."""
    last = len(sequence) - 1
    trailing = sequence.ca.items.pop(last, None) if last >= 0 else None
    sequence.append(value)
    if trailing is not None:
        sequence.ca.items[last + 1] = trailing


def literal(text: str) -> LiteralScalarString:
    """A block scalar written as `|` (how examples are kept)."""
    return LiteralScalarString(text)
