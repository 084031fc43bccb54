"""An editor's save goes live at the next question, and a broken one changes nothing (without Rasa;
tests/e2e/test_editing.py does the same on the running servers)."""

import dataclasses
import logging
import os
import shutil
import time

import pytest

from assistant.answering.state import State
from assistant.knowledge import factbase
from assistant.understanding import entity_matcher
from tests.helpers import rewrite, turn


@pytest.fixture
def save(tmp_path, monkeypatch):
    """A copy of facts/ served as the fact base ($FACT_BASE), and a function that saves an edit of it."""
    shutil.copytree(factbase.DEFAULT_PATH.parent, tmp_path / "facts", ignore=shutil.ignore_patterns(".*"))
    path = tmp_path / "facts" / factbase.DEFAULT_PATH.name
    monkeypatch.setenv(factbase.FACT_BASE_ENV, str(path))
    monkeypatch.setattr(factbase, "_current", None)
    monkeypatch.setattr(entity_matcher, "_matchers", factbase.BuiltFrom(entity_matcher.EntityMatcher))

    def edit(change):
        before = path.stat().st_mtime_ns
        rewrite(path, change)
        if path.stat().st_mtime_ns == before:  # a coarse clock: make the change visible
            os.utime(path, ns=(before + 1_000_000, before + 1_000_000))

    return edit


def staff_answer(lang="en"):
    return turn(factbase.current(), "how many people work at ECHA", State(), "ask_staff", lang)[1].text


def test_a_changed_fact_is_answered_at_the_next_question(save, fact_edits):
    assert "600" in staff_answer()
    save(fact_edits.new_headcount)
    answer = staff_answer()
    assert "ECHA employs about 700 experts." in answer and "600" not in answer


def test_an_invalid_edit_is_logged_with_its_place_and_the_previous_facts_keep_serving(save, fact_edits, caplog):
    served = factbase.current()
    save(fact_edits.missing_language)
    with caplog.at_level(logging.ERROR, logger="assistant.knowledge.factbase"):
        assert factbase.current() is served
        assert factbase.current() is served
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1, errors  # once per edit, not once per question
    assert "international_work.yml:" in errors[0] and "fact 'echa_staff': text.sv: language is missing" in errors[0]
    assert "600" in staff_answer()
    save(fact_edits.new_headcount)  # the fixed file is taken up again
    assert "700" in staff_answer()


def test_a_process_that_missed_the_last_good_edit_serves_it_when_the_next_is_broken(save, fact_edits, monkeypatch):
    """Two processes serve one file, as the Rasa workers do: one takes up a good edit, the other asks
    only after a broken edit has followed it. Both must serve the good edit."""
    factbase.current()
    other_process = factbase._current  # holds the facts as they were at the start
    save(fact_edits.new_headcount)
    assert "700" in staff_answer()  # this process takes up the edit
    save(fact_edits.missing_language)
    monkeypatch.setattr(factbase, "_current", other_process)
    assert "ECHA employs about 700 experts." in staff_answer()
    monkeypatch.setattr(factbase, "_current", None)  # a process started now, say after a crash
    assert "ECHA employs about 700 experts." in staff_answer()


def test_a_copy_older_than_the_served_facts_is_not_taken(save, fact_edits, monkeypatch):
    factbase.current()
    save(fact_edits.new_headcount)
    factbase.current()  # leaves a copy of the 700 edit
    save(fact_edits.remove_kotka)  # which the next process to start loads first, leaving no copy
    monkeypatch.setattr(factbase, "_current", None)
    served = factbase.current()
    save(fact_edits.missing_language)
    assert factbase.current() is served
    assert (
        "kotka" not in served.entities and "kotka" in factbase.load(factbase.last_valid_path(factbase.path())).entities
    )


def test_a_new_city_is_recognised_and_answered_without_retraining(save, fact_edits):
    question = "Onko Lissabonin kanssa yhteistyötä?"
    assert entity_matcher.default_matcher().find(question) == []
    save(fact_edits.new_partner)
    started = time.monotonic()
    found = entity_matcher.default_matcher().find(question)
    assert time.monotonic() - started < 2
    assert [(m.entity_id, m.type) for m in found] == [("lisbon", "city")]
    _, reply = turn(factbase.current(), "is lisbon a partner city", State(), "ask_partners", "en")
    assert "Lisbon is a new partner." in reply.text


def test_a_renamed_topic_is_still_answered_by_its_words(save, fact_edits):
    """The trained intent ask_echa asks of a topic the fact base no longer has: the question's words
    and names answer it."""
    save(fact_edits.rename_topic)
    _, reply = turn(factbase.current(), "how many people work at ECHA", State(), "ask_echa", "en")
    assert reply.text.startswith("ECHA employs about 600 experts")


def test_a_subject_since_removed_is_forgotten_not_an_error(save, fact_edits):
    save(fact_edits.remove_kotka)
    kb = factbase.current()
    plan, reply = turn(
        kb,
        "since when?",
        State("en", "kotka", "helsinki_centre", ("helsinki_centre_partners_left",)),
        "ask_since",
        "en",
    )
    assert plan.state.subject != "kotka" and reply.text


def test_an_entity_without_facts_is_refused_and_its_answer_would_say_so(save, fact_edits, caplog):
    served = factbase.current()
    save(fact_edits.kotka_without_facts)
    with caplog.at_level(logging.ERROR, logger="assistant.knowledge.factbase"):
        assert factbase.current() is served
    assert "entity 'kotka': id: no fact is about this entity" in caplog.text
    bare = dataclasses.replace(served, facts={k: f for k, f in served.facts.items() if "kotka" not in f.about})
    plan, _ = turn(bare, "entä kotka?", State("fi"), "ask_about", "fi")
    assert plan.answers[0].gap is not None and plan.answers[0].gap.subject == "kotka"
