"""Real questions over the REST channel, through NLU, dialogue and the action server."""

import json
import time
from pathlib import Path

import pytest

from assistant.answering.render import messages
from assistant.knowledge import factbase
from scripts.run.supervisor import descendants
from tests.helpers import fact, text_of

CONVERSATIONS = {
    "fi": [
        ("Hei!", [messages()["greet"]["fi"]]),
        ("Onko Tallinna Helsingin kumppanikaupunki?", [fact("main_partners", "fi")]),
        ("entä Berliini?", ["Berliini", fact("main_partners", "fi")]),
        ("Mikä on ECHA?", [fact("echa", "fi")]),
        ("kuinka moni siellä työskentelee?", [fact("echa_staff", "fi")]),
    ],
    "sv": [
        ("Hej!", [messages()["greet"]["sv"]]),
        ("Är Tallinn en samarbetsstad till Helsingfors?", [fact("main_partners", "sv")]),
        ("och Berlin då?", ["Berlin", fact("main_partners", "sv")]),
        ("Vad är ECHA?", [fact("echa", "sv")]),
        ("hur många arbetar där?", [fact("echa_staff", "sv")]),
    ],
    "en": [
        ("Hello!", [messages()["greet"]["en"]]),
        ("Is Tallinn one of Helsinki's partner cities?", [fact("main_partners", "en")]),
        ("what about Berlin?", ["Berlin", fact("main_partners", "en")]),
        ("What is ECHA?", [fact("echa", "en")]),
        ("how many people work there?", [fact("echa_staff", "en")]),
    ],
}


@pytest.mark.parametrize("lang", CONVERSATIONS)
def test_a_conversation_in_each_language(servers, sender, lang):
    for question, expected in CONVERSATIONS[lang]:
        replies = servers.ask(sender, question)
        for part in expected:
            assert part in text_of(replies), (question, replies)


def test_buttons_are_sent_with_an_answer(servers, sender):
    replies = servers.ask(sender, "/ask_echa", metadata={"language": "sv"})
    assert fact("echa", "sv") in text_of(replies)
    assert 2 <= len(replies[0]["buttons"]) <= 3


def test_metadata_language_wins(servers, sender):
    replies = servers.ask(sender, "What is ECHA?", metadata={"language": "fi"})
    assert fact("echa", "fi") in text_of(replies)


def test_out_of_scope_says_so_and_where_to_look(servers, sender):
    replies = text_of(servers.ask(sender, "What's the weather like tomorrow?"))
    kb = factbase.current()
    assert replies.startswith("My sources don't") and kb.freshness.feedback in replies


NEGATED = {
    "fi": "onko helsinki lopettanut yhteistyön pietarin kanssa",
    "sv": "har helsingfors avbrutit samarbetet med s:t petersburg",
    "en": "has helsinki ended its cooperation with st petersburg",
}


@pytest.mark.parametrize("lang", NEGATED)
def test_a_question_about_the_end_of_a_partnership_gets_yes_and_the_end(servers, sender, lang):
    """It used to get "Yes, St Petersburg is one of Helsinki's partners" (issue 14): yes, it ended."""
    text, _ = servers.ask(sender, NEGATED[lang], metadata={"language": lang})
    ended = factbase.current().facts["st_petersburg_partner"]
    assert text["text"].startswith(f"{messages()['lead_yes'][lang]} {ended.ended.history[lang].rstrip('.')}")
    assert ended.text[lang] not in text["text"]


HISTORY = {
    "fi": ("onko pietari vielä kumppani", "todennäköisesti maaliskuussa 2022"),
    "sv": ("är s:t petersburg fortfarande en partner", "troligen mars 2022"),
    "en": ("is st petersburg still a partner", "probably March 2022"),
}


@pytest.mark.parametrize("lang", HISTORY)
def test_an_ended_partnership_is_history_and_its_sources_come_as_their_own_message(servers, sender, lang):
    question, when = HISTORY[lang]
    text, sources = servers.ask(sender, question, metadata={"language": lang})
    kb = factbase.current()
    ended = kb.facts["st_petersburg_partner"]
    assert text["text"].startswith(f"{messages()['lead_no_longer'][lang]} {ended.ended.history[lang].rstrip('.')}")
    assert ended.text[lang] not in text["text"]
    assert when in text["text"]
    source = kb.sources["war_in_ukraine_2022"]
    assert {
        "publisher": source.publisher[lang],
        "title": source.title[lang],
        "date": when,
        "url": source.url[lang],
    } in sources["custom"]["sources"]
    assert sources["custom"]["note"] and sources["custom"]["note"] in sources["custom"]["text"]
    assert messages()["source"][lang].split("{")[0] not in text["text"]


ACKNOWLEDGED = {
    "fi": ("mikä juttu echa on", "ok kiva", "montako siellä on duunissa"),
    "sv": ("vad sysslar echa med", "okej toppen", "hur många har dom anställda"),
    "en": ("what does echa do", "ok cool", "how many ppl work there"),
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_an_acknowledgement_keeps_the_conversation_going(servers, sender, lang):
    """ "ok" got the last answer again and "ok cool" a goodbye (issue 14)."""
    first, acknowledgement, follow_up = ACKNOWLEDGED[lang]
    servers.ask(sender, first)
    assert text_of(servers.ask(sender, acknowledgement)) == messages()["acknowledged"][lang]
    assert fact("echa_staff", lang) in text_of(servers.ask(sender, follow_up))


def test_a_message_sent_again_with_its_id_is_answered_as_before_and_stored_once(servers, sender):
    """The widget sends a message again, with its id, after a 503; a Rasa worker killed in mid-turn may
    have stored the turn before the front answered 503 (assistant/channel/front.py)."""
    ask = {"sender": sender, "message": "mikä on echa", "message_id": "m-1", "metadata": {"page_language": "fi"}}
    first = servers.post(json.dumps(ask).encode()).json()
    again = servers.post(json.dumps(ask).encode()).json()
    assert fact("echa", "fi") in text_of(first) and again == first
    other = servers.post(json.dumps({**ask, "message_id": "m-2"}).encode()).json()
    assert fact("echa", "fi") in text_of(other)  # another message with the same words is another turn
    texts = [e["text"] for e in servers.stored_events(sender) if e["event"] == "user"]
    assert texts == ["mikä on echa", "mikä on echa"]


def test_the_workers_share_the_components_data_and_each_warms_up_as_it_starts(servers):
    """A worker's first parse builds the model's functions, which a resident's first question used to
    pay for; each one now parses a message per language as it starts, on data that Sanic's main process
    loaded before forking them (assistant/channel/rest_channel.py). The server answers as soon as one worker
    listens, so the others are given a minute to say they are warm."""
    workers = int(servers._services["rasa"].env["SANIC_WORKERS"])
    deadline = time.monotonic() + 60
    while True:
        log = (servers.workdir / "rasa.log").read_text(errors="replace")
        assert "warm-up failed" not in log
        warm, starts = log.count("worker warmed up in"), log.count("Starting Rasa server on")
        if warm == workers * starts or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert warm == workers * starts
    assert log.count("the components' data loaded for the workers to share") == starts


def test_the_rasa_server_allocates_with_jemalloc(servers):
    """With jemalloc the server takes less memory under load than with glibc's malloc (scripts/run/run-servers)."""
    processes = [servers.rasa.pid] + descendants(servers.rasa.pid)
    assert len(processes) >= 2  # the main process and its workers
    for pid in processes:
        assert "libjemalloc" in Path(f"/proc/{pid}/maps").read_text(), pid
