"""How a message asks, by its closed-class words, in each language and mixed."""

import pytest

from assistant.answering import question_words
from assistant.answering.words import tokens


def asked(text):
    return question_words.read(tokens(text), text.rstrip().endswith("?"))


@pytest.mark.parametrize(
    "text, kind",
    [
        ("milloin echa tuli", "when"),
        ("när kom echa", "when"),
        ("when did echa come", "when"),
        ("mistä lähtien se on ollut täällä", "since"),
        ("sen när finns den", "since"),
        ("how long has it been here", "since"),
        ("montako jäsentä", "how_many"),
        ("hur många jobbar där", "how_many"),
        ("how many cities", "how_many"),
        ("missä se on", "where"),
        ("var ligger den", "where"),
        ("where is it", "where"),
        ("kuka johtaa", "who"),
        ("vem leder den", "who"),
        ("who runs it", "who"),
        ("miksi", "why"),
        ("varför då", "why"),
        ("why?", "why"),
        ("mihin verkostoihin", "which"),
        ("vilka nätverk", "which"),
        ("which networks", "which"),
        ("what networks is helsinki in", "which"),
        ("missä verkostoissa helsinki on", "which"),
        ("mikä se on", "what"),
        ("vad är det", "what"),
        ("what is it", "what"),
    ],
)
def test_the_kind_of_question_is_told_by_its_question_words(text, kind):
    assert asked(text).kinds[0] == kind


@pytest.mark.parametrize(
    "text, kind",
    [
        ("paljonko jäseniä toimistossa on", "how_many"),  # an amount with no money is a count
        ("paljonko eu-toimisto maksaa vuodessa", "how_much"),
        ("hur mycket pengar gavs", "how_much"),
        ("what's the salary at echa", "how_much"),
        ("how much money was given", "how_much"),
    ],
)
def test_how_much_asks_a_sum_only_of_money(text, kind):
    assert asked(text).kinds[0] == kind


def test_money_in_a_yes_or_no_question_asks_no_sum():
    found = asked("can my company get eu money through the city")
    assert found.polar and "how_much" not in found.kinds


@pytest.mark.parametrize(
    "text",
    [
        "onko helsinki eurocitiesissa",
        "onks se viel auki",
        "är helsingfors med i ubc",
        "is helsinki in ucue",
        "förberedde staden sig",
        "samarbetar de?",
    ],
)
def test_a_question_without_question_words_asks_yes_or_no(text):
    assert asked(text).polar and not asked(text).kinds


@pytest.mark.parametrize("text", ["main partner cities of helsinki?", "ukraine aid"])
def test_a_name_with_a_question_mark_is_no_yes_or_no_question(text):
    assert not asked(text).polar


@pytest.mark.parametrize("text", ["onko se vielä auki", "finns det kvar", "is it still open", "any more?"])
def test_still(text):
    assert asked(text).still


@pytest.mark.parametrize("text", ["mitkä on lopetettu", "vilka har ni slutat med", "which ones have you stopped"])
def test_asking_what_ended(text):
    assert asked(text).ended and not asked(text).still


@pytest.mark.parametrize("text", ["eikö helsinki tee yhteistyötä", "hjälper staden inte", "so it doesn't help"])
def test_negation(text):
    assert asked(text).negated


@pytest.mark.parametrize("text", ["will there be camps next summer", "aikooko helsinki jatkaa", "nästa år då"])
def test_what_is_yet_to_come(text):
    assert asked(text).future


@pytest.mark.parametrize("text", ["do they cooperate on urban planning", "does it brief on upcoming legislation"])
def test_words_of_plans_are_no_future(text):
    assert not asked(text).future


@pytest.mark.parametrize(
    "text, courtesy",
    [("kiitos", "thank"), ("tack hej", "thank"), ("moi moi", "goodbye"), ("hejsan", "greet"), ("cheers bye", "thank")],
)
def test_courtesies_are_no_words_of_the_question_and_tell_small_talk(text, courtesy):
    found = asked(text)
    assert found.courtesy == courtesy
    assert set(tokens(text)) <= found.closed


@pytest.mark.parametrize(
    "text, acknowledges", [("ok", True), ("okej bra", True), ("ok cool", True), ("ok what about ucue", False)]
)
def test_acknowledging(text, acknowledges):
    assert asked(text).acknowledges is acknowledges


@pytest.mark.parametrize(
    "text, about_sources",
    [
        ("kuinka vanhoja tietosi on", True),
        ("mistä lähteistä vastaukset ovat", True),
        ("är uppgifterna föråldrade", True),
        ("vilka källor har du", True),
        ("is ur info current", True),
        ("what sources do you use", True),
        ("milloin se lähti", False),  # "lähti" is of leaving ("lähteä"), not of sources ("lähde")
        ("hur gammal är echa", False),
        ("how old is it", False),
        ("what's the latest", False),
    ],
)
def test_asking_about_the_assistants_sources(text, about_sources):
    assert asked(text).about_sources is about_sources


@pytest.mark.parametrize("text", ["hei, onko echa helsingissä", "hej är moskva en partner", "hi is ucue a network"])
def test_a_greeting_before_a_yes_or_no_question_keeps_it_one(text):
    assert asked(text).polar


@pytest.mark.parametrize(
    "text, since, then",
    [
        ("onko se ollut jäsen 1990 lähtien", True, False),
        ("onks ne ollu mukana siitä asti", True, True),
        ("sedan dess?", True, True),
        ("since 2001?", True, False),
        ("ever since?", True, True),
        ("when was it founded", False, False),
    ],
)
def test_asking_since_a_time(text, since, then):
    assert (asked(text).since, asked(text).since_then) == (since, then)
