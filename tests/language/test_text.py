from bot.language.text import MAX_WORDS, evidence_words, fold, spellings


def test_fold_removes_diacritics_and_lowercases():
    assert fold("Teşekkürler") == "tesekkurler"
    assert fold("KÖSZÖNÖM") == "koszonom"
    assert fold("Hyvää") == "hyvaa"
    assert fold("İstanbul") == "istanbul"
    assert fold("Təşəkkür") == "tesekkur"


def test_evidence_words_skip_ids_urls_numbers_and_neutral_words():
    words = evidence_words("OK, order #A123 at https://x.io/a costs 12€ — iade lütfen 👍 info@x.com")
    assert words == ["order", "at", "costs", "iade", "lütfen"]


def test_evidence_words_lowercase_turkish_capitals():
    assert evidence_words("İADE ISTIYORUM") == ["iade", "istiyorum"]


def test_evidence_words_are_bounded():
    assert len(evidence_words("kiitos " * 1000)) == MAX_WORDS


def test_spellings_read_elongation_as_one_or_two_letters():
    assert spellings("kiitos") == ("kiitos",)
    assert spellings("kiitoooos") == ("kiitos", "kiitoos")
    assert spellings("merhabaaa") == ("merhaba", "merhabaa")
