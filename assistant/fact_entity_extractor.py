"""Rasa NLU component: marks the fact base's cities, networks and organisations in a message.

Runs after DIET. Where it finds a name (in any language or Finnish case) it sets the entity's value to
the fact base id ("Berliinissä" -> berlin) and drops DIET's overlapping guess; DIET's other entities
stay, so a city the fact base lacks ("Oslo") still reaches the actions as typed.
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

from assistant.entity_matcher import default_matcher


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class FactEntityExtractor(GraphComponent, EntityExtractorMixin):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "FactEntityExtractor":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = [
                {"entity": m.type, "value": m.entity_id, "start": m.start, "end": m.end, "confidence_entity": 1.0}
                for m in default_matcher().find(text)
            ]
            others = [
                e
                for e in message.get(ENTITIES, [])
                if not any(e.get("start", -1) < f["end"] and f["start"] < e.get("end", -1) for f in found)
            ]
            entities = others + self.add_extractor_name(found)
            message.set(ENTITIES, sorted(entities, key=lambda e: e.get("start", 0)), add_to_output=True)
        return messages
