"""An incremental retrain without training: the serving model's archive plus an example overlay.

A Rasa 3.6 model archive is a tar.gz of `metadata.json` (model id, training time, the domain, the graph
schemas naming each component's resource) and `components/<resource>/` folders. The candidate copies the
serving model's archive member by member and changes only
- the `ExampleOverlay` resource (`bot.overlay`): the examples the classifiers have not learned;
- the model id and training time in `metadata.json`, so trackers and `GET /status` tell the models apart;
- the response texts (the domain in `metadata.json` and `domain_provider/domain.yml`, and the copies
  ResponseSelector and the overlay keep), which an incremental retrain may change.
Rasa checks nothing else when it loads an archive (`rasa.engine.storage.local_model_storage`): no
checksums, only the Rasa version in the metadata. Nothing here imports Rasa.

Which examples the classifiers learned is recorded per model as digests of (language, intent, example as
written): the overlay is every training example whose digest the base model's record lacks, so overlays
accumulate over successive incremental retrains until a full training learns them.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Collection, Mapping, Optional

import yaml

from bot.evaluation import plain_text
from bot.overlay import RESOURCE_FILE, OverlayExample, overlay_document, read_document
from bot.project import parse_examples

COMPONENT = "bot.nlu.example_overlay.ExampleOverlay"  # as config.yml names it, and the schema records
METADATA_FILE = "metadata.json"
DOMAIN_FILE = "components/domain_provider/domain.yml"
# gzip level of the candidate archive: trained weights barely compress, so the fastest level costs little
# (fi+en model: level 1 wrote 30.29 MB in 2.5 s, level 6 30.11 MB in 2.8 s; 0 would write 41 MB in 1.2 s)
COMPRESS_LEVEL = 1

TrainingBlocks = Mapping[str, Mapping[str, list[dict[str, Any]]]]  # language -> file -> tagged blocks


class OverlayUnavailable(RuntimeError):
    """The base model cannot carry an overlay (e.g. trained before the component existed)."""


def example_digest(language: str, intent: str, example: str) -> str:
    return hashlib.sha256(f"{language}\n{intent}\n{example}".encode()).hexdigest()[:16]


def training_examples(training: TrainingBlocks) -> dict[str, OverlayExample]:
    """Digest -> example, for every example a training on `training` would learn."""
    found: dict[str, OverlayExample] = {}
    for language, files in training.items():
        for blocks in files.values():
            for block in blocks:
                intent = str(block["intent"])
                for example in parse_examples(block["examples"]):
                    found[example_digest(language, intent, example)] = OverlayExample(
                        language, intent, plain_text(example)
                    )
    return found


def overlay_examples(training: TrainingBlocks, learned: Collection[str]) -> list[OverlayExample]:
    """The examples of `training` the classifiers did not learn (added or edited since, or relabelled)."""
    known = set(learned)
    return [example for digest, example in training_examples(training).items() if digest not in known]


def _resource_folder(metadata: Mapping[str, Any]) -> str:
    for node in (metadata.get("predict_schema") or {}).get("nodes", {}).values():
        if node.get("uses") == COMPONENT and node.get("resource"):
            return f"components/{node['resource']['name']}"
    raise OverlayUnavailable(f"the model has no {COMPONENT.rsplit('.', 1)[-1]} in its pipeline")


def _replace_known(current: Mapping[str, Any], responses: Mapping[str, Any]) -> dict[str, Any]:
    """`current` with the texts of `responses` for the keys it has."""
    return {key: responses.get(key, value) for key, value in current.items()}


def build_overlay_model(
    base: Path, target: Path, examples: list[OverlayExample], responses: Optional[Mapping[str, Any]] = None
) -> Path:
    """Writes `target`: `base` with `examples` as its overlay, a new model id and (when given) these
    response texts (key -> variations, as the assembled domain has them). Atomic: a failure leaves none."""
    try:
        source = tarfile.open(base, mode="r:gz")
    except (tarfile.TarError, EOFError, OSError) as error:
        raise OverlayUnavailable(f"{base.name} is not a readable model archive ({error})") from error
    with source:
        members = source.getmembers()
        names = {member.name.lstrip("/").removeprefix("./"): member for member in members}
        if METADATA_FILE not in names:
            raise OverlayUnavailable(f"{base.name} is not a Rasa 3 model archive (no {METADATA_FILE})")
        metadata = json.loads(_read(source, names[METADATA_FILE]))
        folder = _resource_folder(metadata)
        overlay_path = f"{folder}/{RESOURCE_FILE}"
        if overlay_path not in names:
            raise OverlayUnavailable(f"{base.name} has no {overlay_path}")
        _, kept_responses = read_document(json.loads(_read(source, names[overlay_path])))
        metadata["model_id"] = uuid.uuid4().hex
        metadata["trained_at"] = datetime.now(timezone.utc).replace(tzinfo=None).isoformat()
        if responses is not None:
            domain = metadata.setdefault("domain", {})
            domain["responses"] = _replace_known(domain.get("responses") or {}, responses)
            kept_responses = _replace_known(kept_responses, responses)
        replaced = {
            METADATA_FILE: json.dumps(metadata, ensure_ascii=False).encode(),
            overlay_path: json.dumps(overlay_document(examples, kept_responses), ensure_ascii=False).encode(),
        }
        if responses is not None:
            replaced.update(_response_files(source, names, responses))
        temporary = target.with_name(f".{target.name}.partial")
        try:
            with tarfile.open(temporary, mode="w:gz", compresslevel=COMPRESS_LEVEL) as out:
                for member in members:
                    content = replaced.get(member.name.lstrip("/").removeprefix("./"))
                    if content is not None:
                        copy = tarfile.TarInfo(member.name)
                        copy.size, copy.mtime, copy.mode = len(content), int(datetime.now().timestamp()), member.mode
                        out.addfile(copy, io.BytesIO(content))
                    elif member.isfile():
                        out.addfile(member, source.extractfile(member))
                    else:
                        out.addfile(member)
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
    return target


def _read(archive: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    stream = archive.extractfile(member)
    if stream is None:
        raise OverlayUnavailable(f"{member.name} is not a file")
    return stream.read()


def _response_files(
    source: tarfile.TarFile, names: Mapping[str, tarfile.TarInfo], responses: Mapping[str, Any]
) -> dict[str, bytes]:
    """The domain provider's domain.yml and ResponseSelector's responses, with the new texts."""
    replaced: dict[str, bytes] = {}
    if DOMAIN_FILE in names:
        domain = yaml.safe_load(_read(source, names[DOMAIN_FILE])) or {}
        domain["responses"] = _replace_known(domain.get("responses") or {}, responses)
        replaced[DOMAIN_FILE] = yaml.safe_dump(domain, allow_unicode=True, sort_keys=False).encode()
    for name, member in names.items():
        if name.startswith("components/") and name.endswith(".responses.json"):
            current = json.loads(_read(source, member))
            replaced[name] = json.dumps(_replace_known(current, responses), ensure_ascii=False).encode()
    return replaced
