"""What kind of question a message asks, told by its closed-class words: question words, auxiliaries,
negations, "still", pronouns that point back. These classes are closed, so they are listed rather than
learnt; the lists of all three languages are used together, as residents mix them. Finnish questions
and negations are read by Voikko (its question clitic -ko/-kö, and its negation verb).

They tell only how a question is asked; what it is about is for the fact base's words and names.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from assistant.answering.words import base_terms
from assistant.knowledge.facts import LANGUAGES
from assistant.understanding import finnish

# The word lists are data, wrapped by hand a few words a line to be read: the formatter would set
# each word on a line of its own.
# fmt: off
# The kinds of question, each with what asks it; a phrase is matched as whole words. The first kind
# found in the message is its kind, in the order of the message's words.
KINDS: Dict[str, Dict[str, Tuple[str, ...]]] = {
    "since": {
        "fi": ("mistä lähtien", "mistä asti", "kauanko", "kuinka kauan", "miten kauan", "kauan", "vuodesta"),
        "sv": ("sedan när", "sen när", "hur länge", "från när", "sedan vilket år"),
        "en": ("since when", "how long", "since what year", "since which year"),
    },
    "when": {
        "fi": ("milloin", "koska", "minä vuonna", "monesko", "mikä vuosi", "minkä vuoden", "mihin asti",
               "mihin saakka", "millon", "milloinka"),
        "sv": ("när", "vilket år", "vilket datum", "hur gammal", "till när"),
        "en": ("when", "what year", "which year", "what date", "how old", "until when"),
    },
    "how_many": {
        "fi": ("montako", "monta", "kuinka moni", "moniko", "montaks", "lukumäärä", "määrä"),
        "sv": ("hur många", "antal", "antalet"),
        "en": ("how many", "number of"),
    },
    # "How much?" asks an amount: a count ("paljonko jäseniä"), or a sum where MONEY says so.
    "how_much": {
        "fi": ("paljonko", "kuinka paljon", "miten paljon", "paljonks"),
        "sv": ("hur mycket",),
        "en": ("how much",),
    },
    "where": {
        "fi": ("missä", "missäpäin", "minne", "missä päin", "mistä päin", "millä kadulla", "osoite", "osoitteessa",
               "katuosoite"),
        "sv": ("var ligger", "var finns", "var är", "var kan", "var hittar", "var får", "var sitter", "vart",
               "varifrån", "på vilken gata", "adress", "adressen", "gatuadress"),
        "en": ("where", "which street", "what street", "address", "street address"),
    },
    "who": {
        "fi": ("kuka", "kenen", "keneltä", "kehen", "ketä", "kuka johtaa", "johtaja", "johtajan", "pomo"),
        "sv": ("vem", "vems", "vilka personer", "chef", "chefen"),
        "en": ("who", "whose", "whom", "head of", "boss", "director"),
    },
    "why": {
        "fi": ("miksi", "miks", "minkä takia", "minkä vuoksi", "mistä syystä"),
        "sv": ("varför", "av vilken anledning", "hur kommer det sig"),
        "en": ("why", "how come", "for what reason"),
    },
    "which": {
        "fi": ("mitkä", "ketkä", "keiden", "mihin", "missä kaikissa", "mille", "mitä kaikkia"),
        "sv": ("vilka", "vilken", "vilket"),
        "en": ("which", "what are", "list"),
    },
    "what": {
        "fi": ("mikä", "mitä", "millainen", "millaista", "mitäs", "mites", "miten", "mikäs", "mitä on",
               "kerro", "kerrotko", "tietoa", "infoa"),
        "sv": ("vad", "hur", "vad är", "vad gör", "berätta", "info", "information"),
        "en": ("what", "how", "whats", "what's", "tell", "info", "information", "explain"),
    },
}
SPECIFIC = ("since", "when", "how_many", "how_much", "where", "who", "why")  # the kinds a fact must answer
# Words of money: a question with one asks a sum (how_much), with or without "how much" ("what does it
# cost", "vad är lönen").
MONEY = {
    "fi": ("maksaa", "maksoi", "maksavat", "maksanut", "maksanu", "kustantaa", "kustannukset", "hinta", "hintaa",
           "raha", "rahaa", "rahat", "budjetti", "budjetin", "budjettia", "palkka", "palkkaa", "palkat", "vuokra",
           "vuokraa", "jäsenmaksu", "euroa"),
    "sv": ("kostar", "kostade", "kostnad", "kostnaden", "betalar", "betalade", "pris", "priset", "pengar",
           "budget", "budgeten", "lön", "lönen", "löner", "hyra", "hyran", "avgift", "avgiften", "euro"),
    "en": ("cost", "costs", "pay", "pays", "paid", "price", "fee", "fees", "money", "budget", "salary",
           "salaries", "wage", "wages", "rent", "euros"),
}
# A fact that answers one of these answers the other as well, if less well.
RELATED = {"since": "when", "when": "since"}

# A message that begins so asks yes or no (Finnish: a verb with the question clitic, read by Voikko).
# The auxiliaries are no words of what is asked, wherever they are; the other verbs are, but first.
AUXILIARIES = frozenset((
    "är", "har", "finns", "kan", "gör", "hade", "blir", "blev", "ska", "skulle", "får", "fick", "brukar", "var",
    "is", "are", "was", "were", "do", "does", "did", "has", "have", "had", "can", "could", "will", "would",
    "should", "shall"))
YES_NO = {
    "sv": ("är", "har", "finns", "kan", "gör", "hade", "blir", "blev", "ska", "skulle", "får", "fick",
           "brukar", "deltar", "hjälper", "stöder", "samarbetar", "jobbar", "arbetar", "ligger", "var",
           "känner", "äger", "tillhör", "ingår", "sitter", "leder", "stängde", "avbröt", "slutade"),
    "en": ("is", "are", "was", "were", "do", "does", "did", "has", "have", "had", "can", "could", "will",
           "would", "should", "shall", "isn't", "aren't", "wasn't", "doesn't", "don't", "didn't", "hasn't",
           "haven't", "isnt", "arent", "doesnt", "dont", "didnt", "hasnt", "havent", "so"),
}
# "Still?", "any more?", "now?": whether something holds today.
STILL = {
    "fi": ("vielä", "yhä", "edelleen", "enää", "vieläkö", "yhäkö", "edelleenkö", "enääkö", "nykyään",
           "nyt", "tällä hetkellä", "vieläkin", "viel"),
    "sv": ("fortfarande", "ännu", "längre", "kvar", "alltjämt", "nu", "numera", "idag", "i dag"),
    "en": ("still", "anymore", "any more", "any longer", "no longer", "nowadays", "now", "currently",
           "today", "these days"),
}
NEGATION = {
    "sv": ("inte", "ej", "inga", "ingen", "inget", "aldrig", "icke"),
    "en": ("not", "no", "never", "none", "isn't", "aren't", "wasn't", "doesn't", "don't", "didn't", "hasn't",
           "haven't", "isnt", "arent", "doesnt", "dont", "didnt", "hasnt", "havent", "won't", "cannot", "can't"),
}
# What is yet to come: the sources tell what was and is.
FUTURE = {
    "fi": ("aikooko", "aikooks", "ensi vuonna", "ensi kesänä", "ensi kerralla",
           "tulevaisuudessa", "jatkossa", "seuraava", "seuraavan", "seuraavaksi", "joskus taas"),
    "sv": ("kommer att", "nästa", "nästa år", "i framtiden", "framöver", "planerar att", "tänker"),
    "en": ("will", "going to", "next", "next year", "in the future", "plan to", "plans to", "won't"),
}
# Ending, stopping, closing: a question that asks what has ended ("which ones have you stopped?").
ENDED = {
    "fi": ("lopettanut", "lopettaneet", "lopetettu", "lopetti", "lopettivat", "keskeytetty", "keskeytti", "suljettu",
           "sulki", "päättyi", "päättynyt", "päättyneet", "loppui", "loppunut", "erosi", "eronnut"),
    "sv": ("slutat", "slutade", "avbrutit", "avbröt", "avbrutet", "avbrutna", "stängt", "stängde", "stängdes",
           "upphört", "upphörde", "lämnat", "lämnade", "avslutat", "avslutade"),
    "en": ("stopped", "stop", "ended", "ending", "suspended", "closed", "cancelled", "canceled", "quit", "left",
           "cut", "dropped", "terminated"),
}
# The start of a time a yes-or-no question asks about ("has it been a member since 1990?", "since then?").
SINCE = {
    "fi": ("lähtien", "alkaen", "asti", "saakka"),
    "sv": ("sedan", "sen", "från"),
    "en": ("since", "from"),
}
SINCE_THEN = {
    "fi": ("siitä lähtien", "siitä asti", "siitä saakka", "siitä alkaen", "sittemmin"),
    "sv": ("sedan dess", "sen dess", "från och med då"),
    "en": ("since then", "ever since", "from then on"),
}
# Pronouns and adverbs that point back to what the conversation is about.
POINTING_BACK = {
    "fi": ("se", "sen", "sitä", "siitä", "siinä", "sillä", "siellä", "sinne", "sieltä", "ne", "niitä",
           "niiden", "niillä", "niille", "siel", "sil", "tätä", "tämä", "tästä", "tuo", "tota", "toi", "ton",
           "sinä", "ko", "kyseinen"),
    "sv": ("den", "det", "dess", "där", "dit", "därifrån", "de", "dem", "dom", "denna", "detta", "dessa"),
    "en": ("it", "its", "there", "they", "them", "their", "that", "this", "those", "these"),
}
# "And ...?", "what about ...?": a question that asks the last one again, of something else.
FOLLOW_UP = {
    "fi": ("entä", "entäs", "entäpä", "no", "sit", "sitten", "kanssa", "myös", "ja", "mites", "miten on"),
    "sv": ("och", "än", "då", "hur är det med", "vad gäller", "också", "även"),
    "en": ("and", "what about", "how about", "then", "also", "too", "as for"),
}
# Thanks, goodbyes and greetings: how a message is said, not what it asks about; where DIET is unsure
# which a message of them alone is, the first class it has a word of tells ("tack hej": thanks).
THANKS = {
    "fi": ("kiitos", "kiitti", "kiitoksia", "kiitokset"),
    "sv": ("tack", "tackar", "tusen tack"),
    "en": ("thanks", "thank", "thx", "ty", "cheers"),
}
GOODBYE = {
    "fi": ("heippa", "heihei", "näkemiin", "moikka", "hei hei", "moi moi"),
    "sv": ("hejdå", "adjö", "hej då", "vi ses"),
    "en": ("bye", "goodbye", "see you", "later"),
}
GREETING = {
    "fi": ("hei", "moi", "terve", "huomenta", "päivää", "moro", "no"),
    "sv": ("hej", "hejsan", "tjena", "god", "morgon", "dag"),
    "en": ("hi", "hello", "hey", "please", "pls"),
}
COURTESIES = (("thank", THANKS), ("goodbye", GOODBYE), ("greet", GREETING))
# A message of nothing but these acknowledges what was said ("ok", "ok cool", "selvä"): the
# conversation goes on.
ACKNOWLEDGING = {
    "fi": ("ok", "okei", "oki", "okke", "selvä", "jees", "joo", "aha", "ahaa", "kiva", "hyvä", "siisti", "jaa",
           "jaahas", "hmm", "mm", "niin", "ookoo", "asia", "okay"),
    "sv": ("ok", "okej", "okey", "bra", "fint", "toppen", "schysst", "aha", "jaha", "jaså", "precis", "mm",
           "hmm", "jag", "förstår", "förstått", "uppfattat"),
    "en": ("ok", "okay", "okey", "k", "kk", "cool", "nice", "great", "alright", "right", "fine", "good", "got",
           "it", "i", "see", "sure", "aha", "ah", "oh", "hmm", "mm", "then", "understood", "noted"),
}

# The assistant's own sources and how current they are ("how old is this info?", "mistä lähteistä?"):
# a word of its sources, or of age with one of information; matched by base form ("tiedot", "källorna").
SOURCES = {"fi": ("lähde",), "sv": ("källa", "källor"), "en": ("source", "sources")}
AGE = {
    "fi": ("vanha", "ajantasainen", "tasa", "ajankohtainen", "tuore", "uusin", "vanhentunut", "päivitetty",
           "päivittää"),  # "tasa": "ajan tasalla", up to date
    "sv": ("gammal", "gamla", "aktuell", "färsk", "uppdaterad", "föråldrad"),
    "en": ("old", "recent", "current", "latest", "newest", "outdated", "dated", "updated"),
}
INFORMATION = {
    "fi": ("tieto", "info", "vastaus", "data"),
    "sv": ("information", "info", "uppgift", "uppgifter", "svar", "data"),
    "en": ("info", "information", "data", "facts", "answers"),
}
# fmt: on

_ALL: Dict[int, FrozenSet[str]] = {}


def _all(classes: Dict[str, Tuple[str, ...]]) -> FrozenSet[str]:
    """A class's words and phrases in all three languages (made once: the classes are constants)."""
    if id(classes) not in _ALL:
        _ALL[id(classes)] = frozenset(w for ws in classes.values() for w in ws)
    return _ALL[id(classes)]


def _grams(words: Sequence[str]) -> List[Tuple[int, str]]:
    """(position, phrase) of each run of one to three words, longest first at each position."""
    return [
        (n, " ".join(words[n : n + length]))
        for n in range(len(words))
        for length in (3, 2, 1)
        if n + length <= len(words)
    ]


def _phrases(
    words: Sequence[str], listed: FrozenSet[str], grams: Optional[List[Tuple[int, str]]] = None
) -> List[Tuple[int, str]]:
    """(position, phrase) of each listed word or phrase in the words."""
    return [(n, phrase) for n, phrase in (grams if grams is not None else _grams(words)) if phrase in listed]


def _finnish_question_verb(word: str) -> bool:
    """A Finnish word with the question clitic ("onko", "auttaako"; spoken "onks")."""
    candidates = [word]
    if word.endswith("ks"):
        candidates += [word[:-1] + "o", word[:-1] + "ö"]  # onks -> onko
    return any(finnish.asks(w) for w in candidates)


def _is_money(word: str) -> bool:
    """A word of money, or a compound of one: "vuosibudjetti" (Voikko's parts), "årsbudgeten"."""
    if word in _all(MONEY):
        return True
    parts = {base for base, _ in finnish.analyses(word)} | set(finnish.compound_parts(word))
    return bool(parts & set(MONEY["fi"])) or any(
        len(money) >= MIN_COMPOUND_HEAD and word.endswith(money) for money in (*MONEY["sv"], *MONEY["en"])
    )


MIN_COMPOUND_HEAD = 5  # a Swedish or English money word this long may end a compound ("årsbudget")


def _which_place(words: Sequence[str], position: int, kind: str) -> str:
    """ "Missä verkostoissa" (in which networks) asks which, not where: "missä" before a noun in the
    inessive; "what networks" asks which, "what is" what."""
    following = words[position + 1] if position + 1 < len(words) else ""
    if kind == "where" and words[position] == "missä" and finnish.is_common_noun_in(following, "sisaolento"):
        return "which"
    if kind == "what" and words[position] == "what" and following and following not in _NOT_NOUNS:
        return "which"
    return kind


# After "what", words that make it "what is ...", not "what <noun>" (which).
# fmt: off
_NOT_NOUNS = frozenset(YES_NO["en"]) | {"about", "for", "kind", "sort", "type", "else", "exactly", "happened", "i",
                                         "you", "they", "we", "it", "the", "a", "an", "to", "in", "of", "then"}
# fmt: on
# Swedish verbs in the past tense end so, and in the present tense as plural nouns do: a question that
# begins with the one asks yes or no ("förberedde staden ..."), with the other if it ends in "?".
_SWEDISH_PAST = ("ade", "de", "te")
_SWEDISH_PRESENT = ("ar", "er", "ör", "år")


def _swedish_verb(first: Sequence[str], question_mark: bool) -> bool:
    if not first or len(first[0]) < 4:
        return False
    return first[0].endswith(_SWEDISH_PAST) or (question_mark and first[0].endswith(_SWEDISH_PRESENT))


@dataclass(frozen=True)
class Asked:
    """How a message asks, by its closed-class words."""

    kinds: Tuple[str, ...]  # in the order they come; () when it has no question word
    polar: bool  # asks yes or no
    still: bool  # asks whether something holds today
    negated: bool
    future: bool
    points_back: bool
    acknowledges: bool
    closed: FrozenSet[str]  # the words that said so: not words of what is asked about
    courtesy: Optional[str] = None  # "thank", "goodbye" or "greet", by its words
    ended: bool = False  # asks what has ended ("which have you stopped?")
    money: FrozenSet[str] = frozenset()  # its words of money ("maksoi", "budget")
    about_sources: bool = False  # asks where the assistant's information comes from, or how old it is
    since: bool = False  # asks whether something holds since a time ("since 1990?")
    since_then: bool = False  # ... since the time the conversation last told ("since then?")


def read(words: Sequence[str], question_mark: bool = False) -> Asked:
    """How the message of these words (assistant.answering.words.tokens) asks; `question_mark`: it
    ends with one."""
    kinds: List[Tuple[int, str]] = []
    closed: set = set()
    grams = _grams(words)
    for kind, classes in KINDS.items():
        for position, phrase in _phrases(words, _all(classes), grams):
            kinds.append((position, _which_place(words, position, kind)))
            closed |= set(phrase.split())
    # a longer kind found at the same place wins ("how many" over "how")
    by_position: Dict[int, str] = {}
    for position, kind in kinds:
        by_position.setdefault(position, kind)
    ordered = tuple(dict.fromkeys(kind for _, kind in sorted(by_position.items())))
    money = [w for w in words if _is_money(w)]
    # a sum: "how much" of money, or "what" of a price, a salary ("vad är lönen"); "can we get EU money"
    # asks yes or no. The money words stay words of what is asked.
    if money and ("how_much" in ordered or set(ordered) & {"what", "which"}):
        ordered = ("how_much", *(k for k in ordered if k not in ("how_much", "how_many", "what", "which")))
    elif "how_much" in ordered:  # an amount with no money: a count
        ordered = tuple(dict.fromkeys("how_many" if k == "how_much" else k for k in ordered))
    specific = tuple(k for k in ordered if k in SPECIFIC)
    ordered = specific + tuple(k for k in ordered if k not in SPECIFIC)

    def having(classes: Dict[str, Tuple[str, ...]]) -> bool:
        found = _phrases(words, _all(classes), grams)
        closed.update(w for _, phrase in found for w in phrase.split())
        return bool(found)

    # "is it open?", "onko se auki", "skrev de under?": no question word, and a verb or clitic that asks,
    # after a greeting if there is one ("hei, onko ...")
    body = list(itertools.dropwhile(lambda w: w in _all(GREETING) or w in _all(THANKS), words))
    polar = not ordered and (
        any(w in YES_NO["sv"] or w in YES_NO["en"] for w in body[:1])
        or any(_finnish_question_verb(w) for w in body[:3])
        or _swedish_verb(body[:1], question_mark)
    )
    negated = having(NEGATION) or any(finnish.is_negation(w) for w in words)
    still = having(STILL)
    ended = having(ENDED)  # asked by the flag: the facts say "suspended", residents "stopped"
    future = having(FUTURE)
    since = having(SINCE)
    since_then = having(SINCE_THEN)
    points_back = having(POINTING_BACK)
    closed.update(w for w in words if w in AUXILIARIES or w in YES_NO["en"])  # wherever they are
    closed.update(w for w in body[:3] if _finnish_question_verb(w))
    acknowledges = bool(words) and all(w in _all(ACKNOWLEDGING) for w in words)
    having(FOLLOW_UP)
    courtesy = next((name for name, classes in COURTESIES if _phrases(words, _all(classes), grams)), None)
    for _, classes in COURTESIES:
        closed.update(w for _, phrase in _phrases(words, _all(classes), grams) for w in phrase.split())
    closed.update(w for w in words if w in _all(ACKNOWLEDGING))
    return Asked(
        ordered,
        polar,
        still,
        negated,
        future,
        points_back,
        acknowledges,
        frozenset(closed),
        courtesy,
        ended,
        frozenset(money),
        _about_sources(words),
        since,
        since_then,
    )


@lru_cache(maxsize=3)
def _base_forms(classes: Tuple[Tuple[str, Tuple[str, ...]], ...]) -> FrozenSet[str]:
    """The listed words and their Swedish and English stems; Finnish ones are listed in their base forms,
    which Voikko gives a message's words ("lähteistä" -> lähde), and not analysed again ("lähde" may
    be "lähteä", to leave)."""
    return frozenset(
        t for _, listed in classes for w in listed for t in (w, *base_terms(w, "sv"), *base_terms(w, "en"))
    )


def _about_sources(words: Sequence[str]) -> bool:
    forms = {t for w in words for lang in LANGUAGES for t in base_terms(w, lang)}

    def has(classes: Dict[str, Tuple[str, ...]]) -> bool:
        return bool(forms & _base_forms(tuple(classes.items())))

    return has(SOURCES) or (has(AGE) and has(INFORMATION))
