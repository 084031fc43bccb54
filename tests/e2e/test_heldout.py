"""Held-out questions (tests/heldout/, never in data/): each asked in a new conversation, without
metadata; right means the reply holds every expected fact in the question's language, an ended one
as history."""

from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from assistant import factbase
from assistant.facts import LANGUAGES
from helpers import text_of
from judging import told_right

HELDOUT = Path(__file__).resolve().parents[1] / "heldout"
TARGET = 0.90


def answered_right(servers, sender: str, item: Dict, lang: str) -> bool:
    for earlier in item.get("before", []):
        servers.ask(sender, earlier)
    reply = text_of(servers.ask(sender, item["text"]))
    kb = factbase.current()
    return all(told_right(kb.facts[f], reply, lang) for f in item["facts"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_held_out_questions(servers, heldout_scores, lang):
    items: List[Dict] = yaml.safe_load((HELDOUT / f"{lang}.yml").read_text(encoding="utf-8"))
    assert len(items) >= 25
    wrong = [
        item["text"]
        for n, item in enumerate(items)
        if not answered_right(servers, f"heldout-{lang}-{n}", item, lang)
    ]
    score = 1 - len(wrong) / len(items)
    heldout_scores[lang] = {
        "right": len(items) - len(wrong),
        "total": len(items),
        "score": score,
        "target": TARGET,
        "wrong": wrong,
    }
    assert score >= TARGET, f"{lang}: {score:.0%} right; wrong: {wrong}"
