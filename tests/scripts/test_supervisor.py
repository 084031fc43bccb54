"""scripts/run/supervisor.py, with small Python programs for servers: a server that exits on its own is
started again after its back-off, without the children it left behind; one stopped on purpose is not;
and stopping stops them all, children included."""

import signal
import socket
import sys
import time

import pytest

from scripts.run.supervisor import Backoff, Service, Supervisor, alive, descendants

QUICK = Backoff(first=0.2, most=0.8, steady=5)
SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]
CRASHER = [sys.executable, "-c", "import sys; sys.exit(3)"]
# A server with a worker child, as nginx's master or Sanic's main process has
WITH_WORKER = [
    sys.executable,
    "-c",
    "import subprocess, sys, time; "
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)",
]


def worker_of(supervisor, name):
    deadline = time.monotonic() + 10
    while not descendants(supervisor.pid(name)):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return descendants(supervisor.pid(name))[0]


@pytest.fixture
def said():
    return []


@pytest.fixture
def supervisor(tmp_path, said):
    running = Supervisor(tmp_path, say=said.append, backoff=QUICK)
    yield running
    running.stop_all()


def watch_for(supervisor, seconds):
    """Watch for `seconds`; the names started again, in order."""
    restarted, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        restarted += supervisor.watch()
        time.sleep(0.02)
    return restarted


def test_a_server_that_exits_is_started_again_after_its_backoff_with_a_line_said(supervisor, said):
    supervisor.start(Service("actions", SLEEPER))
    supervisor.start(Service("rasa", SLEEPER))
    first = supervisor.pid("actions")
    supervisor.running["actions"].process.kill()
    assert watch_for(supervisor, 0.1) == []  # not before the back-off
    assert watch_for(supervisor, 0.4) == ["actions"]
    assert supervisor.pid("actions") != first and supervisor.running["actions"].process.poll() is None
    assert said == ["supervisor: actions exited with status -9; starting it again in 0.2 s"]
    assert supervisor.running["rasa"].process.poll() is None  # the others keep running


def test_a_server_that_keeps_failing_waits_longer_each_time_up_to_the_most(supervisor, said):
    supervisor.start(Service("broken", CRASHER))
    watch_for(supervisor, 3.0)
    waits = [float(line.split("again in ")[1].split()[0]) for line in said]
    assert waits[:4] == [0.2, 0.4, 0.8, 0.8]
    assert all("status 3" in line for line in said)


def test_a_server_stopped_on_purpose_is_not_started_again(supervisor, said):
    supervisor.start(Service("rasa", SLEEPER))
    process = supervisor.running["rasa"].process
    supervisor.stop("rasa")
    assert process.poll() is not None
    assert watch_for(supervisor, 0.5) == [] and said == []


def test_stopping_all_stops_every_server(supervisor):
    for name in ("postgres", "actions", "rasa"):
        supervisor.start(Service(name, SLEEPER))
    processes = [entry.process for entry in supervisor.running.values()]
    supervisor.stop_all()
    assert all(p.poll() is not None for p in processes) and supervisor.running == {}


def test_start_waits_until_ready_and_fails_when_the_server_exits_first(supervisor, tmp_path):
    flag = tmp_path / "ready"
    supervisor.start(
        Service(
            "slow",
            [
                sys.executable,
                "-c",
                f"import time, pathlib; time.sleep(0.6); pathlib.Path({str(flag)!r}).touch(); time.sleep(60)",
            ],
            ready=flag.exists,
        )
    )
    assert flag.exists()
    with pytest.raises(RuntimeError, match="crash exited with 3"):
        supervisor.start(Service("crash", CRASHER, ready=lambda: False))


def test_a_server_killed_alone_leaves_no_worker_behind_when_started_again(supervisor, said):
    supervisor.start(Service("rasa", WITH_WORKER))
    worker = worker_of(supervisor, "rasa")
    supervisor.running["rasa"].process.kill()  # the main process alone: its worker is orphaned
    assert watch_for(supervisor, 0.1) == []
    assert not alive(worker)
    assert said[-1] == "supervisor: sent SIGKILL to what was left of rasa"


# A worker that writes "quit" to a file when it gets SIGQUIT, and exits, as nginx's workers finish their
# requests first.
QUITTING_WORKER = [
    sys.executable,
    "-c",
    "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', "
    "'import pathlib, signal, sys, time; signal.signal(signal.SIGQUIT, lambda *_: "
    '(pathlib.Path(sys.argv[1]).write_text("quit"), sys.exit(0))); time.sleep(60)\', '
    "sys.argv[1]]); time.sleep(60)",
]


def test_what_is_left_of_a_server_gets_its_own_leftover_signal(supervisor, said, tmp_path):
    flag = tmp_path / "worker-said"
    supervisor.start(Service("nginx", QUITTING_WORKER + [str(flag)], leftover_signal=signal.SIGQUIT))
    worker = worker_of(supervisor, "nginx")
    time.sleep(0.3)  # its handler set
    supervisor.running["nginx"].process.kill()
    watch_for(supervisor, 0.1)
    deadline = time.monotonic() + 5
    while alive(worker):
        assert time.monotonic() < deadline, "the worker still runs"
        time.sleep(0.02)
    assert flag.read_text() == "quit"
    assert said[-1] == "supervisor: sent SIGQUIT to what was left of nginx"


# A server that answers each connection on the socket it inherits (its number in argv) with its pid.
ON_INHERITED_SOCKET = [
    sys.executable,
    "-c",
    "import os, socket, sys\n"
    "listener = socket.socket(fileno=int(sys.argv[1]))\n"
    "while True:\n"
    "    connection, _ = listener.accept()\n"
    "    connection.sendall(str(os.getpid()).encode()); connection.close()",
]


def test_a_socket_the_supervisor_holds_queues_connections_while_its_server_starts_again(supervisor):
    """As the cluster's front port: a connection made while nginx is down waits, and is not refused."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        fd = listener.fileno()
        supervisor.start(Service("front", ON_INHERITED_SOCKET + [str(fd)], pass_fds=(fd,)))
        first = supervisor.pid("front")
        supervisor.running["front"].process.kill()
        supervisor.running["front"].process.wait()
        with socket.create_connection(listener.getsockname(), timeout=10) as connection:  # while none runs
            watch_for(supervisor, QUICK.first + 0.3)
            answered = connection.recv(32).decode()
        assert answered == str(supervisor.pid("front")) and answered != str(first)


def test_stopping_a_server_whose_leader_is_gone_stops_its_children(supervisor):
    supervisor.start(Service("rasa", WITH_WORKER))
    worker = worker_of(supervisor, "rasa")
    supervisor.running["rasa"].process.kill()
    supervisor.running["rasa"].process.wait()
    supervisor.stop_all()
    deadline = time.monotonic() + 5
    while alive(worker):
        assert time.monotonic() < deadline, "the orphaned child still runs"
        time.sleep(0.02)
