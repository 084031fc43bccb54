"""Questions the assistant could not answer, kept for the editors (`make report`).

Every question the sources do not answer (a gap: "my sources don't say") is appended as one JSON line
to var/unanswered.jsonl ($UNANSWERED_LOG): the text with personal data masked, its language, the time,
what kind of miss it was, the best intents with their confidence, and a one-way digest of the
conversation's id, so that a resident who erases the conversation erases these too (assistant/storage/erasure.py)
while the log itself names no conversation. The report groups alike
questions and writes a CSV that editors can turn into training examples or new facts.
"""

from __future__ import annotations

import datetime
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from assistant import ROOT
from assistant.channel.masking import mask_personal_data
from assistant.storage import records

DEFAULT_PATH = ROOT / "var" / "unanswered.jsonl"
LOG_ENV = "UNANSWERED_LOG"
TOP_INTENTS = 3
ALIKE = 0.6  # how much two questions' character trigrams must overlap (Dice) to be grouped

# Letters and digits, unlike assistant.answering.words.WORD: a question's numbers (a year, a bus line)
# are part of its wording here, where WORD reads terms.
_WORD = re.compile(r"[^\W_]+")


def path() -> Path:
    return Path(os.environ.get(LOG_ENV) or DEFAULT_PATH)


def record(
    kind: str,
    text: str,
    language: str,
    intent_ranking: Sequence[Dict],
    when: Optional[datetime.datetime] = None,
    sender: Optional[str] = None,
) -> Dict:
    """Append one unanswered turn to the log, and return it."""
    entry = {
        "time": records.stamp(when),
        "conversation": records.conversation_digest(sender) if sender else None,
        "kind": kind,
        "language": language,
        "text": mask_personal_data(text),  # masked by the REST channel already; not by `rasa shell`
        "intents": [
            {"name": i["name"], "confidence": round(float(i.get("confidence", 0.0)), 3)}
            for i in intent_ranking[:TOP_INTENTS]
        ],
    }
    return records.append(path(), entry)


def read(file: Optional[Path] = None) -> List[Dict]:
    return records.read(file or path(), lambda entry: isinstance(entry.get("text"), str))


@dataclass
class Group:
    """Alike questions: the most asked wording stands for them all."""

    entries: List[Dict] = field(default_factory=list)
    grams: Counter = field(default_factory=Counter)  # of the first question: the others are compared with it

    @property
    def text(self) -> str:
        return Counter(e["text"] for e in self.entries).most_common(1)[0][0]

    @property
    def variants(self) -> List[str]:
        return [t for t, _ in Counter(e["text"] for e in self.entries).most_common() if t != self.text]

    def row(self) -> Dict[str, object]:
        intents = Counter(e["intents"][0]["name"] for e in self.entries if e.get("intents"))
        times = sorted(e["time"] for e in self.entries)
        return {
            "count": len(self.entries),
            "question": self.text,
            "languages": " ".join(sorted({e["language"] for e in self.entries})),
            "kinds": " ".join(sorted({e["kind"] for e in self.entries})),
            "best_intent": intents.most_common(1)[0][0] if intents else "",
            "mean_confidence": round(
                sum(e["intents"][0]["confidence"] for e in self.entries if e.get("intents"))
                / max(1, sum(1 for e in self.entries if e.get("intents"))),
                3,
            ),
            "first_asked": times[0],
            "last_asked": times[-1],
            "other_wordings": " | ".join(self.variants),
        }


def _trigrams(text: str) -> Counter:
    words = " ".join(_WORD.findall(text.lower()))
    padded = f"  {words}  "
    return Counter(padded[i : i + 3] for i in range(len(padded) - 2))


def _similarity(a: Counter, b: Counter) -> float:
    """Dice's coefficient of the two trigram bags: 1 for the same words, 0 for nothing shared."""
    return 2 * sum((a & b).values()) / max(1, sum(a.values()) + sum(b.values()))


def group(entries: Iterable[Dict]) -> List[Group]:
    """Alike questions together (character trigrams of their words: Finnish case endings and typos
    still match), the most asked first."""
    groups: List[Group] = []
    for entry in entries:
        grams = _trigrams(entry["text"])
        best: Tuple[float, Optional[Group]] = (0.0, None)
        for candidate in groups:
            score = _similarity(grams, candidate.grams)
            if score > best[0]:
                best = (score, candidate)
        target = best[1] if best[0] >= ALIKE else None
        if target is None:
            target = Group(grams=grams)
            groups.append(target)
        target.entries.append(entry)
    return sorted(groups, key=lambda g: (-len(g.entries), g.text))


# The report's CSV (make report): a group a row, as Group.row gives it.
COLUMNS = (
    "count",
    "question",
    "languages",
    "kinds",
    "best_intent",
    "mean_confidence",
    "first_asked",
    "last_asked",
    "other_wordings",
)
