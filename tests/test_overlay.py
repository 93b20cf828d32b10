"""Matching customer texts against overlay examples: exact after folding, near duplicates word by word."""

from bot.overlay import ExampleIndex, OverlayExample, TypoTolerance, one_edit_apart, overlay_document, read_document

SOFA = OverlayExample("fi", "faq/order_status", "Missä viipyy mun tilaama sohva?")
HAPPY = OverlayExample("en", "compliment", "the sofa you delivered last week to my summer cottage is great")
NEUTRAL = OverlayExample(None, "affirm", "👍👍 ok ok ok")


TYPOS = TypoTolerance()


def _index(tolerance: TypoTolerance | None = TYPOS) -> ExampleIndex:
    return ExampleIndex([SOFA, HAPPY, NEUTRAL], tolerance)


def test_the_same_text_after_folding_matches_in_its_language_only() -> None:
    match = _index().match("  MISSA viipyy mun tilaama sohva!!!", "fi")
    assert match is not None and match.example == SOFA and match.similarity == 1.0
    assert _index().match("Missä viipyy mun tilaama sohva?", "en") is None
    assert _index().match("Missä viipyy mun tilaama sohva?", None) is None


def test_a_language_neutral_example_matches_in_every_language() -> None:
    for language in ("fi", "en", None):
        match = _index().match("ok ok ok", language) or _index().match("👍👍 ok ok ok", language)
        assert match is not None and match.example == NEUTRAL


def test_typos_match_with_a_lower_similarity() -> None:
    for typo in ("misä viipyy mun tilaama sohva", "missä viipyy mun tilaama sovha", "missa viipyy mun tilama sohvaa"):
        match = _index().match(typo, "fi")
        assert match is not None and match.example == SOFA and 0.9 < match.similarity < 1.0, typo


def test_an_added_word_a_negation_or_another_noun_does_not_match() -> None:
    index = _index()
    assert index.match("the sofa you delivered last week to my summer cottage is not great", "en") is None
    assert index.match("the sofa you delivered last week to my summer cottage is great again", "en") is None
    assert index.match("missä viipyy mun tilaama nojatuoli", "fi") is None
    assert index.match("missä viipyy mun tilaama sohva nyt", "fi") is None
    # two-letter Turkish negation suffix, short words, and more typos than allowed
    assert not one_edit_apart("geldi", "gelmedi")
    assert (
        ExampleIndex([OverlayExample("fi", "deny", "en ole tyytyväinen")], TypoTolerance()).match(
            "ei ole tyytyväinen", "fi"
        )
        is None
    )
    assert index.match("misa viipyy mun tilama sova", "fi") is None


def test_near_duplicates_can_be_turned_off_and_short_texts_match_only_exactly() -> None:
    assert _index(None).match("misä viipyy mun tilaama sohva", "fi") is None
    short = ExampleIndex([OverlayExample("en", "greet", "hello bot")], TypoTolerance())
    assert short.match("helo bot", "en") is None and short.match("Hello, bot!", "en") is not None


def test_one_edit_apart() -> None:
    assert one_edit_apart("sohva", "sohvaa") and one_edit_apart("sohva", "sovha") and one_edit_apart("sohva", "sahva")
    assert not one_edit_apart("sohva", "sohva") and not one_edit_apart("sohva", "svoha")


def test_the_document_round_trips_and_rejects_other_formats() -> None:
    examples, responses = read_document(overlay_document([SOFA, NEUTRAL], {"utter_faq/x": [{"text": "y"}]}))
    assert examples == [SOFA, NEUTRAL] and responses == {"utter_faq/x": [{"text": "y"}]}
    for bad in ({"version": 2}, [], {"version": 1, "examples": [{"text": "no intent"}]}):
        try:
            read_document(bad)
        except ValueError:
            continue
        raise AssertionError(bad)
