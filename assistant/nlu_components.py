"""Rasa NLU components built on the fact base: entity names, the message's language, the topic of a
question that names only a topic's subject, and questions about what the sources never say.

All run at prediction time only (nothing to train), from the fact base as it is on disk.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant import factbase, gaps, language, world_cities
from assistant.entity_matcher import Match, default_matcher
from assistant.factbase import FactBaseError
from assistant.facts import LANGUAGES
from assistant.language import Name, detect

logger = logging.getLogger(__name__)

LANGUAGE = "language"  # the parse data key: "fi", "sv", "en", or None when too short to tell


def load_data() -> None:
    """Load now what the components otherwise load at their first message: the language detector's
    models and word lists, GeoNames' cities, the fact base and its names, the gaps (about 380 MB)."""
    language.load()
    world_cities.load()
    default_matcher()
    gaps.load()


class _Stateless(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class FactEntityExtractor(_Stateless, EntityExtractorMixin):
    """The entities of a message: the fact base's cities, networks and organisations, whatever the
    language or Finnish case, with their fact base id as value ("Berliinissä" -> berlin); and other
    cities of the world, with their name as value ("Oslossa" -> Oslo), so that a question about a
    city the page does not name can be answered as such. The city whose page this is names no
    subject ("Helsinki's partners") and is left out.
    """

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            names, home = _fact_base_names(text)
            message.set(FACT_BASE_NAMES, names)  # for LanguageDetector, which needs the home city's too
            others = [c for c in world_cities.find(text) if not any(_overlap(c, n) for n in names)]
            entities = [
                {
                    "entity": m.type,
                    "value": m.entity_id,
                    "start": m.start,
                    "end": m.end,
                    "confidence_entity": 1.0,
                }
                for m in sorted(names + others, key=lambda m: m.start)
                if m.entity_id != home
            ]
            message.set(ENTITIES, self.add_extractor_name(entities), add_to_output=True)
        return messages


FACT_BASE_NAMES = "fact_base_names"  # a message's matches of the fact base's names, all of them (not output)


def _fact_base_names(text: str) -> Tuple[List[Match], Optional[str]]:
    """The fact base's names in the text, and the page's own city. None while the fact base cannot
    be loaded: the message is still understood, and the actions say the facts are unavailable."""
    try:
        return default_matcher().find(text), factbase.current().city
    except FactBaseError as error:
        logger.error("fact base names not matched: %s", error)
        return [], None


def _spelling_languages(match: Match) -> Tuple[str, ...]:
    """The languages whose spelling of the name this is; an English genitive ("Helsinki's") is the
    name, to Lingua a Finnish word."""
    entity = factbase.current().entities.get(match.entity_id)
    written = re.sub(r"['’]s$", "", match.text)
    return tuple(entity.languages_spelt(written)) if entity is not None else tuple(LANGUAGES)


def _overlap(a: Match, b: Match) -> bool:
    return a.start < b.end and b.start < a.end


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class LanguageDetector(_Stateless):
    """Adds the message's language to the parse data (assistant.language.detect): the words around
    the names decide first; then a name in one language's spelling ("Helsingfors", "Tukholma"); then
    the text with only the names spelt alike in several languages left out ("Tallinn", "ECHA", and
    other cities written as GeoNames has them, "Oslo"), so that inflected names count ("helsingillä",
    "brysselissä"). Runs after FactEntityExtractor, whose matches it takes rather than match again."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = message.get(FACT_BASE_NAMES)
            if found is None:  # a pipeline without FactEntityExtractor before it
                found = _fact_base_names(text)[0] if text else []
            names = [Name(m.start, m.end, _spelling_languages(m)) for m in found]
            # other places as written ("Oslo"), spelt alike in all three
            names += [
                Name(e["start"], e["end"])
                for e in message.get(ENTITIES, [])
                if "start" in e and text[e["start"] : e["end"]].casefold() == str(e["value"]).casefold()
            ]
            message.set(LANGUAGE, detect(text, names), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class TopicBySubject(_Stateless):
    """A question that names nothing but the subject of a topic with no intent of its own ("auttaako
    helsinki ukrainaa", "stöd till ukraina") is asked about that subject (ask_about), unless DIET
    placed it where the subject's facts are: small talk, or a topic or attribute with facts about it
    ("partner cities in Ukraine?"). DIET has no examples for such a topic (README, "Ukraine") and takes
    most of these questions for out of scope, unsure, or another topic. Runs after FallbackClassifier."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            subject = _sole_subject(message)
            if subject is None:
                continue
            intent = (message.get(INTENT) or {}).get("name") or ""
            topic = factbase.current().topic_of(subject)
            if topic is not None and topic.by_subject and not _placed(intent, subject):
                _set_intent(message, "ask_about")
        return messages


def _sole_subject(message: Message) -> Optional[str]:
    try:
        return factbase.current().sole_entity(str(e["value"]) for e in message.get(ENTITIES) or [])
    except FactBaseError:
        return None


def _placed(intent: str, subject: str) -> bool:
    if intent in ("out_of_scope", "nlu_fallback"):
        return False
    if not intent.startswith("ask_"):
        return True  # small talk, "none of these"
    asked = intent[len("ask_") :]
    facts = factbase.current().facts_about(subject)
    return asked == "about" or any(asked in (f.topic, f.attribute) for f in facts)


def _set_intent(message: Message, intent: str) -> None:
    """The intent, and the ranking's top: rasa_sdk's Tracker.get_intent_of_latest_message() reads that."""
    asked = {"name": intent, "confidence": 1.0}
    ranking = [i for i in message.get(INTENT_RANKING_KEY) or [] if i.get("name") != intent]
    message.set(INTENT, asked, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [asked, *ranking], add_to_output=True)


GAP = "gap"  # the parse data key: what the sources do not say that the message asks (facts/gaps.yml)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class NotInSources(_Stateless):
    """A question about what the sources never say (budgets, contacts, jobs, funding for associations,
    facts/gaps.yml) is out of scope whatever DIET made of it, with the gap's id in the parse data
    ("gap"; not an entity: it names no thing), so that the reply says so and where to look rather
    than giving the nearest fact. Small talk is left alone. Runs last of the intent classifiers."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name") or ""
            gap = gaps.load().find(message.get(TEXT) or "")
            if gap is None or not (intent.startswith("ask_") or intent in ("out_of_scope", "nlu_fallback")):
                continue
            _set_intent(message, "out_of_scope")
            message.set(GAP, gap.id, add_to_output=True)
        return messages
