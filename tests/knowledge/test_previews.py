"""assistant/knowledge/previews.py, and the action with it: a message carrying an editor's preview token is
answered from the draft kept under it, with the names the draft adds; one carrying the token of a
preview of what residents get is answered from that; neither is a resident's unanswered question; a
token that is no preview's, or an old one's, previews nothing."""

import asyncio
import json

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionAnswer
from assistant.knowledge import factbase, previews, publications
from assistant.storage import unanswered
from tests.helpers import parse, preview_row

DRAFT = "d" * 43
RESIDENTS = "r" * 43


@pytest.fixture
def database(tmp_path, monkeypatch, fact_edits):
    """The tracker store's SQLite with two previews: of a draft that adds Lisbon as a partner, and of
    what residents get."""
    path = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{path}")
    monkeypatch.setattr(previews, "_previews", None)
    document, texts = publications.read(factbase.DEFAULT_PATH)
    fact_edits.new_partner(document)
    preview_row(path, DRAFT, (document, texts))
    preview_row(path, RESIDENTS)
    return path


def answer(tracker, text, lang, metadata):
    dispatcher = CollectingDispatcher()
    message = parse(text)
    turn = tracker(text, "ask_partners", message.get("entities"), detected=lang, metadata=metadata)
    asyncio.run(ActionAnswer().run(dispatcher, turn, {}))
    return dispatcher.messages[0]["text"]


LISBON = {
    "fi": ("onko lissabon ystävyyskaupunki", "Lissabon on uusi kumppani."),
    "sv": ("är lissabon en vänort", "Lissabon är en ny samarbetspartner."),
    "en": ("lisbon a partner city?", "Lisbon is a new partner."),
}


def test_a_preview_of_the_draft_answers_from_it_with_its_new_names(database, tracker, lang):
    question, draft_fact = LISBON[lang]
    assert draft_fact in answer(tracker, question, lang, {"preview": DRAFT, "language": lang})
    assert draft_fact not in answer(tracker, question, lang, {"preview": RESIDENTS, "language": lang})


def test_without_a_preview_residents_get_the_published_version(database, tracker):
    question, draft_fact = LISBON["en"]
    for metadata in ({}, {"preview": "x" * 43}, {"preview": DRAFT[:-1]}):
        assert draft_fact not in answer(tracker, question, "en", metadata)


def test_an_editors_question_the_sources_cannot_answer_is_not_a_residents(database, tracker):
    question = "how much does the mayor earn"
    for token in (DRAFT, RESIDENTS):
        answer(tracker, question, "en", {"preview": token})
    assert unanswered.read() == []
    answer(tracker, question, "en", {})
    assert [entry["text"] for entry in unanswered.read()] == [question]  # a resident's, for the report


def test_an_old_preview_previews_nothing(database, tracker):
    old = "o" * 43
    document, texts = json.loads(json.dumps(publications.read(factbase.DEFAULT_PATH)))
    document["facts"] = [f for f in document["facts"] if f["id"] != "tallinn_agreement"]
    preview_row(database, old, (document, texts), digest="d2", asked_at="2026-01-01 10:00:00.000000")
    assert previews.of(old) is None
    assert previews.of(DRAFT).facts.facts["lisbon_partner"]
    assert previews.of(RESIDENTS) == previews.Preview(None)


def test_a_draft_is_loaded_once_while_it_is_unchanged(database, monkeypatch):
    loaded = []
    real = previews.load_data
    monkeypatch.setattr(previews, "load_data", lambda *a: loaded.append(a) or real(*a))
    first = previews.of(DRAFT).facts
    assert previews.of(DRAFT).facts is first and len(loaded) == 1


def test_the_token_is_read_only_in_its_shape():
    assert previews.token_of({"metadata": {"preview": DRAFT}}) == DRAFT
    for wrong in ("", DRAFT + "d", "d" * 42 + "/", 43, None):
        assert previews.token_of({"metadata": {"preview": wrong}}) is None
    assert previews.token_of({}) is None
