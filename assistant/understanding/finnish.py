"""Finnish words as Voikko analyses them: base forms and word classes ("Berliinissä" -> Berliini, a
place name; "työssä" -> työ, a noun).

Voikko's morphology is Debian's `voikko-fi` dictionary, read through `libvoikko1` (both installed by
the Makefile); nothing is downloaded. Words Voikko does not know (Swedish, English, most foreign names
such as "Dniprossa") have no analysis.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Dict, Tuple

PLACE = "paikannimi"
PRONOUN = "asemosana"
NEGATION = "kieltosana"
FIRST_NAME = "etunimi"
# Classes of names; any other class (noun, verb, adjective, numeral, ...) makes a word a common one.
NAMES = (PLACE, FIRST_NAME, "sukunimi", "nimi")

# libvoikko's handle is not safe to share between threads, and Rasa may parse in more than one.
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _voikko():
    import libvoikko

    return libvoikko.Voikko("fi")


@lru_cache(maxsize=65536)
def _analyse(word: str) -> Tuple[Dict[str, str], ...]:
    with _lock:
        return tuple(dict(a) for a in _voikko().analyze(word))


def analyses(word: str) -> Tuple[Tuple[str, str], ...]:
    """(base form in lower case, word class) for each reading Voikko knows; () for an unknown word."""
    return tuple(
        dict.fromkeys((a["BASEFORM"].lower(), a.get("CLASS", "")) for a in _analyse(word) if a.get("BASEFORM"))
    )


def asks(word: str) -> bool:
    """A word with the question clitic -ko/-kö that is no pronoun: "onko", "auttaako", "vieläkö"."""
    return any(a.get("KYSYMYSLIITE") == "true" and a.get("CLASS") != PRONOUN for a in _analyse(word))


def is_common_noun_in(word: str, case: str) -> bool:
    """A noun or adjective in this case ("sisaolento", the inessive: "verkostoissa")."""
    return any(
        a.get("SIJAMUOTO") == case and a.get("CLASS") in ("nimisana", "laatusana", "nimisana_laatusana")
        for a in _analyse(word)
    )


def is_negation(word: str) -> bool:
    """The negation verb in any person: "ei", "en", "eivät", "eikö"."""
    return any(a.get("CLASS") == NEGATION for a in _analyse(word))


_PART = re.compile(r"\(([^)+][^)]*)\)")  # "+yhteis+työ(työ)+sopimus(sopimus)": työ, sopimus


def compound_parts(word: str) -> Tuple[str, ...]:
    """The base forms of a compound's parts ("kesäleireille" -> kesä, leiri); derivational endings
    ("(+to)") are no parts."""
    return tuple(dict.fromkeys(p.lower() for a in _analyse(word) for p in _PART.findall(a.get("WORDBASES", ""))))


def place_names(word: str) -> Tuple[str, ...]:
    """The base forms of the word read as a place name ("Oslossa" -> "oslo")."""
    return tuple(base for base, word_class in analyses(word) if word_class == PLACE)


def is_common_or_first_name(word: str) -> bool:
    """A word Voikko knows, never as a place: a common word ("lista", "jäsen", "välillä") or a first
    name ("Sofia", "Douglas"). Surnames pass: "London" is one to Voikko."""
    found = analyses(word)
    return bool(found) and not place_names(word) and any(c not in NAMES or c == FIRST_NAME for _, c in found)
