"""An editor's save goes live at the next question, and a broken one changes nothing (without Rasa;
tests/e2e/test_editing.py does the same on the running servers)."""

import dataclasses
import logging
import os
import shutil
import time

import pytest
import yaml

from assistant import entity_matcher, factbase
from assistant.replies import Context, Mention, Replies


@pytest.fixture
def save(tmp_path, monkeypatch):
    """A copy of facts/ served as the fact base ($FACT_BASE), and a function that saves an edit of it."""
    shutil.copytree(factbase.DEFAULT_PATH.parent, tmp_path / "facts", ignore=shutil.ignore_patterns(".*"))
    path = tmp_path / "facts" / factbase.DEFAULT_PATH.name
    monkeypatch.setenv(factbase.FACT_BASE_ENV, str(path))
    monkeypatch.setattr(factbase, "_current", None)
    monkeypatch.setattr(entity_matcher, "_default", None)

    def edit(change):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        before = path.stat().st_mtime_ns
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        if path.stat().st_mtime_ns == before:  # a coarse clock: make the change visible
            os.utime(path, ns=(before + 1_000_000, before + 1_000_000))

    return edit


def staff_answer(lang="en"):
    replies = Replies(factbase.current(), lang)
    return replies.answer("ask_staff", [Mention("organisation", "echa")], Context(None, None)).text


def test_a_changed_fact_is_answered_at_the_next_question(save, fact_edits):
    assert "600" in staff_answer()
    save(fact_edits.new_headcount)
    answer = staff_answer()
    assert "ECHA employs about 700 experts." in answer and "600" not in answer


def test_an_invalid_edit_is_logged_with_its_place_and_the_previous_facts_keep_serving(save, fact_edits, caplog):
    served = factbase.current()
    save(fact_edits.missing_language)
    with caplog.at_level(logging.ERROR, logger="assistant.factbase"):
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
    assert "kotka" not in served.entities and "kotka" in factbase.load(factbase.last_valid_path(factbase.path())).entities


def test_a_new_city_is_recognised_and_answered_without_retraining(save, fact_edits):
    question = "Onko Lissabonin kanssa yhteistyötä?"
    assert entity_matcher.default_matcher().find(question) == []
    save(fact_edits.new_partner)
    started = time.monotonic()
    found = entity_matcher.default_matcher().find(question)
    assert time.monotonic() - started < 2
    assert [(m.entity_id, m.type) for m in found] == [("lisbon", "city")]
    replies = Replies(factbase.current(), "en")
    answer = replies.answer("ask_partners", [Mention("city", "lisbon")], Context(None, None))
    assert "Lisbon is a new partner." in answer.text


def test_a_renamed_topic_gets_the_fallback_not_an_error(save, fact_edits):
    save(fact_edits.rename_topic)
    replies = Replies(factbase.current(), "en")
    assert replies.answer("ask_echa", [], Context()).text == replies.say("fallback")


def test_a_subject_since_removed_is_forgotten_not_an_error(save, fact_edits):
    save(fact_edits.remove_kotka)
    replies = Replies(factbase.current(), "en")
    assert replies.answer("ask_since", [], Context("helsinki_centre", "kotka")).text == replies.say("which_subject")


def test_an_entity_without_facts_is_refused_and_its_answer_would_say_so(save, fact_edits, caplog):
    served = factbase.current()
    save(fact_edits.kotka_without_facts)
    with caplog.at_level(logging.ERROR, logger="assistant.factbase"):
        assert factbase.current() is served
    assert "entity 'kotka': id: no fact is about this entity" in caplog.text
    bare = dataclasses.replace(served, facts={k: f for k, f in served.facts.items() if "kotka" not in f.about})
    replies = Replies(bare, "fi")
    assert replies.answer("ask_about", [Mention("city", "kotka")], Context()).text.startswith(
        replies.say("unknown_subject"))
