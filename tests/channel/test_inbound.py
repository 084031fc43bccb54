"""What the REST channel lets through (assistant/channel/inbound.py), without Rasa running."""

import json

import pytest

from assistant.channel import inbound
from assistant.channel.inbound import Rejected, allowed_payload_or_words, read


def body(**fields) -> bytes:
    return json.dumps(fields).encode()


def refusal(raw: bytes, content_type: str = "application/json") -> Rejected:
    with pytest.raises(Rejected) as caught:
        read(raw, content_type)
    return caught.value


@pytest.mark.parametrize(
    "raw, content_type, status, code",
    [
        (body(sender="a", message="hi"), "text/plain", 415, "content_type"),
        (body(sender="a", message="hi"), "application/x-www-form-urlencoded", 415, "content_type"),
        (b"", "application/json", 400, "invalid_json"),
        (b'{"sender": "a", "message": ', "application/json", 400, "invalid_json"),
        (b'{"sender": "a", "message": "\xff\xfe"}', "application/json", 400, "invalid_json"),
        (b"[1, 2]", "application/json", 400, "not_an_object"),
        (b'"hello"', "application/json", 400, "not_an_object"),
        (b"null", "application/json", 400, "not_an_object"),
        (body(message="hi"), "application/json", 400, "sender"),
        (body(sender=42, message="hi"), "application/json", 400, "sender"),
        (body(sender="", message="hi"), "application/json", 400, "sender"),
        (body(sender="x" * 129, message="hi"), "application/json", 400, "sender"),
        (body(sender="matti@example.fi", message="hi"), "application/json", 400, "sender"),
        (body(sender="a b", message="hi"), "application/json", 400, "sender"),
        (body(sender="a"), "application/json", 400, "message"),
        (body(sender="a", message=["hi"]), "application/json", 400, "message"),
        (body(sender="a", message=None), "application/json", 400, "message"),
        (body(sender="a", message=""), "application/json", 400, "empty"),
        (body(sender="a", message=" \n\t "), "application/json", 400, "empty"),
        (body(sender="a", message="\u0000\u0000"), "application/json", 400, "empty"),
        (body(sender="a", message="//"), "application/json", 400, "empty"),
        (body(sender="a", message="hi", metadata="fi"), "application/json", 400, "metadata"),
        (body(sender="a", message="hi", metadata=[1]), "application/json", 400, "metadata"),
        (
            b'{"sender": "a", "message": "hi", "metadata": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            "application/json",
            400,
            "too_deep",
        ),
        (body(sender="a", message="x" * (300 * 1024)), "application/json", 413, "too_large"),
    ],
)
def test_bad_requests_are_refused_with_what_to_fix(raw, content_type, status, code):
    refused = refusal(raw, content_type)
    assert (refused.status, refused.code) == (status, code)
    assert refused.message.endswith(".")


def test_a_well_formed_request_passes_with_charset_and_any_case():
    turn = read(body(sender="4f2a-b.c:d_e", message=" Mikä on ECHA? "), "Application/JSON; charset=utf-8")
    assert (turn.sender, turn.text, turn.language, turn.too_long) == ("4f2a-b.c:d_e", "Mikä on ECHA?", None, False)


def test_a_message_id_is_kept_and_one_that_could_carry_anything_is_refused():
    assert read(body(sender="a", message="hi", message_id="2f1c-9a"), "application/json").message_id == "2f1c-9a"
    assert read(body(sender="a", message="hi"), "application/json").message_id is None
    for bad in ("", "x" * 129, "a b", 7, ["m"], "<script>"):
        assert refusal(body(sender="a", message="hi", message_id=bad)).code == "message_id"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_only_a_known_language_is_kept_from_the_metadata(lang):
    metadata = {"language": lang, "email": "matti@example.fi", "deep": {"a": {"b": [1]}}}
    assert read(body(sender="a", message="hi", metadata=metadata), "application/json").metadata == {"language": lang}


def test_an_editors_preview_token_is_passed_on_and_nothing_else_of_its_kind():
    token = "T0k3n_-" + "a" * 36
    turn = read(body(sender="a", message="hi", metadata={"preview": token}), "application/json")
    assert turn.metadata == {"preview": token}
    for other in (token + "a", "<b>" + token[3:], {"token": token}, 5):
        assert read(body(sender="a", message="hi", metadata={"preview": other}), "application/json").metadata == {}


def test_the_pages_language_is_kept_apart_from_the_residents_choice():
    turn = read(body(sender="a", message="hi", metadata={"page_language": "sv"}), "application/json")
    assert (turn.language, turn.page_language, turn.metadata) == (None, "sv", {"page_language": "sv"})


@pytest.mark.parametrize("language", ["de", 7, None, ["fi"]])
def test_another_language_in_the_metadata_is_dropped(language):
    turn = read(body(sender="a", message="hi", metadata={"language": language}), "application/json")
    assert turn.language is None and turn.metadata == {}


@pytest.mark.parametrize(
    "message, text",
    [
        ("Mik\u0000ä on ECHA?", "Mikä on ECHA?"),  # NUL bytes dropped, the word kept whole
        ("What\u0007 is \u009bECHA?", "What is ECHA?"),
        ("\ud800What is ECHA?", "What is ECHA?"),  # an unpaired surrogate can't be stored
        ("Mika\u0308 on ECHA?", "Mikä on ECHA?"),  # decomposed ä composed
        ("😀😀", "😀😀"),
        ("مرحبا كيف حالك", "مرحبا كيف حالك"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # shown as text by the widget
        ("'; DROP TABLE events; --", "'; DROP TABLE events; --"),  # stored as a bound parameter
    ],
)
def test_text_is_cleaned_but_not_rewritten(message, text):
    assert read(body(sender="a", message=message), "application/json").text == text


def test_a_message_over_the_limit_is_flagged_with_only_its_beginning_kept():
    long = "Hur många arbetar på ECHA? " * 100
    turn = read(body(sender="a", message=long, metadata={"language": "sv"}), "application/json")
    assert turn.too_long and len(turn.text) == inbound.MAX_MESSAGE_CHARS
    exact = read(body(sender="a", message="x" * inbound.MAX_MESSAGE_CHARS), "application/json")
    assert not exact.too_long


def test_the_text_read_is_masked():
    # Which forms are masked and which are left alone: tests/channel/test_masking.py.
    text = "ring mig på +358 40 123 4567 eller mejla anna@exempel.se, personbeteckning 131052-308T"
    masked = "ring mig på [phone] eller mejla [e-mail], personbeteckning [identity code]"
    assert read(body(sender="a", message=text), "application/json").text == masked


@pytest.mark.parametrize(
    "payload",
    [
        "/ask_echa",
        "/greet",
        "/deny",
        '/ask_partners{"city": "berlin"}',
        '/ask_staff{"organisation": "echa"}',
        '/ask_about{"country": "ukraine"}',  # the Ukraine topic's button
    ],
)
def test_the_buttons_payloads_pass(payload):
    assert allowed_payload_or_words(payload) == payload


@pytest.mark.parametrize(
    "payload, words",
    [
        ("/restart", "restart"),  # Rasa's internal intents: not in the domain
        ("/session_start", "session_start"),
        ("/nlu_fallback", "nlu_fallback"),
        ("/made_up_intent", "made_up_intent"),
        ('/ask_partners{"city": "Atlantis"}', 'ask_partners{"city": "Atlantis"}'),  # not in the fact base
        ('/ask_partners{"network": "berlin"}', 'ask_partners{"network": "berlin"}'),  # wrong type
        ('/ask_partners{"city": "' + "x" * 500 + '"}', 'ask_partners{"city": "' + "x" * 500 + '"}'),
        ('/ask_partners{"city": ["berlin"]}', 'ask_partners{"city": ["berlin"]}'),
        ('/ask_partners[{"entity": "city", "value": "berlin"}]', 'ask_partners[{"entity": "city", "value": "berlin"}]'),
        ("/ask_echa@0.99", "ask_echa@0.99"),  # a confidence of the client's choosing
        ("/ask_echa{not json}", "ask_echa{not json}"),
        ("// what is ECHA?", "what is ECHA?"),
    ],
)
def test_other_typed_payloads_are_read_as_words(payload, words):
    assert allowed_payload_or_words(payload) == words


def test_the_domain_intents_are_the_allowed_ones(domain):
    assert inbound.domain_intents() == set(domain["intents"])


def test_a_rating_names_an_answer_and_yes_or_no():
    body = json.dumps({"sender": "s-1", "answer": "0123456789abcdef" * 2, "helpful": False}).encode()
    assert inbound.read_rating(body, "application/json") == ("s-1", "0123456789abcdef" * 2, False)


@pytest.mark.parametrize(
    "rating, code",
    [
        ({"answer": "0123456789ABCDEF" * 2, "helpful": True}, "answer"),  # not as the assistant writes ids
        ({"answer": ["0" * 32], "helpful": True}, "answer"),
        ({"answer": "0" * 32, "helpful": 1}, "helpful"),
        ({"answer": "0" * 32, "helpful": None}, "helpful"),
        ({"helpful": True, "answer": "0" * 32, "sender": ""}, "sender"),
    ],
)
def test_a_malformed_rating_is_refused_with_what_to_fix(rating, code):
    body = json.dumps({"sender": "s-1", **rating}).encode()
    with pytest.raises(Rejected) as refused:
        inbound.read_rating(body, "application/json")
    assert refused.value.status == 400 and refused.value.code == code
