"""1,000 conversations at once, 3 turns each, against the Rasa server as `make run` starts it (two
Sanic workers): no connection is reset, every turn gets 200 or 503 with Retry-After and a "busy"
message in the resident's language, a refused turn is not stored and an answered one is stored once,
and the server answers normally right after. Without the bound (assistant/channel/admission.py) and the
longer listen backlog (scripts/run/run-servers), some of such turns got a reset connection."""

from __future__ import annotations

import time
import uuid

from assistant.answering.render import say
from scripts.measure.bench.load import burst
from tests.helpers import fact, text_of

NORMAL_WITHIN = 5  # seconds for a new conversation's answer right after the burst


def test_a_burst_of_1000_conversations_is_answered_or_told_to_retry_and_loses_nothing(servers):
    outcome = burst(servers.rasa_url + "/webhooks/rest/webhook", 1000, lang="fi")
    answered, refused, failed = outcome.turns(200), outcome.turns(503), outcome.failed()
    print(
        f"{len(outcome.turns())} turns in {outcome.elapsed:.0f} s: {len(answered)} answered, "
        f"{len(refused)} refused with 503, {len(failed)} neither"
    )
    assert not failed, f"{len(failed)} turns neither answered nor refused; the first: {failed[0]}"
    assert answered, "nothing answered"
    busy = {"error": "busy", "message": say("busy", "fi")}
    assert all(t.retry_after is not None and t.retry_after.isdigit() and t.body == busy for t in refused), refused[:1]

    stored = {
        sender: [e["text"] for e in servers.stored_events(sender) if e["event"] == "user"]
        for sender, _ in outcome.conversations
    }
    otherwise = [
        (sender, stored[sender])
        for sender, turns in outcome.conversations
        if stored[sender] != [t.text for t in turns if t.status == 200]
    ]
    assert not otherwise, f"{len(otherwise)} conversations stored otherwise than answered: {otherwise[0]}"

    started = time.monotonic()
    assert fact("echa", "fi") in text_of(servers.ask(f"after-burst-{uuid.uuid4().hex}", "Mikä on ECHA?"))
    assert time.monotonic() - started < NORMAL_WITHIN
