import pytest

from bot.language import UNDETERMINED, Detection, LanguageIdentifier, detect


@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "OK",
        "👍",
        "🙂🙂",
        "1234",
        "#A-10293",
        "https://example.com/orders/55",
        "info@example.com",
        "?",
        "...",
        "lol",
        "kk",
        "",
        "   ",
    ],
)
def test_text_without_evidence_is_undetermined(identifier, text):
    detection = identifier.detect(text)
    assert detection.language == UNDETERMINED
    assert detection.undetermined
    assert detection.confidence == 0.0
    assert detection.evidence == 0


@pytest.mark.parametrize(
    "text, language",
    [
        ("merhaba", "tr"),
        ("kiitos", "fi"),
        ("köszi", "hu"),
        ("thanks", "en"),
        ("iade?", "tr"),
        ("Siparişim nerede?", "tr"),
        ("Missä tilaukseni on?", "fi"),
        ("Hol van a rendelésem?", "hu"),
        ("Where is my order?", "en"),
    ],
)
def test_clear_text(identifier, text, language):
    detection = identifier.detect(text)
    assert detection.language == language
    assert detection.confidence > 0.9


@pytest.mark.parametrize(
    "text, language",
    [
        ("tesekkurler", "tr"),
        ("TEŞEKKÜRLER", "tr"),
        ("koszonom szepen", "hu"),
        ("hyvaa paivaa", "fi"),
        ("musteri hizmetleri", "tr"),
        ("ugyfelszolgalat", "hu"),
        ("ISTANBUL'DA SIPARIS", "tr"),
    ],
)
def test_missing_diacritics_and_case(identifier, text, language):
    assert identifier.detect(text).language == language


@pytest.mark.parametrize(
    "text, language", [("merhabaaa", "tr"), ("kiitoooos", "fi"), ("sziaaaa", "hu"), ("thaaanks", "en")]
)
def test_elongation(identifier, text, language):
    assert identifier.detect(text).language == language


@pytest.mark.parametrize(
    "text, language",
    [
        ("slm", "tr"),
        ("mrb", "tr"),
        ("tşk", "tr"),
        ("kiitti", "fi"),
        ("moi", "fi"),
        ("köszi", "hu"),
        ("szia", "hu"),
        ("thx", "en"),
    ],
)
def test_chat_abbreviations(identifier, text, language):
    assert identifier.detect(text).language == language


def test_mixed_text_follows_the_words_with_evidence(identifier):
    detection = identifier.detect("ok, teşekkürler 👍 #12345")
    assert detection.language == "tr"
    assert detection.evidence == 1


def test_ranking_covers_candidates_best_first_and_sums_to_one(identifier):
    detection = identifier.detect("kiitos paljon")
    assert [code for code, _ in detection.ranking][0] == "fi"
    assert sorted(code for code, _ in detection.ranking) == ["en", "fi", "hu", "tr"]
    scores = [score for _, score in detection.ranking]
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1.0)
    assert detection.confidence == scores[0]


def test_prior_tips_ambiguous_text(identifier):
    # "video" is a word in all four languages: the text alone cannot decide.
    without = identifier.detect("video")
    assert without.confidence < 0.6
    for language in ("tr", "fi", "hu", "en"):
        assert identifier.detect("video", prior={language: 0.7}).language == language


@pytest.mark.parametrize(
    "text, language", [("teşekkürler", "tr"), ("köszönöm szépen", "hu"), ("kiitos", "fi")]
)
def test_prior_never_overrides_clear_evidence(identifier, text, language):
    other = "en" if language != "en" else "tr"
    detection = identifier.detect(text, prior={other: 1.0})
    assert detection.language == language


def test_prior_on_text_without_evidence_stays_undetermined(identifier):
    detection = identifier.detect("1234", prior={"fi": 0.9})
    assert detection.language == UNDETERMINED
    assert detection.ranking[0][0] == "fi"


def test_prior_ignores_codes_that_are_not_candidates(identifier):
    assert identifier.detect("merhaba", prior={"de": 1.0}).language == "tr"


def test_stickiness_policy_inputs(identifier):
    """What the Rasa component relies on to keep a Finnish conversation Finnish on "ok" or "1234" and
    switch on clearly Turkish text."""
    sticky = {"fi": 0.8}
    assert identifier.detect("ok", prior=sticky).undetermined
    assert identifier.detect("1234", prior=sticky).undetermined
    switched = identifier.detect("siparişim gelmedi", prior=sticky)
    assert switched.language == "tr" and switched.confidence > 0.9


def test_unknown_candidate_is_a_clear_error():
    with pytest.raises(ValueError, match="unsupported candidate language.*xx.*supported"):
        LanguageIdentifier(["tr", "xx"])
    with pytest.raises(ValueError, match="at least one"):
        LanguageIdentifier([])
    with pytest.raises(ValueError, match="unknown backend"):
        LanguageIdentifier(["tr"], backend="nope")


def test_long_input_is_bounded(identifier):
    text = ("müşteri hizmetleri çok yavaş " * 400)[:10_000]
    detection = identifier.detect(text)
    assert detection.language == "tr"
    assert detection.evidence <= 64


def test_neighbour_languages():
    extended = LanguageIdentifier(["tr", "fi", "hu", "en", "de", "et"])
    assert extended.detect("Tere, minu tellimus ei ole veel kohale jõudnud.").language == "et"
    assert extended.detect("Vielen Dank für die schnelle Antwort.").language == "de"
    assert extended.detect("Hyvää päivää, tilaukseni ei ole vielä tullut.").language == "fi"


def test_azerbaijani_comes_out_as_the_turkic_candidate(identifier):
    assert identifier.detect("Sürətli cavab üçün təşəkkür edirəm.").language == "tr"


def test_convenience_detect_reuses_identifiers():
    first = detect("kiitos", ["fi", "en"])
    assert isinstance(first, Detection) and first.language == "fi"
    from bot.language.identifier import _identifier

    before = _identifier.cache_info().hits
    detect("thanks", ["fi", "en"])
    assert _identifier.cache_info().hits == before + 1


def test_langdetect_backend_is_available():
    pytest.importorskip("langdetect")
    langdetect = LanguageIdentifier(["tr", "fi", "hu", "en"], backend="langdetect")
    assert langdetect.detect("Müşteri hizmetleri çok önemlidir ve herkes bunu bilir.").language == "tr"
    assert langdetect.detect("👍").undetermined
