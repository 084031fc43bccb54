"""Every custom action, in each language, with a fresh tracker, dispatcher and domain per test."""

from __future__ import annotations

import asyncio

import re

import pytest

from actions.actions import ActionAnswer, ActionClarify, ActionOutOfScope, ActionSmalltalk
from assistant import factbase
from assistant.factbase import FactBaseError
from assistant.replies import messages

QUESTIONS = {"fi": "Kerro lisää", "sv": "Berätta mer", "en": "Tell me more"}


def run(action, dispatcher, tracker, domain):
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    assert len(dispatcher.messages) == 1
    return dispatcher.messages[0], {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def ask(tracker, lang, intent, entities=(), **kwargs):
    """A turn whose language the client chose, as the web widget sends it."""
    entities = [{"entity": t, "value": v} for t, v in entities]
    return tracker(QUESTIONS[lang], intent, entities, metadata={"language": lang}, **kwargs)


def texts(kb, lang, *fact_ids):
    return [kb.facts[f].text[lang] for f in fact_ids]


def source_line(lang):
    return messages()["source"][lang].split("{")[0]


def used_in_order(facts):
    """The sources an answer names, in the order it uses them: what holds first, then the endings."""
    for fact in facts:
        yield fact.source
    for fact in facts:
        if fact.ended:
            yield fact.ended.source


def history(kb, lang, fact_id):
    return kb.facts[fact_id].ended.history[lang].rstrip(".")


@pytest.mark.parametrize("topic", ["focus_areas", "eu_funding", "networks", "partners", "twin_cities",
                                   "eu_office", "helsinki_centre", "echa"])
def test_a_topic_question_gets_what_holds_then_what_ended_with_sources_and_related_questions(
    kb, lang, tracker, dispatcher, domain, topic
):
    message, slots = run(ActionAnswer(), dispatcher, ask(tracker, lang, f"ask_{topic}"), domain)
    facts = kb.topic_facts(topic)
    assert facts
    for fact in facts:
        if fact.holds:
            assert fact.text[lang] in message["text"]
        else:
            assert fact.text[lang] not in message["text"]
            assert history(kb, lang, fact.id) in message["text"]
    caption = message["custom"]
    assert caption["language"] == lang
    used = {f.source for f in facts} | {f.ended.source for f in facts if f.ended}
    assert [s["url"] for s in caption["sources"]] == list(dict.fromkeys(
        kb.sources[s].in_language(kb.sources[s].url, lang) for s in used_in_order(facts)))
    assert len(caption["sources"]) == len(used)
    assert caption["text"].startswith(source_line(lang)) and caption["note"] in caption["text"]
    assert source_line(lang) not in message["text"]
    assert set(caption["facts"]) == {f.id for f in facts}  # what a rating of this answer is about
    assert re.fullmatch(r"[0-9a-f]{32}", caption["answer"])  # the id a rating names it by
    assert 2 <= len(message["buttons"]) <= 3
    assert all(b["payload"].startswith("/ask_") for b in message["buttons"])
    assert slots["language"] == lang and slots["topic"] == topic


def test_the_suspended_partners_come_after_todays(kb, lang, tracker, dispatcher, domain):
    message, _ = run(ActionAnswer(), dispatcher, ask(tracker, lang, "ask_partners"), domain)
    today = message["text"].index(texts(kb, lang, "main_partners")[0])
    assert today < message["text"].index(history(kb, lang, "st_petersburg_partner"))
    assert today < message["text"].index(history(kb, lang, "moscow_partnership"))


# What a bare "yes" or "no" opened with before; the same words may ask the opposite question
# ("has helsinki ended its cooperation with st petersburg?"), so answers open with the facts (issue 14).
BARE_YES_OR_NO = ("Kyllä", "Ei enää", "Ja,", "Inte längre", "Yes", "Not any more")


@pytest.mark.parametrize("city, fact_id", [("tallinn", "main_partners"), ("beijing", "beijing_partnership")])
def test_a_named_partner_gets_the_facts_that_name_it_and_no_bare_yes(
    kb, lang, tracker, dispatcher, domain, city, fact_id
):
    message, slots = run(
        ActionAnswer(), dispatcher, ask(tracker, lang, "ask_partners", [("city", city)]), domain
    )
    assert message["text"].startswith(texts(kb, lang, fact_id)[0])
    assert not message["text"].startswith(BARE_YES_OR_NO)
    assert slots["subject"] == city


# The source of the suspension is dated by inference: its date says so (issue 23).
MARCH_2022 = {"fi": "todennäköisesti maaliskuussa 2022", "sv": "troligen mars 2022", "en": "probably March 2022"}


@pytest.mark.parametrize("city, fact_id", [("st_petersburg", "st_petersburg_partner"), ("moscow", "moscow_partnership")])
def test_a_suspended_partner_is_no_longer_one_with_when_and_the_source(
    kb, lang, tracker, dispatcher, domain, city, fact_id
):
    message, slots = run(
        ActionAnswer(), dispatcher, ask(tracker, lang, "ask_partners", [("city", city)]), domain
    )
    assert message["text"].startswith(history(kb, lang, fact_id))  # what ended, and when, first
    assert texts(kb, lang, fact_id)[0] not in message["text"]
    assert history(kb, lang, fact_id) in message["text"]
    source = kb.sources["war_in_ukraine_2022"]
    assert f"({source.publisher[lang]}, {MARCH_2022[lang]})" in message["text"]
    assert {"publisher": source.publisher[lang], "title": source.title[lang], "date": MARCH_2022[lang],
            "url": source.url[lang]} in message["custom"]["sources"]
    assert slots["subject"] == city


def test_two_cities_in_one_question_each_get_their_answer(kb, lang, tracker, dispatcher, domain):
    """ "Is Berlin or Paris a partner?": Berlin's fact, then that Paris is not one in the sources."""
    paris = {"fi": "Pariisi", "sv": "Paris", "en": "Paris"}[lang]
    turn = ask(tracker, lang, "ask_partners", [("city", "berlin"), ("city", paris)])
    message, slots = run(ActionAnswer(), dispatcher, turn, domain)
    assert message["text"].startswith(texts(kb, lang, "main_partners")[0])
    assert messages()["partner_no"][lang].format(city=paris) in message["text"]
    assert message["text"].count(texts(kb, lang, "main_partners")[0]) == 1  # each fact told once
    assert slots["subject"] == "berlin"


def test_a_city_the_sources_do_not_name_is_no_partner(kb, lang, tracker, dispatcher, domain):
    message, _ = run(
        ActionAnswer(), dispatcher, ask(tracker, lang, "ask_partners", [("city", "Oslo")]), domain
    )
    for text in texts(kb, lang, "main_partners", "beijing_partnership"):
        assert text in message["text"]
    assert history(kb, lang, "moscow_partnership") in message["text"]
    assert message["text"].startswith(messages()["partner_no"][lang].format(city="Oslo"))


def test_a_known_city_that_is_no_partner_says_where_the_sources_name_it(kb, lang, tracker, dispatcher, domain):
    message, _ = run(
        ActionAnswer(), dispatcher, ask(tracker, lang, "ask_partners", [("city", "kotka")]), domain
    )
    assert message["text"].startswith(
        messages()["partner_no"][lang].format(city=kb.entities["kotka"].names[lang])
    )
    assert texts(kb, lang, "helsinki_centre_partners_left")[0] in message["text"]
    assert history(kb, lang, "helsinki_centre") in message["text"]
    assert texts(kb, lang, "helsinki_centre")[0] not in message["text"]


def test_what_about_another_city_follows_a_partner_question(kb, lang, tracker, dispatcher, domain):
    turn = ask(
        tracker, lang, "ask_about", [("city", "berlin")], slots={"topic": "partners", "subject": "tallinn"}
    )
    message, slots = run(ActionAnswer(), dispatcher, turn, domain)
    assert message["text"].startswith(texts(kb, lang, "main_partners")[0])
    assert texts(kb, lang, "tallinn_agreement")[0] not in message["text"]  # not Tallinn's answer again
    assert slots["subject"] == "berlin"


def test_a_city_asked_about_inside_a_topic_is_answered_there_and_the_subject_stays(
    kb, lang, tracker, dispatcher, domain
):
    """ "entä kotka?" after the Helsinki Centre, then "since when was it founded?": Kotka used to
    become the subject, and the second question got "Kotka: the sources do not say" (issue 14)."""
    centre = {"topic": "helsinki_centre", "subject": "helsinki_centre"}
    turn = ask(tracker, lang, "ask_about", [("city", "kotka")], slots=centre)
    message, slots = run(ActionAnswer(), dispatcher, turn, domain)
    assert message["text"].startswith(texts(kb, lang, "helsinki_centre_partners_left")[0])
    assert texts(kb, lang, "tallinn_agreement")[0] not in message["text"]
    assert (slots["topic"], slots["subject"]) == ("helsinki_centre", "helsinki_centre")


def test_what_about_a_network_follows_a_network_question(kb, lang, tracker, dispatcher, domain):
    turn = ask(
        tracker,
        lang,
        "ask_about",
        [("network", "ucue")],
        slots={"topic": "networks", "subject": "eurocities"},
    )
    message, _ = run(ActionAnswer(), dispatcher, turn, domain)
    assert texts(kb, lang, "ucue")[0] in message["text"]
    assert texts(kb, lang, "eurocities")[0] not in message["text"]


def test_how_many_work_there_after_echa(kb, lang, tracker, dispatcher, domain):
    turn = ask(tracker, lang, "ask_staff", slots={"topic": "echa", "subject": "echa"})
    message, slots = run(ActionAnswer(), dispatcher, turn, domain)
    assert message["text"].startswith(texts(kb, lang, "echa_staff")[0])
    assert (slots["topic"], slots["subject"]) == ("staff", "echa")


def test_since_when_names_the_year(kb, lang, tracker, dispatcher, domain):
    turn = ask(tracker, lang, "ask_since", [("organisation", "echa")])
    message, _ = run(ActionAnswer(), dispatcher, turn, domain)
    assert "2007" in message["text"] and "600" not in message["text"]


def test_since_when_after_eurocities_names_helsinkis_year_of_joining(kb, lang, tracker, dispatcher, domain):
    turn = ask(tracker, lang, "ask_since", slots={"topic": "networks", "subject": "eurocities"})
    message, _ = run(ActionAnswer(), dispatcher, turn, domain)
    assert message["text"].startswith(texts(kb, lang, "eurocities_since")[0]) and "1994" in message["text"]
    assert texts(kb, lang, "eurocities_founded")[0] in message["text"]  # "since when?" may ask either


def test_a_headcount_the_page_does_not_give_is_not_invented(kb, lang, tracker, dispatcher, domain):
    turn = ask(tracker, lang, "ask_staff", [("organisation", "eu_office")])
    message, _ = run(ActionAnswer(), dispatcher, turn, domain)
    assert message["text"] == messages()["not_stated_staff"][lang].format(
        subject=kb.entities["eu_office"].names[lang]
    )
    assert not any(ch.isdigit() for ch in message["text"])
    assert [b["payload"] for b in message["buttons"]] == ['/ask_staff{"organisation": "echa"}']


def test_how_many_of_a_network_is_its_members_not_its_staff(kb, lang, tracker, dispatcher, domain):
    """ "how many cities are in eurocities" used to get "the page does not say how many people work
    there" (issue 14)."""
    message, _ = run(ActionAnswer(), dispatcher, ask(tracker, lang, "ask_staff", [("network", "eurocities")]), domain)
    assert message["text"] == texts(kb, lang, "eurocities_size")[0]
    dispatcher.messages.clear()
    message, _ = run(ActionAnswer(), dispatcher, ask(tracker, lang, "ask_staff", [("network", "ucue")]), domain)
    assert message["text"] == messages()["not_stated_members"][lang].format(subject="UCUE")
    assert [b["payload"] for b in message["buttons"]] == ['/ask_staff{"network": "eurocities"}']


def test_how_many_work_there_without_context_asks_which(lang, tracker, dispatcher, domain):
    message, _ = run(ActionAnswer(), dispatcher, ask(tracker, lang, "ask_staff"), domain)
    assert message["text"] == messages()["which_subject"][lang]
    assert message["buttons"]


def test_a_bare_mention_gets_what_the_page_says_of_it(kb, lang, tracker, dispatcher, domain):
    turn = ask(tracker, lang, "ask_about", [("organisation", "echa")])
    message, _ = run(ActionAnswer(), dispatcher, turn, domain)
    for text in texts(kb, lang, "echa", "echa_since", "echa_staff"):
        assert text in message["text"]


EUR_350_000 = {"fi": "350 000 euroa", "sv": "350 000 euro", "en": "EUR 350,000"}


@pytest.mark.parametrize("intent", ["ask_about", "ask_partners"])
def test_ukraine_gets_the_aid_and_the_ties_with_kyiv_and_dnipro_with_their_sources(
    kb, lang, tracker, dispatcher, domain, intent
):
    message, slots = run(ActionAnswer(), dispatcher, ask(tracker, lang, intent, [("country", "ukraine")]), domain)
    # what it answers, for a resident who asked something else about Ukraine
    question = kb.topics["ukraine"].question[lang]
    assert message["text"].startswith(messages()["answers_question"][lang].format(question=question))
    assert EUR_350_000[lang] in message["text"]
    for city in ("kyiv", "dnipro"):
        assert kb.entities[city].names[lang] in message["text"]
    ukraine = kb.entities["ukraine"].names[lang]
    assert not message["text"].startswith(messages()["partner_no"][lang].format(city=ukraine))
    urls = [s["url"] for s in message["custom"]["sources"]]
    for source in ("ukraine_aid_2022", "kyiv_document_2022", "dnipro_agreement_2023"):
        assert kb.sources[source].in_language(kb.sources[source].url, lang) in urls
    assert (slots["topic"], slots["subject"]) == ("ukraine", "ukraine")


def test_the_ukraine_question_is_offered_after_partners_and_asks_about_ukraine(kb, lang, tracker, dispatcher, domain):
    message, _ = run(ActionAnswer(), dispatcher, ask(tracker, lang, "ask_partners"), domain)
    offered = {b["title"]: b["payload"] for b in message["buttons"]}
    assert offered[kb.topics["ukraine"].question[lang]] == '/ask_about{"country": "ukraine"}'


def test_is_it_still_open_after_the_helsinki_centre_tells_its_closure(kb, lang, tracker, dispatcher, domain):
    turn = ask(tracker, lang, "ask_about", slots={"topic": "helsinki_centre", "subject": "helsinki_centre"})
    message, slots = run(ActionAnswer(), dispatcher, turn, domain)
    first = message["text"].split("\n\n")[0]
    assert texts(kb, lang, "helsinki_centre_closed")[0] in first
    assert texts(kb, lang, "helsinki_centre")[0] not in message["text"]
    assert history(kb, lang, "helsinki_centre") in message["text"]
    assert slots["subject"] == "helsinki_centre"


def test_are_they_still_partners_after_st_petersburg_tells_the_suspension(kb, lang, tracker, dispatcher, domain):
    turn = ask(tracker, lang, "ask_about", slots={"topic": "partners", "subject": "st_petersburg"})
    message, _ = run(ActionAnswer(), dispatcher, turn, domain)
    assert message["text"].startswith(history(kb, lang, "st_petersburg_partner"))


def test_a_follow_up_without_a_subject_is_answered_honestly(lang, tracker, dispatcher, domain):
    message, slots = run(ActionAnswer(), dispatcher, ask(tracker, lang, "ask_about"), domain)
    assert message["text"] == messages()["unknown_subject"][lang]
    assert "topic" not in slots


@pytest.mark.parametrize("intent", ["greet", "goodbye", "thank", "bot_challenge", "ask_capabilities"])
def test_smalltalk(lang, tracker, dispatcher, domain, intent):
    message, slots = run(ActionSmalltalk(), dispatcher, ask(tracker, lang, intent), domain)
    key = "capabilities" if intent == "ask_capabilities" else intent
    assert message["text"] == messages()[key][lang]
    assert slots == {"language": lang}
    assert message["custom"] == {"language": lang}  # the widget marks the reply's language by it
    if intent in ("greet", "ask_capabilities", "bot_challenge"):
        assert len(message["buttons"]) >= 3


def test_out_of_scope_says_what_it_can_answer(lang, tracker, dispatcher, domain):
    message, _ = run(ActionOutOfScope(), dispatcher, ask(tracker, lang, "out_of_scope"), domain)
    assert message["text"] == messages()["out_of_scope"][lang]
    assert len(message["buttons"]) >= 3


def test_a_question_about_what_the_sources_never_say_says_so_and_where_to_look(lang, tracker, dispatcher, domain):
    from assistant import gaps

    turn = ask(tracker, lang, "out_of_scope", parsed={"gap": "money"})  # as NotInSources leaves it
    message, _ = run(ActionOutOfScope(), dispatcher, turn, domain)
    what = next(g for g in gaps.load().gaps if g.id == "money").what[lang]
    assert message["text"] == messages()["not_in_sources"][lang].format(
        what=what, website="https://www.hel.fi", feedback="https://palautteet.hel.fi")  # S15's address
    assert "sources" not in message["custom"]  # no fact, so no source


def test_low_confidence_offers_the_best_candidates(kb, lang, tracker, dispatcher, domain):
    turn = ask(
        tracker,
        lang,
        "nlu_fallback",
        ranking=["nlu_fallback", "ask_echa", "greet", "ask_eu_office", "ask_staff"],
    )
    message, _ = run(ActionClarify(), dispatcher, turn, domain)
    assert message["text"] == messages()["did_you_mean"][lang]
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads == ["/ask_echa", "/ask_eu_office", '/ask_staff{"organisation": "echa"}', "/deny"]
    assert message["buttons"][0]["title"] == kb.topics["echa"].question[lang]


def test_an_unsure_message_naming_one_thing_gets_what_the_sources_say_of_it(kb, lang, tracker, dispatcher, domain):
    """ "mitä helsinki lahjoitti dniprolle" got "did you mean" (issue 14)."""
    turn = ask(tracker, lang, "nlu_fallback", [("city", "dnipro")], ranking=["nlu_fallback", "out_of_scope"])
    message, slots = run(ActionClarify(), dispatcher, turn, domain)
    assert texts(kb, lang, "dnipro_donations")[0] in message["text"]
    assert slots["subject"] == "dnipro"


def test_an_unsure_short_message_pointing_back_is_about_the_subject(kb, lang, tracker, dispatcher, domain):
    """ "onks se viel auki" after the Helsinki Centre: its closure."""
    centre = {"topic": "helsinki_centre", "subject": "helsinki_centre"}
    turn = tracker("onks se viel auki", "nlu_fallback", slots=centre, metadata={"language": lang},
                   ranking=["nlu_fallback", "deny"])  # deny the runner-up: still not "none of these"
    message, _ = run(ActionClarify(), dispatcher, turn, domain)
    assert texts(kb, lang, "helsinki_centre_closed")[0] in message["text"]
    assert history(kb, lang, "helsinki_centre") in message["text"]


def test_pointing_back_with_no_subject_or_naming_two_things_still_asks(lang, tracker, dispatcher, domain):
    turn = tracker("onks se viel auki", "nlu_fallback", metadata={"language": lang},
                   ranking=["nlu_fallback", "ask_helsinki_centre"])
    message, _ = run(ActionClarify(), dispatcher, turn, domain)
    assert message["text"] == messages()["did_you_mean"][lang]
    dispatcher.messages.clear()
    turn = ask(tracker, lang, "nlu_fallback", [("city", "kyiv"), ("city", "dnipro")],
               ranking=["nlu_fallback", "ask_partners"])
    message, _ = run(ActionClarify(), dispatcher, turn, domain)
    assert message["text"] == messages()["did_you_mean"][lang]


def test_an_unsure_message_naming_two_things_gets_the_facts_about_both(kb, lang, tracker, dispatcher, domain):
    turn = ask(tracker, lang, "nlu_fallback", [("organisation", "helsinki_centre"), ("city", "st_petersburg")],
               ranking=["nlu_fallback", "ask_partners"])
    message, slots = run(ActionClarify(), dispatcher, turn, domain)
    assert texts(kb, lang, "helsinki_centre_closed")[0] in message["text"]
    assert texts(kb, lang, "helsinki_centre_partners_left")[0] not in message["text"]  # not about St Petersburg
    assert slots["subject"] == "helsinki_centre"


def test_low_confidence_twice_ends_in_the_fallback(lang, tracker, dispatcher, domain):
    def before(buttons):
        return [
            {"event": "user", "text": "???"},
            {"event": "action", "name": "action_clarify"},
            {"event": "bot", "text": "...", "data": {"buttons": buttons}},
            {"event": "action", "name": "action_listen"},
        ]

    did_you_mean = [{"title": "ECHA?", "payload": "/ask_echa"}, {"title": "None of these", "payload": "/deny"}]
    turn = ask(tracker, lang, "nlu_fallback", ranking=["nlu_fallback", "ask_echa"], events=before(did_you_mean))
    message, _ = run(ActionClarify(), dispatcher, turn, domain)
    assert message["text"] == messages()["fallback"][lang]
    # after an answer the clarifying action gave ("mitä helsinki lahjoitti dniprolle"), it asks again
    dispatcher.messages.clear()
    answered = [{"title": "Partners?", "payload": "/ask_partners"}]
    turn = ask(tracker, lang, "nlu_fallback", ranking=["nlu_fallback", "ask_echa"], events=before(answered))
    message, _ = run(ActionClarify(), dispatcher, turn, domain)
    assert message["text"] == messages()["did_you_mean"][lang]


def test_none_of_these_ends_in_the_fallback(lang, tracker, dispatcher, domain):
    message, _ = run(ActionClarify(), dispatcher, ask(tracker, lang, "deny"), domain)
    assert message["text"] == messages()["fallback"][lang]


def test_the_message_language_is_detected(kb, lang, tracker, dispatcher, domain):
    other = "fi" if lang != "fi" else "sv"
    turn = tracker("...", "ask_echa", detected=lang, slots={"language": other})
    message, slots = run(ActionAnswer(), dispatcher, turn, domain)
    assert texts(kb, lang, "echa")[0] in message["text"] and slots["language"] == lang


def test_metadata_language_wins_over_the_message(kb, lang, tracker, dispatcher, domain):
    other = "en" if lang != "en" else "fi"
    turn = tracker("...", "ask_echa", detected=other, metadata={"language": lang})
    message, _ = run(ActionAnswer(), dispatcher, turn, domain)
    assert texts(kb, lang, "echa")[0] in message["text"]


def test_a_message_too_short_to_tell_keeps_the_conversation_language(kb, lang, tracker, dispatcher, domain):
    turn = tracker(
        "ECHA?", "ask_about", [{"entity": "organisation", "value": "echa"}], slots={"language": lang}
    )
    message, slots = run(ActionAnswer(), dispatcher, turn, domain)
    assert texts(kb, lang, "echa")[0] in message["text"] and slots["language"] == lang


def test_without_facts_it_says_so_and_keeps_running(lang, tracker, dispatcher, domain, monkeypatch):
    def broken():
        raise FactBaseError(["facts.yml:3: fact 'x': text: broken"])

    monkeypatch.setattr(factbase, "current", broken)
    message, _ = run(ActionAnswer(), dispatcher, ask(tracker, lang, "ask_echa"), domain)
    assert message["text"] == messages()["facts_unavailable"][lang]
