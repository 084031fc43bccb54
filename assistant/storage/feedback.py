"""Was an answer helpful? The yes or no a resident gives under an answer, kept for the editors, with no
text: the answer's topic and fact ids, its language, the time, and a digest of the conversation's id
(so that erasing the conversation erases its ratings too, and retention reaches them), in
var/feedback.jsonl ($FEEDBACK_LOG). Only an answer the assistant gave in that conversation can be
rated, and once. `make report` sums them per topic and per fact, the least helpful first.
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

from assistant import ROOT
from assistant.knowledge.facts import FactBase
from assistant.storage import records

DEFAULT_PATH = ROOT / "var" / "feedback.jsonl"
LOG_ENV = "FEEDBACK_LOG"
# The report's CSV (make report): a topic or a fact a row, as helpfulness() gives it.
COLUMNS = ("kind", "id", "ratings", "helpful", "not_helpful", "share_helpful")


class NotRateable(Exception):
    """A rating the assistant refuses: no such answer in this conversation (404), or rated already (409)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def path() -> Path:
    return Path(os.environ.get(LOG_ENV) or DEFAULT_PATH)


def answer_of(bot_messages: Iterable[Dict], answer_id: str) -> Optional[Dict]:
    """The custom part of the conversation's answer with this id ({"answer", "facts", "language", ...})."""
    for data in bot_messages:
        custom = (data or {}).get("custom") or {}
        if custom.get("answer") == answer_id:
            return custom
    return None


def record(
    kb: FactBase,
    sender: str,
    answer_id: str,
    answer: Optional[Dict],
    helpful: bool,
    file: Optional[Path] = None,
    when: Optional[datetime.datetime] = None,
) -> Dict:
    """Keep one rating of an answer the conversation holds; NotRateable otherwise."""
    file = file or path()
    if answer is None:
        raise NotRateable(404, "unknown_answer", "This conversation has no answer with this id.")
    if any(e.get("answer") == answer_id for e in read(file)):
        raise NotRateable(409, "already_rated", "This answer has been rated already.")
    facts = [f for f in answer.get("facts", []) if f in kb.facts]
    entry = {
        "time": records.stamp(when),
        "conversation": records.conversation_digest(sender),
        "answer": answer_id,
        "topic": kb.facts[facts[0]].topic if facts else None,
        "facts": facts,
        "language": answer.get("language"),
        "helpful": bool(helpful),
    }
    return records.append(file, entry)


def read(file: Optional[Path] = None) -> List[Dict]:
    return records.read(file or path(), lambda entry: isinstance(entry.get("helpful"), bool))


def helpfulness(entries: Sequence[Dict]) -> List[Dict]:
    """Rows per topic and per fact: how often rated, helpful and not; the least helpful first."""
    counts: Dict[tuple, List[int]] = defaultdict(lambda: [0, 0])
    for entry in entries:
        keys = [("topic", entry["topic"])] if entry.get("topic") else []
        keys += [("fact", fact) for fact in entry.get("facts", [])]
        for key in keys:
            counts[key][0 if entry["helpful"] else 1] += 1
    rows = [
        {
            "kind": kind,
            "id": id_,
            "ratings": yes + no,
            "helpful": yes,
            "not_helpful": no,
            "share_helpful": round(yes / (yes + no), 2),
        }
        for (kind, id_), (yes, no) in counts.items()
    ]
    return sorted(rows, key=lambda r: (r["share_helpful"], -r["ratings"], r["kind"] != "topic", r["id"]))
