"""Erasing one conversation when its resident asks ("Delete conversation" in the widget, which calls
POST /webhooks/rest/forget with the conversation's sender id): its events in the tracker store, its
entries in the unanswered-questions log and its ratings in the feedback log. Other conversations are
not touched.

The sender id is a 128-bit random value that only the resident's browser knows, so knowing it is the
proof of whose conversation it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
from sqlalchemy.exc import SQLAlchemyError

from assistant.storage import records
from assistant.storage.tracker_store import unavailable


@dataclass(frozen=True)
class Erased:
    events: int  # events deleted from the tracker store (1 for an in-memory conversation)
    unanswered: int  # entries deleted from the unanswered-questions log
    ratings: int  # entries deleted from the feedback log

    @property
    def anything(self) -> bool:
        return bool(self.events or self.unanswered or self.ratings)


def erase(tracker_store: Any, sender: str, unanswered_log: Path, feedback_log: Path) -> Erased:
    digest = records.conversation_digest(sender)

    def of_it(entry: dict) -> bool:
        return entry.get("conversation") == digest

    return Erased(
        _erase_events(tracker_store, sender), records.drop(unanswered_log, of_it), records.drop(feedback_log, of_it)
    )


def _erase_events(tracker_store: Any, sender: str) -> int:
    # Rasa wraps the configured store (FailSafeTrackerStore, AwaitableTrackerStore); none of its stores
    # can delete, so this reaches the one underneath.
    while hasattr(tracker_store, "_tracker_store"):
        tracker_store = tracker_store._tracker_store
    if isinstance(tracker_store, SQLTrackerStore):
        try:
            with tracker_store.session_scope() as session:
                events = tracker_store.SQLEvent
                deleted = session.query(events).filter(events.sender_id == sender).delete(synchronize_session=False)
                session.commit()
        except SQLAlchemyError as error:  # the database is down: the resident is asked to try again
            raise unavailable(error) from error
        return deleted
    if isinstance(tracker_store, InMemoryTrackerStore):
        return 1 if tracker_store.store.pop(sender, None) is not None else 0
    raise TypeError(f"cannot erase from a {type(tracker_store).__name__}")
