import shutil
from pathlib import Path

import pytest

from bot.assembly import build_config, build_domain
from bot.project import ProjectError, load_project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def project_copy(tmp_path: Path) -> Path:
    for name in ("config.yml", "domain", "nlu_data"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy(source, tmp_path / name)
    return tmp_path


def test_every_response_exists_in_every_language():
    project = load_project(ROOT)
    assert project.missing_translations() == {}


def test_every_language_has_enough_examples_per_intent():
    project = load_project(ROOT)
    for code, language in project.data.items():
        for intent, examples in language.examples().items():
            minimum = 10 if intent.startswith("faq/") else 25
            assert len(examples) >= minimum, (code, intent, len(examples))
            assert len(set(examples)) == len(examples), (code, intent, "duplicate examples")


def test_a_missing_translation_is_reported_by_language_and_key(project_copy: Path):
    path = project_copy / "nlu_data" / "fi" / "responses.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  utter_goodbye:")
    end = text.index("\n  utter_", start + 5)
    path.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    project = load_project(project_copy)
    assert project.missing_translations() == {"fi": ["utter_goodbye"]}
    with pytest.raises(ProjectError, match="nlu_data/fi/responses.yml is missing: utter_goodbye"):
        build_domain(project)


def test_broken_yaml_is_reported_with_file_and_line(project_copy: Path):
    path = project_copy / "nlu_data" / "hu" / "nlu.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(4, "  examples: [unclosed")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ProjectError, match=r"nlu_data/hu/nlu\.yml:\d+:\d+: invalid YAML"):
        load_project(project_copy)


def test_unknown_intent_is_reported_with_its_line(project_copy: Path):
    path = project_copy / "nlu_data" / "en" / "nlu.yml"
    path.write_text(
        path.read_text(encoding="utf-8") + "- intent: order_pizza\n  examples: |\n    - one pizza\n",
        encoding="utf-8",
    )
    with pytest.raises(ProjectError, match=r"nlu_data/en/nlu\.yml:\d+: unknown intent 'order_pizza'"):
        load_project(project_copy)


def test_an_unquoted_yes_no_word_in_sentiment_yml_is_reported_with_its_line(project_copy: Path):
    path = project_copy / "nlu_data" / "en" / "sentiment.yml"
    path.write_text(path.read_text(encoding="utf-8").replace('"no"', "no"), encoding="utf-8")
    with pytest.raises(ProjectError, match=r"nlu_data/en/sentiment\.yml:\d+: every word in 'negation' must be text"):
        load_project(project_copy)


def test_an_unknown_sentiment_list_and_a_malformed_topic_file_are_refused(project_copy: Path):
    sentiment = project_copy / "nlu_data" / "fi" / "sentiment.yml"
    sentiment.write_text("sentiment:\n  angry: [vihainen]\n", encoding="utf-8")
    with pytest.raises(ProjectError, match=r"nlu_data/fi/sentiment\.yml:2: 'angry' must be one of"):
        load_project(project_copy)
    sentiment.unlink()  # optional: a language without it trains without sentiment features
    assert load_project(project_copy).data["fi"].sentiment == {}
    topics = project_copy / "nlu_data" / "fi" / "complaint_topics.yml"
    topics.write_text("complaint_topics:\n  billing: lasku\n", encoding="utf-8")
    with pytest.raises(ProjectError, match=r"nlu_data/fi/complaint_topics\.yml:1: expected 'complaint_topics:'"):
        load_project(project_copy)


def test_a_listed_language_without_folder_says_what_to_do(project_copy: Path):
    config = project_copy / "config.yml"
    config.write_text(config.read_text().replace("[tr, fi, hu, en]", "[tr, fi, hu, en, sv]"))
    with pytest.raises(ProjectError, match="nlu_data/sv/ does not exist"):
        load_project(project_copy)


def test_domain_responses_are_conditioned_on_the_language_slot():
    project = load_project(ROOT)
    domain = build_domain(project)
    greet = domain["responses"]["utter_greet"]
    by_language = {v["condition"][0]["value"] for v in greet if "condition" in v}
    assert by_language == set(project.languages)
    unconditioned = [v["text"] for v in greet if "condition" not in v]
    assert unconditioned == [v["text"] for v in project.data[project.default_language].responses["utter_greet"]]
    assert domain["slots"]["language"]["initial_value"] == project.default_language


def test_languages_are_written_into_the_language_aware_components():
    project = load_project(ROOT, ["tr", "en"])
    config = build_config(project, epochs=2)
    by_name = {c["name"].rsplit(".", 1)[-1]: c for c in config["pipeline"]}
    assert by_name["LanguageDetector"]["languages"] == ["tr", "en"]
    assert by_name["LanguageAwareTokenizer"]["languages"] == ["tr", "en"]
    assert by_name["DIETClassifier"]["epochs"] == 2
    for component in ("SentimentFeaturizer", "SentimentReranker"):  # both read nlu_data/<code>/sentiment.yml
        assert set(by_name[component]["lexicons"]) == {"tr", "en"}
        assert "worst" in by_name[component]["lexicons"]["en"]["negative"]
