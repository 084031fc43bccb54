"""One turn of a conversation, from what NLU made of the message (Rasa's parse data: text, entities,
intent_ranking, language, metadata) and the conversation's state, to the reply and the state after it:
what the custom action does, without Rasa (actions/actions.py), so that tests and the weights' fitting
(scripts/measure/fit_weights.py) answer exactly as the assistant does."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Dict, List, Optional

from assistant.answering import question, selection
from assistant.answering.render import Renderer, Reply
from assistant.answering.state import State
from assistant.knowledge.facts import FactBase
from assistant.understanding.entity_matcher import default_matcher
from assistant.understanding.language import OTHER, reply_language


@dataclass(frozen=True)
class Turn:
    plan: selection.Plan
    reply: Reply
    lang: str  # the reply's language
    state: State  # the conversation's after it, with the conversation's language


def reply_lang(message: Dict, state: State) -> str:
    """The reply's language: the resident's choice, the message's, the conversation's
    (assistant.understanding.language)."""
    metadata = message.get("metadata") or {}
    return reply_language(
        requested=metadata.get("language"),
        detected=message.get("language"),
        current=state.lang,
        page=metadata.get("page_language"),
        sure=message.get("language_sure", True),
    )


def answer(kb: FactBase, message: Dict, state: State, today: Optional[datetime.date] = None) -> Turn:
    lang = reply_lang(message, state)
    if message.get("language") == OTHER:  # a language the assistant does not speak: say which it does, in English
        plan = selection.Plan(state, say="languages")
        return Turn(plan, Renderer(kb, "en", today).render(plan), "en", state)
    text = own_words(message)
    questions = question.read(text, names(message, text, kb), kb.city)
    understood = selection.Understood(
        tuple((i["name"], float(i.get("confidence", 0.0))) for i in message.get("intent_ranking") or [])
    )
    plan = selection.plan(kb, questions, understood, state)
    return Turn(plan, Renderer(kb, lang, today).render(plan), lang, replace(plan.state, lang=lang))


def own_words(message: Dict) -> str:
    """What the resident wrote; nothing for a button's payload ("/ask_about{...}"), which asks by its
    intent and entities alone."""
    text = message.get("text") or ""
    return "" if text.startswith("/") else text


def names(message: Dict, text: str, kb: FactBase) -> List[question.Named]:
    """What the message names, as NLU found it, and the city whose page this is, which NLU leaves out
    ("helsingin", "Helsingfors"): it names no subject, and its words are no words of the question."""
    found = [
        question.Named(str(e["value"]), e.get("start", 0), e.get("end", 0), str(e["value"]) in kb.entities)
        for e in message.get("entities") or []
    ]
    city = (
        [
            question.Named(m.entity_id, m.start, m.end, True)
            for m in default_matcher().find(text)
            if m.entity_id == kb.city
        ]
        if text
        else []
    )
    return found + city
