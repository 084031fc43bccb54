"""The message's language, and the reply's: the client's choice, else the message's, else the conversation's,
else the page's, else English.

Detection uses Lingua's fi/sv/en models, which ship inside the package (nothing is downloaded). The
words around the names decide first, inflected names among them ("what is helsinki-keskus" is
English, "onks helsingillä joku office" Finnish): by the words that are clearly of one language
(wordfreq, and Voikko for Finnish forms), else by Lingua. With too few words, a name written in one
language's spelling tells it ("Moskva", "Helsingfors"); last, Lingua reads the text with only the
names spelt alike in several languages ("Tallinn", "ECHA", "Helsinki") left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterable, Optional, Sequence, Tuple

from assistant.knowledge.facts import LANGUAGES
from assistant.understanding import finnish

DEFAULT_LANGUAGE = "en"  # no choice, no words to tell by, no conversation, no page language
OTHER = "other"  # a message in a language the assistant does not speak (Estonian, German, ...)
# Other languages residents may write in, told apart from fi, sv and en by Lingua's trigrams alone
# (its low accuracy mode, whose models are a fraction of the high one's). Norwegian and Danish are
# left out: Swedish is too near them to tell in a short message.
OTHER_LANGUAGES = ("ESTONIAN", "GERMAN", "FRENCH", "SPANISH", "RUSSIAN", "ITALIAN", "DUTCH", "POLISH", "PORTUGUESE")
OTHER_MIN_WORDS = 3
OTHER_CONFIDENCE = 0.9
OTHER_MAX_ZIPF = 3.0  # rarer than once in a million words in each of fi, sv and en: a word of none of them
MIN_LETTERS = 3  # "ok", "hi", "?" say nothing
MIN_CONFIDENCE = 0.5
SURE_CONFIDENCE = 0.9  # Lingua below this is unsure: the conversation's language holds over it
SHOUTED_WORDS = 3  # a message all in capitals of at least this many words is read in lower case
WORD_CLEARLY = 1.0  # zipf: a word is of a language where it is ten times as common as in the others
MIN_VOTES = 2  # one word alone is left to Lingua

_ACRONYM_OR_NUMBER = re.compile(r"\b(?:[A-ZÅÄÖ]{2,}|\d+)\b")
_LETTER = re.compile(r"[^\W\d_]")
# Runs of letters, unlike assistant.answering.words.WORD: each part of a word with a hyphen or an
# apostrophe ("e-post", "it's") is looked up, and votes, on its own.
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Name:
    """A name found in the message, with the languages whose spelling it is written in: one
    ("Helsingfors"), several ("Tallinn"), or none (an inflected form, "Tallinnan")."""

    start: int
    end: int
    spelt_in: Tuple[str, ...] = tuple(LANGUAGES)


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    # All models at once: loaded lazily, each of the first few messages would wait for one.
    return (
        LanguageDetectorBuilder.from_languages(Language.FINNISH, Language.SWEDISH, Language.ENGLISH)
        .with_preloaded_language_models()
        .build()
    )


@lru_cache(maxsize=1)
def _wide_detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [
        Language.FINNISH,
        Language.SWEDISH,
        Language.ENGLISH,
        *(getattr(Language, name) for name in OTHER_LANGUAGES),
    ]
    return (
        LanguageDetectorBuilder.from_languages(*languages)
        .with_low_accuracy_mode()
        .with_preloaded_language_models()
        .build()
    )


def _is_other(text: str) -> bool:
    """Whether a message of a few words is clearly in a language other than fi, sv and en: Lingua is
    sure of it, and a third of its words are rare in all three (wordfreq; Voikko knows no Finnish form). Lingua's
    trigrams alone misread short English ("did the mayor go to bucha": Spanish); the unknown words
    tell Estonian from Finnish, whose common words it shares ("tere, kas te räägite eesti keelt")."""
    import wordfreq

    found = _WORD.findall(text.casefold())
    if len(found) < OTHER_MIN_WORDS:
        return False
    unknown = [
        w
        for w in found
        if not finnish.analyses(w) and max(wordfreq.zipf_frequency(w, lang) for lang in LANGUAGES) < OTHER_MAX_ZIPF
    ]
    if len(unknown) * 3 < len(found):
        return False
    best = _wide_detector().compute_language_confidence_values(text)[0]
    return best.value >= OTHER_CONFIDENCE and best.language.name in OTHER_LANGUAGES


def load() -> None:
    """Load what detection reads, which it otherwise loads at its first message: Lingua's models and
    wordfreq's word lists, the largest part of the Rasa server's memory (docs/benchmarks.md)."""
    import wordfreq

    _detector()
    _wide_detector()
    for lang in LANGUAGES:
        wordfreq.zipf_frequency("load", lang)


def detect(text: str, names: Sequence[Name] = ()) -> Optional[str]:
    """The language of the text, OTHER for one the assistant does not speak, or None when the text is
    too short or unclear to tell."""
    return detect_surely(text, names)[0]


def detect_surely(text: str, names: Sequence[Name] = ()) -> Tuple[Optional[str], bool]:
    """The language of the text (as detect), and whether it is sure: told by words clearly of one
    language, a name in one language's spelling, or Lingua at SURE_CONFIDENCE. A conversation's
    language holds over an unsure one ("ECHA?" in a Finnish conversation)."""
    if not text or text.lstrip().startswith("/"):  # a button payload, not words
        return None, False
    shouted = text.isupper() and len(text.split()) >= SHOUTED_WORDS  # "WHAT IS ECHA", not acronyms
    if shouted:
        text = text.lower()
    # Inflected names stay: "brysselissä" is a Finnish word.
    blanked = _blank(text, [n for n in names if n.spelt_in])
    words_alone = _read(blanked, other=True)
    if words_alone[0]:
        return words_alone
    spellings = {lang for name in names if len(name.spelt_in) == 1 for lang in name.spelt_in}
    if len(spellings) == 1:
        return spellings.pop(), True
    return _read(_blank(text, [n for n in names if len(n.spelt_in) > 1]))


def _blank(text: str, names: Iterable[Name]) -> str:
    """The text with the names, acronyms and numbers blanked out, every offset kept (names found by
    two extractors may overlap)."""
    chars = list(text)
    for name in names:
        chars[name.start : name.end] = " " * (name.end - name.start)
    return _ACRONYM_OR_NUMBER.sub(" ", "".join(chars))


def _vote(votes: Dict[str, int]) -> Optional[str]:
    """The language most of the words are clearly of, when they are more than half of those that
    vote. Short mixed messages ("does helsinki have some toimisto in brussels") go by their words,
    where Lingua's letter sequences would follow the one long foreign word."""
    lang, most = max(votes.items(), key=lambda item: item[1])
    return lang if most >= MIN_VOTES and most * 2 > sum(votes.values()) else None


def _votes(text: str) -> Dict[str, int]:
    """How many words are clearly of each language: a word votes for the language where it is most
    common, by a factor of ten (wordfreq), a Finnish form Voikko knows and the others lack for Finnish."""
    import wordfreq

    votes = {lang: 0 for lang in LANGUAGES}
    for word in _WORD.findall(text.casefold()):
        zipf = {lang: wordfreq.zipf_frequency(word, lang) for lang in LANGUAGES}
        if zipf["fi"] == 0 and finnish.analyses(word):
            zipf["fi"] = WORD_CLEARLY
        first, second = sorted(LANGUAGES, key=zipf.get, reverse=True)[:2]
        if zipf[first] - zipf[second] >= WORD_CLEARLY:
            votes[first] += 1
    return votes


def _read(text: str, other: bool = False) -> Tuple[Optional[str], bool]:
    """The language by the words clearly of one language; else, with `other`, OTHER for a message in
    another language; else by Lingua; and whether it is sure."""
    if len(_LETTER.findall(text)) < MIN_LETTERS:
        return None, False
    if other and _is_other(text):
        return OTHER, True
    votes = _votes(text)
    by_words = _vote(votes)
    if by_words:
        return by_words, True
    best = _detector().compute_language_confidence_values(text)[0]
    if best.value < MIN_CONFIDENCE:
        return None, False
    lang = best.language.iso_code_639_1.name.lower()
    # Lingua unsure, but the one word clearly of a language is of its choice ("mikä on ECHA?")
    agreed = votes[lang] > 0 and sum(votes.values()) == votes[lang]
    return lang, best.value >= SURE_CONFIDENCE or agreed


def reply_language(
    requested: Optional[str] = None,
    detected: Optional[str] = None,
    current: Optional[str] = None,
    page: Optional[str] = None,
    sure: bool = True,
) -> str:
    """The resident's explicit choice (metadata.language) wins; then the message's language, if it is
    `sure`; then the conversation's; then the message's unsure one; then the page's
    (metadata.page_language, a hint the widget sends); then English. The one place the reply language
    is chosen, for the actions and the REST channel alike."""
    order = (requested, detected, current, page) if sure else (requested, current, detected, page)
    for lang in order:
        if lang in LANGUAGES:
            return lang
    return DEFAULT_LANGUAGE
