"""Judging a reply against what the fact base says a right answer holds, for the held-out questions, the
resident-style set and the conversation sets (tests/dialogues/, tests/blind/): good, wrong or unhelpful.

- wrong: a gap claimed where a fact answers; an ended fact stated in the present tense; a fact the item
  names as misleading; a false premise let stand (a yes where the answer is no, or no longer).
- unhelpful: an expected fact missing, or not among the first two facts told; more than three facts;
  the lead (yes, no, no longer) missing; a gap reply without where to look, of the wrong kind or about
  the wrong subject; a fact given where the sources do not say; another language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import yaml

from assistant.answering.question_words import SPECIFIC
from assistant.answering.render import messages
from assistant.knowledge.facts import Fact, FactBase
from tests.helpers import text_of

MAX_FACTS = 3
LEADS = ("yes", "no", "no_longer")
GAP_KINDS = (*SPECIFIC, "any")


def _message(key: str, lang: str) -> str:
    return messages()[key][lang]


def told(fact: Fact, reply: str, lang: str) -> Optional[int]:
    """Where the reply tells the fact: its text if it holds, its history if it ended."""
    said = fact.text[lang] if fact.holds else fact.ended.history[lang].rstrip(".")
    position = reply.find(said)
    return None if position < 0 else position


def told_right(fact: Fact, reply: str, lang: str) -> bool:
    """A fact that holds is stated; an ended one is told as history, never in the present tense."""
    return told(fact, reply, lang) is not None and (fact.holds or fact.text[lang] not in reply)


def facts_told(kb: FactBase, reply: str, lang: str) -> List[str]:
    """The facts the reply tells, in the order it tells them."""
    found = [(p, f.id) for f in kb.facts.values() if (p := told(f, reply, lang)) is not None]
    return [fact_id for _, fact_id in sorted(found)]


def lead_of(reply: str, lang: str) -> Optional[str]:
    """The lead a reply (or one of its paragraphs) opens with: yes, no or no longer."""
    starts = [p.strip() for p in reply.split("\n\n")]
    for lead in ("no_longer", "yes", "no"):  # "No longer." before "No."
        if any(s.startswith(_message(f"lead_{lead}", lang)) for s in starts):
            return lead
    return None


def gap_kinds(reply: str, lang: str) -> List[str]:
    """The kinds of "my sources don't say" the reply holds."""
    return [k for k in GAP_KINDS if _message(f"gap_{k}", lang).rstrip(".").lower() in reply.lower()]


def points_where_to_look(kb: FactBase, reply: str) -> bool:
    return kb.freshness.website in reply and kb.freshness.feedback in reply


def judge(kb: FactBase, item: Dict, reply: str, lang: str) -> str:
    lang = item.get("reply_lang", lang)
    expect = item["expect"]
    expected_lead = _lead(item.get("lead"))
    lead = lead_of(reply, lang)
    told_ids = facts_told(kb, reply, lang)
    gaps = gap_kinds(reply, lang)
    if any(f.text[lang] in reply for f in kb.facts.values() if not f.holds):
        return "wrong"
    if any(fact_id in told_ids for fact_id in item.get("not", [])):
        return "wrong"
    if expect == "facts":
        if gaps and not told_ids:
            return "wrong"  # a gap claimed where a fact answers
        if lead == "yes" and (expected_lead in ("no", "no_longer") or item.get("premise") is False):
            return "wrong"  # a false premise let stand
        return "good" if _facts_good(kb, item, reply, lang, told_ids, expected_lead, lead) else "unhelpful"
    if expect == "gap":
        right_kind = item.get("kind") not in SPECIFIC or item["kind"] in gaps
        subject = item.get("subject")
        right_subject = subject is None or kb.entities[subject].names[lang] in reply
        if gaps and not told_ids and points_where_to_look(kb, reply) and right_kind and right_subject:
            return "good"
        return "unhelpful"
    if expect == "close":
        return "good" if any(_message(k, lang) in reply for k in ("goodbye", "thank")) else "unhelpful"
    if expect == "greeting":
        return "good" if any(_message(k, lang) in reply for k in ("greet", "capabilities")) else "unhelpful"
    if expect == "languages":
        return "good" if _message("languages", "en") in reply else "unhelpful"
    raise ValueError(f"unknown expectation: {expect}")


def _lead(value) -> Optional[str]:
    """The item's lead; YAML reads an unquoted yes or no as a boolean."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


def _facts_good(
    kb: FactBase,
    item: Dict,
    reply: str,
    lang: str,
    told_ids: List[str],
    expected_lead: Optional[str],
    lead: Optional[str],
) -> bool:
    required = item.get("facts", [])
    alternatives = item.get("any", [])
    if not all(told_right(kb.facts[f], reply, lang) for f in required):
        return False
    if alternatives and not any(told_right(kb.facts[f], reply, lang) for f in alternatives):
        return False
    if len(told_ids) > MAX_FACTS:
        return False
    expected = [f for f in told_ids if f in required or f in alternatives]
    if not expected or told_ids.index(expected[0]) > 1:
        return False  # the answer is not among the first two facts told
    return expected_lead is None or lead == expected_lead


TESTS = Path(__file__).resolve().parents[1]


def conversations(folder: str, lang: str) -> List[Tuple[str, List[Dict]]]:
    """A test set's conversations, (id, turns): tests/dialogues/ and tests/blind/ are written so; each
    item of tests/residents/ and tests/heldout/ is one, its `before` messages first, unjudged."""
    items = yaml.safe_load((TESTS / folder / f"{lang}.yml").read_text(encoding="utf-8"))
    if items and "turns" in items[0]:
        return [(item["id"], item["turns"]) for item in items]
    return [
        (f"{folder}-{lang}-{n}", [{"text": text} for text in item.get("before", [])] + [{"expect": "facts", **item}])
        for n, item in enumerate(items)
    ]


def converse(servers, kb: FactBase, sender: str, turns: List[Dict], lang: str) -> Iterator[Tuple[Dict, str, str, bool]]:
    """Each judged turn of a conversation asked of the servers without metadata, as a resident types:
    (turn, reply, verdict, whether it follows another turn)."""
    for n, turn in enumerate(turns):
        reply = text_of(servers.ask(sender, turn["text"]))
        if turn.get("expect"):
            yield turn, reply, judge(kb, turn, reply, lang), n > 0
