"""`polydesk eval`'s split: held-out examples never reach training, not even as a diacritic-free twin."""

from __future__ import annotations

from pathlib import Path

from bot.evaluation import dev_split, plain_text, split
from bot.project import load_project, parse_examples
from bot.text import text_key

ROOT = Path(__file__).resolve().parents[1]


def test_held_out_examples_and_their_twins_stay_out_of_training() -> None:
    project = load_project(ROOT, ["tr", "en"])
    training, held_out = split(project, test_fraction=0.2, seed=7)
    trained = {
        (code, text_key(plain_text(example)))
        for code, files in training.items()
        for blocks in files.values()
        for block in blocks
        for example in parse_examples(block["examples"])
    }
    assert held_out and trained
    leaked = [item.text for item in held_out if (item.language, text_key(item.text)) in trained]
    assert leaked == []


def test_about_the_asked_share_is_held_out_per_language() -> None:
    project = load_project(ROOT, ["fi"])
    _, held_out = split(project, test_fraction=0.2, seed=7)
    total = sum(len(examples) for examples in project.data["fi"].examples().values())
    assert 0.18 <= len(held_out) / total <= 0.24


def test_the_split_repeats_with_its_seed() -> None:
    project = load_project(ROOT, ["hu"])
    assert split(project, 0.2, 11)[1] == split(project, 0.2, 11)[1]
    assert split(project, 0.2, 11)[1] != split(project, 0.2, 7)[1]


def test_a_development_split_never_sees_the_test_split() -> None:
    project = load_project(ROOT, ["en"])
    _, test = split(project, 0.2, 7)
    training, dev = dev_split(project, 0.2, seed=7, dev_seed=101)
    tested = {text_key(item.text) for item in test}
    trained = {
        text_key(plain_text(example))
        for files in training.values() for blocks in files.values() for block in blocks
        for example in parse_examples(block["examples"])
    }
    assert dev and trained
    assert tested.isdisjoint(trained) and tested.isdisjoint(text_key(item.text) for item in dev)
    assert {text_key(item.text) for item in dev}.isdisjoint(trained)
