"""The assistant's tracker store (assistant/storage/tracker_store.py) against Rasa's own SQLTrackerStore: the same
conversations, saved turn by turn, leave the same rows, and each store reads what the other wrote."""

import asyncio
import sqlite3

import pytest
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from assistant.storage.tracker_store import LeanSQLTrackerStore
from tests.helpers import ROOT

DOMAIN = Domain.from_dict({"slots": {"language": {"type": "text", "mappings": [{"type": "custom"}]}}})
COLUMNS = "sender_id, type_name, timestamp, intent_name, action_name, data"


def session(start: float):
    return [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 0.1),
        ActionExecuted("action_listen", timestamp=start + 0.2),
    ]


def turn(at: float, text: str):
    parse = {
        "text": text,
        "intent": {"name": "ask_partners", "confidence": 0.9},
        "entities": [{"entity": "city", "value": "Tallinna"}],
        "metadata": {"language": "fi"},
    }
    return [
        UserUttered(text, parse["intent"], parse["entities"], parse, timestamp=at),
        ActionExecuted("action_answer", timestamp=at + 0.1),
        BotUttered("Tallinna on ystävyyskaupunki.", timestamp=at + 0.2),
        SlotSet("language", "fi", timestamp=at + 0.3),
        ActionExecuted("action_listen", timestamp=at + 0.4),
    ]


# A conversation as the server saves it: a session, turns saved one at a time, then a second session.
SAVES = [
    session(100.0),
    turn(101.0, "tallinna?"),
    turn(102.0, "entä pietari"),
    [UserUtteranceReverted(timestamp=103.0)],
    session(200.0),
    turn(201.0, "ja kiova"),
]


def store_of(cls, path, domain=DOMAIN):
    return cls(domain, dialect="sqlite", db=str(path))


def save_turn_by_turn(store, sender="resident"):
    async def go():
        tracker = DialogueStateTracker.from_events(sender, [], DOMAIN.slots)
        for events in SAVES:
            tracker = await store.retrieve(sender) or tracker
            tracker.update_with_events(events, DOMAIN, override_timestamp=False)
            await store.save(tracker)

    asyncio.run(go())


def rows(path):
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT {COLUMNS} FROM events ORDER BY id").fetchall()


def test_a_conversation_saved_turn_by_turn_leaves_the_rows_rasas_store_leaves(tmp_path):
    save_turn_by_turn(store_of(SQLTrackerStore, tmp_path / "rasa.db"))
    save_turn_by_turn(store_of(LeanSQLTrackerStore, tmp_path / "lean.db"))
    expected = rows(tmp_path / "rasa.db")
    assert len(expected) == sum(len(events) for events in SAVES)
    assert rows(tmp_path / "lean.db") == expected


def test_saving_a_tracker_with_nothing_new_writes_nothing(tmp_path):
    store = store_of(LeanSQLTrackerStore, tmp_path / "lean.db")
    save_turn_by_turn(store)
    before = rows(tmp_path / "lean.db")
    asyncio.run(store.save(asyncio.run(store.retrieve("resident"))))
    assert rows(tmp_path / "lean.db") == before


@pytest.mark.parametrize(
    "writer, reader", [(SQLTrackerStore, LeanSQLTrackerStore), (LeanSQLTrackerStore, SQLTrackerStore)]
)
def test_each_store_reads_what_the_other_wrote(tmp_path, writer, reader):
    save_turn_by_turn(store_of(writer, tmp_path / "t.db"))
    save_turn_by_turn(store_of(writer, tmp_path / "t.db"), sender="another")
    store, rasas = store_of(reader, tmp_path / "t.db"), store_of(SQLTrackerStore, tmp_path / "t.db")

    latest = asyncio.run(store.retrieve("resident"))
    assert [(type(e), e.timestamp) for e in latest.events][:1] == [(SessionStarted, 200.1)]  # the latest session
    assert list(latest.events) == list(asyncio.run(rasas.retrieve("resident")).events)
    assert latest.get_slot("language") == "fi"
    full = asyncio.run(store.retrieve_full_tracker("resident"))
    assert list(full.events) == list(asyncio.run(rasas.retrieve_full_tracker("resident")).events)
    assert len(full.events) > len(latest.events)
    assert asyncio.run(store.retrieve("nobody")) is None


def test_the_endpoints_file_gives_the_server_this_store_in_wal_mode(tmp_path):
    config = read_endpoint_config(str(ROOT / "endpoints.yml"), "tracker_store")
    config.kwargs["db"] = str(tmp_path / "tracker.db")
    store = TrackerStore.create(config, DOMAIN)
    while hasattr(store, "_tracker_store"):  # Rasa's wrappers
        store = store._tracker_store
    assert type(store) is LeanSQLTrackerStore
    save_turn_by_turn(store)
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


class Broken(TrackerStore):
    """A store whose database is down."""

    async def retrieve(self, sender_id):
        raise OSError("connection refused")

    async def save(self, tracker):
        raise OSError("connection refused")

    async def keys(self):
        raise OSError("connection refused")


def test_rasas_fail_safe_store_would_answer_from_an_empty_conversation_kept_in_memory():
    """What `without_fallback` is for: Rasa's agent wraps its store so (rasa/core/agent.py)."""
    from rasa.core.agent import Agent

    wrapped = Agent._create_tracker_store(Broken(DOMAIN), DOMAIN)
    assert asyncio.run(wrapped.retrieve("resident")) is None  # as if the conversation were new
    asyncio.run(wrapped.save(DialogueStateTracker("resident", [])))  # kept in memory, told to nobody
    assert asyncio.run(wrapped.fallback_tracker_store.retrieve("resident")) is not None


@pytest.mark.parametrize("call", ["retrieve", "retrieve_full_tracker", "save"])
def test_without_fallback_a_failing_store_raises_instead(call):
    from rasa.core.agent import Agent

    from assistant.storage.tracker_store import TrackerStoreUnavailable, without_fallback

    store = without_fallback(Agent._create_tracker_store(Broken(DOMAIN), DOMAIN))
    argument = DialogueStateTracker("resident", []) if call == "save" else "resident"
    with pytest.raises(TrackerStoreUnavailable, match="connection refused"):
        asyncio.run(getattr(store, call)(argument))
    assert store._fallback_tracker_store is None  # nothing was kept in memory


def test_without_fallback_a_working_store_reads_and_writes_as_before(tmp_path):
    from assistant.storage.tracker_store import without_fallback

    lean = without_fallback(LeanSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db")))
    tracker = DialogueStateTracker.from_events("resident", turn(1.0, "tallinna?"), DOMAIN.slots)
    asyncio.run(lean.save(tracker))
    assert [e.as_dict()["event"] for e in asyncio.run(lean.retrieve("resident")).events] == [
        e.as_dict()["event"] for e in tracker.events
    ]
