"""The gate refuses a candidate whose macro-F1 falls by more than a point in any language."""

from __future__ import annotations

from bot.operations.gate import Case, judge, scores


def _cases() -> list[Case]:
    cases = []
    for language in ("fi", "en"):
        for intent in ("greet", "complaint", "faq"):
            cases += [Case(language, f"{intent} {i}", intent) for i in range(10)]
    cases.append(Case("fi", "paketti hukassa", "complaint", source="annotation"))
    return cases


def test_scores_are_macro_f1_over_gold_labels() -> None:
    result = scores(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert result["per_intent_f1"] == {"a": 0.6667, "b": 0.8}
    assert result["macro_f1"] == 0.7333 and result["accuracy"] == 0.75
    assert result["confusion"] == {"rows": ["a", "b"], "columns": ["a", "b"], "matrix": [[1, 1], [0, 2]]}


def test_a_drop_in_one_language_is_refused() -> None:
    cases = _cases()
    serving = [case.intent for case in cases]
    candidate = list(serving)
    for i, case in enumerate(cases):  # Finnish complaints now look like greetings
        if case.language == "fi" and case.intent == "complaint" and case.text.endswith(("1", "2")):
            candidate[i] = "greet"
    report = judge(cases, candidate, serving, ["fi", "en"], max_drop=0.01)
    assert not report.passed
    assert report.to_json()["failed_languages"] == ["fi"]
    assert report.languages["en"]["passed"] and report.languages["en"]["f1_change"] == 0.0
    assert report.languages["fi"]["f1_change"] < -0.01


def test_faq_topics_count_as_faq_and_a_small_drop_passes() -> None:
    cases = _cases()
    serving = [f"{c.intent}/opening_hours" if c.intent == "faq" else c.intent for c in cases]
    report = judge(cases, serving, serving, ["fi", "en"], max_drop=0.01)
    assert report.passed and report.languages["fi"]["candidate"]["macro_f1"] == 1.0
    assert report.languages["fi"]["annotations"] == {"count": 1, "candidate_correct": 1, "serving_correct": 1}


def test_without_a_baseline_the_gate_reports_and_passes() -> None:
    cases = _cases()
    report = judge(cases, ["greet"] * len(cases), None, ["fi", "en"], max_drop=0.01, note="first model")
    assert report.passed and report.baseline == "none"
    assert report.languages["fi"]["candidate"]["macro_f1"] < 0.5
