"""No ended fact is ever stated in the present tense, however it is asked for: every ended fact of the
fact base, in fi, sv and en, through every question the replies answer, about each entity it names and
after each topic of the conversation."""

from __future__ import annotations

import datetime
import itertools

import pytest

from assistant import factbase
from assistant.facts import ATTRIBUTES
from assistant.replies import Context, Mention, Replies

TODAY = datetime.date(2026, 11, 30)


def ended_facts():
    return [f for f in factbase.current().facts.values() if not f.holds]


def every_answer(kb, lang):
    """Each intent the replies answer, with no entity or with each entity, in each context."""
    replies = Replies(kb, lang, TODAY)
    topics = [t.id for t in kb.topics.values() if not t.by_subject]
    intents = [f"ask_{t}" for t in (*topics, *ATTRIBUTES)] + ["ask_about"]
    mentions = [[]] + [[Mention(e.type, e.id)] for e in kb.entities.values()] + [[Mention("city", "Oslo")]]
    contexts = [Context()] + [Context(t, kb.topics[t].subject if t in kb.topics else s)
                              for t in (*kb.topics, *ATTRIBUTES) for s in (None, "echa")]
    for intent, mentioned, context in itertools.product(intents, mentions, contexts):
        yield (intent, mentioned, context), replies.answer(intent, mentioned, context).text


def test_the_fact_base_has_ended_facts():
    assert len(ended_facts()) >= 4


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_no_ended_fact_is_ever_stated_in_the_present_tense(kb, lang):
    ended = [f for f in kb.facts.values() if not f.holds]
    told = set()
    for asked, text in every_answer(kb, lang):
        for fact in ended:
            assert fact.text[lang] not in text, (fact.id, asked)
            if fact.ended.history[lang].rstrip(".") in text:
                told.add(fact.id)
    assert told == {f.id for f in ended}  # and each is told as history somewhere
