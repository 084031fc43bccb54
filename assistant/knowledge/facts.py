"""The fact base's records, and the questions the replies ask of them.

`assistant.knowledge.factbase` reads and validates facts/international_work.yml into these records.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

LANGUAGES = ("fi", "sv", "en")
ENTITY_TYPES = ("city", "country", "network", "organisation", "region")
# How sure a source's date is: printed on it; known to the month; inferred (shown as "probably" with the
# month and year); known to the year; or not printed at all ("undated": `date` is then the earliest year
# it can be, which orders it among the others, and answers show no date).
SURENESS = ("sure", "month", "likely", "year", "undated")
# The word that marks a likely date in each language, in answers and in the facts' own texts
# ("probably in March 2022"): the fact base's check requires it beside a number only a likely date gives.
PROBABLY = {"fi": "todennäköisesti", "sv": "troligen", "en": "probably"}
# What a source is, named in answers where it has no title of its own.
SOURCE_KINDS = ("news", "page")


@dataclass(frozen=True)
class When:
    """A day, as sure as its source: a "year" date is any day of that year, a "month" date any day of
    that month, an "undated" one any day from the start of that year on."""

    day: datetime.date
    sureness: str = "sure"

    @property
    def earliest(self) -> datetime.date:
        if self.sureness in ("year", "undated"):
            return self.day.replace(month=1, day=1)
        return self.day.replace(day=1) if self.sureness == "month" else self.day

    @property
    def latest(self) -> datetime.date:
        if self.sureness in ("year", "undated"):
            return self.day.replace(month=12, day=31)
        if self.sureness == "month":
            following = self.day.replace(day=28) + datetime.timedelta(days=4)
            return following - datetime.timedelta(days=following.day)
        return self.day

    @property
    def numbers(self) -> Tuple[int, ...]:
        """The numbers the date is sure of (year, month, day), as far as it is known: none when undated."""
        known = {"sure": 3, "month": 2, "likely": 2, "year": 1, "undated": 0}[self.sureness]
        return (self.day.year, self.day.month, self.day.day)[:known]


@dataclass(frozen=True)
class Freshness:
    """When an answer says its facts may be out of date, and where current details are."""

    max_age_years: float = 2.0
    website: Optional[str] = None
    feedback: Optional[str] = None  # the city's feedback service: where to ask what the sources do not say

    def is_old(self, day: datetime.date, today: datetime.date) -> bool:
        return (today - day).days > self.max_age_years * 365.25


@dataclass(frozen=True)
class Source:
    id: str
    publisher: Dict[str, str]
    title: Dict[str, str]  # in the languages it has a title in; empty when the source gives none
    kind: str  # what it is, named in place of a missing title: news (an item) or page
    url: Dict[str, str]  # in the languages it is published in
    when: When
    file: Optional[Path]  # the file its facts are quoted from, under facts/sources/

    def in_language(self, field: Dict[str, str], lang: str) -> Optional[str]:
        """The title or address in the language, or else in English, Swedish or Finnish; None when the
        source has none."""
        return field.get(lang) or next((field[other] for other in ("en", "sv", "fi") if other in field), None)


@dataclass(frozen=True)
class Entity:
    id: str
    type: str
    names: Dict[str, str]
    aliases: Dict[str, Tuple[str, ...]]

    def languages_spelt(self, written: str) -> List[str]:
        """The languages in which the entity is written so ("Tallinn": sv, en, and fi as an alias;
        "Helsingfors": sv; "Tallinnan": none, an inflected form)."""
        folded = written.casefold()
        return [lang for lang in LANGUAGES if folded in (s.casefold() for s in (self.names[lang], *self.aliases[lang]))]

    def spellings(self) -> List[str]:
        """Every way of writing the entity, in all languages, without repeats."""
        seen: Dict[str, str] = {}
        for lang in LANGUAGES:
            for spelling in (self.names[lang], *self.aliases[lang]):
                seen.setdefault(spelling.casefold(), spelling)
        return list(seen.values())


@dataclass(frozen=True)
class Topic:
    id: str
    question: Dict[str, str]
    related: Tuple[str, ...]
    subject: Optional[str]
    # No intent of its own: asked by naming the subject ("ukraine?"), whatever else the question says.
    by_subject: bool = False


@dataclass(frozen=True)
class Ending:
    """When a fact stopped holding, the source that says so with its words, and the fact retold as
    history in each language."""

    when: When
    source: str
    quote: str
    history: Dict[str, str]


@dataclass(frozen=True)
class Fact:
    id: str
    topic: str
    about: Tuple[str, ...]
    source: str
    quote: str
    text: Dict[str, str]  # in the present tense: what holds
    ended: Optional[Ending] = None
    questions: Dict[str, Tuple[str, ...]] = field(default_factory=dict)  # residents' questions it answers

    @property
    def holds(self) -> bool:
        return self.ended is None


@dataclass(frozen=True)
class FactBase:
    path: Path
    sources: Dict[str, Source]
    entities: Dict[str, Entity]
    topics: Dict[str, Topic]
    facts: Dict[str, Fact]
    city: str  # the city whose page this is: naming it does not narrow a question
    freshness: Freshness = Freshness()

    def find_entity(self, value: str) -> Optional[Entity]:
        """The entity with this id, or with this name or alias in any language."""
        if value in self.entities:
            return self.entities[value]
        folded = value.strip().casefold()
        for entity in self.entities.values():
            if folded in (s.casefold() for s in entity.spellings()):
                return entity
        return None

    def topic_facts(self, topic_id: str) -> List[Fact]:
        return [f for f in self.facts.values() if f.topic == topic_id]

    def facts_about(self, entity_id: str) -> List[Fact]:
        return [f for f in self.facts.values() if entity_id in f.about]

    def topic_of(self, entity_id: str) -> Optional[Topic]:
        """The topic this entity is the subject of, if any (the EU Office, Ukraine)."""
        return next((t for t in self.topics.values() if t.subject == entity_id), None)
