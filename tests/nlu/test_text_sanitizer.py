from bot.nlu.text_sanitizer import TRUNCATED_KEY, TextSanitizer
from tests.nlu.conftest import make_message


def test_pipeline_text_is_cleaned_and_bounded():
    sanitizer = TextSanitizer({"max_characters": 50})
    short, long = make_message("merhaba\x00\x1b[31m"), make_message("kiitos " * 100)
    sanitizer.process([short, long])
    assert short.get("text") == "merhaba[31m"
    assert short.get(TRUNCATED_KEY) is None
    assert len(long.get("text")) <= 50
    assert long.get(TRUNCATED_KEY) > 0
