"""1,000 conversations at once, 3 turns each, against the Rasa server as `make run` starts it (two
Sanic workers): no connection is reset, every turn gets 200 or 503 with Retry-After and a "busy"
message in the resident's language, a refused turn is not stored and an answered one is stored once,
and the server answers normally right after. Without the bound (assistant/admission.py) and the longer
listen backlog (scripts/run-servers), 460 of 3,000 such turns got a reset connection."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from typing import Dict, List

from assistant.answering.render import say
from bench.load import burst
from helpers import fact, text_of

NORMAL_WITHIN = 5  # seconds for a new conversation's answer right after the burst


def stored_user_texts(tracker_db, senders) -> Dict[str, List[str]]:
    stored: Dict[str, List[str]] = {sender: [] for sender in senders}
    with sqlite3.connect(tracker_db) as db:
        for sender, data in db.execute("SELECT sender_id, data FROM events WHERE sender_id LIKE 'burst-%' ORDER BY id"):
            event = json.loads(data)
            if event["event"] == "user" and sender in stored:
                stored[sender].append(event["text"])
    return stored


def test_a_burst_of_1000_conversations_is_answered_or_told_to_retry_and_loses_nothing(servers):
    outcome = burst(servers.rasa_url + "/webhooks/rest/webhook", 1000, lang="fi")
    answered, refused, failed = outcome.turns(200), outcome.turns(503), outcome.failed()
    print(f"{len(outcome.turns())} turns in {outcome.elapsed:.0f} s: {len(answered)} answered, "
          f"{len(refused)} refused with 503, {len(failed)} neither")
    assert not failed, f"{len(failed)} turns neither answered nor refused; the first: {failed[0]}"
    assert answered, "nothing answered"
    busy = {"error": "busy", "message": say("busy", "fi")}
    assert all(t.retry_after is not None and t.retry_after.isdigit() and t.body == busy for t in refused), refused[:1]

    stored = stored_user_texts(servers.tracker_db, [sender for sender, _ in outcome.conversations])
    otherwise = [(sender, stored[sender]) for sender, turns in outcome.conversations
                 if stored[sender] != [t.text for t in turns if t.status == 200]]
    assert not otherwise, f"{len(otherwise)} conversations stored otherwise than answered: {otherwise[0]}"

    started = time.monotonic()
    assert fact("echa", "fi") in text_of(servers.ask(f"after-burst-{uuid.uuid4().hex}", "Mikä on ECHA?"))
    assert time.monotonic() - started < NORMAL_WITHIN
