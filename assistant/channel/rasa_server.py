"""The Rasa server, as `rasa run` runs it, with its Sanic workers kept (scripts/run/run-servers rasa).

Sanic 21.12, the one Rasa 3.6 pins, forks its workers once and then only waits for them: a worker that
dies is not replaced, so the server goes on at part of its capacity and nothing says so; and a worker
outlives a main process killed with SIGKILL, holding the port so that no new server can start. This
runs Rasa's command line with Sanic's `serve_multiple` replaced by `keep_workers`, which starts a new
worker for each one that exits, with a line on standard error, and has each worker killed by the
kernel when the main process dies (PR_SET_PDEATHSIG). Everything else is Sanic's own; the warnings
shown are the project's own (rasa_command.py).
"""

from __future__ import annotations

import asyncio
import ctypes
import multiprocessing
import os
import signal
import sys
import time
from dataclasses import dataclass
from typing import List

from assistant.channel import rasa_command

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
CHECK_EVERY = 0.5  # seconds between looks at the workers
STEADY = 60.0  # a worker that ran this long before it exited is replaced at once
MOST_DELAY = 16.0  # one that keeps exiting sooner is replaced after 1, 2, 4 ... up to this many seconds


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when `parent` (the thread that forked it) ends."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before prctl took hold
        os._exit(1)


def _worker(parent: int, settings: dict) -> None:
    from sanic.server import serve

    _die_with(parent)
    serve(**settings)


@dataclass
class _Slot:
    process: multiprocessing.Process
    started: float
    delay: float = 0.0  # before the next replacement, if this one exits soon after its start
    due: float = 0.0  # when an exited worker is replaced


def _tell(line: str) -> None:
    print(f"rasa server: {line}", file=sys.stderr, flush=True)


def keep_workers(server_settings: dict, workers: int) -> None:
    """Sanic's serve_multiple (sanic/server/runners.py, 21.12), its workers replaced when they exit."""
    from sanic.server.events import trigger_events
    from sanic.server.socket import bind_socket, bind_unix_socket, remove_unix_socket

    server_settings["reuse_port"] = True
    server_settings["run_multiple"] = True
    main_start = server_settings.pop("main_start", None)
    main_stop = server_settings.pop("main_stop", None)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    trigger_events(main_start, loop)

    sock, unix = server_settings.get("sock"), server_settings["unix"]
    if unix:
        sock = bind_unix_socket(unix, backlog=server_settings["backlog"])
    if sock is None:
        sock = bind_socket(server_settings["host"], server_settings["port"], backlog=server_settings["backlog"])
        sock.set_inheritable(True)
        server_settings.update(sock=sock, host=None, port=None)

    fork = multiprocessing.get_context("fork")
    stopping: List[int] = []

    def start() -> multiprocessing.Process:
        process = fork.Process(target=_worker, args=(os.getpid(), server_settings), daemon=True)
        process.start()
        return process

    slots = [_Slot(start(), time.monotonic()) for _ in range(workers)]

    def stop(number, _frame) -> None:
        stopping.append(number)
        for slot in slots:
            if slot.process.is_alive():
                os.kill(slot.process.pid, signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping:
        now = time.monotonic()
        for slot in slots:
            if slot.process.is_alive() or stopping:
                continue
            if not slot.due:
                soon = now - slot.started < STEADY
                slot.delay = min(max(slot.delay * 2, 1.0), MOST_DELAY) if soon else 0.0
                slot.due = now + slot.delay
                _tell(
                    f"worker {slot.process.pid} exited with status {slot.process.exitcode}; "
                    f"starting a new one in {slot.delay:g} s"
                )
            elif now >= slot.due:
                slot.process, slot.started, slot.due = start(), now, 0.0
                _tell(f"worker {slot.process.pid} started")
        time.sleep(CHECK_EVERY)

    for slot in slots:
        slot.process.join()
    trigger_events(main_stop, loop)
    sock.close()
    loop.close()
    remove_unix_socket(unix)


def main() -> int:
    import sanic.app

    sanic.app.serve_multiple = keep_workers  # what Sanic.run calls for more than one worker
    return rasa_command.main()


if __name__ == "__main__":
    sys.exit(main())
