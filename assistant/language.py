"""The message's language, and the reply's: the client's choice, else the message's, else the conversation's,
else the page's, else English.

Detection uses Lingua's fi/sv/en models, which ship inside the package (nothing is downloaded). Names
say nothing about the language ("Tallinn", "ECHA", "Helsinki" are spelt alike in all three), so the
caller passes their spans and they are left out; what remains must be long enough and clear enough.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Optional, Tuple

from assistant.facts import LANGUAGES

DEFAULT_LANGUAGE = "en"  # no choice, no words to tell by, no conversation, no page language
MIN_LETTERS = 3  # "ok", "hi", "?" say nothing
MIN_CONFIDENCE = 0.5
SHOUTED_WORDS = 3  # a message all in capitals of at least this many words is read in lower case

_ACRONYM_OR_NUMBER = re.compile(r"\b(?:[A-ZÅÄÖ]{2,}|\d+)\b")
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.FINNISH, Language.SWEDISH, Language.ENGLISH
    ).build()


def detect(text: str, name_spans: Iterable[Tuple[int, int]] = ()) -> Optional[str]:
    """The language of the text, or None when the text is too short or unclear to tell."""
    if not text or text.lstrip().startswith("/"):  # a button payload, not words
        return None
    shouted = text.isupper() and len(text.split()) >= SHOUTED_WORDS  # "WHAT IS ECHA", not acronyms
    chars = list(text)
    for start, end in name_spans:  # spans may overlap: blank them out, keeping every offset
        chars[start:end] = " " * (end - start)
    text = "".join(chars)
    if shouted:
        text = text.lower()
    text = _ACRONYM_OR_NUMBER.sub(" ", text)
    if len(_LETTER.findall(text)) < MIN_LETTERS:
        return None
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
