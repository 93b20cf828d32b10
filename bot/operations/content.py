"""Operators' edits of the assistant's content, written back into nlu_data/ and domain/.

Files stay as people write them (round-trip YAML, `examples: |` blocks, comments), every change is
appended to the change log with who made it, and an edit is refused with a clear message rather than
leaving a file `polydesk check` would reject.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from bot.operations import yamlio
from bot.operations.changelog import Change, ChangeLog
from bot.project import RETRIEVAL_INTENT, parse_examples

INTENT_NAME = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
MAX_EXAMPLE_CHARACTERS = 500
DOMAIN_FILE = Path("domain") / "core.yml"


class ContentError(ValueError):
    """The edit cannot be made; the message says why (unknown language or intent, bad text...)."""


@dataclass(frozen=True)
class ExamplesAdded:
    file: str
    intent: str
    added: list[str]
    already_there: list[str]


def training_file(intent: str) -> str:
    """FAQ questions live in faq.yml, every other intent's examples in nlu.yml."""
    return "faq.yml" if intent.startswith(RETRIEVAL_INTENT + "/") else "nlu.yml"


def clean_example(text: object) -> str:
    if not isinstance(text, str):
        raise ContentError("an example must be text")
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ContentError("an example cannot be empty")
    if len(cleaned) > MAX_EXAMPLE_CHARACTERS:
        raise ContentError(f"an example may have at most {MAX_EXAMPLE_CHARACTERS} characters")
    return cleaned


class Content:
    """Reads and edits one project's content files; safe to share between threads."""

    def __init__(self, root: Path, changelog: ChangeLog) -> None:
        self.root = root
        self.changelog = changelog
        self._lock = threading.RLock()

    # --- reading ---------------------------------------------------------------------------------

    def languages(self) -> list[str]:
        """config.yml's languages that have a folder (a language being added has none yet)."""
        config = yamlio.load(self.root / "config.yml").data
        return [str(code) for code in config.get("languages") or [] if (self.root / "nlu_data" / str(code)).is_dir()]

    def domain_intents(self) -> list[str]:
        return [str(intent) for intent in yamlio.load(self.root / DOMAIN_FILE).data.get("intents") or []]

    def known_intents(self) -> list[str]:
        """Intents an example can be assigned to: the domain's, with FAQ topics spelled out."""
        found = [intent for intent in self.domain_intents() if intent != RETRIEVAL_INTENT]
        topics: set[str] = set()
        for code in self.languages():
            path = self._language_dir(code) / "faq.yml"
            for block in (yamlio.load(path).data.get("nlu") or []) if path.exists() else []:
                topics.add(str(block["intent"]))
        return found + sorted(topics)

    def examples(self, language: str) -> dict[str, list[str]]:
        """Intent -> examples of one language (FAQ topics included)."""
        found: dict[str, list[str]] = {}
        for name in ("nlu.yml", "faq.yml"):
            for block in yamlio.load(self._language_dir(language) / name).data.get("nlu") or []:
                found.setdefault(str(block["intent"]), []).extend(parse_examples(block.get("examples", "")))
        return found

    def responses(self, language: str) -> dict[str, list[dict[str, Any]]]:
        data = yamlio.load(self._language_dir(language) / "responses.yml").data
        return {str(key): [dict(v) for v in value] for key, value in (data.get("responses") or {}).items()}

    def response_table(self) -> list[dict[str, Any]]:
        """Every response key with its texts per language and the languages where it is missing."""
        languages = self.languages()
        per_language = {code: self.responses(code) for code in languages}
        keys = sorted({key for responses in per_language.values() for key in responses})
        return [
            {
                "key": key,
                "texts": {
                    code: [str(v.get("text", "")) for v in per_language[code].get(key, [])] for code in languages
                },
                "missing": [code for code in languages if key not in per_language[code]],
            }
            for key in keys
        ]

    def faq_table(self) -> list[dict[str, Any]]:
        """Per FAQ topic and language: the questions and the answers, with missing translations."""
        languages = self.languages()
        questions = {code: self.examples(code) for code in languages}
        answers = {code: self.responses(code) for code in languages}
        topics = sorted(
            {intent for found in questions.values() for intent in found if intent.startswith("faq/")}
            | {key[len("utter_"):] for found in answers.values() for key in found if key.startswith("utter_faq/")}
        )
        rows = []
        for topic in topics:
            rows.append(
                {
                    "topic": topic,
                    "questions": {code: questions[code].get(topic, []) for code in languages},
                    "answers": {
                        code: [str(v.get("text", "")) for v in answers[code].get(f"utter_{topic}", [])]
                        for code in languages
                    },
                    "missing_questions": [code for code in languages if not questions[code].get(topic)],
                    "missing_answers": [code for code in languages if f"utter_{topic}" not in answers[code]],
                }
            )
        return rows

    # --- editing ---------------------------------------------------------------------------------

    def add_examples(self, language: str, intent: str, texts: Sequence[str], who: str) -> ExamplesAdded:
        """Appends examples to the intent's block (a new block if the language has none yet)."""
        cleaned = [clean_example(text) for text in texts]
        if not cleaned:
            raise ContentError("give at least one example")
        if intent not in self.known_intents() and not intent.startswith(RETRIEVAL_INTENT + "/"):
            raise ContentError(f"unknown intent {intent!r}: create it first or pick one of the known intents")
        if intent.startswith(RETRIEVAL_INTENT + "/") and not INTENT_NAME.match(intent.split("/", 1)[1]):
            raise ContentError(f"{intent!r} is not a valid FAQ topic name (lowercase letters, digits, _)")
        with self._lock:
            path = self._language_dir(language) / training_file(intent)
            document = yamlio.load(path)
            blocks = document.data.setdefault("nlu", [])
            existing = {e.casefold() for block in blocks for e in parse_examples(block.get("examples", ""))}
            added, already = [], []
            for text in cleaned:
                (already if text.casefold() in existing else added).append(text)
                existing.add(text.casefold())
            if added:
                block = next((b for b in blocks if str(b.get("intent")) == intent), None)
                lines = "".join(f"- {text}\n" for text in added)
                if block is None:
                    block = CommentedMap([("intent", intent), ("examples", yamlio.literal(lines))])
                    yamlio.append(blocks, block)
                else:
                    current = str(block.get("examples") or "")
                    if current and not current.endswith("\n"):
                        current += "\n"
                    block["examples"] = yamlio.literal(current + lines)
                document.save()
                self.changelog.append(
                    Change(who, "add_examples", self._relative(path), language, intent, {"examples": added})
                )
        return ExamplesAdded(self._relative(path), intent, added, already)

    def remove_example(self, language: str, intent: str, text: str, who: str) -> None:
        with self._lock:
            path = self._language_dir(language) / training_file(intent)
            document = yamlio.load(path)
            block = next((b for b in document.data.get("nlu") or [] if str(b.get("intent")) == intent), None)
            if block is None:
                raise ContentError(f"{self._relative(path)} has no intent {intent!r}")
            kept = [e for e in parse_examples(block.get("examples", "")) if e != text]
            if len(kept) == len(parse_examples(block.get("examples", ""))):
                raise ContentError(f"{intent!r} has no example {text!r} in {language}")
            if not kept:
                raise ContentError("an intent needs at least one example; add another before removing this one")
            block["examples"] = yamlio.literal("".join(f"- {e}\n" for e in kept))
            document.save()
            self.changelog.append(
                Change(who, "remove_example", self._relative(path), language, intent, {"example": text})
            )

    def create_intent(self, name: str, language: str, examples: Sequence[str], who: str) -> ExamplesAdded:
        """Adds an intent to the domain and its first examples to one language.

        Until a rule says what answers it, the dialogue policies decide; the change log says so."""
        if not INTENT_NAME.match(name):
            raise ContentError("an intent name is lowercase letters, digits and _, e.g. delivery_address_change")
        with self._lock:
            if name in self.domain_intents():
                raise ContentError(f"intent {name!r} already exists")
            self._language_dir(language)  # the language must exist before the domain changes
            existing = {e.casefold(): i for i, found in self.examples(language).items() for e in found}
            fresh = [text for text in (clean_example(t) for t in examples) if text.casefold() not in existing]
            if not fresh:
                taken = ", ".join(f"{t!r} ({existing.get(t.casefold())})" for t in examples) or "none given"
                raise ContentError(f"a new intent needs at least one example not already used: {taken}")
            path = self.root / DOMAIN_FILE
            document = yamlio.load(path)
            yamlio.append(document.data["intents"], name)
            document.save()
            self.changelog.append(Change(who, "create_intent", str(DOMAIN_FILE), language, name, {}))
            return self.add_examples(language, name, examples, who)

    def set_response(self, language: str, key: str, texts: Sequence[str], who: str) -> list[dict[str, Any]]:
        """Replaces the texts of a response's variations in one language, keeping their buttons.

        More texts than variations add variations (copying the first one's buttons); fewer drop the rest."""
        cleaned = []
        for text in texts:
            if not isinstance(text, str) or not text.strip():
                raise ContentError("a response text cannot be empty")
            cleaned.append(text.strip())
        if not cleaned:
            raise ContentError("give at least one text")
        if not (key.startswith("utter_") and INTENT_NAME.match(key.replace("/", "_"))):
            raise ContentError(f"{key!r} is not a response name (utter_...)")
        with self._lock:
            path = self._language_dir(language) / "responses.yml"
            document = yamlio.load(path)
            responses = document.data.setdefault("responses", {})
            variations = responses.get(key)
            if variations is None:
                template = self._variation_template(key)
                variations = CommentedSeq()
                responses[key] = variations
            else:
                template = dict(variations[0]) if variations else {}
            before = [str(v.get("text", "")) for v in variations]
            while len(variations) > len(cleaned):
                variations.pop()
            for index, text in enumerate(cleaned):
                if index < len(variations):
                    variations[index]["text"] = DoubleQuotedScalarString(text)
                else:
                    variation = CommentedMap([("text", DoubleQuotedScalarString(text))])
                    if "buttons" in template:
                        variation["buttons"] = template["buttons"]
                    variations.append(variation)
            document.save()
            self.changelog.append(
                Change(who, "set_response", self._relative(path), language, key, {"before": before, "after": cleaned})
            )
            return [dict(v) for v in variations]

    # --- helpers ---------------------------------------------------------------------------------

    def _variation_template(self, key: str) -> dict[str, Any]:
        """A missing translation starts from another language's variation (its buttons' payloads)."""
        for code in self.languages():
            found = self.responses(code).get(key) if (self.root / "nlu_data" / code).is_dir() else None
            if found:
                return found[0]
        return {}

    def _language_dir(self, language: str) -> Path:
        if not isinstance(language, str) or not re.match(r"^[a-z]{2,3}$", language):
            raise ContentError(f"{language!r} is not a language code")
        folder = self.root / "nlu_data" / language
        if not folder.is_dir():
            raise ContentError(f"nlu_data/{language}/ does not exist: add the language first")
        return folder

    def _relative(self, path: Path) -> str:
        return str(path.relative_to(self.root))


def changelog_for(var_dir: Path) -> ChangeLog:
    return ChangeLog(var_dir / "operations" / "changes.jsonl")


def describe(change: Change) -> str:
    """One line for the CLI and the console's history."""
    target = f" {change.target}" if change.target else ""
    language = f" [{change.language}]" if change.language else ""
    return f"{change.at} {change.who}: {change.action}{target}{language} in {change.file}"

