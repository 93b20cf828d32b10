"""The Polydesk project on disk: config.yml, domain/, nlu_data/<language>/, read and checked.

Errors name the file and line and say what to do, because operators edit these files by hand. Nothing
here imports Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

from bot.complaint_topics import parse_topics

LANGUAGE_FILES = ("nlu.yml", "faq.yml", "responses.yml", "complaint_topics.yml", "sentiment.yml")
TRAINING_FILES = ("nlu.yml", "faq.yml")
RETRIEVAL_INTENT = "faq"


class ProjectError(ValueError):
    """Something in the project's files is wrong; the message says where and what to do."""


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return 1


def read_yaml(path: Path, root: Optional[Path] = None) -> Any:
    """Parses a YAML file; a syntax error becomes a ProjectError with `file:line:column`."""
    shown = path.relative_to(root) if root and path.is_relative_to(root) else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ProjectError(f"{shown}: file not found") from error
    except UnicodeDecodeError as error:
        raise ProjectError(f"{shown}: not UTF-8 text ({error.reason})") from error
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else str(shown)
        raise ProjectError(f"{where}: invalid YAML: {error.problem or error}") from error
    except yaml.YAMLError as error:
        raise ProjectError(f"{shown}: invalid YAML: {error}") from error


@dataclass
class LanguageData:
    """One language folder: its training blocks and its responses."""

    code: str
    folder: Path
    training: Dict[str, List[Dict[str, Any]]] = field(default_factory=dict)  # file name -> nlu blocks
    responses: Dict[str, List[Dict[str, Any]]] = field(default_factory=dict)
    sentiment: Dict[str, List[str]] = field(default_factory=dict)  # sentiment.yml's word lists, if any
    complaint_topics: Dict[str, List[str]] = field(default_factory=dict)  # topic -> stems

    def intents(self) -> List[str]:
        return [block["intent"] for blocks in self.training.values() for block in blocks]

    def examples(self) -> Dict[str, List[str]]:
        """Intent name -> example texts (annotations kept as written)."""
        found: Dict[str, List[str]] = {}
        for blocks in self.training.values():
            for block in blocks:
                found.setdefault(block["intent"], []).extend(parse_examples(block["examples"]))
        return found


def parse_examples(examples: str) -> List[str]:
    """The `- text` lines of a Rasa `examples: |` block."""
    items = []
    for line in str(examples).splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            items.append(stripped[2:].strip())
    return [item for item in items if item]


@dataclass
class Project:
    """The project's sources, loaded and checked."""

    root: Path
    config: Dict[str, Any]
    domain: Dict[str, Any]
    languages: List[str]
    default_language: str
    data: Dict[str, LanguageData]

    @property
    def data_dir(self) -> Path:
        return self.root / "nlu_data"

    def source_files(self) -> List[Path]:
        """Every file a model is built from, for deciding whether a model is current."""
        files = [self.root / "config.yml"]
        files += sorted((self.root / "domain").glob("*.yml"))
        files += sorted(self.data_dir.glob("*.yml"))
        for code in self.languages:
            files += [self.data_dir / code / name for name in LANGUAGE_FILES]
        return [path for path in files if path.exists()]

    def response_keys(self) -> List[str]:
        """Every response some language defines or a rule needs: each language must have all."""
        keys = set()
        for language in self.data.values():
            keys.update(language.responses)
            keys.update(
                f"utter_{intent}" for intent in language.intents() if intent.startswith(RETRIEVAL_INTENT + "/")
            )
        rules = self.data_dir / "rules.yml"
        if rules.exists():
            for rule in (read_yaml(rules, self.root) or {}).get("rules", []):
                for step in rule.get("steps", []):
                    action = step.get("action") if isinstance(step, dict) else None
                    if action and action.startswith("utter_") and action != "utter_" + RETRIEVAL_INTENT:
                        keys.add(action)
        return sorted(keys)

    def missing_translations(self) -> Dict[str, List[str]]:
        """Language -> response keys it lacks (empty when every response exists in every language)."""
        keys = self.response_keys()
        missing = {
            code: [key for key in keys if key not in language.responses]
            for code, language in self.data.items()
        }
        return {code: keys for code, keys in missing.items() if keys}


def _check_training_blocks(path: Path, root: Path, raw: Any, known_intents: Sequence[str]) -> List[Dict]:
    shown = path.relative_to(root)
    text = path.read_text(encoding="utf-8")
    if not isinstance(raw, dict) or not isinstance(raw.get("nlu"), list):
        raise ProjectError(f"{shown}:1: expected a top-level 'nlu:' list of intents")
    blocks = []
    for block in raw["nlu"]:
        if not isinstance(block, dict) or "intent" not in block:
            raise ProjectError(f"{shown}:{_line_of(text, str(block)[:20])}: every item needs 'intent:'")
        intent = str(block["intent"])
        base = intent.split("/")[0]
        if base not in known_intents:
            raise ProjectError(
                f"{shown}:{_line_of(text, 'intent: ' + intent)}: unknown intent '{intent}'; "
                f"add it to domain/core.yml or use one of: {', '.join(known_intents)}"
            )
        if not isinstance(block.get("examples"), str) or not parse_examples(block["examples"]):
            raise ProjectError(
                f"{shown}:{_line_of(text, 'intent: ' + intent)}: intent '{intent}' has no examples "
                "(write them as an 'examples: |' block of '- text' lines)"
            )
        blocks.append(block)
    return blocks


def _load_language(root: Path, code: str, known_intents: Sequence[str]) -> LanguageData:
    folder = root / "nlu_data" / code
    if not folder.is_dir():
        raise ProjectError(
            f"config.yml lists language '{code}' but nlu_data/{code}/ does not exist; "
            f"create it with {', '.join(LANGUAGE_FILES)} (copy nlu_data/en/ and translate)"
        )
    language = LanguageData(code, folder)
    for name in TRAINING_FILES:
        path = folder / name
        language.training[name] = _check_training_blocks(path, root, read_yaml(path, root), known_intents)
    responses_path = folder / "responses.yml"
    raw = read_yaml(responses_path, root)
    if not isinstance(raw, dict) or not isinstance(raw.get("responses"), dict):
        raise ProjectError(f"nlu_data/{code}/responses.yml:1: expected a top-level 'responses:' mapping")
    text = responses_path.read_text(encoding="utf-8")
    for key, variations in raw["responses"].items():
        if not isinstance(variations, list) or not all(
            isinstance(v, dict) and isinstance(v.get("text"), str) for v in variations
        ):
            raise ProjectError(
                f"nlu_data/{code}/responses.yml:{_line_of(text, key + ':')}: response '{key}' must be a "
                "list of variations, each with a 'text:'"
            )
    language.responses = raw["responses"]
    language.sentiment = _read_sentiment(folder / "sentiment.yml", root)
    language.complaint_topics = _read_complaint_topics(folder / "complaint_topics.yml", root)
    return language


def _read_complaint_topics(path: Path, root: Path) -> Dict[str, List[str]]:
    """Topic -> word stems naming it in this language (see bot/complaint_topics.py)."""
    if not path.exists():
        return {}
    try:
        return parse_topics(read_yaml(path, root))
    except ValueError as error:
        raise ProjectError(f"{path.relative_to(root)}:1: {error}") from error


def _read_sentiment(path: Path, root: Path) -> Dict[str, List[str]]:
    """The optional feeling-word lists of a language (see bot/nlu/sentiment_featurizer.py)."""
    if not path.exists():
        return {}
    raw = read_yaml(path, root)
    lists = raw.get("sentiment") if isinstance(raw, dict) else None
    shown = path.relative_to(root)
    if not isinstance(lists, dict):
        raise ProjectError(f"{shown}:1: expected a top-level 'sentiment:' mapping of word lists")
    for name, words in lists.items():
        where = f"{shown}:{_line_of(path.read_text(encoding='utf-8'), str(name) + ':')}"
        if name not in ("negative", "positive", "negation") or not isinstance(words, list):
            raise ProjectError(f"{where}: '{name}' must be one of negative, positive, negation, with a list of words")
        if not all(isinstance(word, str) for word in words):
            raise ProjectError(
                f"{where}: every word in '{name}' must be text "
                "(quote words YAML reads otherwise, such as \"no\" or \"on\")"
            )
    return {str(name): [str(word) for word in words] for name, words in lists.items()}


def load_project(root: Path, languages: Optional[Sequence[str]] = None) -> Project:
    """Reads and checks config.yml, domain/ and the language folders (all listed, or `languages`)."""
    root = root.resolve()
    config = read_yaml(root / "config.yml", root)
    if not isinstance(config, dict):
        raise ProjectError("config.yml:1: expected a mapping with 'pipeline', 'policies' and 'languages'")
    configured = config.get("languages")
    if not isinstance(configured, list) or not configured or not all(isinstance(c, str) for c in configured):
        raise ProjectError("config.yml: 'languages' must be a list of language codes, e.g. [tr, fi, hu, en]")
    chosen = list(languages) if languages else list(configured)
    default = str(config.get("default_language") or chosen[0])
    if default not in chosen:
        default = chosen[0]
    domain: Dict[str, Any] = {}
    for path in sorted((root / "domain").glob("*.yml")):
        part = read_yaml(path, root) or {}
        for key, value in part.items():
            if isinstance(value, list):
                domain.setdefault(key, []).extend(value)
            elif isinstance(value, dict):
                domain.setdefault(key, {}).update(value)
            else:
                domain[key] = value
    intents = [str(intent) for intent in domain.get("intents", [])]
    data = {code: _load_language(root, code, intents) for code in chosen}
    return Project(root, config, domain, chosen, default, data)
