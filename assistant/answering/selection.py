"""One selection of the facts that answer what was asked, in the conversation it was asked in.

Every candidate fact is scored by one function of its parts: the question's words (BM25 over each
fact's text and alternate questions, assistant.answering.index), the entities it names or the
conversation carries over, the kind of question against the kinds a fact answers, and DIET's intent as
a prior. The weights are fitted on the development sets (scripts/measure/fit_weights.py) and kept in
weights.yml. What nothing scores is a gap: "my sources don't say", with where to look.

The result is a Plan: the facts to tell, the lead (yes, no, no longer), the gap, the buttons and the
conversation's new state; assistant.answering.render turns it into text in one language.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np
import yaml

from assistant.answering import index as fact_index
from assistant.answering.question import Question
from assistant.answering.question_words import SPECIFIC
from assistant.answering.state import State
from assistant.answering.words import years
from assistant.knowledge.facts import Fact, FactBase

WEIGHTS_PATH = Path(__file__).resolve().parent / "weights.yml"
MAX_FACTS = 3
SMALLTALK = ("greet", "goodbye", "thank", "bot_challenge", "ask_capabilities")
CLOSING = ("greet", "goodbye", "thank")  # small talk that asks nothing: "are you a bot?" does
FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
# Intents that ask a kind of question rather than about a topic.
KIND_INTENTS = {"ask_since": "since", "ask_staff": "how_many"}


@dataclass(frozen=True)
class Weights:
    words: float = 1.0  # the question's words: BM25 over the largest weight a word can have
    entity: float = 1.5  # a fact about what the question names
    carried: float = 0.5  # a fact about what the conversation is about, for a question naming nothing
    pointing: float = 0.5  # ... more when the question points back to it ("it", "there") or has no words
    topic: float = 0.5  # ... of the conversation's topic, this share of that
    beside: float = 0.5  # ... this share of it, beside what a question names
    kind: float = 0.6  # a fact that answers the kind of question asked
    prior: float = 0.4  # DIET's confidence in the fact's topic
    given: float = 0.5  # a fact just given, for a follow-up with no words of its own ("is it still?")
    still: float = 0.4  # a fact that has ended, for "still?"
    defining: float = 0.2  # ... and the first fact about its subject, what it was
    city: float = 0.3  # a fact about the city, for a question that names it
    general: float = 0.2  # a fact about the city alone, for a question that names nothing
    near: float = 0.85  # facts within this share of the best one's score are told too
    dominant: float = 1.5  # a fact whose words score this many times the next one's is what a list asks
    topic_alone: float = 0.5  # DIET's confidence that answers a question without words by its topic
    topic_sure: float = 0.95  # DIET's confidence that keeps a question naming nothing to its topic's facts
    smalltalk: float = 0.5  # DIET's confidence in small talk that, with no fact asked, answers so
    kind_intent: float = 0.5  # DIET's confidence in ask_since or ask_staff that asks their kind
    coverage: float = 0.5  # the share of what a question's words say that the best fact must have
    out_of_scope: float = 0.97  # DIET's confidence in out_of_scope that, with a word no fact has, is a gap


@lru_cache(maxsize=1)
def weights() -> Weights:
    if not WEIGHTS_PATH.exists():
        return Weights()
    loaded = yaml.safe_load(WEIGHTS_PATH.read_text(encoding="utf-8")) or {}
    return Weights(**{f.name: float(loaded[f.name]) for f in fields(Weights) if f.name in loaded})


@dataclass(frozen=True)
class Gap:
    """What the sources do not say: the kind of thing asked, and about what."""

    kind: Optional[str]
    subject: Optional[str]


@dataclass(frozen=True)
class Answer:
    facts: Tuple[str, ...] = ()
    lead: Optional[str] = None  # "yes", "no" or "no_longer"
    gap: Optional[Gap] = None
    unnamed: Tuple[str, ...] = ()  # places asked about that the sources do not name


@dataclass(frozen=True)
class Plan:
    state: State
    answers: Tuple[Answer, ...] = ()
    say: Optional[str] = None  # a reply of its own: "greet", "thank", "acknowledged", "about_sources", ...
    more: Optional[str] = None  # the entity whose other facts a button offers
    related: Tuple[str, ...] = ()  # topics offered as buttons
    unanswered: Optional[str] = None  # why the question was not answered, for the editors' report


@dataclass(frozen=True)
class Understood:
    """What NLU made of the message: its intents with their confidence, best first."""

    ranking: Tuple[Tuple[str, float], ...] = ()

    @property
    def intent(self) -> Optional[str]:
        """DIET's best intent: below the fallback threshold too."""
        return next((name for name, _ in self.ranking if name != FALLBACK), None)

    def confidence(self, intent: Optional[str]) -> float:
        return next((c for name, c in self.ranking if name == intent), 0.0)


@dataclass
class _Part:
    """A question with what the conversation lends it, and every fact's score."""

    question: Question
    words: Tuple[str, ...]  # its own words, or the last question's when it has none
    kind: Optional[str]
    polar: bool
    still: bool
    subject: Optional[str]  # named, or carried over from the conversation
    total: np.ndarray
    words_score: np.ndarray  # the words' part of it
    known: Tuple[str, ...]  # the words some fact has
    matched: List[np.ndarray]  # ... and for each, which facts have it
    unknown: Tuple[str, ...]  # words no fact has, but maybe for a part ("lupa" of "oleskelulupa")
    candidates: np.ndarray  # facts that may answer
    ids: Tuple[str, ...] = ()  # the facts, in the order of the scores
    since: Optional[int] = None  # the year a yes-or-no question asks whether something holds since
    since_of: Tuple[str, ...] = ()  # the fact that told the year, for "since then?": not its answer


def plan(kb: FactBase, questions: Sequence[Question], understood: Understood, state: State) -> Plan:
    """The reply's plan for a message read as `questions`, in the conversation `state`."""
    state = state.known(kb)
    if len(questions) == 1 and questions[0].asked.acknowledges:
        return Plan(state, say="acknowledged")
    if all(q.names_nothing for q in questions) and any(q.asked.about_sources for q in questions):
        return Plan(state, say="about_sources")
    index = fact_index.of(kb)
    parts = [_part(kb, index, q, understood, state) for q in questions]
    smalltalk = _smalltalk(parts, understood)
    if smalltalk:
        return Plan(state, say="capabilities" if smalltalk == "ask_capabilities" else smalltalk)
    answers: List[Answer] = []
    given: List[str] = []
    new_state = state
    for part in parts:
        answer, new_state = _answer(kb, index, part, understood, new_state, given)
        answers.append(answer)
        given += answer.facts
    answers = _fit(answers)
    given = [f for a in answers for f in a.facts]
    subject = new_state.subject if new_state.subject != kb.city else None
    unasked = tuple(f.id for f in kb.facts_about(subject) if f.id not in given) if subject else ()
    topic = new_state.topic
    related = kb.topics[topic].related if topic in kb.topics else ()
    new_state = replace(new_state, facts=tuple(given), unasked=unasked)
    unanswered = "gap" if all(a.gap for a in answers) else None
    return Plan(
        new_state, tuple(answers), more=subject if unasked else None, related=tuple(related), unanswered=unanswered
    )


def _fit(answers: List[Answer]) -> List[Answer]:
    """At most MAX_FACTS facts in all, each question keeping its first."""
    room = MAX_FACTS - sum(1 for a in answers if a.facts)
    kept = []
    for answer in answers:
        extra = min(max(room, 0), max(len(answer.facts) - 1, 0))
        room -= extra
        kept.append(replace(answer, facts=answer.facts[: 1 + extra]))
    return kept


def _smalltalk(parts: Sequence[_Part], understood: Understood) -> Optional[str]:
    """Greetings, thanks and goodbyes are that only when the message asks nothing the facts answer:
    "which ones have you stopped then?" is never a goodbye. A message of courtesies alone ("tack
    hej") is small talk however unsure DIET is: its words tell which."""
    intent = understood.intent
    sure = intent in SMALLTALK and understood.confidence(intent) >= weights().smalltalk
    courtesies = [p.question.asked.courtesy for p in parts if p.question.asked.courtesy]
    alone = all(p.question.names_nothing and not p.question.words and not p.question.asked.kinds for p in parts)
    if alone and (sure or courtesies):
        return intent if sure else courtesies[0]
    asks = any(p.question.asked.kinds or p.question.asked.polar for p in parts)
    if asks and intent in CLOSING:  # a question is never answered with goodbye
        return None
    if sure and all(p.question.names_nothing and not _asks_the_facts(p) for p in parts):
        return intent
    return None


def _asks_the_facts(part: _Part) -> bool:
    """Whether the question's own words are in a fact, as much as an answer asks (`coverage`)."""
    own = [w for w in part.question.words if w in part.known]
    if not own:
        return False
    best = int(np.argmax(part.words_score))
    return _share(part, part.question.words, best) >= weights().coverage


def _part(kb: FactBase, index: fact_index.FactIndex, q: Question, understood: Understood, state: State) -> _Part:
    w = weights()
    facts = list(kb.facts.values())
    n = len(facts)
    # A question with no words of its own is about the last one's ("and Moscow?", "why?", "is it still?")
    bare = not q.words
    borrowed = bare and bool(state.words)
    words = state.words if borrowed else q.words
    only_named = bare and not q.names_nothing and not q.asked.kinds and not q.asked.polar
    kind = q.kind or (state.kind if only_named else None) or _kind_intent(understood)
    polar = q.asked.polar or (only_named and state.polar)
    still = q.asked.still or (only_named and state.still)
    subject = q.named[0] if q.named else (state.subject if q.names_nothing else None)
    since, since_of = _since(kb, q, state) if polar else (None, ())
    kind = kind if kind in SPECIFIC or not since else "since"  # "... since 1990?" asks it of a start

    scores = np.zeros(n)
    known, matched, unknown = [], [], []
    for word in words:
        match = index.match(word)
        if not match.whole:
            unknown.append(word)
        if match.scores is None:
            continue
        scores += match.scores
        known.append(word)
        matched.append(match.scores > 0)
    total = w.words * scores / index.max_idf
    candidates = np.ones(n, dtype=bool)
    if q.named:
        total += w.entity * np.array([sum(e in f.about for e in q.named) / len(q.named) for f in facts])
    if q.names_nothing:  # the city's own facts: "does helsinki have twin cities?" is of no other city
        total += w.general * np.array([set(f.about) <= {kb.city} for f in facts])
    if q.named and state.subject and state.subject not in q.named:  # "is Tampere a member?" of the EU Office
        total += w.carried * w.beside * np.array([state.subject in f.about for f in facts])
    elif q.names_nothing:  # what the conversation is about: its subject, and its topic
        pointing = 1.0 if bare or q.asked.points_back else 0.0
        if subject:
            total += (w.carried + pointing * w.pointing) * np.array([subject in f.about for f in facts])
        if state.topic:
            total += (w.carried + pointing * w.pointing) * w.topic * np.array([f.topic == state.topic for f in facts])
    for asked in dict.fromkeys(k for k in (kind, _kind_intent(understood)) if k):
        total += w.kind * np.array([fact_index.answers(index.kinds[f.id], asked) for f in facts])
    total += w.prior * np.array([understood.confidence(f"ask_{f.topic}") for f in facts])
    if bare and q.names_nothing and state.facts and (polar or still):  # "is it still?" of what was just said
        total += w.given * np.array([f.id in state.facts for f in facts])
    if still or q.asked.ended:  # what has ended, and first what its subject was ("St Petersburg is a partner")
        ended = np.array([not f.holds for f in facts])
        # ... of what it names only: "is Tallinn still a partner?" is not told St Petersburg's end
        if q.named or q.places:
            ended &= np.array([any(e in f.about for e in q.named) for f in facts])
        total += w.still * ended
        total += w.defining * np.array([f.id in index.defining for f in facts])
    if q.city_named:  # "is Helsinki on the executive committee?": of the city's own part in it
        total += w.city * np.array([kb.city in f.about for f in facts])
    return _Part(
        q,
        tuple(words),
        kind,
        bool(polar),
        bool(still),
        subject,
        total,
        scores,
        tuple(known),
        matched,
        tuple(unknown),
        candidates,
        tuple(index.ids),
        since,
        since_of,
    )


def _kind_intent(understood: Understood) -> Optional[str]:
    """The kind of question DIET is sure the message asks ("since when?"), if any."""
    intent = understood.intent or ""
    return KIND_INTENTS.get(intent) if understood.confidence(intent) >= weights().kind_intent else None


def _answer(
    kb: FactBase, index: fact_index.FactIndex, part: _Part, understood: Understood, state: State, already: Sequence[str]
) -> Tuple[Answer, State]:
    """One question's answer, and the conversation's state after it."""
    q, kind, subject = part.question, part.kind, part.subject
    facts = list(kb.facts.values())
    this = replace(state, subject=subject, kind=kind, words=part.words, polar=part.polar, still=part.still)
    gap = Answer(gap=Gap(kind if kind in SPECIFIC else None, subject), unnamed=q.places)
    if q.asked.future:
        return gap, this
    candidates = part.candidates.copy()
    # What the question is about, named or pointed back to: its facts answer it, and a gap is claimed
    # for a kind of question none of them answers, or for words they lack (less readily).
    explicit = bool(subject) and (bool(q.named) or not q.words or q.asked.points_back)
    if q.named and not q.words:  # "ECHA?", "and Moscow?": of what it names; the last question's words only rank
        candidates &= np.array([any(e in f.about for e in q.named) for f in facts])
    if q.asked.ended:  # "which ones have you stopped?": what has ended, and what tells the end of it
        telling = np.array([not f.holds or any(not d.holds for d in _defining(kb, f)) for f in facts])
        if explicit:
            telling &= np.array([subject in f.about for f in facts])
        elif q.names_nothing:  # ... of what the conversation is about, if it has any
            here = telling & np.array([_in_conversation(f, state) for f in facts])
            telling = here if here.any() else telling
        if (candidates & telling).any():
            candidates &= telling
    if kind in SPECIFIC:
        answering = np.array([fact_index.answers(index.kinds[f.id], kind) > 0 for f in facts])
        if part.since:  # "since 1990?": a fact that tells since when, rather than when
            telling = answering & np.array([index.kinds[f.id].get("since", 0.0) > 0 for f in facts])
            answering = telling if (telling & candidates).any() else answering
        if explicit:  # of what is asked about: its facts of this kind
            about = np.array([subject in f.about for f in facts])
            candidates &= answering & about
            if not candidates.any():
                return gap, this
        elif (candidates & answering).any():
            candidates &= answering
    if part.since_of:
        other = candidates & np.array([f.id not in part.since_of for f in facts])
        candidates = other if other.any() else candidates
    order = [int(i) for i in np.argsort(-part.total, kind="stable") if candidates[i]]
    if not order:
        return gap, this
    topic = _sure_topic(kb, understood)
    if topic and not explicit and not q.asked.ended:  # DIET is sure which topic it asks: its best fact
        order = [i for i in order if facts[i].topic == topic] or order
    best = facts[order[0]]
    if not part.words and kind not in SPECIFIC:
        chosen = _without_words(kb, part, understood, state)
    elif (
        q.words
        and not explicit
        and not topic
        and not _in_conversation(best, state)
        and _unanswered(part, best, understood)
    ):
        return gap, this
    elif explicit and kind not in SPECIFIC and not _matches(part, order[0]) and not (part.polar or part.still):
        chosen = _without_words(kb, replace(part, words=()), understood, state)  # its words are not the facts'
    else:
        chosen = _best(kb, index, part, order, understood)
    if not chosen:
        return gap, this
    chosen = [f for f in chosen if f.id not in already] or chosen[:1]
    lead = _lead(kb, q, chosen[0], index, part)
    others = [e for e in chosen[0].about if e != kb.city]
    main = subject or (others[0] if len(others) == 1 else None)  # a list of cities is about none of them
    this = replace(this, subject=main, topic=chosen[0].topic)
    return Answer(tuple(f.id for f in chosen), lead, unnamed=q.places), this


def _sure_topic(kb: FactBase, understood: Understood) -> Optional[str]:
    """The topic DIET is sure the message asks about, if any."""
    intent = understood.intent or ""
    topic = intent[len("ask_") :] if intent.startswith("ask_") else None
    return topic if topic in kb.topics and understood.confidence(intent) >= weights().topic_sure else None


def _in_conversation(fact: Fact, state: State) -> bool:
    """Whether the fact is about what the conversation is about: its subject or its topic."""
    return (state.subject is not None and state.subject in fact.about) or fact.topic == state.topic


def _matches(part: _Part, fact: int) -> bool:
    """Whether any of the question's words is in the fact."""
    return any(bool(m[fact]) for m in part.matched)


def _unanswered(part: _Part, best: Fact, understood: Understood) -> bool:
    """Whether the question's words ask what the best fact does not tell: the words it has carry less
    than `coverage` of what the question's words say, a word weighing by how rare it is in the
    language (wordfreq), so that "phone" in "what's their phone number" outweighs "number", while
    "nån" beside "krisgrupp" does not; or DIET is sure it is out of scope and a word of it is in no
    fact at all ("how do I apply for a residence permit": "apply" is in one, "permit" in none), other
    than the money a question of a sum asks about."""
    unknown = set(part.unknown) - (part.question.asked.money if part.kind == "how_much" else set())
    if unknown and understood.intent == OUT_OF_SCOPE and understood.confidence(OUT_OF_SCOPE) >= weights().out_of_scope:
        return True
    return _share(part, part.words, part.ids.index(best.id)) < weights().coverage


def _share(part: _Part, words: Sequence[str], fact: int) -> float:
    """The share of what the words say (by _information) that the fact has."""
    has = dict(zip(part.known, part.matched))
    said = {w: _information(w) for w in words}
    told = sum(weight for w, weight in said.items() if w in has and has[w][fact])
    return told / sum(said.values()) if said else 0.0


def _information(word: str) -> float:
    """How much a word says: the rarer in all three languages, the more (8 - wordfreq's zipf)."""
    import wordfreq

    return max(0.5, 8.0 - max(wordfreq.zipf_frequency(word, lang) for lang in ("fi", "sv", "en")))


def _best(
    kb: FactBase, index: fact_index.FactIndex, part: _Part, order: Sequence[int], understood: Understood
) -> List[Fact]:
    """The best fact, and those nearly as good; a list question ("which networks?") of a topic DIET is
    sure of gets the topic's first facts."""
    facts = list(kb.facts.values())
    q = part.question
    if part.kind == "which" and q.names_nothing and _alike(part, order):
        listed = _without_words(kb, replace(part, words=(), subject=None), understood, State())
        if listed:
            return listed
    best = order[0]
    if part.kind in SPECIFIC:
        return [facts[best]]
    threshold = part.total[best] * weights().near
    return [facts[i] for i in order[:MAX_FACTS] if part.total[i] >= threshold]


def _alike(part: _Part, order: Sequence[int]) -> bool:
    """Whether the question's words point to no fact more than to others ("which networks?": every
    network's fact has "network")."""
    scores = sorted((float(part.words_score[i]) for i in order), reverse=True)
    return len(scores) < 2 or scores[0] < weights().dominant * scores[1]


def _without_words(kb: FactBase, part: _Part, understood: Understood, state: State) -> List[Fact]:
    """A question with no words, its own or lent: "is it still?" of the facts just given; "ECHA?" or a
    topic's button, the first facts about it (the fact base's order is the editors' order: what it
    is, then the rest; of a topic, what holds first)."""
    q = part.question
    if (part.polar or part.still) and q.names_nothing and state.facts:
        return [kb.facts[state.facts[0]]]
    if part.subject:
        about = kb.facts_about(part.subject)
        main = [f for f in about if f.about[0] == part.subject] + [f for f in about if f.about[0] != part.subject]
        return main[:MAX_FACTS]
    intent = understood.intent or ""
    topic = intent[len("ask_") :] if intent.startswith("ask_") else None
    if topic in kb.topics and understood.confidence(intent) >= weights().topic_alone and not q.named:
        return sorted(kb.topic_facts(topic), key=lambda f: not f.holds)[:MAX_FACTS]
    return []


def _defining(kb: FactBase, fact: Fact) -> List[Fact]:
    """The first fact about each thing this one is about (fact_index.defining): what it is, and whether
    it still is ("The Helsinki Centre is ...", ended in 2022)."""
    return [kb.facts[f] for e in fact.about if e != kb.city for f in fact_index.of(kb).defining_of.get(e, ())]


def _lead(kb: FactBase, q: Question, fact: Fact, index: fact_index.FactIndex, part: _Part) -> Optional[str]:
    """Yes, no or no longer, for a question that asks so: whether the fact holds or has ended, or says
    no. "Still?" of what has ended, as the first of its facts tells, is no longer ("is the Helsinki
    Centre still open?"); a place asked that the fact is not about makes it a no ("is the Helsinki
    Centre in Moscow?")."""
    if not (part.polar or part.still):
        return None
    if q.asked.ended and not part.still:  # "did they close it?": yes, if it has ended
        return "yes" if not fact.holds or any(not d.holds for d in _defining(kb, fact)) else None
    if not fact.holds:
        return "no_longer"
    if part.still and any(not d.holds for d in _defining(kb, fact)):
        return "no_longer"
    if index.says_no[fact.id] or q.places:
        return "no"
    if any(e not in fact.about for e in q.named):  # "is Dnipro a twin city?": no twin cities at all
        return "no"
    began = years(fact.text["en"])
    if part.since and began and fact_index.answers(index.kinds[fact.id], "since") and part.since < min(began):
        return "no"  # "has it been a member since 1990?" of a member since 1994
    return "yes"


def _since(kb: FactBase, q: Question, state: State) -> Tuple[Optional[int], Tuple[str, ...]]:
    """The year a question asks whether something holds since: its own ("since 1990?"), or the one
    the last answer told ("founded in 1986" - "has Helsinki been in it since then?"), with that fact."""
    if not q.asked.since:
        return None, ()
    if q.years:
        return min(q.years), ()
    told = years(kb.facts[state.facts[0]].text["en"]) if q.asked.since_then and state.facts else ()
    return (min(told), state.facts[:1]) if told else (None, ())
