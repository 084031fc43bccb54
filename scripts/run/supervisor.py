"""Runs the assistant's servers as child processes: each in its own process group, logging to a file
of its own or to the supervisor's output, started in order and waited for until it answers, and
started again after a short back-off when it exits on its own. Stopping one on purpose, or all of
them, does not start it again.

`make run` (scripts/run/serve.py) and `make run-cluster` (scripts/run/cluster.py) run their servers through
it, so one crashed server costs residents a few seconds of "technical problem" and not the assistant.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

START_TIMEOUT = 180  # seconds for one server to come up


@dataclass
class Service:
    name: str
    command: List[str]
    env: Dict[str, str] = field(default_factory=dict)  # on top of the supervisor's own
    ready: Optional[Callable[[], bool]] = None  # True once it serves; None: as soon as it runs
    stop_signal: int = signal.SIGTERM
    # What is left of its process group when its leader exits on its own gets this, so that no orphan
    # keeps its port: nginx's workers get SIGQUIT, to finish the turns they are passing on, then exit.
    leftover_signal: int = signal.SIGKILL
    # Files it inherits, each time it starts: a listening socket the supervisor holds (cluster.py's
    # front port), so that connections wait in its queue while the server starts again.
    pass_fds: Tuple[int, ...] = ()


@dataclass
class _Running:
    service: Service
    process: subprocess.Popen
    started: float
    backoff: float
    restart_at: Optional[float] = None  # set once it has exited on its own


def free_port() -> int:
    """A port on loopback that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_service(name: str, port: int, folder: Path) -> Service:
    """A Redis for locks only, on loopback: nothing is written to disk."""
    return Service(
        name,
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(folder),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        ready=redis_answers(port),
    )


def redis_answers(port: int) -> Callable[[], bool]:
    """A readiness check: Redis on this port answers PING."""

    def check() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    return check


def url_answers(url: str) -> Callable[[], bool]:
    """A readiness check: the URL answers 200."""

    def check() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    return check


@dataclass(frozen=True)
class Backoff:
    first: float = 1.0  # seconds before a server that exited is started again
    most: float = 16.0  # doubled from `first` up to this while it keeps failing
    steady: float = 60.0  # a server that ran this long before it exited starts again after `first`


class Supervisor:
    def __init__(
        self,
        logs: Optional[Path],
        env: Optional[Dict[str, str]] = None,
        cwd: Optional[Path] = None,
        say: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
        backoff: Backoff = Backoff(),
    ):
        # logs: a folder for a <name>.log each, or None for the supervisor's own output (make run's terminal)
        self.logs, self.env, self.cwd, self.say = logs, dict(env or os.environ), cwd, say
        self.backoff = backoff
        self.running: Dict[str, _Running] = {}

    def start(self, service: Service) -> None:
        """Start it and wait until it is ready (RuntimeError if it exits or takes longer than
        START_TIMEOUT)."""
        name = service.name
        entry = self.running[name] = _Running(service, self._spawn(service), time.monotonic(), self.backoff.first)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if entry.process.poll() is not None:
                raise RuntimeError(
                    f"{name} exited with {entry.process.returncode}: see {self.log_of(name) or 'its output'}"
                )
            if entry.service.ready is None or entry.service.ready():
                return
            time.sleep(0.5)
        raise RuntimeError(f"{name} not up after {START_TIMEOUT} s: see {self.log_of(name) or 'its output'}")

    def pid(self, name: str) -> int:
        return self.running[name].process.pid

    def serving(self, name: str) -> bool:
        """Whether it runs and its readiness check passes (a server started again may not yet)."""
        entry = self.running[name]
        return entry.process.poll() is None and (entry.service.ready is None or entry.service.ready())

    def log_of(self, name: str) -> Optional[Path]:
        return self.logs / f"{name}.log" if self.logs else None

    def watch(self) -> List[str]:
        """One look at every server: note those that exited on their own, start again those whose
        back-off has passed. Returns the names started again."""
        now, restarted = time.monotonic(), []
        for name, entry in self.running.items():
            if entry.restart_at is None:
                status = entry.process.poll()
                if status is None:
                    continue
                if now - entry.started >= self.backoff.steady:
                    entry.backoff = self.backoff.first
                entry.restart_at = now + entry.backoff
                self.say(f"supervisor: {name} exited with status {status}; starting it again in {entry.backoff:g} s")
                if _signal_group(entry.process.pid, entry.service.leftover_signal):  # e.g. nginx's workers
                    self.say(
                        f"supervisor: sent {signal.Signals(entry.service.leftover_signal).name} to what "
                        f"was left of {name}"
                    )
            elif now >= entry.restart_at:
                entry.process = self._spawn(entry.service)
                entry.started, entry.restart_at = now, None
                entry.backoff = min(entry.backoff * 2, self.backoff.most)
                restarted.append(name)
        return restarted

    def serve(self, keep_going: Callable[[], bool] = lambda: True, every: float = 0.5) -> None:
        """Watch the servers until keep_going() says no; then the caller stops them."""
        while keep_going():
            self.watch()
            time.sleep(every)

    def stop(self, name: str) -> None:
        """Stop it on purpose: it is not started again."""
        entry = self.running.pop(name, None)
        if entry is None:
            return
        # The whole group: a server's own children go with it, even if it has already exited.
        _signal_group(entry.process.pid, entry.service.stop_signal)
        try:
            entry.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
        _signal_group(entry.process.pid, signal.SIGKILL)
        entry.process.wait()

    def stop_all(self) -> None:
        """In the reverse order of starting: the front first, the stores last."""
        for name in reversed(list(self.running)):
            self.stop(name)

    def _spawn(self, service: Service) -> subprocess.Popen:
        env = {**self.env, **service.env}
        if self.logs is None:
            return subprocess.Popen(
                service.command, cwd=self.cwd, env=env, start_new_session=True, pass_fds=service.pass_fds
            )
        self.logs.mkdir(parents=True, exist_ok=True)
        with open(self.log_of(service.name), "ab") as log:
            return subprocess.Popen(
                service.command,
                cwd=self.cwd,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                pass_fds=service.pass_fds,
            )


def _signal_group(leader: int, number: int) -> bool:
    """Signal the process group a server leads (each is started in a session of its own); False if
    nothing is left in it."""
    try:
        os.killpg(leader, number)
        return True
    except ProcessLookupError:
        return False


def run_until_signalled(supervisor: Supervisor, start: Callable[[], None]) -> int:
    """Start the servers, watch them until Ctrl-C, SIGTERM or the parent going away (make does not pass
    on a SIGTERM sent to it alone), then stop them all."""
    stopping: List[int] = []
    signal.signal(signal.SIGTERM, lambda number, _: stopping.append(number))
    parent = os.getppid()
    try:
        start()
        supervisor.serve(lambda: not stopping and os.getppid() == parent)
    except KeyboardInterrupt:
        pass
    finally:
        supervisor.stop_all()
    return 0


def descendants(pid: int) -> List[int]:
    """Every process under `pid`: its children, theirs, and so on (from /proc)."""
    children: Dict[int, List[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def server_pid(root: int, marker: Callable[[List[str]], bool]) -> int:
    """The first process under `root` whose command line `marker` picks."""
    for pid in descendants(root):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        except OSError:
            continue
        if marker(argv):
            return pid
    raise RuntimeError(f"no such server process under {root}")


def alive(pid: int) -> bool:
    """Whether the process runs (and is not a zombie waiting for its parent)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
