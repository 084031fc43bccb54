"""assistant/storage/lock_store.py against a real Redis: many messages to one conversation, from several
servers at the same instant, each get the conversation alone, in the order their tickets were issued;
a ticket whose holder died expires; nothing is left behind."""

import asyncio
import subprocess
import threading
import time

import pytest
import redis
from rasa.core.lock_store import LockError

from assistant.storage.lock_store import AtomicRedisLockStore
from tests.helpers import free_port

SERVERS, MESSAGES = 4, 12  # messages per server, all sent at once


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory):
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path_factory.mktemp("redis")),
        ],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    yield port
    server.terminate()
    server.wait(timeout=30)


def store(port):
    return AtomicRedisLockStore(host="127.0.0.1", port=port, db=0)


def test_messages_from_several_servers_at_once_each_get_the_conversation_alone_in_ticket_order(redis_port):
    """Each "server" is a thread with its own event loop and connection, as Rasa servers in their own
    processes are; they all start at the same instant (a barrier)."""
    inside, log, lock = [], [], threading.Lock()
    barrier = threading.Barrier(SERVERS)

    async def handle(server_store):
        async with server_store.lock("conversation-1") as held:
            ticket = held.now_serving
            with lock:
                inside.append(ticket)
                log.append(("enter", ticket, len(inside)))
            await asyncio.sleep(0.005)  # a turn's work, during which no other may enter
            with lock:
                inside.remove(ticket)
                log.append(("leave", ticket, len(inside)))

    def server():
        server_store = store(redis_port)
        barrier.wait()

        async def all_at_once():
            await asyncio.gather(*(handle(server_store) for _ in range(MESSAGES)))

        asyncio.run(all_at_once())

    threads = [threading.Thread(target=server) for _ in range(SERVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    entered = [ticket for kind, ticket, _ in log if kind == "enter"]
    assert len(entered) == SERVERS * MESSAGES  # every message had its turn
    assert all(count == 1 for kind, _, count in log if kind == "enter")  # and had it alone
    assert entered == sorted(entered) and len(set(entered)) == len(entered)  # in ticket order, no ticket twice
    assert store(redis_port).get_lock("conversation-1") is None
    assert redis.Redis(port=redis_port).keys("lock:conversation-1*") == []  # nothing left behind


def test_a_ticket_whose_holder_died_expires_and_the_next_is_served(redis_port):
    stale = store(redis_port).issue_ticket("conversation-2", lock_lifetime=0.3)  # a server that died holding it

    async def next_message():
        started = time.monotonic()
        async with store(redis_port).lock("conversation-2", lock_lifetime=5) as held:
            return held.now_serving, time.monotonic() - started

    ticket, waited = asyncio.run(next_message())
    assert ticket == stale + 1 and 0.2 < waited < 2


def test_a_turn_that_fails_gives_its_ticket_back(redis_port):
    async def failing_turn():
        async with store(redis_port).lock("conversation-3"):
            raise RuntimeError("the turn failed")

    with pytest.raises(RuntimeError):
        asyncio.run(failing_turn())
    assert store(redis_port).get_lock("conversation-3") is None

    async def next_turn():
        async with store(redis_port).lock("conversation-3"):
            return True

    assert asyncio.run(asyncio.wait_for(next_turn(), timeout=2))


def test_with_redis_gone_a_message_gets_no_turn_and_a_finished_turn_stands():
    """No Redis on the port: a waiting message's question whose turn it is fails as its ticket would
    (LockError, which the REST channel answers 503, nothing stored); a turn already done and stored is
    not undone by a ticket that cannot be given back (it expires by itself)."""
    gone = store(free_port())
    with pytest.raises(LockError):
        gone.issue_ticket("conversation-4")
    with pytest.raises(LockError):
        gone.now_serving("conversation-4")
    gone.finish_serving("conversation-4", 1)
