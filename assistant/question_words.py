"""Closed-class words that say what kind of question a message is: whether a message the model was
unsure of points back to what the conversation is about ("onks se viel auki", "is that thing still
open", "vem jobbar där?"), and whether it asks "how many?" or "who?".

Pronouns, adverbs and question words are closed classes, so they are listed rather than learnt. The
lists of all three languages are used together, as residents mix them.
"""

from __future__ import annotations

import re

from assistant import finnish

POINTING_BACK = {
    "fi": {"se", "sen", "sitä", "siitä", "siinä", "sillä", "siellä", "sinne", "sieltä", "ne", "niitä", "niiden",
           "siel", "sil", "tätä", "tämä", "tästä"},
    "sv": {"den", "det", "dess", "där", "dit", "därifrån", "de", "dem", "dom"},
    "en": {"it", "its", "there", "they", "them", "their", "that"},
}
HOW_MANY = {
    "fi": {"montako", "monta", "kuinka paljon"},
    "sv": {"hur många", "antal", "antalet"},
    "en": {"how many", "number of"},
}
# A Finnish compound ending in "määrä" (amount) asks how many: "jäsenmäärä", "henkilöstömäärä".
AMOUNT = "määrä"
# "Who?" asks for a person ("ketkä"/"vilka" ask which ones, e.g. which members, and are left out).
WHO = {"fi": {"kuka", "kenen", "keneltä"}, "sv": {"vem", "vems"}, "en": {"who", "whose"}}
MAX_WORDS = 8  # a follow-up is short; a longer message says what it is about
_WORD = re.compile(r"[^\W\d_]+")
_ALL_POINTING_BACK = set().union(*POINTING_BACK.values())
_ALL_HOW_MANY = set().union(*HOW_MANY.values())
_ALL_WHO = set().union(*WHO.values())


def _words(text: str):
    return _WORD.findall(text.casefold())


def points_back(text: str) -> bool:
    words = _words(text)
    return 0 < len(words) <= MAX_WORDS and any(word in _ALL_POINTING_BACK for word in words)


def asks_how_many(text: str) -> bool:
    words = _words(text)
    spaced = f" {' '.join(words)} "
    return any(f" {listed} " in spaced for listed in _ALL_HOW_MANY) or any(
        AMOUNT in finnish.compound_parts(word) for word in words)


def asks_who(text: str) -> bool:
    return any(word in _ALL_WHO for word in _words(text))
