"""The resident's own words choose among the facts in reach (assistant.focus through Replies): each case
got the wrong facts, all of a subject's facts, or "the sources do not say" before (issue 14)."""

import asyncio

import pytest

from actions.actions import ActionAnswer, ActionClarify, ActionOutOfScope, ActionSmalltalk
from assistant.replies import Replies, messages
from helpers import fact


def said(action, tracker, dispatcher, domain, lang, text, intent, entities=(), slots=None):
    turn = tracker(text, intent, [{"entity": t, "value": v} for t, v in entities], slots=slots,
                   metadata={"language": lang})
    asyncio.run(action.run(dispatcher, turn, domain))
    assert len(dispatcher.messages) == 1
    return dispatcher.messages[0]["text"]


def gap_reply(lang, what_id):
    from assistant import gaps

    what = next(g for g in gaps.load().gaps if g.id == what_id).what[lang]
    return messages()["not_in_sources"][lang].split("{what}")[0] + what


WHEN_JOINED = {"fi": "koska arcada tuli eu-toimiston jäseneksi", "sv": "när gick arcada med i eu-byrån",
               "en": "arcada became a member of the eu office when"}


def test_when_of_a_subject_with_no_founding_year_gets_the_dated_fact_its_words_name(lang, tracker, dispatcher, domain):
    text = said(ActionAnswer(), tracker, dispatcher, domain, lang, WHEN_JOINED[lang], "ask_since",
                [("organisation", "eu_office")])
    assert fact("eu_office_new_members", lang) in text
    assert fact("eu_office_policies", lang) not in text


ECHA_MOVED = {"fi": "koska echa vaihtoi toimitiloja", "sv": "när flyttade echa till nya lokaler",
              "en": "when did echa move premises"}


def test_when_gives_the_fact_asked_for_besides_the_subjects_founding_year(lang, tracker, dispatcher, domain):
    text = said(ActionAnswer(), tracker, dispatcher, domain, lang, ECHA_MOVED[lang], "ask_since",
                [("organisation", "echa")])
    assert fact("echa_move", lang) in text


UCUE_COUNT = {"fi": "kuinka monta pääkaupunkia ucuessa on mukana", "sv": "hur många huvudstäder är med i ucue",
              "en": "how many capitals belong to ucue"}
UCUE_AMOUNT = {"fi": "ucuen jäsenmäärä", "sv": "antalet medlemmar i ucue", "en": "ucue number of members"}


@pytest.mark.parametrize("words", [UCUE_COUNT, UCUE_AMOUNT])
def test_how_many_of_a_network_whose_size_no_source_gives_is_not_answered_with_its_membership(
    lang, tracker, dispatcher, domain, words
):
    """It was: "Helsinki is a member of UCUE", to "how many members does UCUE have"."""
    text = said(ActionAnswer(), tracker, dispatcher, domain, lang, words[lang], "ask_networks",
                [("network", "ucue")])
    assert text == messages()["not_stated_members"][lang].format(subject="UCUE")


WHO_LEADS = {"fi": "kuka on eu-toimiston vetäjä", "sv": "vem driver eu-byrån", "en": "who is heading the eu office"}


def test_who_leads_something_is_a_gap_not_the_subjects_facts(lang, tracker, dispatcher, domain):
    text = said(ActionAnswer(), tracker, dispatcher, domain, lang, WHO_LEADS[lang], "ask_eu_office",
                [("organisation", "eu_office")])
    assert text.startswith(gap_reply(lang, "people"))
    assert fact("eu_office", lang) not in text


MAYOR_TRIP = {"fi": "oliko pormestari eurocitiesin matkalla ukrainaan",
              "sv": "var borgmästaren med på eurocities resa till ukraina",
              "en": "was our mayor on that eurocities trip to ukraine"}


def test_an_out_of_scope_question_naming_two_things_gets_the_fact_about_both_its_words_name(
    lang, tracker, dispatcher, domain
):
    text = said(ActionOutOfScope(), tracker, dispatcher, domain, lang, MAYOR_TRIP[lang], "out_of_scope",
                [("network", "eurocities"), ("country", "ukraine")])
    assert fact("eurocities_ukraine_visit", lang) in text
    assert fact("ukraine_humanitarian_aid", lang) not in text


WEATHER = {"fi": "millainen sää dniprossa on", "sv": "hur är vädret i dnipro", "en": "whats the weather in dnipro"}


def test_an_out_of_scope_question_whose_words_point_to_no_fact_stays_out_of_scope(lang, tracker, dispatcher, domain):
    text = said(ActionOutOfScope(), tracker, dispatcher, domain, lang, WEATHER[lang], "out_of_scope",
                [("city", "dnipro")])
    assert text == messages()["out_of_scope"][lang]


WHO_COORDINATES = {"fi": "kuka niitä koordinoi", "sv": "vem samordnar dem", "en": "who coordinates them"}


def test_an_unsure_follow_up_pointing_back_at_a_topic_gets_the_fact_its_words_name(lang, tracker, dispatcher, domain):
    text = said(ActionClarify(), tracker, dispatcher, domain, lang, WHO_COORDINATES[lang], "nlu_fallback",
                slots={"topic": "focus_areas"})
    assert fact("international_work_coordination", lang) in text


WHICH_NETWORKS = {"fi": "mihin verkostoihin helsinki kuuluu", "sv": "vilka nätverk är helsingfors medlem i",
                  "en": "what networks does helsinki belong to"}


def test_a_topic_question_naming_nothing_gets_the_whole_topic(lang, tracker, dispatcher, domain):
    text = said(ActionAnswer(), tracker, dispatcher, domain, lang, WHICH_NETWORKS[lang], "ask_networks")
    for fact_id in ("eurocities", "ucue", "baltic_metropoles", "ubc_member"):
        assert fact(fact_id, lang) in text


TALLINN_DEAL = {"fi": "mitä tallinnan sopimuksessa sovittiin", "sv": "vad står det i avtalet med tallinn",
                "en": "whats in the tallinn agreement"}


@pytest.mark.parametrize("intent", ["ask_twin_cities", "ask_partners"])
def test_a_topic_question_naming_a_partner_gets_its_facts_the_words_name(lang, tracker, dispatcher, domain, intent):
    text = said(ActionAnswer(), tracker, dispatcher, domain, lang, TALLINN_DEAL[lang], intent,
                [("city", "tallinn")])
    assert fact("tallinn_themes", lang) in text


WHEN_ENDED = {"fi": "koska se loppui", "sv": "när tog det slut", "en": "when did that end"}


def test_when_of_a_subject_whose_every_fact_has_ended_gets_when_it_ended(kb, lang, tracker, dispatcher, domain):
    text = said(ActionAnswer(), tracker, dispatcher, domain, lang, WHEN_ENDED[lang], "ask_since",
                slots={"topic": "partners", "subject": "moscow"})
    history = kb.facts["moscow_partnership"].ended.history[lang].rstrip(".")
    assert history in text and "2022" in text


FOUNDED = {"fi": "minä vuonna se perustettiin", "sv": "vilket år grundades den", "en": "what year was it set up"}


@pytest.mark.parametrize(
    "words, topic, subject",
    [
        (WHEN_ENDED, "partners", "kyiv"),  # dated four times, and "end" is in none of them
        (FOUNDED, "eu_office", "eu_office"),  # its one date is when Arcada and THL joined it
    ],
)
def test_when_with_no_word_pointing_to_a_dated_fact_is_not_answered_with_another_date(
    kb, lang, tracker, dispatcher, domain, words, topic, subject
):
    text = said(ActionAnswer(), tracker, dispatcher, domain, lang, words[lang], "ask_since",
                slots={"topic": topic, "subject": subject})
    assert text == messages()["not_stated_since"][lang].format(subject=kb.entities[subject].names[lang])


MOVED_IT = {"fi": "muuttiko se jonnekin", "sv": "flyttade dom nånstans", "en": "did they move somewhere"}


def test_an_out_of_scope_message_pointing_back_gets_what_its_words_name_in_the_subject(lang, tracker,
                                                                                        dispatcher, domain):
    text = said(ActionOutOfScope(), tracker, dispatcher, domain, lang, MOVED_IT[lang], "out_of_scope",
                slots={"topic": "echa", "subject": "echa"})
    assert fact("echa_move", lang) in text and fact("echa_task", lang) not in text
    dispatcher.messages.clear()
    text = said(ActionOutOfScope(), tracker, dispatcher, domain, lang, MOVED_IT[lang], "out_of_scope")
    assert text == messages()["out_of_scope"][lang]  # nothing to point back to


ACKNOWLEDGING = {"fi": ["ok", "okei selvä", "jees kiva"], "sv": ["ok", "okej bra", "toppen"],
                 "en": ["ok", "ok cool", "got it"]}


@pytest.mark.parametrize("n", range(3))
@pytest.mark.parametrize("intent, action", [("goodbye", ActionSmalltalk()), ("ask_about", ActionAnswer()),
                                            ("nlu_fallback", ActionClarify())])
def test_an_acknowledgement_keeps_the_conversation_going_whatever_the_model_made_of_it(
    lang, tracker, dispatcher, domain, n, intent, action
):
    """ "ok" got the last answer again, and "ok cool" a goodbye (issue 14)."""
    turn = tracker(ACKNOWLEDGING[lang][n], intent, slots={"topic": "echa", "subject": "echa"},
                   metadata={"language": lang})
    events = asyncio.run(action.run(dispatcher, turn, domain))
    assert dispatcher.messages[0]["text"] == messages()["acknowledged"][lang]
    assert {e["name"] for e in events} == {"language"}  # what the conversation is about stays


HOW_OLD = {"fi": ["kuinka vanhaa tää tieto on", "mistä löydän ajantasaisen tiedon"],
           "sv": ["hur gammal är infon", "var finns aktuell information"],
           "en": ["how old is ur info", "where do i find up to date information"]}


@pytest.mark.parametrize("n", range(2))
def test_asking_how_old_the_information_is_gets_the_sources_with_their_dates(kb, lang, tracker, dispatcher, domain, n):
    """It got "I can't answer that" (issue 14)."""
    text = said(ActionOutOfScope(), tracker, dispatcher, domain, lang, HOW_OLD[lang][n], "out_of_scope")
    replies = Replies(kb, lang)
    for source in kb.sources.values():
        assert f"{source.publisher[lang]}: " in text and replies.date(source.when) in text
    assert kb.freshness.website in text and "https://palautteet.hel.fi" in text


NOT_ABOUT_THE_SOURCES = {"fi": "kuinka vanha helsinki on", "sv": "hur gammal är helsingfors",
                         "en": "how old is helsinki"}


def test_the_age_of_something_else_is_not_a_question_about_the_sources(lang, tracker, dispatcher, domain):
    text = said(ActionOutOfScope(), tracker, dispatcher, domain, lang, NOT_ABOUT_THE_SOURCES[lang], "out_of_scope")
    assert text == messages()["out_of_scope"][lang]
