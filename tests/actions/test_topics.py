from pathlib import Path

import pytest

from actions.topics import TOPICS, normalise_topic, topic_stems

DATA = Path(__file__).resolve().parents[2] / "nlu_data"


@pytest.mark.parametrize(
    "language, text, topic",
    [
        ("tr", "faturam", "billing"),
        ("tr", "kargo gelmedi", "delivery"),
        ("fi", "laskussa on virhe", "billing"),
        ("hu", "a csomagom", "delivery"),
        ("en", "the courier was late", "delivery"),
        ("en", "rude staff", "staff"),
    ],
)
def test_free_text_answers_map_to_a_topic(language, text, topic):
    assert normalise_topic(None, text, DATA, language) == topic


def test_canonical_values_pass_through_and_unknown_text_gives_none():
    assert normalise_topic("price", "", DATA, "fi") == "price"
    assert normalise_topic(None, "🙂", DATA, "en") is None


def test_every_language_names_every_topic():
    for folder in DATA.iterdir():
        if folder.is_dir():
            assert set(topic_stems(DATA, folder.name)) == set(TOPICS), folder.name
