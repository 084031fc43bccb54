"""`make shell` (scripts/run/shell) in a terminal, as a developer uses it: its first screen is Rasa's
prompt, with no other package's warnings; a question is answered with its sources as plain text under
the answer, not as the custom message's JSON; /stop ends it with its action server."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from typing import Callable, Dict

import pytest

from assistant.answering.render import messages, show_date
from assistant.knowledge import factbase
from tests.helpers import LOOPBACK, ROOT, free_port, listening_sockets

MODEL = ROOT / "models" / "assistant.tar.gz"
PROMPT = "Your input ->"
QUESTION = "mikä on echa"  # ECHA, the EU's chemicals agency in Helsinki
# Terminal control sequences (colours, cursor moves) and prompt_toolkit's carriage returns.
CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r")


class Terminal:
    """A command in a pseudo-terminal of its own: what it prints, and keys typed to it."""

    def __init__(self, command, env, cwd):
        self.main, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
        self.process = subprocess.Popen(
            command, stdin=follower, stdout=follower, stderr=follower, env=env, cwd=cwd, start_new_session=True
        )
        os.close(follower)
        self.raw = b""

    def screen(self) -> str:
        return CONTROL.sub("", self.raw.decode("utf-8", errors="replace"))

    def wait_until(self, done: Callable[[str], bool], what: str, timeout: float = 180) -> str:
        """Reads until the screen is `done`; the screen."""
        end = time.monotonic() + timeout
        while not done(self.screen()):
            if not self.read(end - time.monotonic()):
                raise AssertionError(f"{what}: not printed within {timeout} s\n{self.screen()}")
        return self.screen()

    def read(self, timeout: float) -> bool:
        if timeout <= 0 or not select.select([self.main], [], [], timeout)[0]:
            return False
        try:
            chunk = os.read(self.main, 65536)
        except OSError:  # the command ended and its terminal closed
            return False
        self.raw += chunk
        return bool(chunk)

    def type(self, line: str) -> None:
        os.write(self.main, line.encode() + b"\r")

    def close(self) -> None:
        """Ends what is left of the command and of what it started (its session's process group)."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        os.close(self.main)


def prompted(screen: str) -> bool:
    """The shell waits for a message: its last line is the empty prompt."""
    lines = screen.rstrip().splitlines()
    return bool(lines) and lines[-1].strip() == PROMPT


@pytest.fixture(scope="module")
def ports() -> Dict[str, int]:
    return {"ACTION_PORT": free_port(), "RASA_PORT": free_port()}


@pytest.fixture(scope="module")
def shell(tmp_path_factory, ports):
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first")
    workdir = tmp_path_factory.mktemp("shell")
    env = {
        **os.environ,
        **{name: str(port) for name, port in ports.items()},
        "RUN_DIR": str(workdir),
        "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "LOCK_STORE_URL": "",
        "UNANSWERED_LOG": str(workdir / "unanswered.jsonl"),
        "FEEDBACK_LOG": str(workdir / "feedback.jsonl"),
        "TERM": "xterm",
        # This terminal does not answer where its cursor is, as prompt_toolkit would ask.
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    env.pop("LOG_LEVEL", None)  # the shell's own default
    terminal = Terminal([str(ROOT / "scripts" / "run" / "shell")], env, ROOT)
    yield terminal
    terminal.close()


@pytest.fixture(scope="module")
def conversation(shell, ports) -> Dict:
    """The first screen, up to the prompt; a question about ECHA answered, up to the next prompt; how the
    shell ended after /stop; the addresses its Rasa server listened on."""
    first = shell.wait_until(prompted, "the first prompt")
    listening = [address for address, port, _ in listening_sockets() if port == ports["RASA_PORT"]]
    shell.type(QUESTION)
    shell.wait_until(lambda screen: QUESTION in screen[len(first) :], "the question typed")
    answered = shell.wait_until(prompted, "the answer and the next prompt", timeout=60)
    shell.type("/stop")
    try:
        status = shell.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        status = None
    while shell.read(1):  # what it printed as it ended
        pass
    screen = shell.screen()
    return {"first": first, "answer": answered[len(first) :], "all": screen, "ended": status, "listening": listening}


def test_the_first_screen_is_the_prompt(conversation):
    lines = [line.strip() for line in conversation["first"].splitlines() if line.strip()]
    assert lines == ["Bot loaded. Type a message and press enter (use '/stop' to exit):", PROMPT]


def test_no_other_packages_warnings(conversation):
    screen = conversation["all"]
    assert not re.search(r"Warning\b|site-packages|pkg_resources", screen), screen


def test_the_answer_is_followed_by_its_sources_in_plain_text(conversation):
    kb = factbase.current()
    echa = kb.facts["echa"]
    source = kb.sources[echa.source]
    answer = conversation["answer"]
    assert "ECHA" in echa.text["fi"] and echa.text["fi"] in answer, answer
    cited = f"{messages()['source']['fi'].split('{')[0]}{source.publisher['fi']}: "
    caption = [line for line in answer.splitlines() if line.startswith(cited)]
    assert caption and show_date(source.when, "fi") in caption[0], answer
    assert answer.index(echa.text["fi"]) < answer.index(caption[0])


def test_no_json(conversation):
    screen = conversation["all"]
    assert "Custom json" not in screen
    assert not re.search(r'"(answer|language|facts|sources|note|text)":', screen), screen
    assert not re.search(r"\b[0-9a-f]{32}\b", screen)  # the answer's id, which only the widget needs


def test_stop_ends_the_shell_and_its_action_server(conversation, ports):
    assert conversation["ended"] == 0, conversation["all"]
    deadline = time.monotonic() + 30
    while any(port == ports["ACTION_PORT"] for _, port, _ in listening_sockets()):
        assert time.monotonic() < deadline, "the action server outlived the shell"
        time.sleep(0.5)


def test_the_shells_rasa_server_listens_on_loopback_only(conversation):
    assert conversation["listening"] == [LOOPBACK]
