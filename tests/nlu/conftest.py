from typing import Any, Dict, Optional

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message


@pytest.fixture()
def model_storage(tmp_path):
    return LocalModelStorage(tmp_path)


@pytest.fixture()
def execution_context():
    return ExecutionContext(GraphSchema({}), "test")


def make_message(text: str, metadata: Optional[Dict[str, Any]] = None) -> Message:
    return Message(data={"text": text, "metadata": metadata or {}})


@pytest.fixture()
def resource():
    return Resource("tokenizer")
