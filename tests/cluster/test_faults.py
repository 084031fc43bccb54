"""Under a steady load of 10 conversations through nginx, each of the cluster's processes killed
(kill -9), one at a time, while the supervisor watches as `make run-cluster` does: every turn gets
200 or 503 with Retry-After, full service is back within 30 s, and the tracker store holds every
answered turn once (tests/steady_load.py).

Each of the cluster's Rasa servers is one process (Sanic serves in it, without workers): killing it
is killing a Rasa server's main process. make run's Sanic workers are killed in tests/e2e/test_faults.py."""

import os
import signal
import threading
import time

import pytest

from scripts.run.supervisor import server_pid
from tests.steady_load import BACK_WITHIN, SteadyLoad, wait_for

KILLS = {  # what is killed, found from the cluster's supervisor
    "a Rasa server": lambda cluster: cluster.supervisor.pid(f"rasa-{cluster.ports.rasa[0]}"),  # run-servers execs it
    "the action server": lambda cluster: cluster.supervisor.pid("actions"),
    "Redis": lambda cluster: cluster.supervisor.pid("redis"),
    # As root the supervisor's process is runuser, and the postmaster its child.
    "PostgreSQL": lambda cluster: (
        server_pid(cluster.supervisor.pid("postgres"), lambda argv: "-D" in argv)
        if os.geteuid() == 0
        else cluster.supervisor.pid("postgres")
    ),
    "nginx": lambda cluster: cluster.supervisor.pid("nginx"),
}


@pytest.fixture
def watched(cluster):
    """The supervisor watching the cluster's servers, as `make run-cluster` does, while the test runs."""
    done = threading.Event()

    def watch():
        while not done.is_set():
            cluster.supervisor.watch()
            time.sleep(0.5)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    yield cluster
    done.set()
    watcher.join()


@pytest.mark.parametrize("killed", KILLS)
def test_under_steady_load_a_kill_costs_only_503s_or_polite_replies_and_loses_no_turn(watched, killed):
    cluster = watched
    wait_for(
        lambda: all(map(cluster.supervisor.serving, list(cluster.supervisor.running))),
        BACK_WITHIN,
        "every server serving",
    )
    with SteadyLoad(cluster.front_url) as load:
        time.sleep(2)
        killed_at = load.after_kill(lambda: os.kill(KILLS[killed](cluster), signal.SIGKILL))
    load.check(killed_at, lambda sender: [e["text"] for e in cluster.stored_events(sender) if e["event"] == "user"])
