"""The action server down or hanging, and the servers restarted mid-conversation; under `make run`,
a killed action server started again, a killed Sanic worker of the Rasa server replaced, a killed Rasa
main process leaving no worker behind on its port, and SIGTERM ending every process."""

import json
import os
import signal
import sqlite3
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from assistant.answering.render import say
from helpers import ROOT, fact, free_port, text_of
from supervisor import Service, Supervisor, alive, descendants, server_pid, url_answers

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


@pytest.mark.parametrize("lang, opening, follow_up", [("fi", "mikä on echa", "kuinka moni siellä työskentelee"),
                                                      ("en", "what is echa", "how many people work there")])
def test_while_the_tracker_store_fails_a_turn_gets_503_and_is_neither_answered_nor_lost(
        servers, sender, lang, opening, follow_up):
    """Rasa's fail-safe store answered such a turn from an empty conversation kept in memory ("how many
    work there?" after ECHA: "Which one do you mean?") and never stored it."""
    servers.ask(sender, opening)
    with sqlite3.connect(servers.tracker_db) as db:  # out of the store's reach, as if its database were down
        db.execute("ALTER TABLE events RENAME TO events_away")
    try:
        response = servers.post(json.dumps({"sender": sender, "message": follow_up,
                                            "metadata": {"page_language": lang}}).encode())
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


BACK_WITHIN = 30  # seconds for full service to come back after a server or a worker of one is killed


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    """What `make run` runs (scripts/serve.py), on free ports with its own stores: its Rasa URL, its
    process, its output, its tracker store and its front (the page's origin, assistant/front.py)."""
    workdir = tmp_path_factory.mktemp("make-run")
    rasa_port, web_port = free_port(), free_port()
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "ACTION_PORT": str(free_port()), "RASA_PORT": str(rasa_port),
           "WEB_PORT": str(web_port), "REDIS_PORT": str(free_port()),
           "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
           "RUN_DIR": str(workdir / "run"),  # not there yet, as var/ in a fresh clone
           "UNANSWERED_LOG": str(workdir / "unanswered.jsonl"), "FEEDBACK_LOG": str(workdir / "feedback.jsonl"),
           "RASA_API_TOKEN": "", "LOCK_STORE_URL": ""}
    url = f"http://127.0.0.1:{rasa_port}"
    outer = Supervisor(workdir, env=env, cwd=ROOT)
    front = f"http://127.0.0.1:{web_port}"
    rasa_up, front_up = url_answers(f"{url}/"), url_answers(f"{front}/")  # the front starts after Rasa
    outer.start(Service("make-run", [sys.executable, str(ROOT / "scripts" / "serve.py")],
                        ready=lambda: rasa_up() and front_up()))
    try:
        yield url, outer.running["make-run"].process, outer.log_of("make-run"), workdir / "tracker.db", front
    finally:
        outer.stop_all()


def asker(url, sender, timeout=30):
    def ask(text):
        response = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                 timeout=timeout)
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


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(0.2)


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


class SteadyLoad:
    """Conversations through make run's front, as the widget sends them: each asks what ECHA is, then
    again and again how many work there, until stopped. Every turn's outcome is kept:
    (text, HTTP status or the client's error, Retry-After, reply text, when it was sent)."""

    OPENING, FOLLOW_UP = "mikä on echa", "kuinka moni siellä työskentelee"

    def __init__(self, front: str, conversations: int = 10):
        self.webhook = f"{front}/webhooks/rest/webhook"
        self.turns = {f"steady-{uuid.uuid4().hex[:10]}": [] for _ in range(conversations)}
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._converse, args=(s,), daemon=True) for s in self.turns]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        wait_for(lambda: all(any(t[1] == 200 for t in turns) for turns in self.turns.values()), BACK_WITHIN,
                 "every conversation opened")
        return self

    def __exit__(self, *_):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)

    def _converse(self, sender: str) -> None:
        """A message refused with 503 is sent again with its id, as the widget does, until answered."""
        turns = self.turns[sender]
        while not self.stop.is_set():
            opened = any(t[0] == self.OPENING and t[1] == 200 for t in turns)
            text, message_id = (self.FOLLOW_UP if opened else self.OPENING), uuid.uuid4().hex
            given_up = time.monotonic() + 2 * BACK_WITHIN
            while time.monotonic() < given_up:
                sent = time.monotonic()
                try:
                    response = requests.post(self.webhook, json={"sender": sender, "message": text,
                                                                 "message_id": message_id,
                                                                 "metadata": {"page_language": "fi"}}, timeout=60)
                    reply = text_of(response.json()) if response.status_code == 200 else response.text
                    turns.append((text, response.status_code, response.headers.get("Retry-After"), reply, sent,
                                  message_id))
                    if response.status_code != 503:
                        break
                except requests.RequestException as error:
                    turns.append((text, type(error).__name__, None, repr(error), sent, message_id))
                    break
                time.sleep(0.5)
            time.sleep(0.2)

    def real_answers_since(self, moment: float) -> bool:
        """Whether every conversation has had three answers with facts, all sent after `moment`."""
        return all(sum(1 for t in turns if t[4] > moment and t[1] == 200 and t[3] != say("no_answer", "fi")) >= 3
                   for turns in self.turns.values())


KILLS = {  # what is killed, found under make run's process
    "a Rasa worker": lambda root: rasa_processes(root)[1][0],
    "the Rasa main process": lambda root: rasa_processes(root)[0],
    "the action server": lambda root: server_pid(root, lambda argv: "run" in argv and "actions" in argv),
    "Redis": lambda root: server_pid(root, lambda argv: argv[0].startswith("redis-server")),  # its title
}


@pytest.mark.parametrize("killed", KILLS)
def test_under_steady_load_a_kill_costs_only_503s_or_polite_replies_and_loses_no_turn(make_run, killed):
    """10 conversations at it: after the kill every turn gets 200 (its answer, in its conversation's
    context, or "technical problem" while the action server is away) or 503 with Retry-After, never a
    reset or another error; full service is back within 30 s; the tracker store holds each message
    answered once, sent again after a 503 or not, and no other."""
    url, process, output, tracker_db, front = make_run
    wait_for(lambda: len(rasa_processes(process.pid)[1]) == 2, BACK_WITHIN, "two Rasa workers")
    with SteadyLoad(front) as load:
        time.sleep(2)
        os.kill(KILLS[killed](process.pid), signal.SIGKILL)
        killed_at = time.monotonic()
        try:
            wait_for(lambda: load.real_answers_since(killed_at + 0.5), BACK_WITHIN + 15, "full service again")
        finally:
            for sender, ts in load.turns.items():  # shown if the test fails
                print(sender, [(round(t[4] - killed_at, 1), t[1], t[3][:30]) for t in ts if t[4] > killed_at - 1])
    turns = [t for ts in load.turns.values() for t in ts]
    failed = [t for t in turns if t[1] not in (200, 503)]
    assert not failed, f"{len(failed)} of {len(turns)} turns neither answered nor refused; the first: {failed[0]}"
    assert all(t[2] and t[2].isdigit() for t in turns if t[1] == 503)
    staff, polite = fact("echa_staff", "fi"), say("no_answer", "fi")
    out_of_context = [t for t in turns if t[1] == 200 and t[0] == SteadyLoad.FOLLOW_UP and staff not in t[3]
                      and t[3] != polite]
    assert not out_of_context, f"answered without the conversation's context: {out_of_context[0]}"
    last_failure = max((t[4] for t in turns if t[1] != 200 or t[3] == polite), default=killed_at)
    assert last_failure - killed_at < BACK_WITHIN, f"full service back {last_failure - killed_at:.0f} s after the kill"
    for sender, ts in load.turns.items():
        assert stored_user_texts(tracker_db, sender) == [t[0] for t in ts if t[1] == 200], sender
        assert len({t[5] for t in ts if t[1] == 200}) == len([t for t in ts if t[1] == 200])  # each once


def test_sigterm_ends_every_process_of_make_run(make_run):
    url, process, output, tracker_db, front = make_run
    everything = descendants(process.pid)
    assert len(everything) >= 6  # Redis, the action server, Rasa's main and workers, the page, the sweep
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=90)
    wait_for(lambda: not any(alive(pid) for pid in everything), 10, "every process ended")
