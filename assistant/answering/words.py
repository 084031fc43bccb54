"""A text's words as terms to compare, in one of the three languages: Finnish by Voikko's base forms and
the parts of its compounds ("yhteistyösopimuksen" -> yhteistyösopimus, yhteistyö, sopimus), Swedish and
English by Snowball stems. The language's commonest words (wordfreq) are no terms: they say how a
question is asked (assistant.answering.question_words), not what it is about.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import FrozenSet, List, Tuple

from assistant.knowledge.facts import LANGUAGES
from assistant.understanding import finnish

COMMON_WORDS = 150  # the language's commonest words, which are no terms ("ja", "när", "with")
MIN_HEAD = 4  # a Swedish term this long may be the head a compound ends in ("avtal", "samarbetsavtal")
WORD = re.compile(r"[^\W\d_][\w'’-]*")
YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_STEMMERS = {"sv": "swedish", "en": "english", "fi": "finnish"}


def years(text: str) -> Tuple[int, ...]:
    """The years a text names ("since 1994", "in 2022"): no words, but what a date asks and tells."""
    return tuple(int(y) for y in YEAR.findall(text))


def tokens(text: str) -> List[str]:
    """The words of a text in lower case, an English genitive left off ("helsinki's" -> helsinki)."""
    return [re.sub(r"['’]s?$", "", w) for w in WORD.findall(text.casefold())]


@lru_cache(maxsize=3)
def common(lang: str) -> FrozenSet[str]:
    import wordfreq

    return frozenset(wordfreq.top_n_list(lang, COMMON_WORDS))


def is_common(word: str) -> bool:
    """Whether the word is among the commonest of any of the languages: residents mix them."""
    return any(word in common(lang) for lang in LANGUAGES)


@lru_cache(maxsize=3)
def _stemmer(lang: str):
    import snowballstemmer

    return snowballstemmer.stemmer(_STEMMERS[lang])


@lru_cache(maxsize=65536)
def word_terms(word: str, lang: str) -> Tuple[str, ...]:
    """The terms of one word in a language; a hyphenated word's parts too ("eu-toimisto"); none for
    the language's commonest words."""
    found: List[str] = []
    for part in dict.fromkeys([word, *word.split("-")]):
        if len(part) < 2 or part in common(lang):
            continue
        if lang == "fi":
            analysed = finnish.analyses(part)
            if analysed:
                found += [base for base, _ in analysed] + list(finnish.compound_parts(part))
                continue
        found.append(_stemmer(lang).stemWord(part))
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=65536)
def base_terms(word: str, lang: str) -> Tuple[str, ...]:
    """The terms of the word itself, without the parts of its compounds: "oleskelulupa", not "lupa"."""
    if lang == "fi" and finnish.analyses(word):
        return tuple(base for base, _ in finnish.analyses(word))
    return (_stemmer(lang).stemWord(word),)


def terms(text: str, lang: str) -> List[str]:
    """Every term of a text, in order, repeated as often as its words are (what BM25 counts)."""
    return [t for word in tokens(text) for t in word_terms(word, lang)]
