"""Rasa NLU components built on the fact base: entity names and the message's language.

Both run at prediction time only (nothing to train), from the fact base as it is on disk.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant import factbase
from assistant.entity_matcher import default_matcher
from assistant.language import detect

LANGUAGE = "language"  # the parse data key: "fi", "sv", "en", or None when too short to tell


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
    """Marks the fact base's cities, networks and organisations, whatever the language or Finnish case.

    Runs after DIET. A name it finds gets the fact base id as value ("Berliinissä" -> berlin). Of
    DIET's guesses it keeps only cities away from those names: a city the fact base lacks ("Oslo")
    still reaches the actions, but not fragments of a known name ("an" in "an EU Office"). The city
    whose page this is names no subject ("Helsinki's partners") and is left out.
    """

    def process(self, messages: List[Message]) -> List[Message]:
        home = factbase.current().city
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = [
                {"entity": m.type, "value": m.entity_id, "start": m.start, "end": m.end, "confidence_entity": 1.0}
                for m in default_matcher().find(text)
            ]
            cities = [e for e in message.get(ENTITIES, []) if e["entity"] == "city" and not _near(e, found)]
            entities = cities + self.add_extractor_name([f for f in found if f["value"] != home])
            message.set(ENTITIES, sorted(entities, key=lambda e: e["start"]), add_to_output=True)
        return messages


def _near(entity: Dict[Text, Any], names: List[Dict[Text, Any]]) -> bool:
    """Overlapping or touching (one space apart) one of the names."""
    return any(entity["start"] <= n["end"] + 1 and n["start"] <= entity["end"] + 1 for n in names)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class LanguageDetector(_Stateless):
    """Adds the message's language to the parse data, leaving out names: "Tallinn", "ECHA" and
    "Helsinki" are spelt alike in all three languages and would only mislead. Runs after the entity
    extractors, so that the cities DIET found ("Copenhagen") are left out too."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            spans = [(m.start, m.end) for m in default_matcher().find(text)] if text else []
            spans += [(e["start"], e["end"]) for e in message.get(ENTITIES, []) if "start" in e]
            message.set(LANGUAGE, detect(text, spans), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
