from rasa_sdk import Tracker

from actions.fallback import consecutive_fallbacks


def user(intent: str) -> dict:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


def tracker(*events: dict) -> Tracker:
    return Tracker("c1", {}, events[-1]["parse_data"] if events else {}, list(events), False, None, {}, "")


def test_counts_only_the_latest_run_of_misunderstood_messages():
    assert consecutive_fallbacks(tracker(user("greet"), user("nlu_fallback"))) == 1
    assert consecutive_fallbacks(tracker(user("nlu_fallback"), {"event": "bot"}, user("nlu_fallback"))) == 2
    assert consecutive_fallbacks(tracker(user("nlu_fallback"), user("faq"), user("nlu_fallback"))) == 1
    assert consecutive_fallbacks(tracker(user("greet"))) == 0
