"""Judging a reply against what the fact base says a right answer holds: for the held-out questions
(right or not) and the resident-style set (good, wrong or unhelpful)."""

from __future__ import annotations

import re
from typing import Dict

from assistant.facts import Fact, FactBase
from assistant.replies import messages

# What the assistant says when the sources do not hold the answer (placeholders left out).
HONEST_GAPS = ("unknown_subject", "out_of_scope", "fallback", "not_stated_since", "not_stated_staff",
               "not_stated_members", "not_in_sources")


def told_right(fact: Fact, reply: str, lang: str) -> bool:
    """A fact that holds is stated; an ended one is told as history, never in the present tense."""
    if fact.holds:
        return fact.text[lang] in reply
    return fact.text[lang] not in reply and fact.ended.history[lang].rstrip(".") in reply


def says_the_sources_do_not_say(reply: str, lang: str) -> bool:
    for key in HONEST_GAPS:
        longest = max(re.split(r"\{\w+\}", messages()[key][lang]), key=len).strip()
        if longest and longest in reply:
            return True
    return False


def judge(kb: FactBase, item: Dict, reply: str, lang: str) -> str:
    """good: the expected facts told right, in the question's language, or for a question the sources
    cannot answer, an honest "they do not say" and no fact in its place; wrong: an ended fact in the
    present tense, a fact the item names as misleading, or a fact given where the sources have no
    answer; unhelpful: anything else ("did you mean", another language, a fact missing)."""
    ended_as_present = any(f.text[lang] in reply for f in kb.facts.values() if not f.holds)
    misleading = any(kb.facts[f].text[lang] in reply for f in item.get("not", []))
    if ended_as_present or misleading:
        return "wrong"
    if item["expect"] == "facts":
        return "good" if all(told_right(kb.facts[f], reply, lang) for f in item["facts"]) else "unhelpful"
    stated = any(f.text[lang] in reply for f in kb.facts.values() if f.holds)
    if says_the_sources_do_not_say(reply, lang) and not stated:
        return "good"
    return "wrong" if stated else "unhelpful"
