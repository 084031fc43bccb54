"""Compose the assistant's replies from the fact base, in one language. Knows nothing of Rasa.

`Replies(kb, lang).answer(intent, entities, context)` turns an understood question into the facts
that answer it, the source they come from, and 2-3 related questions as buttons. `Context` is what
the conversation was last about, so that "what about Berlin?" and "how many work there?" work.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

import yaml

from assistant import focus, gaps
from assistant.facts import ATTRIBUTES, FACT_ATTRIBUTES, LANGUAGES, PROBABLY, Entity, Fact, FactBase, When
from assistant.question_words import acknowledges, asks_how_many, asks_how_old, asks_who, points_back

MESSAGES_PATH = Path(__file__).resolve().parent / "messages.yml"
MAX_RELATED = 3
MAX_ASKED = 3  # places one question may ask about ("is Berlin or Paris a partner?"), each answered
MAX_PICKED = 4  # facts of the whole base a question's words may point to; more, and they say too little
COUNTABLE = ("network", "organisation")  # "how many?" of these asks for members or staff
PEOPLE = "people"  # the gap (facts/gaps.yml) of who leads what: the sources name no one


@dataclass(frozen=True)
class Mention:
    """An entity as NLU gave it: a fact base id, or (for a place the fact base lacks) the text typed."""

    type: str
    value: str


@dataclass(frozen=True)
class Context:
    topic: Optional[str] = None  # the topic last answered, or an attribute ("since", "staff")
    subject: Optional[str] = None  # the entity it was about


@dataclass
class Reply:
    text: str
    buttons: List[Tuple[str, str]] = field(default_factory=list)  # (title, payload)
    context: Optional[Context] = None  # None: the conversation's context stays as it was
    caption: Optional[Dict] = None  # the sources and the age note, shown under the answer (see cite)
    unanswered: Optional[str] = None  # why the question was not answered, for the editors' report


@lru_cache(maxsize=1)
def messages() -> Dict[str, Dict[str, str]]:
    loaded = yaml.safe_load(MESSAGES_PATH.read_text(encoding="utf-8"))
    for key, texts in loaded.items():
        missing = [lang for lang in LANGUAGES if not (texts or {}).get(lang)]
        if missing:
            raise ValueError(f"{MESSAGES_PATH}: {key}: missing {', '.join(missing)}")
    return loaded


def payload(intent: str, entity: Optional[Entity] = None) -> str:
    """A button payload that Rasa understands without running NLU."""
    if entity is None:
        return f"/{intent}"
    return f"/{intent}{json.dumps({entity.type: entity.id})}"


class Replies:
    def __init__(self, kb: FactBase, lang: str, today: Optional[datetime.date] = None):
        self.kb = kb
        self.lang = lang
        self.today = today or datetime.date.today()  # how old the facts are

    def say(self, key: str, **values: str) -> str:
        return say(key, self.lang, **values)

    def name(self, entity_id: str) -> str:
        return self.kb.entities[entity_id].names[self.lang]

    # --- buttons ----------------------------------------------------------------------------------

    def topic_button(self, topic_id: str) -> Tuple[str, str]:
        topic = self.kb.topics[topic_id]
        if topic.by_subject:
            return topic.question[self.lang], payload("ask_about", self.kb.entities[topic.subject])
        return topic.question[self.lang], payload(f"ask_{topic_id}")

    def attribute_button(self, attribute: str, entity_id: str) -> Tuple[str, str]:
        entity = self.kb.entities[entity_id]
        asked_by = "staff" if attribute == "members" else attribute  # "how many?" is one intent
        return self.say(f"question_{attribute}", subject=self.name(entity_id)), payload(f"ask_{asked_by}", entity)

    def related_buttons(self, topic_id: Optional[str], skip: Iterable[str] = ()) -> List[Tuple[str, str]]:
        topic = self.kb.topics.get(topic_id) if topic_id else None
        related = topic.related if topic else tuple(self.kb.topics)
        chosen = [t for t in related if t not in skip and t != topic_id][:MAX_RELATED]
        return [self.topic_button(t) for t in chosen]

    def suggestion_buttons(self, count: int) -> List[Tuple[str, str]]:
        return [self.topic_button(t) for t in list(self.kb.topics)[:count]]

    # --- facts with their source ------------------------------------------------------------------

    def date(self, when: When) -> str:
        """A date as sure as it is known: 6 December 2019, August 2022, probably March 2022, 2022, undated."""
        return show_date(when, self.lang)

    def history(self, fact: Fact) -> str:
        """An ended fact told as history, with the source of its end: never in the present tense."""
        ending = fact.ended
        source = self.kb.sources[ending.source]
        return f"{ending.history[self.lang].rstrip('.')} ({source.publisher[self.lang]}, {self.date(source.when)})."

    def cite(self, parts: Sequence[Tuple[Sequence[str], Sequence[Fact]]], buttons: List[Tuple[str, str]],
             context: Context) -> Reply:
        """A reply of paragraphs of (preface, facts): what holds now, then what ended, as history. Its
        caption lists each source used and, when even the newest of them is old, says so:
        {"sources": [{"publisher", "title", "date", "url"}], "note": text or None, "text": all of it as
        plain text, for clients that show no caption, "facts": the ids of the facts told, which a
        rating of the answer is about}."""
        paragraphs: List[str] = []
        used: List[str] = []
        told = [f.id for _, facts in parts for f in facts]
        for preface, facts in parts:
            holding = [f.text[self.lang] for f in facts if f.holds]
            ended = [f for f in facts if not f.holds]
            paragraphs.append(" ".join([*preface, *holding]))
            if ended:
                paragraphs.append(" ".join(self.history(f) for f in ended))
            used += [f.source for f in facts] + [f.ended.source for f in ended]
        sources = [self.kb.sources[s] for s in dict.fromkeys(used)]
        listed = [
            {
                "publisher": source.publisher[self.lang],
                "title": source_title(source, self.lang),
                "date": self.date(source.when),
                "url": source.in_language(source.url, self.lang) if source.url else None,
            }
            for source in sources
        ]
        note = None
        newest = max(sources, key=lambda s: s.when.latest, default=None)
        if newest is not None and self.kb.freshness.is_old(newest.when.latest, self.today):
            website, date = self.kb.freshness.website, self.date(newest.when)
            note = self.say("dated", date=date, website=website) if website else self.say("dated_no_website", date=date)
        lines = [self.say("source", **{k: v or "" for k, v in s.items()}).rstrip(": ") for s in listed]
        caption = {"sources": listed, "note": note, "text": "\n".join([*lines, *([note] if note else [])]),
                   "facts": list(dict.fromkeys(told))}
        return Reply("\n\n".join(p for p in paragraphs if p), buttons, context, caption if listed else None)

    # --- answers ----------------------------------------------------------------------------------

    def answer(self, intent: str, mentions: Sequence[Mention], context: Context, question: str = "") -> Reply:
        """The reply to an understood question; `question` is the resident's words, which narrow the
        facts in reach to those they point to (assistant.focus)."""
        context = self.still_known(context)
        known = [self.kb.find_entity(m.value) for m in mentions]
        subjects = [e for e in known if e is not None]
        unknown = [m for m, e in zip(mentions, known) if e is None]
        subject = subjects[0] if subjects else None
        asked = [e or m for m, e in zip(mentions, known)][:MAX_ASKED]  # in the order named

        attribute = intent[len("ask_") :] if intent.startswith("ask_") else None
        if attribute not in ATTRIBUTES and subject is not None and subject.type in COUNTABLE and asks_how_many(question):
            attribute = "staff"  # "montako jäsentä ucuessa on": a count, whatever else the words resemble
        if attribute in ATTRIBUTES:
            return self.attribute(attribute, subject.id if subject else context.subject, unknown, question)
        if intent == "ask_about":
            return self.follow_up(asked, context, question)
        if attribute == "partners" and subject is not None and subject.type == "country":
            return self.about(subject, question)  # "partner cities in Ukraine?": what the sources say of it
        if attribute == "partners" and asked:
            return self.partner_check(asked)
        if attribute == "networks" and subject is not None and subject.type == "network":
            return self.about(subject, question)
        if attribute not in self.kb.topics:  # a topic an editor renamed; its intent is still trained
            return self.fallback()
        return self.topic(attribute, subjects, question)

    def still_known(self, context: Context) -> Context:
        """The conversation's context, less what an edit of the fact base has since removed."""
        topic = context.topic if context.topic in self.kb.topics or context.topic in FACT_ATTRIBUTES else None
        return Context(topic, context.subject if context.subject in self.kb.entities else None)

    def pick(self, facts: Iterable[Fact], question: str, named: Sequence[Entity] = (),
             anywhere: bool = False) -> List[Fact]:
        """The facts the question's own words point to, the names of what it names left out: "what is
        Dnipro?" points to nothing in particular, "what did Helsinki donate to Dnipro?" does. Among
        facts of any subject (`anywhere`), two of its words must point to them, and to a few at most."""
        picked = focus.pick(self.kb, self.lang, facts, question, [*named, self.kb.entities.get(self.kb.city)],
                            min_words=2 if anywhere else 1)
        return [] if anywhere and len(picked) > MAX_PICKED else picked

    def picked(self, facts: Sequence[Fact], subject: Optional[str] = None, rest: Sequence[Fact] = ()) -> Reply:
        """Facts a question's words pointed to, then the rest of what the question would get without
        them (a detail asked does not hide that the Helsinki Centre closed), with the related
        questions of the first one's topic."""
        topic_id = facts[0].topic
        given = {f.id for f in facts}
        return self.cite([((), [*facts, *(f for f in rest if f.id not in given)])], self.related_buttons(topic_id),
                         Context(topic_id, subject or self.kb.topics[topic_id].subject))

    def topic(self, topic_id: str, named: Sequence[Entity] = (), question: str = "") -> Reply:
        """A topic's facts. A question that also names something reaches its facts too, and gets those
        its words point to first ("what is the tallinn agreement about", though taken for one on twin
        cities). Without a name, the words are the topic's own ("which networks is helsinki in")."""
        topic = self.kb.topics[topic_id]
        named = [e for e in named if e.id != self.kb.city]
        if named:
            in_reach = self.kb.topic_facts(topic_id) + [f for e in named for f in self.kb.facts_about(e.id)]
            own_subject = [self.kb.entities[topic.subject]] if topic.subject in self.kb.entities else []
            picked = self.pick(in_reach, question, [*named, *own_subject])
            if picked:
                return self.picked(picked, named[0].id, self.kb.topic_facts(topic_id))
            if asks_who(question):
                return self.out_of_scope(PEOPLE)
        return self.cite([((), self.kb.topic_facts(topic_id))], self.related_buttons(topic_id),
                         Context(topic_id, topic.subject))

    def about(self, entity: Entity, question: str = "", others: Sequence[Entity] = ()) -> Reply:
        """What the sources say of an entity; first the facts about it, or it and the others named,
        that the question's words point to ("did the mayor go to ukraine with eurocities")."""
        picked = self.pick([f for e in (entity, *others) for f in self.kb.facts_about(e.id)], question,
                           (entity, *others))
        if picked:
            return self.picked(picked, entity.id, self.kb.facts_about(entity.id))
        if asks_who(question):  # "who runs the EU office?": the sources name no one
            return self.out_of_scope(PEOPLE)
        facts = self.kb.facts_about(entity.id)
        if not facts:  # the fact base refuses this, but a reply must not depend on it
            return self.nothing_said()
        own_topic = self.kb.topic_of(entity.id)
        topic_id = own_topic.id if own_topic else facts[0].topic
        # Any question naming Ukraine gets its topic: say which question this answers.
        preface = [self.say("answers_question", question=own_topic.question[self.lang])] if (
            own_topic and own_topic.by_subject) else []
        return self.cite([(preface, facts)], self.related_buttons(topic_id), Context(topic_id, entity.id))

    def follow_up(self, asked: Sequence[Union[Entity, Mention]], context: Context, question: str = "") -> Reply:
        """ "What about X?": the last question again, about X; else what the sources say of X."""
        named = [a for a in asked if isinstance(a, Entity)]
        subject = named[0] if named else None
        unknown = [a for a in asked if isinstance(a, Mention)]
        if subject is None and not unknown:
            return self.current_subject(context, question)
        if context.topic in FACT_ATTRIBUTES and subject is not None:
            return self.attribute(context.topic, subject.id, [], question)
        is_city = subject.type == "city" if subject else any(m.type == "city" for m in unknown)
        if is_city and (context.topic in ("partners", "twin_cities") or subject is None):
            return self.partner_check(asked)
        if subject is None:
            return self.nothing_said()
        if context.subject not in (None, subject.id) and context.topic in self.kb.topics:
            # "entä Kotka?" after the Helsinki Centre: Kotka in the centre's story, which stays the subject
            in_topic = [f for f in self.kb.topic_facts(context.topic) if subject.id in f.about]
            if in_topic:
                return self.cite([((), in_topic)], self.related_buttons(context.topic), context)
        return self.about(subject, question, named[1:])

    def in_context(self, context: Context) -> List[Fact]:
        """The facts about the conversation's subject and of its topic: what "it" may refer to."""
        about = self.kb.facts_about(context.subject) if context.subject in self.kb.entities else []
        return about + (self.kb.topic_facts(context.topic) if context.topic in self.kb.topics else [])

    def nothing_said(self) -> Reply:
        """ "My sources say nothing about that", with questions they do answer."""
        return Reply(self.say("unknown_subject"), self.suggestion_buttons(MAX_RELATED))

    def current_subject(self, context: Context, question: str = "") -> Reply:
        """ "Is it still open?", "are they still partners?", "who coordinates it?": of what the
        conversation is about (its subject and its topic), what the question's words point to first;
        then what holds now of the subject, then what ended; a city talked about as a partner gets the
        partner answer. With no subject, the honest "my sources say nothing about that"."""
        subject = self.kb.entities.get(context.subject) if context.subject else None
        picked = self.pick(self.in_context(context), question, [subject] if subject else [])
        if picked:
            return self.picked(picked, subject.id if subject else None,
                               self.kb.facts_about(subject.id) if subject else [])
        if asks_who(question):
            return self.out_of_scope(PEOPLE)
        if subject is None:
            return self.nothing_said()
        if subject.type == "city" and context.topic in ("partners", "twin_cities"):
            return self.partner_check([subject])
        return self.about(subject)

    def partner_check(self, asked: Sequence[Union[Entity, Mention]]) -> Reply:
        """ "Is X (or Y) a partner?": for each, what the sources say of the partnership, what holds
        first, then what ended, as history. No bare "yes" or "no": the same words may ask "has Helsinki
        ended its cooperation with X?". A place the sources do not name as a partner is said not to be
        one there, with today's partners and those that ended, and where else the sources name it."""
        parts: List[Tuple[Sequence[str], Sequence[Fact]]] = []
        told: set = set()
        for place in asked:
            for preface, facts in self.partner_parts(place):
                parts.append((preface, [f for f in facts if f.id not in told]))
                told |= {f.id for f in facts}
        subject = next((a.id for a in asked if isinstance(a, Entity)), None)
        return self.cite(parts, self.related_buttons("partners"), Context("partners", subject))

    def partner_parts(self, place: Union[Entity, Mention]) -> List[Tuple[Sequence[str], Sequence[Fact]]]:
        partner_facts = self.kb.topic_facts("partners")
        if isinstance(place, Mention):  # a city the fact base lacks, by its name ("Oslo")
            return [([self.say("partner_no", city=place.value)], partner_facts)]
        facts = [f for f in partner_facts if place.id in f.about]
        if facts:
            return [((), facts)]
        name = place.names[self.lang]
        parts = [([self.say("partner_no", city=name)], partner_facts)]
        elsewhere = [f for f in self.kb.facts_about(place.id) if f.topic != "partners"]
        if elsewhere:
            parts.append(([self.say("also_mentioned", city=name)], elsewhere))
        return parts

    def attribute(self, attribute: str, subject_id: Optional[str], unknown: Sequence[Mention],
                  question: str = "") -> Reply:
        """ "Since when?" / "How many work there?" about the subject asked or talked about; "how many?"
        of a network asks for its members. Of the subject's facts that can answer it (a year for "when",
        a number for "how many"), those the question's words point to ("when did Arcada join the EU
        office?"), else those stating the attribute."""
        subject = self.kb.entities.get(subject_id) if subject_id else None
        if attribute == "staff" and subject is not None and subject.type == "network":
            attribute = "members"
        known_subjects = self.kb.subjects_with(attribute)
        choices = [self.attribute_button(attribute, s) for s in known_subjects]
        can_answer = focus.answers_kind(attribute)
        if subject is None and not unknown:
            # "milloin keskuksen lopettamista alettiin valmistella": the words may say what it is about
            picked = self.pick([f for f in self.kb.facts.values() if can_answer(f, self.lang)], question,
                               anywhere=True)
            if picked:
                return self.picked(picked)
            return Reply(self.say("which_subject"), choices)
        in_reach = [f for f in self.kb.facts_about(subject_id) if can_answer(f, self.lang)] if subject else []
        picked = {f.id for f in self.pick(in_reach, question, [subject] if subject else [])}
        facts = [f for f in in_reach if f.id in picked or f.attribute == attribute]
        if not facts and attribute == "since" and in_reach and all(not f.holds for f in in_reach):
            facts = in_reach  # "when was that stopped?" of Moscow: all there is has ended, and when
        if facts:
            return self.cite([((), facts)], self.related_buttons(facts[0].topic), Context(attribute, subject_id))
        name = self.name(subject_id) if subject_id else unknown[0].value
        return Reply(
            self.say(f"not_stated_{attribute}", subject=name), choices, Context(attribute, subject_id)
        )

    # --- around the answers -----------------------------------------------------------------------

    def by_words(self, question: str) -> Optional[Reply]:
        """What a message's words alone settle, whatever the model made of it: "ok" acknowledges and
        the conversation goes on; "how old is this information?" gets the sources and their dates."""
        if acknowledges(question):
            return Reply(self.say("acknowledged"))
        if asks_how_old(question):
            return self.about_sources()
        return None

    def about_sources(self) -> Reply:
        """Every source the fact base rests on, with its date; the city's website and feedback service."""
        lines = []
        for source in self.kb.sources.values():
            url = source.in_language(source.url, self.lang) if source.url else ""
            line = self.say("source", publisher=source.publisher[self.lang], date=self.date(source.when),
                            title=source_title(source, self.lang), url=url)
            lines.append("– " + line.rstrip(": "))
        text = self.say("about_sources", sources="\n".join(lines), website=self.kb.freshness.website,
                        feedback=gaps.load().feedback)
        return Reply(text, self.suggestion_buttons(MAX_RELATED))

    def smalltalk(self, intent: str) -> Reply:
        key = "capabilities" if intent == "ask_capabilities" else intent
        buttons = {
            "greet": self.suggestion_buttons(4),
            "ask_capabilities": self.suggestion_buttons(len(self.kb.topics)),
            "bot_challenge": self.suggestion_buttons(MAX_RELATED),
        }.get(intent, [])
        return Reply(self.say(key), buttons)

    def out_of_scope(self, gap_id: Optional[str] = None, mentions: Sequence[Mention] = (),
                     question: str = "", context: Context = Context()) -> Reply:
        """Out of scope; for a question about what the sources never say (facts/gaps.yml), that they
        do not say it, and where to look. But a message that names things of the fact base and whose
        words point to a fact about them gets that fact ("tuleeko dnipron lapsia kesäleireille"), and a
        short one pointing back gets what its words point to in what the conversation is about
        ("flyttade den nånstans 2020")."""
        known = gaps.load()
        gap = next((g for g in known.gaps if g.id == gap_id), None)
        if gap is None:
            named = self.named(mentions)
            picked = self.pick([f for e in named for f in self.kb.facts_about(e.id)], question, named)
            if picked:
                return self.picked(picked, named[0].id)
            context = self.still_known(context)
            if not mentions and (context.subject or context.topic) and points_back(question):
                in_reach = self.in_context(context)
                picked = self.pick(in_reach, question)
                if picked:
                    return self.picked(picked, context.subject)
            return Reply(self.say("out_of_scope"), self.suggestion_buttons(4), unanswered="out_of_scope")
        text = self.say("not_in_sources", what=gap.what[self.lang], website=self.kb.freshness.website,
                        feedback=known.feedback)
        return Reply(text, self.suggestion_buttons(MAX_RELATED), unanswered="out_of_scope")

    def unsure(self, ranked_intents: Iterable[str], mentions: Sequence[Mention], context: Context,
               question: str) -> Reply:
        """The model was unsure. A message that names one thing of the fact base gets what the sources
        say of it ("mitä helsinki lahjoitti dniprolle"); a short one that points back ("onks se viel
        auki") is a follow-up on what the conversation is about; one naming several things gets the
        facts about them all; one whose words point to a few facts gets them. Otherwise "Did you mean
        ...?" with the likeliest questions."""
        context = self.still_known(context)
        named = self.named(mentions)
        if self.kb.sole_entity(m.value for m in mentions) or (
            not mentions and (context.subject or context.topic) and points_back(question)
        ):
            return self.answer("ask_about", mentions, context, question)
        together = [f for f in self.kb.facts.values() if named and all(e.id in f.about for e in named)]
        if together and len(named) == len(mentions):  # "helsinki-keskus pietarissa?": facts about both
            return self.picked(self.pick(together, question, named) or together, named[0].id)
        picked = self.pick(self.kb.facts.values(), question, named, anywhere=True)
        if picked:
            return self.picked(picked, named[0].id if named else None)
        return self.did_you_mean(ranked_intents, context)

    def named(self, mentions: Sequence[Mention]) -> List[Entity]:
        """The fact base's entities among the mentions, in the order named."""
        found = (self.kb.find_entity(m.value) for m in mentions)
        return list({e.id: e for e in found if e is not None}.values())

    def did_you_mean(self, ranked_intents: Iterable[str], context: Context) -> Reply:
        """Buttons for the likeliest questions; with none to offer, the honest fallback."""
        buttons: List[Tuple[str, str]] = []
        for intent in ranked_intents:
            topic_or_attribute = intent[len("ask_") :]
            if topic_or_attribute in self.kb.topics:
                buttons.append(self.topic_button(topic_or_attribute))
            elif topic_or_attribute in ATTRIBUTES:
                subjects = self.kb.subjects_with(topic_or_attribute)
                subject = (
                    context.subject if context.subject in subjects else subjects[0] if subjects else None
                )
                if subject:
                    buttons.append(self.attribute_button(topic_or_attribute, subject))
        buttons = list(dict.fromkeys(buttons))[:MAX_RELATED]
        if not buttons:
            return self.fallback()
        return Reply(self.say("did_you_mean"), buttons + [(self.say("none_of_these"), "/deny")],
                     unanswered="low_confidence")

    def fallback(self) -> Reply:
        return Reply(self.say("fallback"), self.suggestion_buttons(MAX_RELATED), unanswered="fallback")


def show_date(when: When, lang: str) -> str:
    """A date no more precise than it is known: 6 December 2019, August 2022, probably March 2022
    ("todennäköisesti maaliskuussa 2022"), 2022, or undated."""
    day = when.day
    month = say("months", lang).split()[day.month - 1]
    if when.sureness == "undated":
        return say("undated", lang)
    if when.sureness == "year":
        return str(day.year)
    if when.sureness == "month":
        return f"{month} {day.year}"
    if when.sureness == "likely":
        return say("probably", lang, month=month, year=day.year, probably=PROBABLY[lang])
    return f"{day.day} {month} {day.year}" if lang == "en" else f"{day.day}.{day.month}.{day.year}"


def source_title(source, lang: str) -> str:
    """The source's title in the language, or what it is where it has none ("news item")."""
    return source.in_language(source.title, lang) or say(f"untitled_{source.kind}", lang)


def say(key: str, lang: str, **values: object) -> str:
    """One of assistant/messages.yml's texts in the language, with its {placeholders} filled in."""
    return messages()[key][lang].format(**values)


def unavailable(lang: str) -> Reply:
    """What to say when the fact base cannot be loaded: no facts at all rather than half of them."""
    return Reply(say("facts_unavailable", lang))
