"""A plan (assistant.answering.selection) told in one language: the lead, the facts (what holds in the
present tense, what ended as history with its source and date), a gap with where to look, the buttons,
and the caption of sources under the answer. The texts around the facts are assistant/messages.yml's."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import yaml

from assistant.answering.selection import Answer, Plan
from assistant.knowledge.facts import LANGUAGES, PROBABLY, Entity, Fact, FactBase, Source, When

MESSAGES_PATH = Path(__file__).resolve().parent.parent / "messages.yml"
MAX_BUTTONS = 3
# Replies of their own and the topic buttons they offer (a number of topics; None: all of them).
SUGGESTIONS = {"greet": 4, "capabilities": None, "bot_challenge": 3, "gap": 3}


@dataclass
class Reply:
    text: str
    buttons: List[Tuple[str, str]] = field(default_factory=list)  # (title, payload)
    caption: Optional[Dict] = None  # the sources and the age note, shown under the answer
    unanswered: Optional[str] = None  # why the question was not answered, for the editors' report


@lru_cache(maxsize=1)
def messages() -> Dict[str, Dict[str, str]]:
    loaded = yaml.safe_load(MESSAGES_PATH.read_text(encoding="utf-8"))
    for key, texts in loaded.items():
        missing = [lang for lang in LANGUAGES if not (texts or {}).get(lang)]
        if missing:
            raise ValueError(f"{MESSAGES_PATH}: {key}: missing {', '.join(missing)}")
    return loaded


def say(key: str, lang: str, **values: object) -> str:
    """One of assistant/messages.yml's texts in the language, with its {placeholders} filled in."""
    return messages()[key][lang].format(**values)


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


def source_title(source: Source, lang: str) -> str:
    """The source's title in the language, or what it is where it has none ("news item")."""
    return source.in_language(source.title, lang) or say(f"untitled_{source.kind}", lang)


def payload(intent: str, entity: Optional[Entity] = None) -> str:
    """A button payload that Rasa understands without running NLU."""
    if entity is None:
        return f"/{intent}"
    return f"/{intent}{json.dumps({entity.type: entity.id})}"


def unavailable(lang: str) -> Reply:
    """What to say when the fact base cannot be loaded: no facts at all rather than half of them."""
    return Reply(say("facts_unavailable", lang))


class Renderer:
    def __init__(self, kb: FactBase, lang: str, today: Optional[datetime.date] = None):
        self.kb = kb
        self.lang = lang
        self.today = today or datetime.date.today()  # how old the facts are

    def say(self, key: str, **values: object) -> str:
        return say(key, self.lang, **values)

    def name(self, entity_id: str) -> str:
        return self.kb.entities[entity_id].names[self.lang]

    def render(self, plan: Plan) -> Reply:
        if plan.say:
            return self.own(plan.say)
        paragraphs, told = [], []
        gaps = False
        for answer in plan.answers:
            paragraphs.append(self.answer(answer))
            told += [self.kb.facts[f] for f in answer.facts]
            gaps = gaps or answer.gap is not None
        if gaps:
            paragraphs.append(
                self.say("where_to_look", website=self.kb.freshness.website, feedback=self.kb.freshness.feedback)
            )
        buttons = self.buttons(plan) if told else self.topic_buttons(SUGGESTIONS["gap"])
        return Reply(
            "\n\n".join(p for p in paragraphs if p), buttons, self.caption(told) if told else None, plan.unanswered
        )

    def own(self, key: str) -> Reply:
        """A reply that is no answer from the facts: a greeting, thanks, the languages spoken, ..."""
        if key == "languages":  # in English, which a resident of any language may read, then ours
            return Reply(" ".join(say(key, lang) for lang in ("en", "fi", "sv")))
        if key == "about_sources":
            return self.about_sources()
        count = SUGGESTIONS.get(key, 0)
        return Reply(self.say(key), self.topic_buttons(len(self.kb.topics) if count is None else count))

    def answer(self, answer: Answer) -> str:
        sentences = [self.say("not_named", place=place) for place in answer.unnamed]
        if answer.gap is not None:
            gap = answer.gap
            text = self.say(f"gap_{gap.kind or 'any'}")
            sentences.append(f"{self.name(gap.subject)}: {text}" if gap.subject else text[0].upper() + text[1:])
            return " ".join(sentences)
        if answer.lead:
            sentences.append(self.say(f"lead_{answer.lead}"))
        for fact_id in answer.facts:
            sentences.append(self.tell(self.kb.facts[fact_id]))
        return " ".join(sentences)

    def tell(self, fact: Fact) -> str:
        """What holds in the present tense; what ended as history, with the source of its end."""
        if fact.holds:
            return fact.text[self.lang]
        source = self.kb.sources[fact.ended.source]
        return (
            f"{fact.ended.history[self.lang].rstrip('.')} "
            f"({source.publisher[self.lang]}, {show_date(source.when, self.lang)})."
        )

    # --- buttons ----------------------------------------------------------------------------------

    def topic_button(self, topic_id: str) -> Tuple[str, str]:
        topic = self.kb.topics[topic_id]
        if topic.by_subject or topic.subject:
            return topic.question[self.lang], payload("ask_about", self.kb.entities[topic.subject])
        return topic.question[self.lang], payload(f"ask_{topic_id}")

    def topic_buttons(self, count: int) -> List[Tuple[str, str]]:
        return [self.topic_button(t) for t in list(self.kb.topics)[:count]]

    def buttons(self, plan: Plan) -> List[Tuple[str, str]]:
        """ "More about <subject>" when there is more, then the answer's related topics."""
        buttons = []
        if plan.more and plan.more != self.kb.city:
            entity = self.kb.entities[plan.more]
            buttons.append((self.say("more_about", subject=entity.names[self.lang]), payload("ask_about", entity)))
        subject_topic = self.kb.topic_of(plan.more) if plan.more else None
        for topic_id in plan.related:
            if len(buttons) >= MAX_BUTTONS:
                break
            if subject_topic is None or topic_id != subject_topic.id:
                buttons.append(self.topic_button(topic_id))
        return buttons

    # --- sources ----------------------------------------------------------------------------------

    def about_sources(self) -> Reply:
        """How old the assistant's information is: its oldest and newest sources, every source listed."""
        sources = sorted(self.kb.sources.values(), key=lambda s: s.when.earliest)
        dated = [s for s in sources if s.when.numbers]
        text = self.say(
            "about_sources",
            oldest=show_date(dated[0].when, self.lang),
            newest=show_date(dated[-1].when, self.lang),
            website=self.kb.freshness.website,
            feedback=self.kb.freshness.feedback,
        )
        return Reply(text, self.topic_buttons(SUGGESTIONS["gap"]), self.listing(sources))

    def caption(self, facts: List[Fact]) -> Optional[Dict]:
        """Each source used and, when even the newest of them is old, a note that says so:
        {"sources": [{"publisher", "title", "date", "url"}], "note": text or None, "text": all of it as
        plain text, for clients that show no caption, "facts": the ids of the facts told, which a
        rating of the answer is about}."""
        used = [f.source for f in facts] + [f.ended.source for f in facts if f.ended]
        sources = [self.kb.sources[s] for s in dict.fromkeys(used)]
        newest = max(sources, key=lambda s: s.when.latest, default=None)
        note = None
        if newest is not None and self.kb.freshness.is_old(newest.when.latest, self.today):
            website, date = self.kb.freshness.website, show_date(newest.when, self.lang)
            note = self.say("dated", date=date, website=website) if website else self.say("dated_no_website", date=date)
        return self.listing(sources, note, facts)

    def listing(self, sources: List[Source], note: Optional[str] = None, facts: Sequence[Fact] = ()) -> Dict:
        listed = [
            {
                "publisher": source.publisher[self.lang],
                "title": source_title(source, self.lang),
                "date": show_date(source.when, self.lang),
                "url": source.in_language(source.url, self.lang) if source.url else None,
            }
            for source in sources
        ]
        # a title in quotes; what a source without one is ("news item"), without
        lines = [
            self.say(
                "source" if source.in_language(source.title, self.lang) else "source_untitled",
                **{k: v or "" for k, v in item.items()},
            ).rstrip(": ")
            for source, item in zip(sources, listed)
        ]
        return {
            "sources": listed,
            "note": note,
            "text": "\n".join([*lines, *([note] if note else [])]),
            "facts": list(dict.fromkeys(f.id for f in facts)),
        }
