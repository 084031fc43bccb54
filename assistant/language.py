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
from typing import Iterable, Optional, Sequence, Tuple

from assistant import finnish
from assistant.facts import LANGUAGES

DEFAULT_LANGUAGE = "en"  # no choice, no words to tell by, no conversation, no page language
MIN_LETTERS = 3  # "ok", "hi", "?" say nothing
MIN_CONFIDENCE = 0.5
SHOUTED_WORDS = 3  # a message all in capitals of at least this many words is read in lower case
WORD_CLEARLY = 1.0  # zipf: a word is of a language where it is ten times as common as in the others
MIN_VOTES = 2  # one word alone is left to Lingua

_ACRONYM_OR_NUMBER = re.compile(r"\b(?:[A-ZÅÄÖ]{2,}|\d+)\b")
_LETTER = re.compile(r"[^\W\d_]")
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

    # All models at once: loaded lazily, the first few messages each waited about 120 ms for one.
    return LanguageDetectorBuilder.from_languages(
        Language.FINNISH, Language.SWEDISH, Language.ENGLISH
    ).with_preloaded_language_models().build()


def load() -> None:
    """Load what detection reads, which it otherwise loads at its first message: Lingua's models and
    wordfreq's word lists, about 290 MB."""
    import wordfreq

    _detector()
    for lang in LANGUAGES:
        wordfreq.zipf_frequency("load", lang)


def detect(text: str, names: Sequence[Name] = ()) -> Optional[str]:
    """The language of the text, or None when the text is too short or unclear to tell."""
    if not text or text.lstrip().startswith("/"):  # a button payload, not words
        return None
    shouted = text.isupper() and len(text.split()) >= SHOUTED_WORDS  # "WHAT IS ECHA", not acronyms
    if shouted:
        text = text.lower()
    # Inflected names stay: "brysselissä" is a Finnish word.
    words_alone = _read(_blank(text, [n for n in names if n.spelt_in]))
    if words_alone:
        return words_alone
    spellings = {lang for name in names if len(name.spelt_in) == 1 for lang in name.spelt_in}
    if len(spellings) == 1:
        return spellings.pop()
    return _read(_blank(text, [n for n in names if len(n.spelt_in) > 1]))


def _blank(text: str, names: Iterable[Name]) -> str:
    """The text with the names, acronyms and numbers blanked out, every offset kept (names found by
    two extractors may overlap)."""
    chars = list(text)
    for name in names:
        chars[name.start : name.end] = " " * (name.end - name.start)
    return _ACRONYM_OR_NUMBER.sub(" ", "".join(chars))


def _vote(text: str) -> Optional[str]:
    """The language most of the words are clearly of, when they are more than half of those that
    vote: a word votes for the language where it is most common, by a factor of ten (wordfreq), a
    Finnish form Voikko knows and the others lack for Finnish. Short mixed messages ("does helsinki
    have some toimisto in brussels") go by their words, where Lingua's letter sequences would follow
    the one long foreign word."""
    import wordfreq

    votes = {lang: 0 for lang in LANGUAGES}
    for word in _WORD.findall(text.casefold()):
        zipf = {lang: wordfreq.zipf_frequency(word, lang) for lang in LANGUAGES}
        if zipf["fi"] == 0 and finnish.analyses(word):
            zipf["fi"] = WORD_CLEARLY
        first, second = sorted(LANGUAGES, key=zipf.get, reverse=True)[:2]
        if zipf[first] - zipf[second] >= WORD_CLEARLY:
            votes[first] += 1
    lang, most = max(votes.items(), key=lambda item: item[1])
    return lang if most >= MIN_VOTES and most * 2 > sum(votes.values()) else None


def _read(text: str) -> Optional[str]:
    if len(_LETTER.findall(text)) < MIN_LETTERS:
        return None
    by_words = _vote(text)
    if by_words:
        return by_words
    best = _detector().compute_language_confidence_values(text)[0]
    if best.value < MIN_CONFIDENCE:
        return None
    return best.language.iso_code_639_1.name.lower()


def reply_language(
    requested: Optional[str] = None,
    detected: Optional[str] = None,
    current: Optional[str] = None,
    page: Optional[str] = None,
) -> str:
    """The resident's explicit choice (metadata.language) wins; then the message's language; then the
    conversation's; then the page's (metadata.page_language, a hint the widget sends); then English.
    The one place the reply language is chosen, for the actions and the REST channel alike."""
    for lang in (requested, detected, current, page):
        if lang in LANGUAGES:
            return lang
    return DEFAULT_LANGUAGE
