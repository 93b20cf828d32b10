import pytest
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.tokenizer import LanguageAwareTokenizer
from tests.nlu.conftest import make_message

LANGUAGES = ["tr", "fi", "hu", "en"]


def config():
    return {**LanguageAwareTokenizer.get_default_config(), "languages": LANGUAGES}


def training_example(text: str, language: str) -> Message:
    return Message.build(text, "complaint", intent_metadata={"language": language})


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("tokenizer")
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = LanguageAwareTokenizer.create(config(), storage, resource, context)
    data = TrainingData(
        [
            training_example("Faturamı kontrol eder misiniz", "tr"),
            training_example("Laskuni on väärin", "fi"),
            training_example("A számlámat nem kaptam meg", "hu"),
            training_example("My invoices are wrong", "en"),
        ]
    )
    tokenizer.train(data)
    return LanguageAwareTokenizer.load(config(), storage, resource, context)


def lemmas(tokenizer, text: str, language: str):
    message = make_message(text)
    message.set("language", {"code": language})
    return [token.lemma for token in tokenizer.tokenize(message, "text")]


def test_inflected_and_unaccented_forms_share_a_lemma(trained):
    assert lemmas(trained, "faturanızı", "tr") == lemmas(trained, "faturanizi", "tr") == ["fatura"]
    assert lemmas(trained, "laskusta", "fi") == lemmas(trained, "laskuni", "fi")
    assert lemmas(trained, "számlával", "hu") == lemmas(trained, "szamlaval", "hu")
    assert lemmas(trained, "invoice", "en") == lemmas(trained, "invoices", "en")


def test_tokens_keep_offsets_into_the_original_text(trained):
    text = "Faturamı  iki kez kestiniz!"
    message = make_message(text)
    message.set("language", {"code": "tr"})
    tokens = trained.tokenize(message, "text")
    assert [text[t.start : t.end] for t in tokens] == [t.text for t in tokens]
    assert tokens[0].text == "Faturamı"


def test_training_examples_use_their_folder_language(trained):
    data = TrainingData([training_example("Laskuni on väärin", "fi")])
    trained.process_training_data(data)
    assert data.training_examples[0].get("text_tokens")[0].lemma == lemmas(trained, "laskuni", "fi")[0]


@pytest.mark.parametrize("text", ["", "👍😡", "1234", "x" * 10000])
def test_odd_text_does_not_fail(trained, text):
    message = make_message(text)
    trained.process([message])
    tokens = message.get("text_tokens")
    assert isinstance(tokens, list)
    assert all(t.start < t.end for t in tokens)


def test_without_persisted_tables_it_falls_back_to_stems(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    tokenizer = LanguageAwareTokenizer.load(
        config(), LocalModelStorage(tmp_path), Resource("missing"), ExecutionContext(GraphSchema({}), "t")
    )
    assert lemmas(tokenizer, "laskusta", "fi") == ["lasku"]
