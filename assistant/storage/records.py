"""The logs the assistant keeps for its editors as JSON lines (the unanswered questions, the ratings of
answers): each entry has a time and a one-way digest of its conversation's id, so that erasure and
retention can find them while the log itself names no conversation."""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence


def conversation_digest(sender: str) -> str:
    return hashlib.sha256(sender.encode("utf-8")).hexdigest()


def stamp(when: Optional[datetime.datetime] = None) -> str:
    """An entry's time: `when`, or now."""
    return (when or datetime.datetime.now(datetime.timezone.utc)).isoformat(timespec="seconds")


def append(file: Path, entry: Dict) -> Dict:
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("a", encoding="utf-8") as log:
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return entry


def read(file: Path, valid: Callable[[Dict], bool]) -> List[Dict]:
    """The log's entries that `valid` accepts; a line that is not a complete entry (a torn write) is
    skipped."""
    if not file.exists():
        return []
    entries = []
    for line in file.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and valid(entry):
            entries.append(entry)
    return entries


def drop(file: Path, unwanted: Callable[[Dict], bool]) -> int:
    """Rewrite the log without the entries `unwanted` picks, and say how many those were. A line that
    is no entry is kept. The new file is moved into place, so a reader never sees half of it."""
    if not file.exists():
        return 0
    kept, dropped = [], 0
    for line in file.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            entry = None
        if isinstance(entry, dict) and unwanted(entry):
            dropped += 1
        else:
            kept.append(line)
    if dropped:
        fresh = file.with_suffix(file.suffix + ".new")
        fresh.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
        fresh.replace(file)
    return dropped


def time_of(entry: Dict) -> Optional[datetime.datetime]:
    """When the entry was written (UTC when the log has no zone), or None when it does not say."""
    try:
        when = datetime.datetime.fromisoformat(entry["time"])
    except (ValueError, KeyError, TypeError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=datetime.timezone.utc)


def write_csv(file: Path, columns: Sequence[str], rows: Iterable[Dict]) -> None:
    """A report of a log (`make report`) as a CSV with a header, for the editors' spreadsheets."""
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
