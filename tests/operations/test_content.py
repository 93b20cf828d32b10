"""Content edits land in the YAML files as small diffs, with who and when in the change log."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from bot.operations.changelog import ChangeLog
from bot.operations.content import Content, ContentError
from bot.project import load_project


@pytest.fixture
def content(project_root: Path, tmp_path: Path) -> Content:
    return Content(project_root, ChangeLog(tmp_path / "changes.jsonl"))


def _diff(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_annotating_appends_one_line_to_the_intent_block(content: Content, project_root: Path) -> None:
    path = project_root / "nlu_data" / "fi" / "nlu.yml"
    before = path.read_text("utf-8")
    result = content.add_examples("fi", "complaint", ["paketti hukkui  taas", "Hei"], who="olli")
    after = path.read_text("utf-8")
    assert result.added == ["paketti hukkui taas"]
    assert result.already_there == ["Hei"]  # a greet example: never the same text under two intents
    assert _diff(before, after) == ["+    - paketti hukkui taas"]
    project = load_project(project_root)
    assert "paketti hukkui taas" in project.data["fi"].examples()["complaint"]
    entry = content.changelog.entries()[0]
    assert (entry.who, entry.action, entry.file, entry.target) == ("olli", "add_examples", "nlu_data/fi/nlu.yml",
                                                                   "complaint")


def test_an_example_already_there_is_not_written_twice(content: Content, project_root: Path) -> None:
    path = project_root / "nlu_data" / "fi" / "nlu.yml"
    before = path.read_text("utf-8")
    result = content.add_examples("fi", "greet", ["hei"], who="olli")
    assert result.added == [] and result.already_there == ["hei"]
    assert path.read_text("utf-8") == before
    assert content.changelog.entries() == []


def test_faq_questions_go_to_faq_yml(content: Content, project_root: Path) -> None:
    content.add_examples("hu", "faq/opening_hours", ["mikor vagytok nyitva vasarnap"], who="olli")
    project = load_project(project_root)
    assert "mikor vagytok nyitva vasarnap" in project.data["hu"].examples()["faq/opening_hours"]


def test_new_intent_goes_into_domain_and_language(content: Content, project_root: Path) -> None:
    with pytest.raises(ContentError, match="already"):  # an existing info_request example
        content.create_intent("gift_card", "en", ["do you sell gift cards"], who="olli")
    content.create_intent("gift_card", "en", ["voucher balance check", "gift voucher expiry"], who="olli")
    project = load_project(project_root)
    assert "gift_card" in project.domain["intents"]
    assert project.data["en"].examples()["gift_card"] == ["voucher balance check", "gift voucher expiry"]
    domain_text = (project_root / "domain" / "core.yml").read_text("utf-8")
    assert "  - out_of_scope\n  - faq\n  - gift_card\n" in domain_text
    with pytest.raises(ContentError):
        content.create_intent("gift_card", "en", ["x"], who="olli")
    with pytest.raises(ContentError):
        content.create_intent("Bad Name", "en", ["x"], who="olli")


def test_unknown_intent_and_language_are_refused(content: Content) -> None:
    with pytest.raises(ContentError, match="unknown intent"):
        content.add_examples("fi", "no_such_intent", ["x"], who="olli")
    with pytest.raises(ContentError, match="does not exist"):
        content.add_examples("xx", "greet", ["x"], who="olli")
    with pytest.raises(ContentError):
        content.add_examples("fi", "greet", ["   "], who="olli")


def test_response_edit_keeps_buttons_and_other_lines(content: Content, project_root: Path) -> None:
    path = project_root / "nlu_data" / "fi" / "responses.yml"
    before = path.read_text("utf-8")
    content.set_response("fi", "utter_info_request", ["Haluatko puhua kollegan kanssa?"], who="olli")
    changed = _diff(before, path.read_text("utf-8"))
    assert len(changed) == 2 and changed[1] == '+  - text: "Haluatko puhua kollegan kanssa?"'
    variations = load_project(project_root).data["fi"].responses["utter_info_request"]
    assert variations[0]["buttons"][0]["payload"] == "/affirm"
    entry = content.changelog.entries()[0]
    assert entry.details["after"] == ["Haluatko puhua kollegan kanssa?"]


def test_missing_translation_is_reported_and_can_be_added(content: Content) -> None:
    content.set_response("en", "utter_faq/gift_cards", ["Gift cards are sold in the shop."], who="olli")
    row = next(r for r in content.response_table() if r["key"] == "utter_faq/gift_cards")
    assert row["missing"] == ["tr", "fi", "hu"]
    faq = next(r for r in content.faq_table() if r["topic"] == "faq/gift_cards")
    assert faq["missing_answers"] == ["tr", "fi", "hu"] and faq["missing_questions"] == ["tr", "fi", "hu", "en"]
    content.set_response("fi", "utter_faq/gift_cards", ["Lahjakortteja myydään kaupassa."], who="olli")
    row = next(r for r in content.response_table() if r["key"] == "utter_faq/gift_cards")
    assert row["missing"] == ["tr", "hu"]


def test_remove_example(content: Content) -> None:
    content.add_examples("en", "thank", ["cheers, you're a star"], who="olli")
    content.remove_example("en", "thank", "cheers, you're a star", who="olli")
    assert "cheers, you're a star" not in content.examples("en")["thank"]
    with pytest.raises(ContentError):
        content.remove_example("en", "thank", "cheers, you're a star", who="olli")
