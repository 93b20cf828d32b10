import pytest

from bot.language import LanguageIdentifier


@pytest.fixture(scope="session")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier(candidates=["tr", "fi", "hu", "en"])
