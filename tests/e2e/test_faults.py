"""The action server down or hanging, and the servers restarted mid-conversation."""

import os
import signal
import time

import pytest

from assistant import factbase
from assistant.replies import say
from conftest import text_of

POLITE_WITHIN = 5  # seconds


def fact(fact_id, lang):
    return factbase.current().facts[fact_id].text[lang]


def timed_ask(servers, sender, text):
    started = time.monotonic()
    replies = servers.ask(sender, text)
    return replies, time.monotonic() - started


@pytest.fixture
def hanging_action_server(servers):
    """The action server accepts connections but never answers (SIGSTOP), until the test ends."""
    os.kill(servers.actions.pid, signal.SIGSTOP)
    yield
    os.kill(servers.actions.pid, signal.SIGCONT)


@pytest.fixture
def stopped_action_server(servers):
    servers.stop_actions()
    yield
    if servers.actions.poll() is not None:
        servers.start_actions()


QUESTIONS = {"fi": ("Mikä on ECHA?", "Mikä on Eurocities?"), "sv": ("Vad är ECHA?", "Vad är Eurocities?"),
             "en": ("What is ECHA?", "What is Eurocities?")}


@pytest.mark.parametrize("lang", QUESTIONS)
def test_a_hanging_action_server_gets_a_polite_reply_in_time(servers, sender, lang, hanging_action_server):
    replies, seconds = timed_ask(servers, sender, QUESTIONS[lang][0])
    assert text_of(replies) == say("no_answer", lang)
    assert seconds < POLITE_WITHIN


@pytest.mark.parametrize("lang", QUESTIONS)
def test_a_stopped_action_server_gets_a_polite_reply_and_the_conversation_goes_on(servers, sender, lang,
                                                                                   stopped_action_server):
    replies, seconds = timed_ask(servers, sender, QUESTIONS[lang][0])
    assert text_of(replies) == say("no_answer", lang)
    assert seconds < POLITE_WITHIN
    servers.start_actions()
    assert "Eurocities" in text_of(servers.ask(sender, QUESTIONS[lang][1]))
    assert fact("echa", lang) in text_of(servers.ask(sender, QUESTIONS[lang][0]))


def test_restarting_the_servers_keeps_history_and_context(servers, sender):
    servers.ask(sender, "Vad är ECHA?")
    servers.stop_actions()
    servers.restart_rasa()
    servers.start_actions()
    replies = servers.ask(sender, "hur många arbetar där?")
    assert fact("echa_staff", "sv") in text_of(replies)
    texts = [e["text"] for e in servers.stored_events(sender) if e["event"] == "user"]
    assert texts == ["Vad är ECHA?", "hur många arbetar där?"]
