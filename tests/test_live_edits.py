"""An editor's save goes live at the next question, and a broken one changes nothing."""

import logging
import os
import shutil
import time

import pytest
import yaml

from assistant import entity_matcher, factbase
from assistant.replies import Context, Mention, Replies


@pytest.fixture
def facts_copy(tmp_path, monkeypatch):
    """A copy of facts/ served as the fact base ($FACT_BASE), and a function that edits it."""
    shutil.copytree(factbase.DEFAULT_PATH.parent, tmp_path / "facts")
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


def record(data, section, record_id):
    return next(r for r in data[section] if r["id"] == record_id)


def add_source(data, source_id="city_2026"):
    """A newer page of the city's, as an editor would cite it (no copy of it kept)."""
    data["sources"].append({"id": source_id, "publisher": data["sources"][0]["publisher"],
                            "title": {"fi": "Kansainvälinen toiminta", "sv": "Internationell verksamhet",
                                      "en": "International activities"}, "date": "2026-01-15"})
    return source_id


def new_headcount(data):
    fact = record(data, "facts", "echa_staff")
    fact.update(source=add_source(data), quote="ECHA sysselsätter cirka 700 sakkunniga.")
    fact["text"].update(fi="ECHA työllistää noin 700 asiantuntijaa.", sv="ECHA sysselsätter cirka 700 sakkunniga.",
                        en="ECHA employs about 700 experts.")


def staff_answer(lang="en"):
    return Replies(factbase.current(), lang).answer("ask_staff", [Mention("organisation", "echa")], Context(None, None)).text


def test_a_changed_fact_is_answered_at_the_next_question(facts_copy):
    assert "600" in staff_answer()
    facts_copy(new_headcount)
    answer = staff_answer()
    assert "ECHA employs about 700 experts." in answer and "600" not in answer


def test_an_invalid_edit_is_logged_with_its_place_and_the_previous_facts_keep_serving(facts_copy, caplog):
    served = factbase.current()
    facts_copy(lambda d: record(d, "facts", "echa_staff")["text"].pop("sv"))
    with caplog.at_level(logging.ERROR, logger="assistant.factbase"):
        assert factbase.current() is served
        assert factbase.current() is served
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1, errors  # once per edit, not once per question
    assert "international_work.yml:" in errors[0] and "echa_staff" in errors[0] and "text.sv" in errors[0]
    assert "600" in staff_answer()
    facts_copy(new_headcount)  # the fixed file is taken up again
    assert "700" in staff_answer()


LISBON = {"id": "lisbon", "type": "city", "names": {"fi": "Lissabon", "sv": "Lissabon", "en": "Lisbon"},
          "aliases": {"fi": ["Lisboa"], "sv": ["Lisboa"], "en": ["Lisboa"]}}


def add_lisbon(data):
    data["entities"].append(LISBON)
    data["facts"].append({
        "id": "lisbon_partner", "topic": "partners", "about": ["lisbon"], "source": add_source(data),
        "quote": "Lissabon är en ny samarbetspartner.",
        "text": {"fi": "Lissabon on uusi kumppani.", "sv": "Lissabon är en ny samarbetspartner.",
                 "en": "Lisbon is a new partner."},
    })


def test_a_new_city_is_recognised_and_answered_without_retraining(facts_copy):
    assert entity_matcher.default_matcher().find("Onko Lissabonin kanssa yhteistyötä?") == []
    facts_copy(add_lisbon)
    started = time.monotonic()
    found = entity_matcher.default_matcher().find("Onko Lissabonin kanssa yhteistyötä?")
    assert time.monotonic() - started < 2
    assert [(m.entity_id, m.type) for m in found] == [("lisbon", "city")]
    answer = Replies(factbase.current(), "en").answer("ask_partners", [Mention("city", "lisbon")], Context(None, None))
    assert "Lisbon is a new partner." in answer.text
