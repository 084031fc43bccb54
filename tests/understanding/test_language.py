"""Reply language: metadata wins, then the detected language, then the conversation's."""

import pytest

from assistant.understanding.language import DEFAULT_LANGUAGE, Name, detect, reply_language

DETECTED = [
    ("Mitkä ovat Helsingin tärkeimmät kumppanikaupungit?", "fi"),
    ("kuinka moni siellä työskentelee", "fi"),
    ("entä Berliini?", "fi"),
    ("kiitos", "fi"),
    ("Vilka är Helsingfors viktigaste samarbetsstäder?", "sv"),
    ("hur många jobbar där", "sv"),
    ("tack så mycket", "sv"),
    ("Which are Helsinki's main partner cities?", "en"),
    ("how many people work there?", "en"),
    ("thanks", "en"),
    ("are you chatgpt or what", "en"),  # by its English words; Lingua took it for Swedish (issue 14)
]


@pytest.mark.parametrize("text, lang", DETECTED)
def test_detect(text, lang):
    assert detect(text) == lang


def test_names_do_not_decide_the_language():
    text = "is tallinn a helsinki partner"
    assert detect(text, [Name(3, 10), Name(13, 21)]) == "en"


def test_overlapping_name_spans():
    # The same name found by two extractors must not cut into the words after it.
    text = "Is Saint Petersburg one of Helsinki's partners?"
    assert detect(text, [Name(3, 19), Name(3, 19), Name(27, 37)]) == "en"


@pytest.mark.parametrize("text", ["ECHA?", "ok", "?", "/ask_echa", "", "2007"])
def test_too_short_to_tell(text):
    assert detect(text) is None


def test_reply_language_order():
    assert reply_language(requested="sv", detected="en", current="fi") == "sv"
    assert reply_language(requested="de", detected="en", current="fi") == "en"
    assert reply_language(requested=None, detected=None, current="sv") == "sv"
    assert reply_language(detected="fi", current="sv", page="en") == "fi"
    assert reply_language(detected=None, current=None, page="sv") == "sv"  # the page's, as a hint
    assert reply_language() == DEFAULT_LANGUAGE == "en"  # no clue at all: English (issue 14)
