""" "Was this answer helpful?" over REST (POST /webhooks/rest/feedback), as the widget sends it: only an
answer the conversation was given can be rated, once, and the record keeps no text."""

import json

import pytest

from assistant.storage import records

QUESTION = {"fi": "mitä echa tekee", "sv": "vad gör echa", "en": "what does echa do"}


def answer_id(replies):
    """The id the assistant gave its answer (in the reply's custom message), or None."""
    ids = [r["custom"]["answer"] for r in replies if isinstance(r.get("custom"), dict) and "answer" in r["custom"]]
    assert len(ids) <= 1, replies
    return ids[0] if ids else None


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_an_answer_is_rated_once_and_the_record_holds_no_text(servers, sender, lang):
    replies = servers.ask(sender, QUESTION[lang])
    answer = answer_id(replies)
    assert answer is not None
    assert servers.rate(sender, answer, False).status_code == 200
    again = servers.rate(sender, answer, True)
    assert again.status_code == 409 and again.json()["error"] == "already_rated"

    (record,) = [r for r in servers.ratings() if r["answer"] == answer]
    assert record["helpful"] is False and record["language"] == lang
    assert record["topic"] == "echa" and "echa" in record["facts"]
    assert record["conversation"] == records.conversation_digest(sender)
    assert set(record) == {"time", "conversation", "answer", "topic", "facts", "language", "helpful"}
    stored = json.dumps(record, ensure_ascii=False).lower()
    assert sender not in stored and QUESTION[lang] not in stored


def test_only_an_answer_of_this_conversation_can_be_rated(servers, sender):
    answer = answer_id(servers.ask(sender, "tallinn partner?"))
    assert answer is not None
    other = f"{sender}-other"
    servers.ask(other, "hei")
    refused = servers.rate(other, answer, True)  # another conversation's answer
    assert refused.status_code == 404 and refused.json()["error"] == "unknown_answer"
    assert servers.rate(sender, "0" * 32, True).status_code == 404  # an id never given
    assert not any(r["answer"] == answer for r in servers.ratings())


@pytest.mark.parametrize(
    "body",
    [
        {"answer": "abc", "helpful": True},  # not an answer id
        {"answer": "0" * 32, "helpful": "yes"},  # not true or false
        {"answer": "0" * 32},  # no verdict
    ],
)
def test_a_malformed_rating_is_refused_with_a_reason(servers, sender, body):
    before = servers.ratings()
    response = servers.post(json.dumps({"sender": sender, **body}).encode(), path="feedback")
    assert response.status_code == 400 and response.json()["message"]
    assert servers.ratings() == before


def test_a_greeting_is_no_answer_to_rate(servers, sender):
    replies = servers.ask(sender, "moi")
    assert replies and answer_id(replies) is None


def test_deleting_the_conversation_erases_its_ratings_and_no_others(servers, sender):
    other = f"{sender}-other"
    answers = {}
    for who in (sender, other):
        answers[who] = answer_id(servers.ask(who, "mikä on ucue"))
        assert servers.rate(who, answers[who], True).status_code == 200
    response = servers.forget(sender)
    assert response.status_code == 200 and response.json()["ratings"] == 1
    kept = {r["answer"] for r in servers.ratings()}
    assert answers[sender] not in kept and answers[other] in kept
