"""A resident's message read as one or more questions: what each names (the fact base's entities, other
places), how it asks (assistant.answering.question_words) and its own words, which the facts are
searched by. A message may hold two questions ("where is echa and how many work there?"): each is read
on its own, and one that names nothing takes the names of the one before it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import List, Optional, Sequence, Tuple

from assistant.answering import question_words, words
from assistant.answering.question_words import Asked

# Where a second question begins: after a question mark or a full stop, or at "and" before a word that
# asks ("where is echa and how many work there?").
_ASKING = sorted(
    {
        w
        for classes in (*question_words.KINDS.values(), question_words.YES_NO)
        for ws in classes.values()
        for w in ws
        if " " not in w
    },
    key=len,
    reverse=True,
)
_SECOND = re.compile(
    r"[?!]+\s+|\.\s+(?=\w)|,?\s+(?:and|ja|sekä|och|samt)\s+(?=(?:%s)\b)" % "|".join(map(re.escape, _ASKING)),
    re.IGNORECASE,
)
MAX_PARTS = 3


@dataclass(frozen=True)
class Named:
    """A name found in the message: a fact base entity's id, or another place as written."""

    value: str
    start: int
    end: int
    known: bool  # an entity of the fact base


@dataclass(frozen=True)
class Question:
    text: str
    asked: Asked
    named: Tuple[str, ...]  # the fact base's entities, in the order named
    places: Tuple[str, ...]  # places the fact base does not know ("Oslo")
    words: Tuple[str, ...]  # its own words: what it asks about, other than names and question words
    city_named: bool = False  # it names the city whose page this is ("is Helsinki in Eurocities?")
    years: Tuple[int, ...] = ()  # the years it names

    @property
    def kind(self) -> Optional[str]:
        return self.asked.kinds[0] if self.asked.kinds else None

    @property
    def names_nothing(self) -> bool:
        return not self.named and not self.places


def read(text: str, names: Sequence[Named], city: Optional[str] = None) -> List[Question]:
    """The questions of a message; `names` as NLU found them (character offsets in `text`). The city
    whose page this is names no subject ("Helsinki's partners"). A part that asks nothing ("ok.",
    "thanks, and") is no question of its own; one that names nothing takes the names of the one before
    it when it points back ("... and how many work there?")."""
    separators = list(_SECOND.finditer(text))[: MAX_PARTS - 1]
    spans = zip([0] + [m.end() for m in separators], [m.start() for m in separators] + [len(text)])
    questions: List[Question] = []
    for begin, end in spans:
        # a name with no place in the text (a button's entity) is the first question's
        within = [
            replace(n, start=max(n.start - begin, 0), end=max(n.end - begin, 0))
            for n in names
            if begin <= n.start < end or (n.start == n.end == 0 and begin == 0)
        ]
        question = _one(text[begin:end], within, city, text[begin : end + 1].rstrip().endswith("?"))
        if questions and question.names_nothing and question.asked.points_back:
            question = replace(question, named=questions[-1].named, places=questions[-1].places)
        questions.append(question)
    asking = [q for q in questions if q.words or not q.names_nothing or q.asked.kinds or q.asked.polar]
    return asking or questions[-1:]


def _one(text: str, names: Sequence[Named], city: Optional[str], question_mark: bool) -> Question:
    blanked = list(text)
    for name in names:
        blanked[name.start : name.end] = " " * (name.end - name.start)
    all_words = words.tokens(text)
    asked = question_words.read(all_words, question_mark)
    own = [w for w in words.tokens("".join(blanked)) if w not in asked.closed and not words.is_common(w) and len(w) > 1]
    named = tuple(dict.fromkeys(n.value for n in names if n.known and n.value != city))
    places = tuple(dict.fromkeys(n.value for n in names if not n.known))
    return Question(
        text.strip(), asked, named, places, tuple(own), any(n.value == city for n in names), words.years(text)
    )
