import re

from actions.complaint_log import ComplaintLog


def test_each_complaint_gets_a_unique_readable_reference(tmp_path):
    log = ComplaintLog(tmp_path / "complaints.db")
    references = {log.record("c1", "tr", "billing", "Faturam yanlış") for _ in range(50)}
    assert len(references) == 50
    reference = references.pop()
    assert re.fullmatch(r"C-\d{6}-[A-HJ-NP-Z2-9]{4}", reference)
    stored = log.get(reference)
    assert stored["conversation_id"] == "c1" and stored["topic"] == "billing"
