"""What `make bench` measures, each started on free ports through scripts/run/supervisor.py and stopped
after: this assistant as `make run` runs it (with a throw-away tracker store), Rasa's own starter bot
(`rasa init --no-prompt`, built and trained once into var/bench/starter/), and the cluster of `make
run-cluster` (two Rasa servers behind nginx)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Optional

import yaml

from assistant import ROOT
from scripts.measure.bench.load import Question, message
from scripts.run.cluster import Cluster, Ports
from scripts.run.supervisor import Service, Supervisor, free_port, server_pid

BIN = Path(sys.executable).parent
STARTER = ROOT / "var" / "bench" / "starter"
START_LIMIT = 180  # seconds for a server to give its first answer


def answers(webhook: str, question: Question) -> Callable[[], bool]:
    """A readiness check: the REST channel answers this question with text."""
    import requests

    def check() -> bool:
        try:
            reply = requests.post(webhook, json=message(f"ready-{time.monotonic_ns()}", question), timeout=10)
            return reply.ok and any("text" in m for m in reply.json())
        except (requests.RequestException, ValueError):
            return False

    return check


@dataclass
class Running:
    webhook: str
    stop: Callable[[], None]
    root_pid: Optional[int] = None  # the process the servers run under, for their memory
    started_in: float = 0.0  # seconds from the start to the first answer
    action_url: Optional[str] = None  # its action server's webhook
    database_url: Optional[str] = None  # the database it reads the editor's publications from


def assistant(workdir: Path, question: Question) -> Running:
    """`make run`, as a resident meets it, until it answers `question`."""
    rasa, actions = free_port(), free_port()
    env = {
        **os.environ,
        "RASA_PORT": str(rasa),
        "ACTION_PORT": str(actions),
        "WEB_PORT": str(free_port()),
        "EDITOR_PORT": str(free_port()),
        "REDIS_PORT": str(free_port()),
        "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "RUN_DIR": str(workdir),
        "UNANSWERED_LOG": str(workdir / "unanswered.jsonl"),
        "FEEDBACK_LOG": str(workdir / "feedback.jsonl"),
        "RASA_API_TOKEN": "",
        "LOCK_STORE_URL": "",
    }  # its own Redis, whatever the caller's environment says
    webhook = f"http://127.0.0.1:{rasa}/webhooks/rest/webhook"
    supervisor = Supervisor(workdir, env=env, cwd=ROOT)
    began = time.monotonic()
    supervisor.start(Service("make-run", ["make", "--no-print-directory", "run"], ready=answers(webhook, question)))
    return Running(
        webhook,
        supervisor.stop_all,
        supervisor.pid("make-run"),
        time.monotonic() - began,
        f"http://127.0.0.1:{actions}/webhook",
        env["TRACKER_STORE_URL"],
    )


def rasa_pid(running: Running) -> int:
    return server_pid(running.root_pid, lambda argv: "run" in argv and "--model" in argv)


def action_server_pid(running: Running) -> int:
    return server_pid(running.root_pid, lambda argv: "run" in argv and "actions" in argv)


def starter_model(log: Path) -> Path:
    """The starter bot's model: `rasa init --no-prompt` builds the project and trains it, once."""
    models = sorted((STARTER / "models").glob("*.tar.gz"))
    if not models:
        STARTER.mkdir(parents=True, exist_ok=True)
        with log.open("ab") as out:
            subprocess.run(
                [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(STARTER)],
                cwd=STARTER,
                stdout=out,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=1800,
            )
        models = sorted((STARTER / "models").glob("*.tar.gz"))
    return models[-1]


def starter_questions() -> List[Question]:
    """What the starter bot is trained to understand: its own NLU examples."""
    data = yaml.safe_load((STARTER / "data" / "nlu.yml").read_text(encoding="utf-8"))
    return [
        (None, line.lstrip("- ").strip())
        for block in data["nlu"]
        for line in block["examples"].splitlines()
        if line.strip()
    ]


def starter(workdir: Path) -> Running:
    """Rasa's starter bot as `rasa init` makes it: its own config, an in-memory tracker store, no
    action server."""
    model = starter_model(workdir / "starter-train.log")
    port = free_port()
    webhook = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    supervisor = Supervisor(workdir, cwd=STARTER)
    supervisor.start(
        Service(
            "starter",
            [
                str(BIN / "rasa"),
                "run",
                "--model",
                str(model),
                "--port",
                str(port),
                "--interface",
                "127.0.0.1",
                "--credentials",
                "credentials.yml",
                "--endpoints",
                "endpoints.yml",
            ],
            ready=answers(webhook, starter_questions()[0]),
        )
    )
    return Running(webhook, supervisor.stop_all)


def cluster(workdir: Path, question: Question) -> Running:
    """Two Rasa servers behind nginx, on PostgreSQL and Redis, as `make run-cluster` starts them."""
    running = Cluster(
        workdir / "cluster",
        Ports.free(),
        env={
            **os.environ,
            "UNANSWERED_LOG": str(workdir / "cluster-unanswered.jsonl"),
            "FEEDBACK_LOG": str(workdir / "cluster-feedback.jsonl"),
        },
    )
    running.start()
    webhook = f"{running.front_url}/webhooks/rest/webhook"
    ready, deadline = answers(webhook, question), time.monotonic() + START_LIMIT
    while not ready():
        if time.monotonic() > deadline:
            running.stop()
            raise RuntimeError(f"the cluster gave no answer in {START_LIMIT} s: see {running.dir}")
        time.sleep(0.5)

    def stop() -> None:
        running.stop()
        running.remove()

    return Running(webhook, stop, database_url=running.tracker_store_url)
