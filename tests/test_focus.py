"""assistant.focus: which facts in reach a question's own words point to (no Rasa needed)."""

import pytest

from assistant import focus
from assistant.facts import LANGUAGES


def ids(facts):
    return [f.id for f in facts]


def pick(kb, lang, facts, question, named=()):
    return ids(focus.pick(kb, lang, facts, question, [kb.entities[e] for e in named]))


def test_finnish_words_are_matched_by_base_form_and_compound_part():
    assert {"yhteistyösopimus", "sopimus"} <= focus.terms("yhteistyösopimuksen", "fi")
    assert "sulkea" in focus.terms("suljettiin", "fi")


@pytest.mark.parametrize(
    "lang, question",
    [
        ("fi", "koska arcada tuli mukaan toimistoon"),
        ("sv", "när gick arcada med"),
        ("en", "arcada joined when"),
    ],
)
def test_a_word_few_facts_have_picks_those_facts(kb, lang, question):
    picked = pick(kb, lang, kb.facts_about("eu_office"), question, ["eu_office"])
    # Arcada is in the list of members too
    assert "eu_office_new_members" in picked and set(picked) <= {"eu_office_new_members", "eu_office_member_list"}


@pytest.mark.parametrize(
    "lang, question",
    [
        ("fi", "kesäleiri lapsille dnipro"),
        ("sv", "sommarlägret för barnen från dnipro"),
        ("en", "summer camp kids dnipro"),
    ],
)
def test_inflected_and_compound_words_still_point_to_their_fact(kb, lang, question):
    assert "dnipro_summer_camps" in pick(kb, lang, kb.facts_about("dnipro"), question, ["dnipro"])


@pytest.mark.parametrize("lang, question", [("fi", "mikä on dnipro"), ("sv", "berätta om dnipro"),
                                            ("en", "tell me about dnipro")])
def test_the_name_asked_about_and_common_words_point_to_nothing_in_particular(kb, lang, question):
    assert pick(kb, lang, kb.facts_about("dnipro"), question, ["dnipro"]) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_button_payload_has_no_words(kb, lang):
    assert pick(kb, lang, kb.facts.values(), '/ask_since{"organisation": "echa"}') == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_what_can_answer_when_and_how_many(kb, lang):
    facts = kb.facts
    assert focus.dated(facts["eurocities_since"], lang)
    assert focus.dated(facts["st_petersburg_partner"], lang)  # the year is in the history of its end
    assert not focus.dated(facts["ucue"], lang)
    assert focus.counted(facts["eu_office_members_count"], lang)
    assert not focus.counted(facts["eurocities_since"], lang)  # a year is no count
    assert not focus.counted(facts["helsinki_centre_work"], lang)
