"""Personal data a resident types is masked before the tracker store saves it and never reaches a log.

The servers log at DEBUG level in these tests (conftest.py), the most they ever write."""

import json

import pytest

from assistant.knowledge import factbase
from tests.helpers import text_of

PERSONAL = {
    "fi": (
        "Olen Matti, sähköpostini on matti.meikalainen@example.fi, puhelin 040 123 4567 ja "
        "henkilötunnus 131052-308T. Mikä on ECHA?",
        ["matti.meikalainen@example.fi", "040 123 4567", "131052-308T"],
    ),
    "sv": (
        "Mejla mig på anna.andersson@exempel.se eller ring +358 50 765 4321, personbeteckning 010203A1230. "
        "Vad är ECHA?",
        ["anna.andersson@exempel.se", "+358 50 765 4321", "010203A1230"],
    ),
    "en": (
        "My e-mail is john.smith@example.com, my phone 0401234567 and my ID 311299-9872. What is ECHA?",
        ["john.smith@example.com", "0401234567", "311299-9872"],
    ),
}


@pytest.mark.parametrize("lang", PERSONAL)
def test_personal_data_is_masked_in_the_store_and_absent_from_the_logs(servers, sender, lang):
    message, personal = PERSONAL[lang]
    replies = servers.ask(sender, message, metadata={"language": lang})
    assert replies and replies[0]["text"]

    (user,) = [e for e in servers.stored_events(sender) if e["event"] == "user"]
    assert "[e-mail]" in user["text"] and "[phone]" in user["text"] and "[identity code]" in user["text"]
    stored, logs = servers.stored_text(), servers.logs()
    assert "[identity code]" in logs  # the logs do hold the message's text, masked
    for item in personal:
        assert item not in stored
        assert item not in logs


def test_masking_leaves_the_question_answerable(servers, sender):
    replies = servers.ask(sender, "Soitin numeroon 09 310 1691, mutta kuinka moni ECHA:ssa työskentelee?")
    assert factbase.current().facts["echa_staff"].text["fi"] in text_of(replies)


def test_an_unanswered_question_is_kept_for_the_editors_masked(servers, sender):
    log = servers.workdir / "unanswered.jsonl"  # the servers' own, shared by every test that runs them
    earlier = len(log.read_text().splitlines()) if log.exists() else 0
    servers.ask(
        sender, "What's the weather like tomorrow? Mail me at john.smith@example.com", metadata={"language": "en"}
    )
    kept = [json.loads(line) for line in log.read_text().splitlines()]
    (entry,) = kept[earlier:]  # this test's question, whatever other tests asked before
    assert entry["text"] == "What's the weather like tomorrow? Mail me at [e-mail]"
    assert entry["language"] == "en" and entry["kind"] == "gap"
    assert not any("john.smith@example.com" in e["text"] for e in kept)


def test_a_resident_can_erase_their_conversation_and_nothing_else(servers, sender):
    """POST /webhooks/rest/forget, as the widget's "Delete conversation" sends it: the conversation's
    events and its unanswered questions go; another conversation keeps all of its own."""
    log = servers.workdir / "unanswered.jsonl"
    other = f"{sender}-other"
    for who in (sender, other):
        servers.ask(who, "mikä on echa")
        servers.ask(who, f"paljonko kello on nyt {who[-5:]}")  # out of scope: kept for the editors
    before_other = servers.stored_events(other)
    texts = [json.loads(line)["text"] for line in log.read_text().splitlines()]
    assert any(sender[-5:] in t for t in texts) and any(other[-5:] in t for t in texts)

    response = servers.forget(sender)
    assert response.status_code == 200 and response.json()["erased"] is True
    assert servers.stored_events(sender) == []
    assert servers.stored_events(other) == before_other
    texts = [json.loads(line)["text"] for line in log.read_text().splitlines()]
    assert not any(sender[-5:] in t for t in texts) and any(other[-5:] in t for t in texts)
    assert servers.forget(sender).status_code == 404  # nothing left: says so, erases nothing
    assert servers.stored_events(other) == before_other


@pytest.mark.parametrize("body", [b'{"sender": "a b"}', b"{}", b"[]", b"not json"])
def test_an_erase_request_that_names_no_valid_conversation_is_refused(servers, body):
    response = servers.post(body, path="forget")
    assert response.status_code == 400 and response.json()["error"]


def test_after_erasing_nothing_of_the_conversation_is_left_in_a_log_at_the_default_level(servers, sender):
    """The other tests' servers log at DEBUG, which holds the (masked) text; a server as `make run`
    starts it logs no message text, so erasing the store leaves nothing of the conversation behind."""
    import requests

    process, url = servers.another_rasa(LOG_LEVEL="INFO")
    try:
        words = f"kertokaa kokousmatkoista {sender[-6:]}"
        requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": words}, timeout=60)
        requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": "mikä on ucue"}, timeout=60)
        assert requests.post(f"{url}/webhooks/rest/forget", json={"sender": sender}, timeout=60).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=60)
    log = (servers.workdir / f"rasa-{url.rsplit(':', 1)[1]}.log").read_text(errors="replace")
    assert "Starting Rasa server" in log or "Rasa server is up" in log  # the log is the server's
    assert sender[-6:] not in log and "kokousmatko" not in log and "ucue" not in log.lower()
    assert servers.stored_events(sender) == []
    log_file = servers.workdir / "unanswered.jsonl"
    assert sender[-6:] not in (log_file.read_text() if log_file.exists() else "")
