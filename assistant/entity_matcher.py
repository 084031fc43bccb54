"""Find the fact base's entities in a resident's text, whatever the language or Finnish case.

A blank spaCy pipeline tokenises (its Finnish rules keep "EU-toimistossa" and "ECHA:ssa" whole), and a
spaCy Matcher built from every name and alias of the fact base matches the last word of a name with
the case endings and clitics residents add: Tallinnan, Berliinissä, Pietariin, ECHA:ssa, Berlins.
Nothing is downloaded: no trained spaCy model is needed for this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Optional, Tuple

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.util import filter_spans

from assistant import factbase
from assistant.facts import FactBase

# Finnish case endings, optionally after a linking vowel (Bryssel-i-ssä, Tampere-e-lla); illatives
# and genitives after any vowel (Tallinna-an, Pietari-in); a suffix after a colon for acronyms (ECHA:ssa).
_CASE = r"(?:[ei]?(?:n|a|ä|ta|tä|ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|na|nä|ksi|seen|hin|ineen)|[aeiouyäö]n|:[a-zåäö]+)"
_CLITIC = r"(?:kin|ko|kö|han|hän|pa|pä|kaan|kään)"
# Swedish and English genitives, Swedish definite forms (EU-byrå-n).
_OTHER = r"(?:'s|’s|s|n|en|et)"
SUFFIXES = rf"(?:{_CASE}?{_CLITIC}?|{_OTHER})"


@dataclass(frozen=True)
class Match:
    entity_id: str
    type: str
    start: int  # character offsets in the text
    end: int
    text: str


class EntityMatcher:
    def __init__(self, kb: FactBase):
        self._nlp = _blank_finnish()
        self._matcher = Matcher(self._nlp.vocab)
        self._types = {}
        for entity in kb.entities.values():
            self._types[entity.id] = entity.type
            patterns = [self._pattern(spelling) for spelling in entity.spellings()]
            self._matcher.add(entity.id, patterns)

    def _pattern(self, spelling: str) -> List[dict]:
        *head, last = [token.lower_ for token in self._nlp.make_doc(spelling)]
        return [{"LOWER": word} for word in head] + [{"LOWER": {"REGEX": f"^{re.escape(last)}{SUFFIXES}$"}}]

    def find(self, text: str) -> List[Match]:
        """The entities named in the text, longest match first where names overlap."""
        spans = filter_spans(self._matcher(self._nlp.make_doc(text), as_spans=True))
        return [Match(s.label_, self._types[s.label_], s.start_char, s.end_char, s.text) for s in spans]


_default: Optional[Tuple[FactBase, EntityMatcher]] = None


def default_matcher() -> EntityMatcher:
    """The matcher for the fact base as it is now (factbase.current()): built again after an edit, so
    a new city's names are found in the next question."""
    global _default
    kb = factbase.current()
    if _default is None or _default[0] is not kb:
        _default = (kb, EntityMatcher(kb))
    return _default[1]


@lru_cache(maxsize=1)
def _blank_finnish() -> Language:
    return spacy.blank("fi")  # the slow part (about a second): made once, kept over edits
