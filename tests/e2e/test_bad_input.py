"""Bad input on the REST channel, and typed payloads: a clear 4xx or a normal reply, never a 5xx or a
stall, and the server answers normally afterwards. What each refusal says is tested in test_inbound.py;
this is the running server."""

import json
import time

import pytest

from assistant.answering.render import say
from assistant.channel.inbound import MAX_MESSAGE_CHARS
from tests.helpers import fact, text_of

STALL = 10  # seconds: anything slower is a stall (an answer takes well under one)


def as_json(**fields) -> bytes:
    return json.dumps(fields).encode()


BAD_INPUT = {
    "empty body": (b"", "application/json"),
    "invalid JSON": (b'{"sender": "x", "message": "hi"', "application/json"),
    "JSON array": (b'[{"sender": "x", "message": "hi"}]', "application/json"),
    "JSON string": (b'"hi"', "application/json"),
    "invalid UTF-8": (b'{"sender": "x", "message": "\xc3\x28 hi"}', "application/json"),
    "wrong content type": (as_json(sender="x", message="hi"), "text/plain"),
    "form content type": (b"sender=x&message=hi", "application/x-www-form-urlencoded"),
    "no sender": (as_json(message="hi"), "application/json"),
    "numeric sender": (as_json(sender=12345, message="hi"), "application/json"),
    "odd sender": (as_json(sender="../../etc/passwd", message="hi"), "application/json"),
    "very long sender": (as_json(sender="s" * 100_000, message="hi"), "application/json"),
    "no message": (as_json(sender="x"), "application/json"),
    "numeric message": (as_json(sender="x", message=42), "application/json"),
    "object message": (as_json(sender="x", message={"text": "hi"}), "application/json"),
    "empty message": (as_json(sender="x", message=""), "application/json"),
    "blank message": (as_json(sender="x", message="  \n\t "), "application/json"),
    "NUL bytes only": (as_json(sender="x", message="\u0000\u0000"), "application/json"),
    "metadata not an object": (as_json(sender="x", message="hi", metadata="fi"), "application/json"),
    "deeply nested metadata": (
        b'{"sender": "x", "message": "hi", "metadata": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_000 + b"}",
        "application/json",
    ),
    "2 MB body": (as_json(sender="x", message="a" * 2_000_000), "application/json"),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_gets_a_clear_4xx_at_once(servers, case):
    raw, content_type = BAD_INPUT[case]
    started = time.monotonic()
    response = servers.post(raw, content_type, timeout=STALL)
    assert time.monotonic() - started < STALL
    assert 400 <= response.status_code < 500, (case, response.status_code, response.text[:300])
    error = response.json()
    assert error["error"] and error["message"].endswith("."), error


ODD_BUT_FINE = [
    "Mik\u0000ä on ECHA?",  # NUL bytes
    "😀🙂👍",
    "مرحبا، ما هي ECHA؟",  # right to left
    "שלום, מה זה ECHA?",
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "'; DROP TABLE events; -- SELECT * FROM events WHERE 1=1",
    "Robert'); DELETE FROM events WHERE ('1'='1",
    "\ud83d What is ECHA?",  # half an emoji: an unpaired surrogate
    "Mika\u0308 on ECHA?",  # decomposed letters
    "ECHA " * 199,  # just under the limit
]


@pytest.mark.parametrize("message", ODD_BUT_FINE)
def test_odd_messages_get_a_normal_reply(servers, sender, message):
    body = json.dumps({"sender": sender, "message": message, "metadata": {"language": "en"}}).encode()
    started = time.monotonic()
    response = servers.post(body, timeout=STALL)
    assert time.monotonic() - started < STALL
    assert response.status_code == 200, response.text[:300]
    replies = response.json()
    # Each answer, and then its sources as a message of their own (custom).
    assert replies and all(r["recipient_id"] == sender and (r.get("text") or r.get("custom")) for r in replies)
    assert any(r.get("text") for r in replies)
    assert say("no_answer", "en") not in text_of(replies)


@pytest.mark.parametrize(
    "lang, question", [("fi", "Mikä on ECHA? "), ("sv", "Vad är ECHA? "), ("en", "What is ECHA? ")]
)
@pytest.mark.parametrize("size", [MAX_MESSAGE_CHARS + 1, 100 * 1024])
def test_a_too_long_message_gets_please_shorten_in_its_language_without_the_model(
    servers, sender, lang, question, size
):
    message = (question * (size // len(question) + 1))[: size - 1] + "?"  # not cut at a space
    started = time.monotonic()
    replies = servers.ask(sender, message)
    assert time.monotonic() - started < 2
    assert text_of(replies) == say("too_long", lang, limit=MAX_MESSAGE_CHARS)
    assert servers.stored_events(sender) == []  # the dialogue never saw it


def test_the_server_answers_normally_after_bad_input(servers, sender):
    for raw, content_type in BAD_INPUT.values():
        servers.post(raw, content_type, timeout=STALL)
    assert fact("echa", "en") in text_of(servers.ask(sender, "What is ECHA?"))


# --- typed payloads ---------------------------------------------------------------------------------


def test_buttons_keep_working(servers, sender):
    assert fact("echa", "fi") in text_of(servers.ask(sender, "/ask_echa", metadata={"language": "fi"}))
    replies = servers.ask(sender, '/ask_staff{"organisation": "echa"}', metadata={"language": "fi"})
    assert fact("echa_staff", "fi") in text_of(replies)


@pytest.mark.parametrize("internal", ["/restart", "/session_start", "/back", "/action_restart"])
def test_a_typed_internal_intent_does_not_reach_the_dialogue(servers, sender, internal):
    servers.ask(sender, "Vad är ECHA?")
    servers.ask(sender, internal)
    # A restart would have forgotten what the conversation is about.
    assert fact("echa_staff", "sv") in text_of(servers.ask(sender, "hur många arbetar där?"))
    events = servers.stored_events(sender)
    assert not [e for e in events if e.get("name") in ("action_restart", "action_back")]
    user_intents = [e["parse_data"]["intent"]["name"] for e in events if e["event"] == "user"]
    assert not {"restart", "session_start", "back"} & set(user_intents), user_intents


@pytest.mark.parametrize(
    "payload",
    [
        '/ask_partners{"city": "Atlantis"}',
        '/ask_partners{"city": "' + "Atlantis" * 1000 + '"}',
        '/ask_partners{"region": "Atlantis"}',
        '/ask_partners@1.0{"city": "Atlantis"}',
        '/ask_about[{"entity": "city", "value": "Atlantis"}]',
    ],
)
def test_a_typed_payload_cannot_make_up_entities(servers, sender, payload):
    replies = servers.ask(sender, payload, metadata={"language": "en"})
    assert "Atlantis" not in text_of(replies)  # a made-up city would be named in the answer
    entities = [
        entity
        for event in servers.stored_events(sender)
        if event["event"] == "user"
        for entity in event["parse_data"]["entities"]
    ]
    assert not [e for e in entities if "Atlantis" in str(e.get("value"))], entities


def test_a_typed_unknown_intent_is_read_as_words(servers, sender):
    replies = servers.ask(sender, "/transfer_money", metadata={"language": "en"})
    assert replies and say("no_answer", "en") not in text_of(replies)
    (user,) = [e for e in servers.stored_events(sender) if e["event"] == "user"]
    assert user["text"] == "transfer_money" and user["parse_data"]["intent"]["name"] != "transfer_money"
