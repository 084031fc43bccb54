"""Two Rasa servers sharing PostgreSQL (tracker store) and Redis (lock store) serve one conversation;
nginx in front is started again, without an orphan worker, when its master is killed; a burst
through it, or a turn no server can take, is answered or told to retry."""

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from assistant.answering.render import say
from scripts.measure.bench.load import burst
from scripts.run.supervisor import alive, descendants, server_pid, url_answers
from tests.helpers import fact, text_of
from tests.steady_load import wait_for


def test_a_conversation_alternating_between_the_servers_keeps_its_context(cluster, sender):
    first, second = cluster.instance_url(0), cluster.instance_url(1)
    assert fact("main_partners", "fi") in text_of(cluster.ask(first, sender, "Onko Tallinna kumppanikaupunki?"))
    replies = text_of(cluster.ask(second, sender, "entä Berliini?"))
    assert "Berliini" in replies and fact("main_partners", "fi") in replies
    assert fact("echa", "sv") in text_of(cluster.ask(first, sender, "Vad är ECHA?"))
    assert fact("echa_staff", "sv") in text_of(cluster.ask(second, sender, "hur många arbetar där?"))


def test_the_front_port_serves_the_page_pointed_at_itself_and_the_rest_channel(cluster, sender):
    import requests

    page = requests.get(cluster.front_url + "/", timeout=10)
    assert page.status_code == 200 and '<meta name="rasa-url" content="">' in page.text
    assert fact("echa", "en") in text_of(cluster.ask(cluster.front_url, sender, "What is ECHA?"))
    assert fact("echa_staff", "en") in text_of(cluster.ask(cluster.front_url, sender, "how many people work there?"))


QUESTIONS = [  # (question, the fact its answer holds, language): none depends on an earlier turn
    ("Mikä on ECHA?", "echa", "fi"),
    ("Vad är ECHA?", "echa", "sv"),
    ("What is ECHA?", "echa", "en"),
    ("Onko Tallinna kumppanikaupunki?", "main_partners", "fi"),
    ("Är Tallinn en samarbetsstad till Helsingfors?", "main_partners", "sv"),
    ("Is Tallinn one of Helsinki's partner cities?", "main_partners", "en"),
]
AT_ONCE = 24


def test_messages_to_one_conversation_sent_at_the_same_instant_through_both_servers_are_serialised(cluster, sender):
    """24 messages released together (a barrier), alternating between the servers: the lock store's
    tickets are issued atomically (assistant/storage/lock_store.py), so each turn runs alone, in order."""
    sent = (QUESTIONS * AT_ONCE)[:AT_ONCE]
    servers = [cluster.instance_url(n % 2) for n in range(len(sent))]
    together = threading.Barrier(len(sent))

    def send(question, server):
        together.wait()
        return cluster.ask(server, sender, question, 120)

    with ThreadPoolExecutor(max_workers=len(sent)) as pool:
        pending = [pool.submit(send, question, server) for (question, _, _), server in zip(sent, servers)]
        replies = [p.result() for p in pending]
    wrong = [(q, text_of(r)) for (q, fact_id, lang), r in zip(sent, replies) if fact(fact_id, lang) not in text_of(r)]
    assert not wrong, wrong

    events = [e for e in cluster.stored_events(sender) if e["event"] in ("user", "bot", "action")]
    user_texts = [e["text"] for e in events if e["event"] == "user"]
    # Every turn stored, none lost.
    assert sorted(user_texts) == sorted(q for q, _, _ in sent), f"{len(user_texts)} of {len(sent)} messages stored"
    # In order: each turn's answer is stored before the next message, never interleaved with it.
    turns = []
    for event in events:
        if event["event"] == "user":
            turns.append([])
        elif turns:
            turns[-1].append(event.get("name") or event["event"])
    interleaved = [turn for turn in turns if turn != ["action_answer", "bot", "action_listen"]]
    assert not interleaved, f"{len(interleaved)} of {len(turns)} turns interleaved: {interleaved[:3]}"


def test_stopping_one_server_under_load_loses_no_conversation(cluster):
    script = [
        "Mikä on ECHA?",
        "kuinka moni siellä työskentelee?",
        "Onko Tallinna kumppanikaupunki?",
        "entä Berliini?",
        "kiitos",
    ]
    senders = [f"cluster-load-{n}" for n in range(20)]

    def converse(sender):
        answers = []
        for n, question in enumerate(script):
            if sender == senders[0] and n == 2:
                cluster.stop_rasa(0)  # mid-conversation for this one, while the others are at it
            answers.append(text_of(cluster.ask(cluster.front_url, sender, question)))
        return answers

    try:
        with ThreadPoolExecutor(max_workers=len(senders)) as pool:
            results = list(pool.map(converse, senders))
    finally:
        cluster.start_rasa(0)
    for answers in results:
        assert fact("echa", "fi") in answers[0]
        assert fact("echa_staff", "fi") in answers[1]
        assert fact("main_partners", "fi") in answers[2]
        assert "Berliini" in answers[3]
        assert say("no_answer", "fi") not in "".join(answers)
    for sender in senders:
        stored = [e["text"] for e in cluster.stored_events(sender) if e["event"] == "user"]
        assert stored == script, sender


def test_retention_deletes_old_conversations_from_postgresql_and_keeps_the_others(cluster, sender, tmp_path):
    """The sweep the cluster runs hourly (scripts/run/prune.py), on back-dated events in its PostgreSQL."""
    import asyncio
    import datetime

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from assistant.storage import retention

    store = SQLTrackerStore(
        Domain.empty(), dialect="postgresql", host="127.0.0.1", port=cluster.ports.postgres, db="rasa", username="rasa"
    )
    now = datetime.datetime.now(datetime.timezone.utc)
    for name, age in ((f"{sender}-old", 31), (f"{sender}-recent", 29)):
        when = (now - datetime.timedelta(days=age)).timestamp()
        asyncio.run(store.save(DialogueStateTracker.from_events(name, [UserUttered("vad är echa", timestamp=when)])))
    cluster.ask(cluster.front_url, sender, "Vad är ECHA?")  # a conversation of today, through the servers
    swept = retention.sweep(30, now, cluster.tracker_store_url, tmp_path / "unanswered.jsonl")
    assert swept.conversations >= 1
    assert cluster.stored_events(f"{sender}-old") == []
    assert cluster.stored_events(f"{sender}-recent") and cluster.stored_events(sender)


def test_a_killed_nginx_master_leaves_no_worker_on_the_front_port_and_is_started_again(cluster, sender):
    master = cluster.supervisor.pid("nginx")
    workers = descendants(master)
    assert workers
    os.kill(master, signal.SIGKILL)
    killed = time.monotonic()
    front = url_answers(cluster.front_url + "/")
    while cluster.supervisor.pid("nginx") == master or not front():  # as `make run-cluster` watches it
        cluster.supervisor.watch()
        assert time.monotonic() - killed < 30, "the front port not served again within 30 s"
        time.sleep(0.5)
    # Told to quit (SIGQUIT), a worker finishes what it passes on first: here nothing.
    wait_for(lambda: not any(alive(pid) for pid in workers), 10, "the old master's worker gone")
    assert fact("echa", "fi") in text_of(cluster.ask(cluster.front_url, sender, "mikä on echa"))


def test_with_no_rasa_server_to_take_a_turn_nginx_says_technical_problem_try_again(cluster, sender):
    """Both servers away at once (starting again, say): 503 with Retry-After and the resident's
    language's "technical problem", which the widget waits out, not nginx's 502 page."""
    for index in range(len(cluster.ports.rasa)):
        cluster.stop_rasa(index)
    try:
        response = requests.post(
            cluster.front_url + "/webhooks/rest/webhook",
            timeout=30,
            json={"sender": sender, "message": "mikä on echa"},
            headers={"Accept-Language": "sv"},
        )
    finally:
        for index in range(len(cluster.ports.rasa)):
            cluster.start_rasa(index)
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    assert response.json() == {"error": "unavailable", "message": say("no_answer", "sv")}
    assert cluster.stored_events(sender) == []


def test_a_burst_through_the_front_port_is_answered_or_told_to_retry_and_loses_nothing(cluster):
    """1,000 conversations at once through nginx: none reset, each turn 200 or 503 with Retry-After
    (nginx's own past its limit, or a Rasa server's past its bound), and PostgreSQL holds exactly the
    answered turns."""
    outcome = burst(cluster.front_url + "/webhooks/rest/webhook", 1000, lang="sv")
    answered, refused, failed = outcome.turns(200), outcome.turns(503), outcome.failed()
    print(f"{len(outcome.turns())} turns: {len(answered)} answered, {len(refused)} refused, {len(failed)} neither")
    assert not failed, f"{len(failed)} turns neither answered nor refused; the first: {failed[0]}"
    assert answered and all(t.retry_after == "2" and t.body["error"] == "busy" for t in refused), refused[:1]
    for sender, turns in outcome.conversations[:100]:
        stored = [e["text"] for e in cluster.stored_events(sender) if e["event"] == "user"]
        assert stored == [t.text for t in turns if t.status == 200], sender
    assert fact("echa", "fi") in text_of(cluster.ask(cluster.front_url, "after-burst", "mikä on echa"))


def test_postgresql_killed_under_a_conversation_costs_503s_and_no_turn_or_context(cluster, sender):
    """Rasa's fail-safe store answered the turns after such a kill from an empty conversation kept in
    memory ("how many work there?" after ECHA: "Which one do you mean?"), with 200, and never stored
    them."""
    webhook = cluster.front_url + "/webhooks/rest/webhook"
    assert fact("echa", "fi") in text_of(cluster.ask(cluster.front_url, sender, "mikä on echa"))
    postmaster = server_pid(cluster.supervisor.pid("postgres"), lambda argv: "-D" in argv)
    os.kill(postmaster, signal.SIGKILL)
    killed, statuses = time.monotonic(), []
    while True:
        cluster.supervisor.watch()  # as `make run-cluster` watches it
        response = requests.post(
            webhook, json={"sender": sender, "message": "kuinka moni siellä työskentelee"}, timeout=60
        )
        statuses.append(response.status_code)
        if response.status_code == 200:
            break
        assert response.status_code == 503 and response.headers["Retry-After"].isdigit(), response.text
        assert response.json()["message"] == say("no_answer", "fi")
        assert time.monotonic() - killed < 60, "PostgreSQL not back within 60 s"
        time.sleep(1)
    assert statuses[0] == 503  # the turn right after the kill met the outage
    assert fact("echa_staff", "fi") in text_of(response.json())  # the conversation's context
    stored = [e["text"] for e in cluster.stored_events(sender) if e["event"] == "user"]
    assert stored == ["mikä on echa", "kuinka moni siellä työskentelee"]
