"""Rasa NLU components built on the fact base: entity names, and the message's language.

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
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.knowledge import factbase
from assistant.knowledge.factbase import FactBaseError
from assistant.knowledge.facts import LANGUAGES, FactBase
from assistant.understanding import language, mentions, world_cities
from assistant.understanding.entity_matcher import Match, default_matcher
from assistant.understanding.language import Name, detect_surely

logger = logging.getLogger(__name__)

LANGUAGE = "language"  # the parse data key: "fi", "sv", "en", "other", or None when too short to tell
LANGUAGE_SURE = "language_sure"  # ... and whether it is sure (assistant.understanding.language.detect_surely)


def load_data() -> None:
    """Load now what the components otherwise load at their first message: the language detector's
    models and word lists, GeoNames' cities, the fact base and its names."""
    language.load()
    world_cities.load()
    default_matcher()


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
            names, entities = mentions.entities_in(text, _fact_base())
            message.set(FACT_BASE_NAMES, names)  # for LanguageDetector, which needs the home city's too
            message.set(ENTITIES, self.add_extractor_name(entities), add_to_output=True)
        return messages


FACT_BASE_NAMES = "fact_base_names"  # a message's matches of the fact base's names, all of them (not output)


def _fact_base() -> Optional[FactBase]:
    """The fact base served; None while it cannot be loaded: the message is still understood, and the
    actions say the facts are unavailable."""
    try:
        return factbase.current()
    except FactBaseError as error:
        logger.error("fact base names not matched: %s", error)
        return None


def _spelling_languages(match: Match) -> Tuple[str, ...]:
    """The languages whose spelling of the name this is; an English genitive ("Helsinki's") is the
    name, to Lingua a Finnish word."""
    entity = factbase.current().entities.get(match.entity_id)
    written = re.sub(r"['’]s$", "", match.text)
    return tuple(entity.languages_spelt(written)) if entity is not None else tuple(LANGUAGES)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class LanguageDetector(_Stateless):
    """Adds the message's language to the parse data (assistant.understanding.language.detect): the words around
    the names decide first; then a name in one language's spelling ("Helsingfors", "Tukholma"); then
    the text with only the names spelt alike in several languages left out ("Tallinn", "ECHA", and
    other cities written as GeoNames has them, "Oslo"), so that inflected names count ("helsingillä",
    "brysselissä"). Runs after FactEntityExtractor, whose matches it takes rather than match again."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = message.get(FACT_BASE_NAMES)
            if found is None:  # a pipeline without FactEntityExtractor before it
                found = mentions.entities_in(text, _fact_base())[0] if text else []
            names = [Name(m.start, m.end, _spelling_languages(m)) for m in found]
            # other places as written ("Oslo"), spelt alike in all three
            names += [
                Name(e["start"], e["end"])
                for e in message.get(ENTITIES, [])
                if "start" in e and text[e["start"] : e["end"]].casefold() == str(e["value"]).casefold()
            ]
            lang, sure = detect_surely(text, names)
            message.set(LANGUAGE, lang, add_to_output=True)
            message.set(LANGUAGE_SURE, sure, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
