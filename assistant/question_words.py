"""Closed-class words that say what kind of question a message is: whether a message the model was
unsure of points back to what the conversation is about ("onks se viel auki", "is that thing still
open", "vem jobbar där?"), whether it asks "how many?" or "who?", whether it only acknowledges
("ok"), and whether it asks how old the information is.

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
# A message of nothing but these acknowledges what was said ("ok", "ok cool", "selvä", "okej bra"):
# the conversation goes on, whatever the model made of it.
ACKNOWLEDGING = {
    "fi": {"ok", "okei", "oki", "okke", "selvä", "jees", "joo", "aha", "ahaa", "kiva", "hyvä", "siisti", "jaa",
           "jaahas", "hmm", "mm", "niin"},  # not "no": in English it says no
    "sv": {"ok", "okej", "okey", "bra", "fint", "toppen", "schysst", "aha", "jaha", "jaså", "precis", "mm", "hmm"},
    "en": {"ok", "okay", "okey", "k", "kk", "cool", "nice", "great", "alright", "right", "fine", "good", "got",
           "it", "i", "see", "sure", "aha", "ah", "oh", "hmm", "mm", "then"},
}
# "How old is this information?", "where can I find current info?": a word of age or currency
# together with one for the information or its sources.
AGE = {
    "fi": ("kuinka vanha", "miten vanha", "ajantasai", "ajankohtai", "tuorein", "uusin", "vanhentu", "päivitet"),
    "sv": ("hur gammal", "hur gamla", "aktuell", "senast", "färsk", "uppdater", "föråldrad"),
    "en": ("how old", "how recent", "current", "latest", "up to date", "up-to-date", "newest", "outdated"),
}
INFORMATION = {
    "fi": ("tieto", "tiedo", "info", "lähde", "lähtee", "vastau"),
    "sv": ("information", "info", "uppgift", "källa", "källor", "svar"),
    "en": ("info", "information", "data", "facts", "source", "answers"),
}
MAX_WORDS = 8  # a follow-up is short; a longer message says what it is about
_WORD = re.compile(r"[^\W\d_]+")
_ALL_POINTING_BACK = set().union(*POINTING_BACK.values())
_ALL_HOW_MANY = set().union(*HOW_MANY.values())
_ALL_WHO = set().union(*WHO.values())
_ALL_ACKNOWLEDGING = set().union(*ACKNOWLEDGING.values())
_ALL_AGE = tuple(w for ws in AGE.values() for w in ws)
_ALL_INFORMATION = tuple(w for ws in INFORMATION.values() for w in ws)


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


def acknowledges(text: str) -> bool:
    words = _words(text)
    return bool(words) and all(word in _ALL_ACKNOWLEDGING for word in words)


def asks_how_old(text: str) -> bool:
    """ "How old is this info?", "where can I find current information?", "ovatko tiedot ajantasaisia"."""
    words = _words(text)
    spaced = " ".join(words)

    def has(listed) -> bool:
        return any((" " in item and item in spaced) or any(w.startswith(item) for w in words) for item in listed)

    return has(_ALL_AGE) and has(_ALL_INFORMATION)
