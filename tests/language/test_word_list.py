"""The Estonian word list (hunspell forms without frequencies) and how the scorer uses it."""

import pytest

from bot.language import LanguageIdentifier
from bot.language.model import load_language
from bot.language.scoring import word_scores


@pytest.fixture(scope="module")
def extended() -> LanguageIdentifier:
    return LanguageIdentifier(["tr", "fi", "hu", "en", "de", "et"])


def test_estonian_list_is_loaded_spelled_and_folded():
    estonian = load_language("et")
    assert "aitäh" in estonian.spelled.members
    assert "aitah" not in estonian.spelled.members
    assert "aitah" in estonian.folded.members  # typed without diacritics
    assert "palun" in estonian.folded.members
    assert len(estonian.spelled.member_norm) == 8
    assert all(value > 0 for value in estonian.spelled.member_norm)


def test_languages_with_frequencies_have_no_member_list():
    finnish = load_language("fi")
    assert not finnish.spelled.members and finnish.spelled.member_norm == ()


def test_listed_word_scores_higher_than_unlisted_lookalike():
    models = [load_language("et")]
    # "kuidas" (how) is listed; the same letters scrambled are not
    assert word_scores("kuidas", models)[0] > word_scores("kuadis", models)[0]


@pytest.mark.parametrize(
    "text, language",
    [
        ("aitäh", "et"),
        ("aitah", "et"),
        ("tere hommikust", "et"),
        ("kuidas läheb", "et"),
        ("mul on probleem", "et"),
        ("kiitos paljon", "fi"),
        ("danke schön", "de"),
        ("teşekkürler", "tr"),
    ],
)
def test_short_estonian_among_neighbours(extended, text, language):
    assert extended.detect(text).language == language
