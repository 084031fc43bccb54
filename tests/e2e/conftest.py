"""Starts the action server and the Rasa server (REST channel) for the end-to-end tests (`servers`), or
all of `make run` (`make_run`), and the browser the page tests drive (`browser`).

They run on their own ports with their own SQLite tracker store, so a `make run` beside them is
not disturbed. Needs the trained model (make train).
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest
import requests

from scripts.run import serve
from scripts.run.supervisor import Service, Supervisor, url_answers
from tests.helpers import ROOT, free_port

MODEL = ROOT / "models" / "assistant.tar.gz"


class Servers:
    """The servers as `make run` starts them (scripts/run/serve.py), on test ports, with their own stores
    and a copy of the fact base; each can be stopped and started again."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.action_port, self.rasa_port, self.web_port, self.redis_port = (free_port() for _ in range(4))
        self.rasa_url = f"http://127.0.0.1:{self.rasa_port}"
        self.page_url = f"http://127.0.0.1:{self.web_port}/"
        self.tracker_db = workdir / "tracker.db"
        # The servers serve a copy of the fact base, which a test may edit as an editor would.
        shutil.copytree(ROOT / "facts", workdir / "facts", ignore=shutil.ignore_patterns(".*"))
        self.fact_base = workdir / "facts" / "international_work.yml"
        self.env = {
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "2",
            # The most verbose logs, so that the tests see everything a log could ever hold.
            "LOG_LEVEL": "DEBUG",
            "ACTION_PORT": str(self.action_port),
            "RASA_PORT": str(self.rasa_port),
            "WEB_PORT": str(self.web_port),
            "REDIS_PORT": str(self.redis_port),
            "TRACKER_STORE_URL": f"sqlite:///{self.tracker_db}",
            "RUN_DIR": str(workdir),
            "FACT_BASE": str(self.fact_base),
            "UNANSWERED_LOG": str(workdir / "unanswered.jsonl"),
            "FEEDBACK_LOG": str(workdir / "feedback.jsonl"),
            "RASA_API_TOKEN": "",  # the API off, whatever the caller's environment says
            "LOCK_STORE_URL": "",  # and its own Redis
        }
        # Started as make run starts them (scripts/run/serve.py), but never started again behind a test's
        # back: nothing here watches them.
        self.supervisor = Supervisor(workdir, env=self.env, cwd=ROOT)
        self._services = {service.name: service for service in serve.services(self.env)}
        self.supervisor.start(self._services["redis"])
        self.start_actions()
        self.start_rasa()
        # The widget's page, and the REST channel on its origin, as make run serves them (assistant/channel/front.py).
        self.supervisor.start(self._services["web"])
        self.front_webhook = f"{self.page_url}webhooks/rest/webhook"

    @property
    def actions(self) -> Optional[subprocess.Popen]:
        return self._process("actions")

    @property
    def rasa(self) -> Optional[subprocess.Popen]:
        return self._process("rasa")

    def _process(self, name: str) -> Optional[subprocess.Popen]:
        running = self.supervisor.running.get(name)
        return running.process if running else None

    def stored_events(self, sender: str) -> List[Dict]:
        """The conversation's events as the tracker store keeps them."""
        with sqlite3.connect(self.tracker_db) as db:
            rows = db.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
        return [json.loads(data) for (data,) in rows]

    def stored_text(self) -> str:
        """Everything in the tracker store, non-ASCII letters unescaped."""
        with sqlite3.connect(self.tracker_db) as db:
            rows = db.execute("SELECT data FROM events").fetchall()
        return "\n".join(json.dumps(json.loads(data), ensure_ascii=False) for (data,) in rows)

    def logs(self) -> str:
        return "\n".join(log.read_text(errors="replace") for log in sorted(self.workdir.glob("*.log")))

    def another_rasa(self, **env: str) -> Tuple[subprocess.Popen, str]:
        """One more Rasa server on the same stores, started with these environment variables; its URL."""
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        self.supervisor.start(
            Service(
                f"rasa-{port}",
                self._services["rasa"].command,
                env={"RASA_PORT": str(port), **env},
                ready=url_answers(url + "/"),
            )
        )
        return self._process(f"rasa-{port}"), url

    def start_actions(self) -> None:
        self.supervisor.start(self._services["actions"])

    def start_rasa(self) -> None:
        self.supervisor.start(self._services["rasa"])

    def stop_actions(self) -> None:
        self.supervisor.stop("actions")

    def restart_rasa(self) -> None:
        self.supervisor.stop("rasa")
        self.start_rasa()

    def stop(self) -> None:
        self.supervisor.stop_all()

    def post(
        self, body: bytes, content_type: str = "application/json", timeout: float = 30, path: str = "webhook"
    ) -> requests.Response:
        """A raw request to the REST channel (or its `forget` or `feedback`), whatever the body."""
        url = f"{self.rasa_url}/webhooks/rest/{path}"
        return requests.post(url, data=body, headers={"Content-Type": content_type}, timeout=timeout)

    def forget(self, sender: str) -> requests.Response:
        return self.post(json.dumps({"sender": sender}).encode(), path="forget")

    def rate(self, sender: str, answer: str, helpful: bool) -> requests.Response:
        return self.post(json.dumps({"sender": sender, "answer": answer, "helpful": helpful}).encode(), path="feedback")

    def ratings(self) -> List[Dict]:
        """The feedback log the servers keep, one record per rating."""
        log = self.workdir / "feedback.jsonl"
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    def ask(self, sender: str, text: str, metadata: Optional[Dict] = None) -> List[Dict]:
        body = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        response = self.post(json.dumps(body).encode())
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first")
    running = Servers(tmp_path_factory.mktemp("servers"))
    yield running
    running.stop()


@pytest.fixture
def sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


QUALITY_RESULTS = ROOT / "results" / "quality.json"
QUALITY: Dict[Tuple[str, str], List[Tuple[str, str, bool]]] = {}


@pytest.fixture(scope="session")
def quality() -> Dict[Tuple[str, str], List[Tuple[str, str, bool]]]:
    """Where the judged sets leave their verdicts, (text, verdict, follows a turn) by (set, language),
    for the summary below."""
    return QUALITY


def pytest_terminal_summary(terminalreporter):
    if not QUALITY:
        return
    terminalreporter.section("judged sets: good, wrong, unhelpful (tests/e2e/judging.py)")
    # Kept for `make docs` (scripts/measure/docs.py), merged with the sets not run this time.
    counted = json.loads(QUALITY_RESULTS.read_text(encoding="utf-8")) if QUALITY_RESULTS.exists() else {}
    today = datetime.date.today().isoformat()
    for (folder, lang), verdicts in sorted(QUALITY.items()):
        counts = {v: sum(1 for _, x, _ in verdicts if x == v) for v in ("good", "wrong", "unhelpful")}
        counted.setdefault(folder, {})[lang] = {"turns": len(verdicts), **counts, "date": today}
        follow_ups = [x for _, x, follows in verdicts if follows]
        terminalreporter.write_line(
            f"{folder} {lang}: {len(verdicts)} turns: good {counts['good']} ({counts['good'] / len(verdicts):.0%}), "
            f"wrong {counts['wrong']}, unhelpful {counts['unhelpful']}; follow-ups good "
            f"{sum(x == 'good' for x in follow_ups)}/{len(follow_ups)}"
        )
        for text, verdict, _ in verdicts:
            if verdict != "good":
                terminalreporter.write_line(f"    {verdict}: {text}")
    QUALITY_RESULTS.parent.mkdir(parents=True, exist_ok=True)
    QUALITY_RESULTS.write_text(json.dumps(counted, indent=1, sort_keys=True) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    """What `make run` runs (scripts/run/serve.py), on free ports with its own stores: its Rasa URL, its
    process, its output, its tracker store and its front (the page's origin, assistant/channel/front.py)."""
    workdir = tmp_path_factory.mktemp("make-run")
    rasa_port, web_port = free_port(), free_port()
    env = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "ACTION_PORT": str(free_port()),
        "RASA_PORT": str(rasa_port),
        "WEB_PORT": str(web_port),
        "REDIS_PORT": str(free_port()),
        "EDITOR_PORT": str(free_port()),
        "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "RUN_DIR": str(workdir / "run"),  # not there yet, as var/ in a fresh clone
        "UNANSWERED_LOG": str(workdir / "unanswered.jsonl"),
        "FEEDBACK_LOG": str(workdir / "feedback.jsonl"),
        "RASA_API_TOKEN": "",
        "LOCK_STORE_URL": "",
    }
    url = f"http://127.0.0.1:{rasa_port}"
    outer = Supervisor(workdir, env=env, cwd=ROOT)
    front = f"http://127.0.0.1:{web_port}"
    rasa_up, front_up = url_answers(f"{url}/"), url_answers(f"{front}/")  # the front starts after Rasa
    outer.start(
        Service("make-run", [sys.executable, "-m", "scripts.run.serve"], ready=lambda: rasa_up() and front_up())
    )
    try:
        yield url, outer.running["make-run"].process, outer.log_of("make-run"), workdir / "tracker.db", front
    finally:
        outer.stop_all()
