"""How long what residents say is kept: at most RETENTION_DAYS (default 30) after a conversation's last
message, in the tracker store (SQLite or PostgreSQL, Rasa's own `events` table), in the log of
unanswered questions (assistant.storage.unanswered) and in the ratings (assistant.storage.feedback). `sweep()` deletes
what is older; `make prune` runs it, and so do the servers, at start and then hourly
(scripts/run/run-servers, scripts/run/cluster.py). It says how many conversations and entries it removed,
never what they said.
"""

from __future__ import annotations

import datetime
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from assistant.knowledge import publications
from assistant.storage import feedback, records, unanswered

RETENTION_ENV = "RETENTION_DAYS"
DEFAULT_DAYS = 30

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Swept:
    conversations: int  # whose last event was before the cut-off; all their events deleted
    unanswered: int  # entries of the unanswered-questions log
    ratings: int  # entries of the feedback log


def retention_days() -> float:
    """$RETENTION_DAYS; 0 keeps nothing older than the sweep itself."""
    value = os.environ.get(RETENTION_ENV, "").strip()
    days = float(value) if value else DEFAULT_DAYS
    if days < 0:
        raise ValueError(f"{RETENTION_ENV} must be 0 or more, not {value}")
    return days


def sweep(
    days: Optional[float] = None,
    now: Optional[datetime.datetime] = None,
    tracker_store_url: Optional[str] = None,
    unanswered_log: Optional[Path] = None,
    feedback_log: Optional[Path] = None,
) -> Swept:
    """Delete every conversation whose last event is older than `days`, and older unanswered entries
    and ratings."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    cutoff = now - datetime.timedelta(days=retention_days() if days is None else days)
    url = tracker_store_url or publications.database_url()
    swept = Swept(
        prune_tracker_store(url, cutoff),
        prune_log(unanswered_log or unanswered.path(), cutoff),
        prune_log(feedback_log or feedback.path(), cutoff),
    )
    logger.info(
        "retention sweep: %d conversations, %d unanswered entries and %d ratings older than %s deleted",
        swept.conversations,
        swept.unanswered,
        swept.ratings,
        cutoff.isoformat(timespec="seconds"),
    )
    return swept


def prune_tracker_store(url: str, cutoff: datetime.datetime) -> int:
    """Delete the events of every conversation whose last event is older than the cut-off. A store not
    yet created (no server has run) holds nothing to delete."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    try:
        if not sqlalchemy.inspect(engine).has_table("events"):
            return 0
        events = sqlalchemy.table("events", sqlalchemy.column("sender_id"), sqlalchemy.column("timestamp"))
        old = (
            sqlalchemy.select(events.c.sender_id)
            .group_by(events.c.sender_id)
            .having(sqlalchemy.func.max(events.c.timestamp) < cutoff.timestamp())
        )
        with engine.begin() as connection:  # one transaction: a conversation goes whole or not at all
            senders = [row[0] for row in connection.execute(old)]
            if senders:
                connection.execute(sqlalchemy.delete(events).where(events.c.sender_id.in_(senders)))
        return len(senders)
    finally:
        engine.dispose()


def prune_log(log: Path, cutoff: datetime.datetime) -> int:
    """Drop the entries older than the cut-off from a log of JSON lines with a "time" (the unanswered
    questions, the ratings)."""

    def old(entry: dict) -> bool:
        when = records.time_of(entry)
        return when is not None and when < cutoff  # an entry with no time is not ours to judge

    return records.drop(log, old)
