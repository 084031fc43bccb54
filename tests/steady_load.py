"""A steady load of conversations through a front port (make run's, or the cluster's nginx), kept up
while a test kills one of the servers behind it, and the checks on every turn it sent: what the fault
tests of tests/e2e/ and tests/cluster/ share."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Union

import requests

from assistant.answering.render import say
from tests.helpers import fact, text_of

BACK_WITHIN = 30  # seconds for full service to come back after a kill


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(0.2)


@dataclass
class Turn:
    text: str
    status: Union[int, str]  # the HTTP status, or the client's error
    retry_after: Optional[str]
    reply: str  # what the resident reads, or the error's body
    sent: float  # time.monotonic()
    message_id: str


class SteadyLoad:
    """Conversations through the front, as the widget sends them: each asks what ECHA is, then again and
    again how many work there, until stopped. A message refused with 503 is sent again with its id, as
    the widget does, until answered."""

    OPENING, FOLLOW_UP = "mikä on echa", "kuinka moni siellä työskentelee"

    def __init__(self, front: str, conversations: int = 10):
        self.webhook = f"{front}/webhooks/rest/webhook"
        self.turns: Dict[str, List[Turn]] = {f"steady-{uuid.uuid4().hex[:10]}": [] for _ in range(conversations)}
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._converse, args=(s,), daemon=True) for s in self.turns]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        wait_for(
            lambda: all(any(t.status == 200 for t in turns) for turns in self.turns.values()),
            BACK_WITHIN,
            "every conversation opened",
        )
        return self

    def __exit__(self, *_):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)

    def _converse(self, sender: str) -> None:
        turns = self.turns[sender]
        while not self.stop.is_set():
            opened = any(t.text == self.OPENING and t.status == 200 for t in turns)
            text, message_id = (self.FOLLOW_UP if opened else self.OPENING), uuid.uuid4().hex
            given_up = time.monotonic() + 2 * BACK_WITHIN
            while time.monotonic() < given_up:
                sent = time.monotonic()
                try:
                    response = requests.post(
                        self.webhook,
                        json={
                            "sender": sender,
                            "message": text,
                            "message_id": message_id,
                            "metadata": {"page_language": "fi"},
                        },
                        timeout=60,
                    )
                    reply = text_of(response.json()) if response.status_code == 200 else response.text
                    turns.append(
                        Turn(text, response.status_code, response.headers.get("Retry-After"), reply, sent, message_id)
                    )
                    if response.status_code != 503:
                        break
                except (requests.RequestException, ValueError) as error:
                    turns.append(Turn(text, type(error).__name__, None, repr(error), sent, message_id))
                    break
                time.sleep(0.5)
            time.sleep(0.2)

    def real_answers_since(self, moment: float) -> bool:
        """Whether every conversation has had three answers with facts, all sent after `moment`."""
        return all(
            sum(1 for t in turns if t.sent > moment and t.status == 200 and t.reply != say("no_answer", "fi")) >= 3
            for turns in self.turns.values()
        )

    def after_kill(self, kill: Callable[[], None]) -> float:
        """Kill, wait until full service is back (or fail), and return when the kill was."""
        kill()
        killed_at = time.monotonic()
        try:
            wait_for(lambda: self.real_answers_since(killed_at + 0.5), BACK_WITHIN + 15, "full service again")
        finally:
            for sender, turns in self.turns.items():  # shown if the test fails
                print(
                    sender,
                    [(round(t.sent - killed_at, 1), t.status, t.reply[:30]) for t in turns if t.sent > killed_at - 1],
                )
        return killed_at

    def check(self, killed_at: float, stored_user_texts: Callable[[str], List[str]]) -> None:
        """Every turn got 200 (its answer, in its conversation's context, or "technical problem" while
        the action server is away) or 503 with Retry-After, never a reset or another error; full service
        was back within 30 s; the tracker store holds each message answered once, sent again after a
        503 or not, and no other."""
        turns = [t for ts in self.turns.values() for t in ts]
        failed = [t for t in turns if t.status not in (200, 503)]
        assert not failed, f"{len(failed)} of {len(turns)} turns neither answered nor refused; the first: {failed[0]}"
        assert all(t.retry_after and t.retry_after.isdigit() for t in turns if t.status == 503)
        staff, polite = fact("echa_staff", "fi"), say("no_answer", "fi")
        out_of_context = [
            t
            for t in turns
            if t.status == 200 and t.text == self.FOLLOW_UP and staff not in t.reply and t.reply != polite
        ]
        assert not out_of_context, f"answered without the conversation's context: {out_of_context[0]}"
        last_failure = max((t.sent for t in turns if t.status != 200 or t.reply == polite), default=killed_at)
        assert last_failure - killed_at < BACK_WITHIN, (
            f"full service back {last_failure - killed_at:.0f} s after the kill"
        )
        for sender, ts in self.turns.items():
            answered = [t for t in ts if t.status == 200]
            assert stored_user_texts(sender) == [t.text for t in answered], sender
            assert len({t.message_id for t in answered}) == len(answered)  # each once
