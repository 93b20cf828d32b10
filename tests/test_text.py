from bot.text import clean_text, fold, text_key


def test_control_characters_are_removed_and_spaces_collapsed():
    cleaned = clean_text("Merhaba\x00\x07 dünya\r\n\tnasılsın\u200b?", 100)
    assert cleaned.text == "Merhaba dünya nasılsın?"
    assert not cleaned.truncated


def test_long_text_is_cut_at_a_word_boundary_and_says_how_much():
    text = "sana " * 2000
    cleaned = clean_text(text, 100)
    assert len(cleaned.text) <= 100
    assert cleaned.text.endswith("sana")
    assert cleaned.cut_characters == len(text.strip()) - len(cleaned.text)


def test_emoji_and_zwj_sequences_survive():
    family = "👨\u200d👩\u200d👧"
    assert clean_text(f"ok {family} 👍", 50).text == f"ok {family} 👍"


def test_non_string_becomes_empty_text():
    assert clean_text(None, 10).text == ""
    assert clean_text(b"\xff", 10).text == ""


def test_fold_removes_diacritics_in_every_language():
    assert fold("Teşekkürler İYİ ığdır") == "tesekkurler iyi igdir"
    assert fold("Hyvää päivää") == "hyvaa paivaa"
    assert fold("Köszönöm szépen, ügyintéző") == "koszonom szepen, ugyintezo"


def test_text_key_ignores_case_diacritics_punctuation_spacing_and_stretched_letters():
    assert text_key("  Missä   paketti???") == text_key("missa paketti") == "missa paketti"
    assert text_key("Kiitoooos!!") == "kiitos"
    assert text_key("missä paketti") != text_key("missä paketit")
