"""A plan told in one language: the lead, the facts (what ended as history, with its source and date),
a gap with where to look, the buttons, and the caption of sources."""

import datetime

import pytest

from assistant.answering.render import Renderer, messages, say, show_date
from assistant.answering.selection import Answer, Gap, Plan
from assistant.answering.state import State
from assistant.knowledge.facts import When

TODAY = datetime.date(2026, 12, 4)


def render(kb, lang, *answers, **plan):
    return Renderer(kb, lang, TODAY).render(Plan(State(), tuple(answers), **plan))


@pytest.mark.parametrize("lead", ["yes", "no", "no_longer"])
def test_the_lead_comes_first_then_the_fact(kb, lang, lead):
    reply = render(kb, lang, Answer(("ucue",), lead))
    assert reply.text == f"{say(f'lead_{lead}', lang)} {kb.facts['ucue'].text[lang]}"


def test_an_ended_fact_is_told_as_history_with_the_source_of_its_end(kb, lang):
    fact = kb.facts["moscow_partnership"]
    reply = render(kb, lang, Answer(("moscow_partnership",), "no_longer"))
    source = kb.sources[fact.ended.source]
    assert fact.text[lang] not in reply.text
    assert (
        f"{fact.ended.history[lang].rstrip('.')} ({source.publisher[lang]}, {show_date(source.when, lang)})."
        in reply.text
    )


@pytest.mark.parametrize(
    "when, shown",
    [
        (When(datetime.date(2019, 12, 6)), {"fi": "6.12.2019", "sv": "6.12.2019", "en": "6 December 2019"}),
        (When(datetime.date(2022, 8, 1), "month"), {"fi": "elokuu 2022", "sv": "augusti 2022", "en": "August 2022"}),
        (
            When(datetime.date(2022, 3, 1), "likely"),
            {"fi": "todennäköisesti maaliskuussa 2022", "sv": "troligen mars 2022", "en": "probably March 2022"},
        ),
        (When(datetime.date(2022, 1, 1), "year"), {"fi": "2022", "sv": "2022", "en": "2022"}),
        (When(datetime.date(2020, 1, 1), "undated"), {"fi": "päiväämätön", "sv": "odaterad", "en": "undated"}),
    ],
)
def test_a_date_is_shown_as_sure_as_its_source(lang, when, shown):
    assert show_date(when, lang) == shown[lang]


def test_a_source_without_a_title_is_named_by_its_kind(kb, lang):
    caption = render(kb, lang, Answer(("tallinn_agreement", "echa_task"))).caption
    titles = {s["title"] for s in caption["sources"]}
    assert {say("untitled_news", lang), say("untitled_page", lang)} <= titles
    assert not any("update" in t.lower() for t in titles)  # not the address's words
    assert f": {say('untitled_news', lang)}, " in caption["text"]  # not in quotes, as a title is


def test_a_gap_names_the_kind_and_the_subject_and_where_to_look(kb, lang):
    reply = render(kb, lang, Answer(gap=Gap("how_much", "eu_office")), unanswered="gap")
    name = kb.entities["eu_office"].names[lang]
    assert reply.text.startswith(f"{name}: {say('gap_how_much', lang)}")
    assert kb.freshness.website in reply.text and kb.freshness.feedback in reply.text
    assert reply.caption is None and reply.unanswered == "gap"
    assert reply.buttons  # questions the sources do answer


def test_a_gap_about_nothing_in_particular_still_says_where_to_look(kb, lang):
    reply = render(kb, lang, Answer(gap=Gap(None, None)))
    text = say("gap_any", lang)
    assert reply.text.startswith(text[0].upper() + text[1:])
    assert kb.freshness.feedback in reply.text


def test_two_answers_are_told_in_turn(kb, lang):
    reply = render(kb, lang, Answer(("echa_move",)), Answer(("echa_staff",)))
    move, staff = (kb.facts[f].text[lang] for f in ("echa_move", "echa_staff"))
    assert reply.text.index(move) < reply.text.index(staff)


def test_more_about_the_subject_is_a_button_and_the_related_topics_follow(kb, lang):
    reply = render(kb, lang, Answer(("echa",)), more="echa", related=("eu_office", "focus_areas", "partners"))
    title, payload = reply.buttons[0]
    assert title == say("more_about", lang, subject="ECHA")
    assert payload == '/ask_about{"organisation": "echa"}'
    assert len(reply.buttons) <= 3


def test_the_caption_lists_each_source_once_and_the_facts_told(kb, lang):
    caption = render(kb, lang, Answer(("st_petersburg_partner", "main_partners"))).caption
    urls = [s["url"] for s in caption["sources"]]
    assert len(urls) == len(set(urls)) == 2  # the 2019 page, and the news of the suspension
    assert caption["facts"] == ["st_petersburg_partner", "main_partners"]
    assert caption["note"] and caption["note"] in caption["text"]  # the newest source is from 2022


def test_how_old_the_information_is_tells_the_oldest_and_newest_source_and_lists_them_all(kb, lang):
    reply = Renderer(kb, lang, TODAY).render(Plan(State(), say="about_sources"))
    oldest, newest = kb.sources["kotka_leaves_centre_2018"], kb.sources["eurocities_ghent_2024"]
    assert reply.text.index(show_date(oldest.when, lang)) < reply.text.index(show_date(newest.when, lang))
    assert {s["url"] for s in reply.caption["sources"]} == {s.in_language(s.url, lang) for s in kb.sources.values()}
    assert kb.freshness.website in reply.text


def test_a_message_in_another_language_gets_the_languages_spoken_in_english(kb):
    reply = Renderer(kb, "en", TODAY).render(Plan(State(), say="languages"))
    assert reply.text.startswith(messages()["languages"]["en"])
    assert messages()["languages"]["fi"] in reply.text and messages()["languages"]["sv"] in reply.text


def test_every_message_is_in_every_language():
    assert all(set(texts) >= {"fi", "sv", "en"} for texts in messages().values())
