"""Personal data a resident types is masked before the tracker store saves it and never reaches a log.

The servers log at DEBUG level in these tests (conftest.py), the most they ever write."""

import json

import pytest

from assistant import factbase

PERSONAL = {
    "fi": (
        "Olen Matti, sähköpostini on matti.meikalainen@example.fi, puhelin 040 123 4567 ja "
        "henkilötunnus 131052-308T. Mikä on ECHA?",
        ["matti.meikalainen@example.fi", "040 123 4567", "131052-308T"],
    ),
    "sv": (
        "Mejla mig på anna.andersson@exempel.se eller ring +358 50 765 4321, personbeteckning 010203A123B. "
        "Vad är ECHA?",
        ["anna.andersson@exempel.se", "+358 50 765 4321", "010203A123B"],
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
    assert factbase.current().facts["echa_staff"].text["fi"] in "\n".join(r.get("text", "") for r in replies)


def test_an_unanswered_question_is_kept_for_the_editors_masked(servers, sender):
    log = servers.workdir / "unanswered.jsonl"  # the servers' own, shared by every test that runs them
    earlier = len(log.read_text().splitlines()) if log.exists() else 0
    servers.ask(sender, "What's the weather like tomorrow? Mail me at john.smith@example.com", metadata={"language": "en"})
    kept = [json.loads(line) for line in log.read_text().splitlines()]
    (entry,) = kept[earlier:]  # this test's question, whatever other tests asked before
    assert entry["text"] == "What's the weather like tomorrow? Mail me at [e-mail]"
    assert entry["language"] == "en" and entry["kind"] in ("out_of_scope", "low_confidence", "fallback")
    assert not any("john.smith@example.com" in e["text"] for e in kept)
