"""The tracker store: Rasa's SQLTrackerStore, the same table and rows, reading a conversation and
saving a turn with less work. Under load the Rasa server spent 27% of its time in Rasa's store
(py-spy, make bench's load), most of it in SQLAlchemy's ORM building the same queries anew:

- a turn's new events go in with one INSERT, and the events already stored are counted with one
  SELECT; Rasa adds an ORM object per event and counts through a query it builds each time. The
  statements here are built once, with the sender as a parameter;
- a conversation is read as its events' JSON alone, and each event's class is looked up once per
  kind: Rasa searches all of Event's subclasses for every event it reads;
- on SQLite, connections are kept open (SQLAlchemy 1.4 opens a new one for every session) and the
  file is in WAL mode with synchronous=NORMAL: a commit no longer waits for the disk, and a crash
  of the machine (not of the server) can lose the last turns, never corrupt the file.

Which events are new is decided as Rasa decides it (those past the number stored since the latest
session start), so the rows are the ones Rasa would write: retention, erasure and `rasa export` read
them alike. PostgreSQL (the cluster) gets the same statements; its pool is Rasa's, with each
connection tried before use, so that the first turns after the database is back do not fail on
connections it closed.

While the store cannot be read or written, no turn is answered: Rasa's agent wraps its store in a
FailSafeTrackerStore, which then answers from an empty conversation and keeps the turn in memory,
telling nobody ("how many work there?" after ECHA got "Which one do you mean?", and turns were never
stored). `without_fallback` makes the same wrapper raise TrackerStoreUnavailable instead, which the
REST channel answers with 503 and Retry-After (assistant/channel/rest_channel.py).
"""

from __future__ import annotations

import functools
import itertools
import json
from typing import Any, Dict, List, Optional, Text, Type

import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, TrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY


@functools.lru_cache(maxsize=None)
def event_class(type_name: str) -> Optional[Type[Event]]:
    """Rasa's class for this kind of event; the classes do not change while the server runs."""
    return Event.resolve_by_type(type_name)


def deserialise(serialised: List[Dict[Text, Any]]) -> List[Event]:
    """The events, as rasa.shared.core.events.deserialise_events makes them."""
    events = []
    for data in serialised:
        cls = event_class(data["event"]) if "event" in data else None
        event = cls._from_parameters(data) if cls else None
        if event:
            events.append(event)
    return events


SENDER = sa.bindparam("sender_id")


class LeanSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.table = self.SQLEvent.__table__
        if self.engine.dialect.name == "sqlite":
            # A kept connection for the worker's event loop, which uses one at a time; SQLAlchemy's pool
            # may hand it to another thread, which pysqlite refuses unless told.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(
                url, poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=4, connect_args={"check_same_thread": False}
            )
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        # Built once: SQLAlchemy walks each newly built statement to find it in its cache, on every turn.
        events = self.table
        self._latest = self._latest_session([events.c.data]).order_by(events.c.id)
        self._all = sa.select(events.c.data).where(events.c.sender_id == SENDER).order_by(events.c.id)
        self._stored = self._latest_session([sa.func.count()])
        self._insert = events.insert()

    def _latest_session(self, columns: List[Any]) -> sa.sql.Select:
        """SELECT columns of the sender's events since their latest session start, as Rasa's
        _event_query picks them (all of them if no session has started)."""
        events = self.table
        session_start = (
            sa.select(sa.func.max(events.c.timestamp))
            .where(events.c.sender_id == SENDER, events.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        return sa.select(*columns).where(
            events.c.sender_id == SENDER, sa.or_(session_start.is_(None), events.c.timestamp >= session_start)
        )

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        query = self._all if fetch_events_from_all_sessions else self._latest
        with self.engine.connect() as connection:
            rows = connection.execute(query, {"sender_id": sender_id}).scalars().all()
        if not rows or not self.domain:
            return None
        return DialogueStateTracker.from_events(
            sender_id, deserialise([json.loads(row) for row in rows]), self.domain.slots
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.engine.begin() as connection:
            stored = connection.execute(self._stored, {"sender_id": tracker.sender_id}).scalar()
            rows = [self._row(tracker.sender_id, event) for event in itertools.islice(tracker.events, stored, None)]
            if rows:
                connection.execute(self._insert, rows)

    @staticmethod
    def _row(sender_id: Text, event: Event) -> Dict[str, Any]:
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class TrackerStoreUnavailable(RuntimeError):
    """The tracker store could not be read or written: the turn must not be answered without its
    conversation, nor kept only in memory."""


def unavailable(error: Exception) -> TrackerStoreUnavailable:
    """The store's own error, as TrackerStoreUnavailable (raise it `from error`)."""
    return TrackerStoreUnavailable(f"{type(error).__name__}: {error}")


def _raise_unavailable(error: Exception) -> None:
    raise unavailable(error) from error


def without_fallback(store: TrackerStore) -> FailSafeTrackerStore:
    """The agent's store, whose errors raise TrackerStoreUnavailable instead of falling back to memory.
    Rasa keeps the store it wraps in a private attribute; tests/storage/test_tracker_store.py fails if that
    changes."""
    primary = store._tracker_store if isinstance(store, FailSafeTrackerStore) else store
    return FailSafeTrackerStore(primary, on_tracker_store_error=_raise_unavailable)


def install_without_fallback(agent: Any) -> None:
    """Give the agent, and the message processor it made with the same store, the store without fallback."""
    agent.tracker_store = without_fallback(agent.tracker_store)
    if agent.processor is not None:
        agent.processor.tracker_store = agent.tracker_store
