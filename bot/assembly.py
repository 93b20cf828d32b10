"""Assembling the Rasa project that `rasa train` reads from Polydesk's per-language sources.

Each language's responses become variations conditioned on the `language` slot (the default language's
also serve unconditioned, for a conversation without a language), each training block is tagged with its
folder's language for the tokenizer, and the languages are written into the pipeline components.
"""

from __future__ import annotations

import copy
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

from bot.nlu.code_version import current_code_fingerprint
from bot.project import TRAINING_FILES, Project, ProjectError

LANGUAGE_AWARE_COMPONENTS = ("LanguageDetector", "LanguageAwareTokenizer")
EPOCH_COMPONENTS = ("DIETClassifier", "ResponseSelector", "TEDPolicy")


@dataclass(frozen=True)
class AssembledProject:
    """Paths of the files handed to `rasa train`."""

    directory: Path
    config: Path
    domain: Path
    data: Path
    fingerprint: str


def _dump(path: Path, content: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8"
    )


def fingerprint(project: Project, epochs: Optional[int] = None) -> str:
    """A short hash of every source file, the pipeline's code (`bot.nlu.code_version`) and the epoch
    override: equal hash, equal model; an upgrade of the NLU code makes `polydesk up` train again."""
    digest = hashlib.sha256()
    digest.update(current_code_fingerprint().encode())
    for path in project.source_files():
        digest.update(str(path.relative_to(project.root)).encode())
        digest.update(path.read_bytes())
    digest.update(",".join(project.languages).encode())
    digest.update(str(epochs).encode())
    return digest.hexdigest()[:12]


def build_config(project: Project, epochs: Optional[int] = None) -> Dict[str, Any]:
    """config.yml with the languages written into the language-aware components."""
    config = copy.deepcopy(project.config)
    config["languages"] = project.languages
    config["default_language"] = project.default_language
    for section in ("pipeline", "policies"):
        for component in config.get(section) or []:
            name = str(component.get("name", "")).rsplit(".", 1)[-1]
            if name in LANGUAGE_AWARE_COMPONENTS:
                component["languages"] = project.languages
                component["default_language"] = project.default_language
            if name == "ComplaintTopicExtractor":
                component["topics"] = {code: project.data[code].complaint_topics for code in project.languages}
            if name in ("SentimentFeaturizer", "SentimentReranker"):
                component["lexicons"] = {
                    code: project.data[code].sentiment for code in project.languages if project.data[code].sentiment
                }
            if epochs is not None and name in EPOCH_COMPONENTS:
                component["epochs"] = epochs
    return config


def build_domain(project: Project) -> Dict[str, Any]:
    """The core domain plus every language's responses as conditional variations."""
    missing = project.missing_translations()
    if missing:
        lines = [
            f"nlu_data/{code}/responses.yml is missing: {', '.join(keys)}" for code, keys in missing.items()
        ]
        raise ProjectError("Every response must exist in every language.\n" + "\n".join(lines))
    domain = copy.deepcopy(project.domain)
    slots = domain.setdefault("slots", {})
    if "language" in slots:
        slots["language"]["initial_value"] = project.default_language
    responses: Dict[str, List[Dict[str, Any]]] = {}
    for key in project.response_keys():
        variations: List[Dict[str, Any]] = []
        for code in project.languages:
            for variation in project.data[code].responses[key]:
                conditioned = dict(variation)
                conditioned["condition"] = [{"type": "slot", "name": "language", "value": code}]
                variations.append(conditioned)
        variations.extend(dict(v) for v in project.data[project.default_language].responses[key])
        responses[key] = variations
    domain["responses"] = responses
    return domain


def assemble(
    project: Project,
    out_dir: Path,
    epochs: Optional[int] = None,
    training_blocks: Optional[Dict[str, Dict[str, List[Dict[str, Any]]]]] = None,
) -> AssembledProject:
    """Writes config.yml, domain.yml and data/ under `out_dir` (replacing what was there).

    `training_blocks` replaces the NLU examples (language -> file -> blocks), e.g. an evaluation split.
    """
    if out_dir.exists():
        shutil.rmtree(out_dir)
    data_dir = out_dir / "data"
    data_dir.mkdir(parents=True)
    config_path, domain_path = out_dir / "config.yml", out_dir / "domain.yml"
    _dump(config_path, build_config(project, epochs))
    _dump(domain_path, build_domain(project))
    for code in project.languages:
        for file_name in TRAINING_FILES:
            if training_blocks is not None:
                blocks = training_blocks[code][file_name]
            else:
                blocks = tag_blocks(code, project.data[code].training[file_name])
            _dump(data_dir / f"{code}_{file_name}", {"version": "3.1", "nlu": blocks})
    for dialogue in sorted(project.data_dir.glob("*.yml")):
        shutil.copy(dialogue, data_dir / dialogue.name)
    return AssembledProject(out_dir, config_path, domain_path, data_dir, fingerprint(project, epochs))


def tag_blocks(code: str, blocks: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Adds the language tag to blocks built elsewhere (e.g. a split)."""
    return [
        {
            "intent": block["intent"],
            "metadata": {**(block.get("metadata") or {}), "language": code},
            "examples": block["examples"],
        }
        for block in blocks
    ]
