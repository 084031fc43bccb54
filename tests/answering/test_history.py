"""No ended fact is ever stated in the present tense, however it is asked for: every alternate question
of every fact, every entity named alone and every topic's button, in fi, sv and en, each also as a
follow-up of a conversation about each ended fact's subject; and each ended fact is told as history."""

from __future__ import annotations

import pytest

from assistant.answering.state import State
from assistant.knowledge.facts import LANGUAGES
from tests.helpers import turn


def questions(kb, lang):
    asked = [(q, None) for f in kb.facts.values() for q in f.questions.get(lang, ())]
    asked += [(e.names[lang], "ask_about") for e in kb.entities.values()]
    asked += [("", f"ask_{t.id}") for t in kb.topics.values()]
    return asked


def test_the_fact_base_has_ended_facts(kb):
    assert len([f for f in kb.facts.values() if not f.holds]) >= 4


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_ended_fact_is_ever_stated_in_the_present_tense(kb, lang):
    ended = [f for f in kb.facts.values() if not f.holds]
    subjects = {f.about[0]: f for f in ended}  # a conversation about each subject that has an ended fact
    states = [State(lang)] + [State(lang, subject, f.topic, (f.id,)) for subject, f in subjects.items()]
    told = set()
    for state in states:
        for text, intent in questions(kb, lang):
            _, reply = turn(kb, text, state, intent, lang)
            for fact in ended:
                assert fact.text[lang] not in reply.text, (fact.id, text, state)
                if fact.ended.history[lang].rstrip(".") in reply.text:
                    told.add(fact.id)
    assert told == {f.id for f in ended}  # and each is told as history somewhere
