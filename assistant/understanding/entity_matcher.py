"""Find the fact base's entities in a resident's text, whatever the language, Finnish case or typo.

A blank spaCy pipeline tokenises (its Finnish rules keep "EU-toimistossa" and "ECHA:ssa" whole), and a
spaCy Matcher built from every name and alias of the fact base matches the last word of a name:
- by its Finnish base form, for a word Voikko knows ("Pekingiin" -> Peking, "Stadissa" -> Stadi; and
  so not "Stadion", a noun of its own);
- else with the case endings, clitics and compounds residents add: Tallinn's, Dniprossa, ECHA:ssa,
  Eurocitiesiin, EU-byråns, ECHA-työpaikat.
A word no name matches that is a near miss of one ("Stokholm", "tallin", "Eurocitis") is taken for it
(rapidfuzz). Nothing is downloaded: no trained spaCy model is needed for this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Optional

import spacy
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from assistant.knowledge import factbase
from assistant.knowledge.facts import FactBase
from assistant.understanding import finnish

# Finnish case endings, optionally after a linking vowel (Bryssel-i-ssä, Tampere-e-lla); illatives
# after a consonant (Eurocities-iin) and, with genitives, after any vowel (Tallinna-an, Pietari-in); a
# suffix after a colon for acronyms (ECHA:ssa). Only for words Voikko does not know.
_CASE = (
    r"(?:[ei]?(?:n|a|ä|ta|tä|ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|na|nä|ksi|seen|hin|ineen)"
    r"|iin|[aeiouyäö]n|:[a-zåäö]+)"
)
_CLITIC = r"(?:kin|ko|kö|han|hän|pa|pä|kaan|kään)"
# Swedish and English genitives, Swedish definite forms (EU-byrå-n).
_OTHER = r"(?:'s|’s|s|n|en|et)"
# The first part of a hyphenated compound: ECHA-työpaikat, Eurocities-jäsenyys.
_COMPOUND = r"(?:-[^\W\d_][\w-]*)"
SUFFIXES = rf"(?:{_CASE}?{_CLITIC}?|{_OTHER}|{_COMPOUND})"
_SUFFIX = re.compile(SUFFIXES)

UNKNOWN = "~"  # marks a word Voikko does not know (see _norm)

# A near miss: rapidfuzz's ratio (0-100) with a name, for words of at least this many letters.
NEAR_MISS_SCORE = 88
NEAR_MISS_MIN_LENGTH = 5
SWAPPED_MIN_LENGTH = 4  # words this long but short of the above match only with two letters swapped


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
        self._words: dict = {}  # one-word spellings, lower case -> entity id: for near misses
        for entity in kb.entities.values():
            self._types[entity.id] = entity.type
            for spelling in entity.spellings():
                self._matcher.add(entity.id, self._patterns(spelling))
                if " " not in spelling:
                    self._words.setdefault(spelling.lower(), entity.id)

    def _patterns(self, spelling: str) -> List[List[dict]]:
        *head, last = [token.lower_ for token in self._nlp.make_doc(spelling)]
        words = [{"LOWER": word} for word in head]
        by_base = {"NORM": {"REGEX": rf"\|{re.escape(last)}\|"}}
        by_ending = {"NORM": {"REGEX": f"^{UNKNOWN}{re.escape(last)}{SUFFIXES}$"}}
        return [words + [by_base], words + [by_ending]]

    def find(self, text: str) -> List[Match]:
        """The entities named in the text, longest match first where names overlap; then near misses
        among the words left."""
        doc = self._nlp.make_doc(text)
        for token in doc:  # what the last word of a name is matched against (see _norm)
            token.norm_ = _norm(token.text)
        spans = filter_spans(self._matcher(doc, as_spans=True))
        found = [Match(s.label_, self._types[s.label_], s.start_char, s.end_char, s.text) for s in spans]
        found += self._near_misses(doc, {i for s in spans for i in range(s.start, s.end)})
        return sorted(found, key=lambda m: m.start)

    def _near_misses(self, doc: Doc, taken: set) -> List[Match]:
        found = []
        for token in doc:
            if token.i in taken or not token.is_alpha or len(token.text) < SWAPPED_MIN_LENGTH:
                continue
            entity_id = (
                self._near_miss(token.lower_)
                if len(token.text) >= NEAR_MISS_MIN_LENGTH
                else (self._swapped(token.lower_))
            )
            if entity_id:
                end = token.idx + len(token)
                found.append(Match(entity_id, self._types[entity_id], token.idx, end, token.text))
        return found

    def _swapped(self, word: str) -> Optional[str]:
        """The entity whose short one-word name the word is with two neighbouring letters swapped
        ("ecah"), when it is no Finnish word: in so short a word any other slip makes another word."""
        if finnish.analyses(word):
            return None
        for name, entity_id in self._words.items():
            if len(name) == len(word) and sorted(name) == sorted(word) and OSA.distance(name, word) == 1:
                return entity_id
        return None

    def _near_miss(self, word: str) -> Optional[str]:
        """The entity whose one-word name the word nearly is, or, for a word Voikko does not know, the
        word without a case ending ("stokholmissa"; but "stadion" is a noun, not "Stadi" + "on")."""
        heads = [word]
        if not finnish.analyses(word):
            heads += [word[:cut] for cut in range(len(word) - 1, 3, -1) if _SUFFIX.fullmatch(word[cut:])]
        best = None
        for head in heads:
            hit = process.extractOne(head, self._words.keys(), scorer=fuzz.ratio, score_cutoff=NEAR_MISS_SCORE)
            if hit and (best is None or hit[1] > best[1]):
                best = hit
        return self._words[best[0]] if best else None


def _norm(word: str) -> str:
    """ "|base|base|" for a word Voikko knows; "~word" in lower case for one it does not. The token's
    NORM carries this to the Matcher: a built-in attribute, which it reads far faster than an
    extension's."""
    bases = finnish.analyses(word)
    return f"|{'|'.join(b for b, _ in bases)}|" if bases else UNKNOWN + word.lower()


_matchers = factbase.BuiltFrom(EntityMatcher)


def matcher_of(kb: FactBase) -> EntityMatcher:
    """The matcher of this fact base's names, built at its first question, or before a new publication
    is served (factbase.prepare_with)."""
    return _matchers(kb)


def default_matcher() -> EntityMatcher:
    """The matcher for the fact base as it is now (factbase.current()): built again after an edit, so
    a new city's names are found in the next question."""
    return matcher_of(factbase.current())


factbase.prepare_with(matcher_of)


@lru_cache(maxsize=1)
def _blank_finnish() -> Language:
    return spacy.blank("fi")  # the slow part (about a second): made once, kept over edits
