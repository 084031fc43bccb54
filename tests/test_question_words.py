"""Which unsure messages point back to what the conversation is about."""

import pytest

from assistant.question_words import asks_how_many, asks_who, points_back


@pytest.mark.parametrize("text", ["onks se viel auki", "is that thing still open", "vem jobbar där?", "toimiiko se"])
def test_a_short_message_pointing_back(text):
    assert points_back(text)


@pytest.mark.parametrize(
    "text",
    [
        "what is the weather like",  # nothing points back
        "is it true that you can tell me everything about the city and its people",  # long: says what it asks
        "",
    ],
)
def test_not_pointing_back(text):
    assert not points_back(text)


@pytest.mark.parametrize("text", ["ubc:n jäsenmäärä?", "kuinka monta jäsentä", "antalet medlemmar i ucue",
                                  "hur många jobbar där", "number of staff at echa"])
def test_asking_how_many(text):
    assert asks_how_many(text)


@pytest.mark.parametrize("text", ["mikä on ucue", "montreal?", "vilka är medlemmar", "which members"])
def test_not_asking_how_many(text):
    assert not asks_how_many(text)


@pytest.mark.parametrize("text, asks", [("kuka johtaa sitä", True), ("vem leder byrån", True),
                                        ("whose office is it", True), ("ketkä kuuluu siihen", False),
                                        ("vilka städer", False), ("what is it", False)])
def test_asking_who(text, asks):
    assert asks_who(text) == asks
