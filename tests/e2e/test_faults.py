"""The action server down or hanging, and the servers restarted mid-conversation; under `make run`,
a killed action server started again, a killed Sanic worker of the Rasa server replaced, a killed Rasa
main process leaving no worker behind on its port, and SIGTERM ending every process."""

import json
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest
import requests

from assistant.answering.render import say
from scripts.run.supervisor import alive, descendants, server_pid
from tests.helpers import fact, text_of
from tests.steady_load import BACK_WITHIN, SteadyLoad, wait_for

POLITE_WITHIN = 5  # seconds


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
    if servers.actions is None:
        servers.start_actions()


QUESTIONS = {
    "fi": ("Mikä on ECHA?", "Mikä on Eurocities?"),
    "sv": ("Vad är ECHA?", "Vad är Eurocities?"),
    "en": ("What is ECHA?", "What is Eurocities?"),
}


@pytest.mark.parametrize("lang", QUESTIONS)
def test_a_hanging_action_server_gets_a_polite_reply_in_time(servers, sender, lang, hanging_action_server):
    replies, seconds = timed_ask(servers, sender, QUESTIONS[lang][0])
    assert text_of(replies) == say("no_answer", lang)
    assert seconds < POLITE_WITHIN


@pytest.mark.parametrize("lang", QUESTIONS)
def test_a_stopped_action_server_gets_a_polite_reply_and_the_conversation_goes_on(
    servers, sender, lang, stopped_action_server
):
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


@pytest.mark.parametrize(
    "lang, opening, follow_up",
    [("fi", "mikä on echa", "kuinka moni siellä työskentelee"), ("en", "what is echa", "how many people work there")],
)
def test_while_the_tracker_store_fails_a_turn_gets_503_and_is_neither_answered_nor_lost(
    servers, sender, lang, opening, follow_up
):
    """Rasa's fail-safe store answered such a turn from an empty conversation kept in memory ("how many
    work there?" after ECHA: "Which one do you mean?") and never stored it."""
    servers.ask(sender, opening)
    with sqlite3.connect(servers.tracker_db) as db:  # out of the store's reach, as if its database were down
        db.execute("ALTER TABLE events RENAME TO events_away")
    try:
        response = servers.post(
            json.dumps({"sender": sender, "message": follow_up, "metadata": {"page_language": lang}}).encode()
        )
        erasing = servers.forget(sender)  # nothing erased, and the resident asked to try again
    finally:
        with sqlite3.connect(servers.tracker_db) as db:
            db.execute("ALTER TABLE events_away RENAME TO events")
    assert response.status_code == 503 and response.headers["Retry-After"].isdigit()
    assert response.json() == {"error": "unavailable", "message": say("no_answer", lang)}
    assert erasing.status_code == 503 and erasing.json()["error"] == "unavailable"
    assert fact("echa_staff", lang) in text_of(servers.ask(sender, follow_up))  # with its context
    texts = [e["text"] for e in servers.stored_events(sender) if e["event"] == "user"]
    assert texts == [opening, follow_up]


def asker(url, sender, timeout=30):
    def ask(text):
        response = requests.post(
            f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=timeout
        )
        response.raise_for_status()
        return text_of(response.json())

    return ask


def stored_user_texts(tracker_db, sender):
    with sqlite3.connect(tracker_db) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    return [json.loads(d)["text"] for (d,) in rows if json.loads(d)["event"] == "user"]


def rasa_processes(root):
    """The Rasa server's main process under `root`, and its Sanic workers (forked: the same command line)."""
    server = [pid for pid in descendants(root) if "--model" in _argv(pid)]
    main = next(pid for pid in server if set(server) - {pid} <= set(descendants(pid)))
    return main, sorted(set(server) - {main})


def _argv(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    except OSError:
        return []


def test_a_killed_action_server_is_started_again_and_costs_residents_only_a_polite_wait(make_run, sender):
    url, process, output, tracker_db, front = make_run
    ask = asker(url, sender)

    asked = ["mikä on echa"]
    assert fact("echa", "fi") in ask(asked[-1])
    actions = server_pid(process.pid, lambda argv: "run" in argv and "actions" in argv)
    os.kill(actions, signal.SIGKILL)

    asked.append("kuinka moni siellä työskentelee")  # about ECHA: the conversation's context
    started = time.monotonic()
    assert ask(asked[-1]) == say("no_answer", "fi")  # at once, not after a time-out
    assert time.monotonic() - started < POLITE_WITHIN
    while True:
        asked.append("kuinka moni siellä työskentelee")
        reply = ask(asked[-1])
        if reply != say("no_answer", "fi"):
            break
        assert time.monotonic() - started < BACK_WITHIN, "no real answer within 30 s of the kill"
        time.sleep(1)
    assert fact("echa_staff", "fi") in reply
    assert process.poll() is None and server_pid(process.pid, lambda argv: "actions" in argv) != actions
    assert "supervisor: actions exited with status -9" in output.read_text()
    assert stored_user_texts(tracker_db, sender) == asked


def test_a_killed_rasa_worker_is_replaced_and_the_other_serves_meanwhile(make_run, sender):
    url, process, output, tracker_db, front = make_run
    ask = asker(url, sender, timeout=BACK_WITHIN)
    asked = ["mikä on echa"]
    assert fact("echa", "fi") in ask(asked[-1])
    main, workers = rasa_processes(process.pid)
    assert len(workers) == 2
    os.kill(workers[0], signal.SIGKILL)
    killed = time.monotonic()
    asked.append("kuinka moni siellä työskentelee")
    assert fact("echa_staff", "fi") in ask(asked[-1])  # the other worker
    wait_for(lambda: len(set(rasa_processes(process.pid)[1]) - set(workers)) == 1, 5, "a new worker")
    assert rasa_processes(process.pid)[0] == main
    os.kill(workers[1], signal.SIGKILL)  # now only the new worker can answer
    asked.append("mistä lähtien se on ollut helsingissä")
    assert fact("echa_since", "fi") in ask(asked[-1])
    assert time.monotonic() - killed < BACK_WITHIN
    assert f"rasa server: worker {workers[0]} exited with status -9" in output.read_text()
    assert stored_user_texts(tracker_db, sender) == asked


def test_a_killed_rasa_main_process_takes_its_workers_and_is_started_again(make_run, sender):
    url, process, output, tracker_db, front = make_run
    ask = asker(url, sender)
    asked = ["mikä on echa"]
    wait_for(lambda: len(rasa_processes(process.pid)[1]) == 2, BACK_WITHIN, "two workers")
    assert fact("echa", "fi") in ask(asked[-1])
    main, workers = rasa_processes(process.pid)
    os.kill(main, signal.SIGKILL)
    killed = time.monotonic()
    wait_for(lambda: not any(alive(pid) for pid in workers), 5, "the workers gone with their main process")
    while True:
        try:
            reply = ask("kuinka moni siellä työskentelee")
            break
        except requests.ConnectionError:  # nothing listens until it is started again
            assert time.monotonic() - killed < BACK_WITHIN, f"no answer within {BACK_WITHIN} s of the kill"
            time.sleep(1)
    asked.append("kuinka moni siellä työskentelee")
    assert fact("echa_staff", "fi") in reply  # about ECHA: the conversation's context, from the tracker store
    assert "supervisor: rasa exited with status -9" in output.read_text()
    assert "Address already in use" not in output.read_text()
    assert stored_user_texts(tracker_db, sender) == asked


KILLS = {  # what is killed, found under make run's process
    "a Rasa worker": lambda root: rasa_processes(root)[1][0],
    "the Rasa main process": lambda root: rasa_processes(root)[0],
    "the action server": lambda root: server_pid(root, lambda argv: "run" in argv and "actions" in argv),
    "Redis": lambda root: server_pid(root, lambda argv: argv[0].startswith("redis-server")),  # its title
}


@pytest.mark.parametrize("killed", KILLS)
def test_under_steady_load_a_kill_costs_only_503s_or_polite_replies_and_loses_no_turn(make_run, killed):
    """10 conversations at it through make run's front (tests/steady_load.py has what is checked)."""
    url, process, output, tracker_db, front = make_run
    wait_for(lambda: len(rasa_processes(process.pid)[1]) == 2, BACK_WITHIN, "two Rasa workers")
    with SteadyLoad(front) as load:
        time.sleep(2)
        killed_at = load.after_kill(lambda: os.kill(KILLS[killed](process.pid), signal.SIGKILL))
    load.check(killed_at, lambda sender: stored_user_texts(tracker_db, sender))


def test_sigterm_ends_every_process_of_make_run(make_run):
    url, process, output, tracker_db, front = make_run
    everything = descendants(process.pid)
    assert len(everything) >= 6  # Redis, the action server, Rasa's main and workers, the page, the sweep
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=90)
    wait_for(lambda: not any(alive(pid) for pid in everything), 10, "every process ended")
