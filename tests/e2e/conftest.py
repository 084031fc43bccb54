"""Starts the action server and the Rasa server (REST channel) for the end-to-end tests.

They run on their own ports with their own SQLite tracker store, so a `make run` beside them is
not disturbed. Needs the trained model (make train).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "assistant.tar.gz"
RASA = Path(sys.executable).parent / "rasa"
START_TIMEOUT = 180


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not up after {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")


class Servers:
    """The servers as `make run` starts them, on test ports; the Rasa server can be restarted."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.action_port, self.rasa_port, self.web_port = free_port(), free_port(), free_port()
        self.rasa_url = f"http://127.0.0.1:{self.rasa_port}"
        self.page_url = f"http://127.0.0.1:{self.web_port}/"
        self.endpoints = workdir / "endpoints.yml"
        self.endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{self.action_port}/webhook"\n'
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {workdir / 'tracker.db'}\n"
        )
        self.env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
        self.actions = self._start(
            "actions", ["run", "actions", "--actions", "actions", "--port", str(self.action_port)]
        )
        self.rasa: Optional[subprocess.Popen] = None
        self.start_rasa()
        wait_until_up(f"http://127.0.0.1:{self.action_port}/health", self.actions, workdir / "actions.log")
        # The widget's page as make run serves it, pointed at this Rasa server.
        site = workdir / "web"
        shutil.copytree(ROOT / "web", site)
        index = site / "index.html"
        index.write_text(index.read_text().replace("http://localhost:5005", self.rasa_url))
        web_log = open(workdir / "web.log", "ab")
        self.web = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(self.web_port), "--bind", "127.0.0.1", "--directory", str(site)],
            stdout=web_log,
            stderr=subprocess.STDOUT,
        )
        wait_until_up(self.page_url, self.web, workdir / "web.log")

    def _start(self, name: str, args: List[str]) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "ab")
        return subprocess.Popen(
            [str(RASA), *args], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def start_rasa(self) -> None:
        self.rasa = self._start(
            "rasa",
            [
                "run",
                "--model",
                str(MODEL),
                "--port",
                str(self.rasa_port),
                "--endpoints",
                str(self.endpoints),
                "--credentials",
                str(ROOT / "credentials.yml"),
                "--cors",
                f"http://127.0.0.1:{self.web_port}",
            ],
        )
        wait_until_up(f"http://127.0.0.1:{self.rasa_port}/", self.rasa, self.workdir / "rasa.log")

    def restart_rasa(self) -> None:
        self.rasa.terminate()
        self.rasa.wait(timeout=60)
        self.start_rasa()

    def stop(self) -> None:
        for process in (self.rasa, self.actions, self.web):
            process.terminate()
        for process in (self.rasa, self.actions, self.web):
            process.wait(timeout=60)

    def ask(self, sender: str, text: str, metadata: Optional[Dict] = None) -> List[Dict]:
        body = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        url = f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook"
        response = requests.post(url, json=body, timeout=30)
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


HELDOUT_SCORES: Dict[str, Dict] = {}


@pytest.fixture(scope="session")
def heldout_scores() -> Dict[str, Dict]:
    """Where the held-out test leaves its scores, for the summary below."""
    return HELDOUT_SCORES


def pytest_terminal_summary(terminalreporter):
    if not HELDOUT_SCORES:
        return
    terminalreporter.section("held-out questions: answered right, in the question's language")
    for lang, s in sorted(HELDOUT_SCORES.items()):
        terminalreporter.write_line(
            f"{lang}: {s['right']}/{s['total']} = {s['score']:.1%} (target {s['target']:.0%})"
        )
        for text in s["wrong"]:
            terminalreporter.write_line(f"    wrong: {text}")
