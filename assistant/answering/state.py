"""What a conversation is about, as data: kept in Rasa's slots between turns, so that a follow-up
("why?", "where is it?", "and Moscow?", "is it still?") is read in the conversation it belongs to."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Optional, Tuple

from assistant.knowledge.facts import FactBase


@dataclass(frozen=True)
class State:
    lang: Optional[str] = None  # the conversation's language
    subject: Optional[str] = None  # the entity it is about
    topic: Optional[str] = None
    facts: Tuple[str, ...] = ()  # the facts last given
    kind: Optional[str] = None  # the kind of the last question ("when", "how_many", ...)
    words: Tuple[str, ...] = ()  # the last question's own words, for "and Moscow?"
    polar: bool = False  # the last question asked yes or no
    still: bool = False  # ... whether something still holds
    unasked: Tuple[str, ...] = field(default=())  # facts about the subject offered as "more"

    # Rasa's slots: one each, so that a slot a client sets or resets means what it says.
    SLOTS = ("language", "subject", "topic", "facts", "kind", "words", "polar", "still", "unasked")

    @classmethod
    def from_slots(cls, slots: Dict[str, Any]) -> "State":
        def listed(name: str) -> Tuple[str, ...]:
            return tuple(str(v) for v in slots.get(name) or ())

        return cls(
            slots.get("language"),
            slots.get("subject"),
            slots.get("topic"),
            listed("facts"),
            slots.get("kind"),
            listed("words"),
            bool(slots.get("polar")),
            bool(slots.get("still")),
            listed("unasked"),
        )

    def to_slots(self) -> Dict[str, Any]:
        values = asdict(self)
        values["language"] = values.pop("lang")
        return {name: list(v) if isinstance(v, tuple) else v for name, v in values.items()}

    def known(self, kb: FactBase) -> "State":
        """The state less what an edit of the fact base has since removed."""
        return State(
            self.lang,
            self.subject if self.subject in kb.entities else None,
            self.topic if self.topic in kb.topics else None,
            tuple(f for f in self.facts if f in kb.facts),
            self.kind,
            self.words,
            self.polar,
            self.still,
            tuple(f for f in self.unasked if f in kb.facts),
        )
