"""Which of the facts in reach answer the question's own words: "when did arcada join the eu office" gets
the fact that Arcada joined on 1 May 2020, not everything about the office.

Words are compared as terms: for Finnish, Voikko's base forms and the parts of compounds
("yhteistyösopimuksen" -> yhteistyösopimus, työ, sopimus); for Swedish and English, Snowball stems. A
term matches another that it begins, give or take its last letter ("medlemm", "medlemsorganisation") or, in Swedish, ends ("avtal",
"samarbetsavtal": Swedish compounds end in their head). The language's commonest words (wordfreq) are
no terms. A term weighs by how few facts of the whole base have it (inverse document frequency), so
"Helsinki" adds nothing and "Arcada" a lot; a fact's score is the weight of the question's words it has,
a word by its rarest term there.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, List, Optional, Tuple

from assistant import finnish
from assistant.facts import Entity, Fact, FactBase

COMMON_WORDS = 150  # the language's commonest words that are no terms ("ja", "när", "with")
MIN_PREFIX = 5  # a term this long may match a longer one it begins
MIN_HEAD = 4  # a Swedish term this long may match a compound it ends
# A fact answers when its score reaches MIN_SCORE (one term that at most about a third of the facts
# have) and NEAR_TOP of the best fact's; below, nothing is picked and the whole answer is given.
MIN_SCORE = 1.0
NEAR_TOP = 0.6
_WORD = re.compile(r"[^\W\d_][\w-]*")
_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
_NUMBER = re.compile(r"\d")  # after years are taken out
_STEMMERS = {"sv": "swedish", "en": "english", "fi": "finnish"}


@lru_cache(maxsize=3)
def _common(lang: str) -> FrozenSet[str]:
    import wordfreq

    return frozenset(wordfreq.top_n_list(lang, COMMON_WORDS))


@lru_cache(maxsize=3)
def _stemmer(lang: str):
    import snowballstemmer

    return snowballstemmer.stemmer(_STEMMERS[lang])


@lru_cache(maxsize=65536)
def _word_terms(word: str, lang: str) -> Tuple[str, ...]:
    if lang == "fi":
        found = finnish.analyses(word)
        if found:
            return tuple(dict.fromkeys(t for base, _ in found for t in (base, *finnish.compound_parts(word))))
    return (_stemmer(lang).stemWord(word),)


def words(text: str, lang: str) -> List[FrozenSet[str]]:
    """Each word's terms in the text's language, a hyphenated word's parts too ("EU-byrån"); the
    commonest words are left out."""
    common = _common(lang)
    found = []
    for word in _WORD.findall(text.casefold()):
        parts = {word, *word.split("-")} - {""}
        word_terms = frozenset(t for p in parts if p not in common and len(p) > 1 for t in _word_terms(p, lang))
        if word_terms:
            found.append(word_terms)
    return found


def terms(text: str, lang: str) -> FrozenSet[str]:
    return frozenset().union(*words(text, lang))


def own_words(question: str, lang: str, named: Iterable[Optional[Entity]] = ()) -> List[FrozenSet[str]]:
    """The question's words other than the names of what it names, which point to every fact about it
    alike; none in a button's payload."""
    if not question or question.startswith("/"):
        return []
    names = {t for e in named if e is not None for name in e.spellings() for t in terms(name, lang)}
    return [w - names for w in words(question, lang) if w - names]


def _matches(asked: str, stated: str, lang: str) -> bool:
    if asked == stated:
        return True
    shorter, longer = sorted((asked, stated), key=len)
    # One letter of slack: Snowball leaves "medlemm" of "medlemmar", "medlem" of "medlemsorganisation".
    if len(shorter) >= MIN_PREFIX and longer.startswith(shorter[: max(MIN_PREFIX, len(shorter) - 1)]):
        return True
    return lang == "sv" and len(asked) >= MIN_HEAD and stated.endswith(asked)


class _Index:
    """Each fact's terms in one language, and the weight of a question's term over the whole base."""

    def __init__(self, kb: FactBase, lang: str):
        self.lang = lang
        # What a fact states, not its history: histories also say how they are known ("no source says").
        self.fact_terms: Dict[str, FrozenSet[str]] = {f.id: terms(f.text[lang], lang) for f in kb.facts.values()}

    @lru_cache(maxsize=4096)
    def having(self, term: str) -> FrozenSet[str]:
        return frozenset(fid for fid, ts in self.fact_terms.items() if any(_matches(term, t, self.lang) for t in ts))

    def weight(self, term: str) -> float:
        having = self.having(term)
        return math.log(len(self.fact_terms) / len(having)) if having else 0.0


_indexes: Dict[Tuple[int, str], Tuple[FactBase, _Index]] = {}


def _index(kb: FactBase, lang: str) -> _Index:
    """One index per fact base and language, built at its first question; a reloaded base gets its own."""
    key = (id(kb), lang)
    if key not in _indexes or _indexes[key][0] is not kb:
        for stale in [k for k, (base, _) in _indexes.items() if base is not kb]:
            del _indexes[stale]
        _indexes[key] = (kb, _Index(kb, lang))
    return _indexes[key][1]


def pick(kb: FactBase, lang: str, facts: Iterable[Fact], question: str,
         named: Iterable[Optional[Entity]] = (), min_words: int = 1) -> List[Fact]:
    """The facts, of those given and in their order, that the question's words point to; none when its
    words point to none of them. The names of what it names are not its words: they point to every
    fact about it alike. A fact must have `min_words` of the question's words: over the whole base, one
    word may be chance ("/action_restart" and the "action plans" of St Petersburg)."""
    asked = own_words(question, lang, named)
    index = _index(kb, lang)
    scored: List[Tuple[float, Fact]] = []
    for fact in {f.id: f for f in facts}.values():  # a fact in reach twice counts once
        # a word weighs as its rarest term the fact has ("strategiaosastolla": the compound or its parts)
        weights = [max((index.weight(t) for t in word if fact.id in index.having(t)), default=0.0) for word in asked]
        matched = [w for w in weights if w > 0]
        scored.append((sum(matched) if len(matched) >= min_words else 0.0, fact))
    top = max((s for s, _ in scored), default=0.0)
    if top < MIN_SCORE:
        return []
    return [f for s, f in scored if s >= NEAR_TOP * top]


def _told(fact: Fact, lang: str) -> str:
    return fact.text[lang] + (" " + fact.ended.history[lang] if fact.ended else "")


def dated(fact: Fact, lang: str) -> bool:
    """Whether the fact can answer "when?": it, or the history of its end, gives a year."""
    return bool(_YEAR.search(_told(fact, lang)))


def counted(fact: Fact, lang: str) -> bool:
    """Whether the fact can answer "how many?": it states a number that is no year."""
    return bool(_NUMBER.search(_YEAR.sub(" ", fact.text[lang])))


def answers_kind(attribute: Optional[str]):
    """The test a fact must pass to answer an attribute's question ("since" needs a year)."""
    return {"since": dated, "staff": counted, "members": counted}.get(attribute or "", lambda fact, lang: True)
