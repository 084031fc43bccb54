"""What a text names, as NLU's entities: the fact base's cities, networks and organisations with their
fact base id as value, and the world's other cities with their name as value. The NLU component
(assistant/understanding/nlu_components.py) gives them for the fact base served; an editor's preview
(assistant/knowledge/previews.py) takes them again from the draft, whose names may be new."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from assistant.knowledge.facts import FactBase
from assistant.understanding import world_cities
from assistant.understanding.entity_matcher import Match, matcher_of


def entities_in(text: str, kb: Optional[FactBase]) -> Tuple[List[Match], List[Dict]]:
    """The fact base's names in the text, all of them, and the entities: those names but the page's
    own city, which names no subject, and the other cities not within them. Without a fact base (it
    cannot be loaded), only the other cities."""
    names = matcher_of(kb).find(text) if kb is not None else []
    others = [c for c in world_cities.find(text) if not any(_overlap(c, n) for n in names)]
    home = kb.city if kb is not None else None
    entities = [
        {"entity": m.type, "value": m.entity_id, "start": m.start, "end": m.end, "confidence_entity": 1.0}
        for m in sorted(names + others, key=lambda m: m.start)
        if m.entity_id != home
    ]
    return names, entities


def _overlap(a: Match, b: Match) -> bool:
    return a.start < b.end and b.start < a.end
