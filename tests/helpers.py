"""What the test modules share: the project's folder, a fact's text, what a resident reads of the
replies, a free port (scripts/supervisor.py's), a record of the fact base's YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

from assistant import factbase
from supervisor import free_port  # noqa: F401 (for the test modules)

ROOT = Path(__file__).resolve().parent.parent


def fact(fact_id: str, lang: str) -> str:
    """The fact's text in that language, from the fact base the assistant answers from."""
    return factbase.current().facts[fact_id].text[lang]


def text_of(replies: List[Dict]) -> str:
    """What the resident reads of the channel's replies: their texts, without the messages that carry
    only a reply's language and sources ({"custom": ...})."""
    return "\n".join(r["text"] for r in replies if r.get("text"))


def record(data: Dict, section: str, record_id: str) -> Dict:
    """The record with this id in a section ("facts", "sources", ...) of the fact base's parsed YAML."""
    return next(r for r in data[section] if r["id"] == record_id)
