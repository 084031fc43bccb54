"""The fact base as a search index: words in any language, what kinds of question each fact answers."""

import pytest

from assistant.answering import index
from tests.helpers import edited


@pytest.fixture
def facts(kb):
    return index.of(kb)


def best(facts, word):
    match = facts.match(word)
    assert match.scores is not None, word
    return facts.ids[int(match.scores.argmax())]


@pytest.mark.parametrize(
    "word, fact",
    [
        ("krisgrupp", "ukraine_crisis_group"),  # Swedish
        ("kriisiryhmän", "ukraine_crisis_group"),  # Finnish, inflected: by Voikko's base form
        ("memorandum", "eurocities_ukraine_memorandum"),  # English
        ("kesäleireille", "dnipro_summer_camps"),  # a Finnish compound, by its parts
        ("sommarlägret", "dnipro_summer_camps"),  # Swedish, by Snowball's stem
    ],
)
def test_a_word_finds_its_fact_in_its_own_language(facts, word, fact):
    assert best(facts, word) == fact


def test_a_swedish_compound_is_found_by_its_head(facts):
    assert facts.match("tallinnavtalet").scores is not None  # no fact has the compound; "avtal" they have


def test_a_near_miss_counts_as_the_word(facts):
    assert best(facts, "memorandumn") == "eurocities_ukraine_memorandum"


def test_a_word_no_fact_has_is_unknown(facts):
    assert facts.match("uppehållstillstånd").scores is None


@pytest.mark.parametrize(
    "fact, kind",
    [
        ("echa_since", "since"),
        ("echa_staff", "how_many"),
        ("echa_move", "where"),
        ("ukraine_humanitarian_aid", "how_much"),
        ("eurocities_founded", "when"),
    ],
)
def test_a_fact_answers_the_kinds_its_questions_ask_and_what_it_states(facts, fact, kind):
    assert index.answers(facts.kinds[fact], kind) > 0


@pytest.mark.parametrize(
    "fact, kind",
    [
        ("kyiv_cooperation_document", "how_many"),  # "28 November 2022" is a date, no count
        ("eu_office_members_count", "how_much"),  # 16 members, no sum of money
        ("echa", "when"),
    ],
)
def test_a_fact_does_not_answer_what_it_does_not_state(facts, fact, kind):
    assert index.answers(facts.kinds[fact], kind) == 0


def test_since_when_is_answered_less_well_by_a_date(facts):
    assert index.answers(facts.kinds["eurocities_founded"], "since") in (0.5, 1.0)
    assert index.answers({"when": 1.0}, "since") == 0.5


def test_a_fact_that_says_no(facts, kb):
    assert {f for f in kb.facts if facts.says_no[f]} == {"no_twin_cities", "kyiv_not_twin_city"}


def test_an_edited_fact_base_gets_its_own_index(kb, fact_edits, tmp_path):
    other = edited(tmp_path, fact_edits.new_partner)
    assert index.of(other).kb is other and "lisbon_partner" in index.of(other).ids
    assert "lisbon_partner" not in index.of(kb).ids
