"""Retention (assistant/storage/retention.py) on the assistant's SQLite tracker store, with back-dated events: old
conversations go whole, recent ones stay, others are untouched; the unanswered log likewise."""

import asyncio
import datetime
import json

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.storage import retention
from assistant.storage.tracker_store import LeanSQLTrackerStore

NOW = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.timezone.utc)


def days_ago(days, now=NOW):
    return (now - datetime.timedelta(days=days)).timestamp()


@pytest.fixture
def store(tmp_path):
    db = tmp_path / "tracker.db"
    return LeanSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db)), f"sqlite:///{db}"


def save(store, sender, *ages, now=NOW):
    """A conversation whose turns were this many days before `now`."""
    events = []
    for age in ages:
        when = days_ago(age, now)
        events += [
            UserUttered("mikä on echa", timestamp=when),
            ActionExecuted("action_answer", timestamp=when),
            BotUttered("ECHA ...", timestamp=when),
        ]
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))


def senders(store):
    return set(asyncio.run(store.keys()))


def test_a_conversation_goes_when_its_last_message_is_older_than_the_retention(store, tmp_path):
    tracker_store, url = store
    save(tracker_store, "old", 45, 40)
    save(tracker_store, "recent", 45, 29)  # began long ago, but spoke within the 30 days: kept whole
    save(tracker_store, "today", 0)
    swept = retention.sweep(30, NOW, url, tmp_path / "none.jsonl")
    assert swept.conversations == 1
    assert senders(tracker_store) == {"recent", "today"}
    recent = asyncio.run(tracker_store.retrieve("recent"))
    assert len([e for e in recent.events if isinstance(e, UserUttered)]) == 2


def test_zero_days_keeps_nothing_older_than_the_sweep(store, tmp_path):
    tracker_store, url = store
    save(tracker_store, "a", 1)
    save(tracker_store, "b", 0.001)
    assert retention.sweep(0, NOW, url, tmp_path / "none.jsonl").conversations == 2
    assert senders(tracker_store) == set()


def test_a_store_no_server_has_created_yet_holds_nothing_to_delete(tmp_path):
    assert retention.sweep(30, NOW, f"sqlite:///{tmp_path / 'new.db'}", tmp_path / "none.jsonl").conversations == 0


def test_unanswered_entries_older_than_the_retention_go(tmp_path):
    log = tmp_path / "unanswered.jsonl"
    entries = [
        {"time": (NOW - datetime.timedelta(days=d)).isoformat(), "kind": "out_of_scope", "text": str(d)}
        for d in (31, 2, 40)
    ]
    log.write_text("".join(json.dumps(e) + "\n" for e in entries) + "not json\n", encoding="utf-8")
    assert retention.prune_log(log, NOW - datetime.timedelta(days=30)) == 2
    kept = log.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["text"] for line in kept[:-1]] == ["2"] and kept[-1] == "not json"


@pytest.mark.parametrize("value, days", [("", 30), ("7", 7), ("0", 0)])
def test_retention_days_from_the_environment(monkeypatch, value, days):
    monkeypatch.setenv("RETENTION_DAYS", value)
    assert retention.retention_days() == days


def test_a_negative_retention_is_refused(monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", "-1")
    with pytest.raises(ValueError):
        retention.retention_days()


def test_make_prune_says_how_many_it_deleted_and_nothing_they_said(store, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    tracker_store, url = store
    now = datetime.datetime.now(datetime.timezone.utc)  # the script sweeps as of when it runs
    save(tracker_store, "old", 31, now=now)
    save(tracker_store, "new", 29, now=now)
    env = {
        **os.environ,
        "TRACKER_STORE_URL": url,
        "RETENTION_DAYS": "30",
        "UNANSWERED_LOG": str(tmp_path / "unanswered.jsonl"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "scripts.run.prune"],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    said = done.stdout + done.stderr
    assert "1 conversations" in said and "mikä on echa" not in said and "ECHA" not in said
    assert senders(tracker_store) == {"new"}
