"""Fixtures for the answering package: a conversation's messages read by the NLU components that need
no training (the fact base's names, the language), with the intent DIET would give said by the test,
then planned and told as the action does, without Rasa running (helpers.turn)."""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple, Union

import pytest

from assistant.answering import question
from assistant.answering.render import Reply
from assistant.answering.selection import Plan
from assistant.answering.state import State
from assistant.answering.turn import names
from tests.helpers import parse, turn

# A turn: its text, or (text, intent) where DIET's intent matters to what is tested.
Turn = Union[str, Tuple[str, str]]


@pytest.fixture
def converse(kb):
    """converse(turns, lang=None) -> the (plan, reply) of each turn, each read in the conversation so far."""

    def run(turns: Sequence[Turn], lang: Optional[str] = None) -> List[Tuple[Plan, Reply]]:
        state, replies = State(lang=lang), []
        for item in turns:
            text, intent = (item, None) if isinstance(item, str) else item
            plan, reply = turn(kb, text, state, intent, lang)
            replies.append((plan, reply))
            state = plan.state
        return replies

    return run


@pytest.fixture
def read(kb):
    """read(text) -> the message's questions, as the action reads them."""

    def questions(text: str) -> List[question.Question]:
        data = {"text": text, "entities": parse(text).get("entities") or []}
        return question.read(text, names(data, text, kb), kb.city)

    return questions
