"""Residents' "was this helpful?" (assistant/storage/feedback.py): only an answer of the conversation, once,
with no text; erased with the conversation; summed per topic and fact by `make report`."""

import csv
import json

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain

from assistant.storage import erasure, feedback, records
from tests.helpers import make_report

ANSWER = "0123456789abcdef0123456789abcdef"
SAID = [
    {
        "text": "ECHA ...",
        "custom": {"language": "fi", "facts": ["echa", "echa_staff"], "answer": ANSWER, "sources": []},
    },
    {"text": "Hei!", "custom": {"language": "fi"}},
]


@pytest.fixture
def log(tmp_path):
    return tmp_path / "feedback.jsonl"


def test_a_rating_of_an_answer_of_the_conversation_is_kept_without_text(kb, log):
    entry = feedback.record(kb, "sender-1", ANSWER, feedback.answer_of(SAID, ANSWER), False, log)
    assert entry["topic"] == "echa" and entry["facts"] == ["echa", "echa_staff"]
    assert entry["language"] == "fi" and entry["helpful"] is False
    assert entry["conversation"] == records.conversation_digest("sender-1") != "sender-1"
    stored = log.read_text(encoding="utf-8")
    assert "ECHA" not in stored and "sender-1" not in stored
    assert set(json.loads(stored)) == {"time", "conversation", "answer", "topic", "facts", "language", "helpful"}


def test_an_answer_is_rated_once(kb, log):
    feedback.record(kb, "s", ANSWER, feedback.answer_of(SAID, ANSWER), True, log)
    with pytest.raises(feedback.NotRateable) as refused:
        feedback.record(kb, "s", ANSWER, feedback.answer_of(SAID, ANSWER), False, log)
    assert refused.value.status == 409 and len(feedback.read(log)) == 1


def test_an_answer_the_conversation_does_not_hold_cannot_be_rated(kb, log):
    other = "f" * 32
    with pytest.raises(feedback.NotRateable) as refused:
        feedback.record(kb, "s", other, feedback.answer_of(SAID, other), True, log)
    assert refused.value.status == 404 and not log.exists()


def test_helpfulness_per_topic_and_fact_least_helpful_first():
    ratings = [
        {"topic": "echa", "facts": ["echa"], "helpful": True},
        {"topic": "echa", "facts": ["echa_staff"], "helpful": False},
        {"topic": "networks", "facts": ["ucue"], "helpful": False},
        {"topic": "networks", "facts": ["ucue"], "helpful": False},
    ]
    rows = [(r["kind"], r["id"], r["helpful"], r["not_helpful"]) for r in feedback.helpfulness(ratings)]
    assert rows == [
        ("topic", "networks", 0, 2),
        ("fact", "ucue", 0, 2),
        ("fact", "echa_staff", 0, 1),
        ("topic", "echa", 1, 1),
        ("fact", "echa", 1, 0),
    ]


def test_erasing_a_conversation_erases_its_ratings_and_no_others(kb, log, tmp_path):
    for sender, answer in (("mine", ANSWER), ("theirs", ANSWER[::-1])):
        said = [{"custom": {"answer": answer, "facts": ["ucue"], "language": "en"}}]
        feedback.record(kb, sender, answer, feedback.answer_of(said, answer), True, log)
    erased = erasure.erase(InMemoryTrackerStore(Domain.empty()), "mine", tmp_path / "u.jsonl", log)
    assert erased.ratings == 1 and erased.anything
    assert [e["answer"] for e in feedback.read(log)] == [ANSWER[::-1]]


def test_make_report_adds_helpfulness_to_its_printout_and_a_csv(kb, tmp_path):
    for helpful in (False, False, True):
        said = [{"custom": {"answer": f"{helpful:d}{len(feedback.read())}".ljust(32, "0"), "facts": ["ucue"]}}]
        answer = said[0]["custom"]["answer"]
        feedback.record(kb, "s", answer, feedback.answer_of(said, answer), helpful)
    out = tmp_path / "feedback.csv"
    run = make_report("--csv", str(tmp_path / "u.csv"), "--feedback-csv", str(out))
    assert run.returncode == 0, run.stderr
    assert "3 ratings of answers" in run.stdout and "33%  topic networks  (1 helpful, 2 not)" in run.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["kind"], r["id"], r["share_helpful"]) for r in rows] == [
        ("topic", "networks", "0.33"),
        ("fact", "ucue", "0.33"),
    ]
