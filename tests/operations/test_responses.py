"""The NLG renderer answers from the files as they are now, in the conversation's language."""

from __future__ import annotations

import os
from pathlib import Path

from bot.operations.changelog import ChangeLog
from bot.operations.content import Content
from bot.operations.responses import ResponseTexts


def test_an_edited_answer_is_served_at_once(project_root: Path, tmp_path: Path) -> None:
    texts = ResponseTexts(project_root / "nlu_data", ["fi", "en"], "en", choose=lambda items: items[0])
    assert texts.render("utter_thank", "fi", {})["text"] == "Ole hyvä! Autan mielelläni."
    path = project_root / "nlu_data" / "fi" / "responses.yml"
    Content(project_root, ChangeLog(tmp_path / "log")).set_response("fi", "utter_thank", ["Eipä mitään!"], "olli")
    os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 5))  # coarse file-system clocks
    assert texts.render("utter_thank", "fi", {})["text"] == "Eipä mitään!"


def test_language_fallback_placeholders_and_buttons(project_root: Path) -> None:
    texts = ResponseTexts(project_root / "nlu_data", ["fi", "en"], "en", choose=lambda items: items[0])
    recorded = texts.render("utter_complaint_recorded", "fi", {"complaint_reference": "TH-123"})
    assert "TH-123" in recorded["text"] and "{" not in recorded["text"]
    assert texts.render("utter_thank", "xx", {})["text"] == texts.render("utter_thank", "en", {})["text"]
    assert texts.render("utter_info_request", "fi", {})["buttons"][0]["payload"] == "/affirm"
    assert texts.render("utter_no_such_thing", "fi", {}) is None
