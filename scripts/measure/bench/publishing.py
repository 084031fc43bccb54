"""From an editor's publication to a resident's answer: how long after a new version is published a
question gets its text (issue "Editors keep it true" asks for 2 s), under make run and in the
cluster. Each round publishes a version with ECHA's headcount fact reworded, as the editor's publish
writes it (a row of editor_publication, in the database the servers read), then asks about ECHA's
staff in a new conversation until the reply has the new wording."""

from __future__ import annotations

import datetime
import json
import time
import uuid
from typing import List

import requests

from scripts.measure.bench.load import message

ROUNDS = 5
LIMIT = 10.0  # seconds: a round that is not answered by then fails the bench
QUESTION = ("en", "how many experts work at echa")
FACT = "echa_staff"
# Words without digits, so that each round's version passes the fact base's number checks.
MARKERS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel")


def seconds_to_answer(webhook: str, database_url: str, rounds: int = ROUNDS) -> List[float]:
    """For each round, the seconds from the publication's commit to the first reply with its text."""
    import sqlalchemy as sa

    from assistant.knowledge import publications  # the project's folder is on the path once benchmark.py runs

    store = publications.Publications(database_url)
    document, texts = store.fetch(store.newest())
    fact = next(f for f in document["facts"] if f["id"] == FACT)
    original = fact["text"]["en"]
    engine = sa.create_engine(database_url)
    measured = []
    for marker in MARKERS[:rounds]:
        fact["text"]["en"] = f"{original.rstrip('.')} ({marker})."
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    f"INSERT INTO {publications.TABLE} (document, texts, note, published_at, "
                    "published_by_id) VALUES (:document, :texts, 'make bench', :now, NULL)"
                ),
                {
                    "document": json.dumps(document),
                    "texts": json.dumps(texts),
                    "now": datetime.datetime.now(datetime.timezone.utc),
                },
            )
        published = time.monotonic()
        while f"({marker})" not in _reply(webhook):
            if time.monotonic() - published > LIMIT:
                raise RuntimeError(f"a publication was not answered within {LIMIT:.0f} s")
            time.sleep(0.05)
        measured.append(time.monotonic() - published)
    engine.dispose()
    return measured


def _reply(webhook: str) -> str:
    replies = requests.post(webhook, json=message(f"bench-publish-{uuid.uuid4().hex}", QUESTION), timeout=10).json()
    return " ".join(r.get("text") or "" for r in replies)
