"""An answer from facts older than the fact base's `freshness.max_age_years` says so, with the date and
where current details are."""

import dataclasses
import datetime
import shutil

import pytest

from assistant.answering.render import Renderer, messages, say
from assistant.answering.selection import Answer, Plan
from assistant.answering.state import State
from assistant.knowledge import factbase
from assistant.knowledge.factbase import FactBaseError
from assistant.knowledge.facts import Freshness
from tests.helpers import rewrite

PAGE_DATE = datetime.date(2019, 12, 6)
PAGE_DATE_SHOWN = {"fi": "6.12.2019", "sv": "6.12.2019", "en": "6 December 2019"}


def caption(kb, lang, today, *facts):
    return Renderer(kb, lang, today=today).render(Plan(State(), (Answer(facts),))).caption


def page_answer(kb, lang, today):
    """The caption, where the age note goes, of an answer that rests on the 2019 page alone."""
    return caption(kb, lang, today, "eu_funding_help", "eu_projects")["text"]


def warned(answer, lang):
    return messages()["dated"][lang].split("{")[0] in answer


def test_the_project_says_facts_grow_old_after_2_years_and_points_to_the_citys_website(kb):
    assert kb.freshness == Freshness(2.0, "https://www.hel.fi", "https://palautteet.hel.fi")


def test_an_answer_within_the_age_has_no_warning(kb, lang):
    answer = page_answer(kb, lang, PAGE_DATE + datetime.timedelta(days=365))
    assert not warned(answer, lang)


def test_an_answer_past_the_age_says_the_date_and_where_current_details_are(kb, lang):
    answer = page_answer(kb, lang, PAGE_DATE + datetime.timedelta(days=2 * 366))
    assert answer.endswith(say("dated", lang, date=PAGE_DATE_SHOWN[lang], website="https://www.hel.fi"))
    # once, however many facts the answer has
    assert answer.count(say("dated", lang, date=PAGE_DATE_SHOWN[lang], website="https://www.hel.fi")) == 1


def test_today_the_2019_page_is_past_the_age(kb, lang):
    assert warned(page_answer(kb, lang, None), lang)


def test_the_age_is_configurable(kb, lang):
    patient = dataclasses.replace(kb, freshness=Freshness(10, "https://www.hel.fi"))
    assert not warned(page_answer(patient, lang, datetime.date(2026, 11, 29)), lang)


def test_without_a_website_the_warning_still_gives_the_date(kb, lang):
    bare = dataclasses.replace(kb, freshness=Freshness(2, None))
    answer = page_answer(bare, lang, datetime.date(2026, 11, 29))
    assert answer.endswith(say("dated_no_website", lang, date=PAGE_DATE_SHOWN[lang]))


@pytest.mark.parametrize(
    "freshness, field",
    [
        ({"max_age_years": -1}, "max_age_years"),
        ({"max_age_years": "two"}, "max_age_years"),
        ({"max_age_years": 2, "website": "hel.fi"}, "website"),
        ({"max_age_years": 2, "webiste": "https://www.hel.fi"}, "webiste"),
        ({"max_age_years": 2, "feedback": "palautteet.hel.fi"}, "feedback"),
    ],
)
def test_a_wrong_setting_is_a_located_problem(tmp_path, freshness, field):
    shutil.copytree(factbase.DEFAULT_PATH.parent, tmp_path / "facts")
    path = tmp_path / "facts" / factbase.DEFAULT_PATH.name
    rewrite(path, lambda data: data.update(freshness=freshness))
    with pytest.raises(FactBaseError) as error:
        factbase.load(path)
    assert f": freshness: {field}: " in str(error.value)


def test_the_note_follows_the_newest_source_of_the_answer(kb, lang):
    """An answer about the Helsinki Centre resting on sources of 2018, 2019 and 2022 (only the year known)."""

    def note(today):
        return caption(kb, lang, today, "helsinki_centre_partners_left", "helsinki_centre", "helsinki_centre_closed")[
            "note"
        ]

    assert note(datetime.date(2024, 12, 30)) is None
    assert note(datetime.date(2026, 11, 30)) == say("dated", lang, date="2022", website="https://www.hel.fi")
