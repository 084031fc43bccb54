"""Which unsure messages point back to what the conversation is about."""

import pytest

from assistant.question_words import points_back


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
