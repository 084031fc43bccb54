"""The load: conversations of a few turns each, sent at a given concurrency over HTTP to a REST
channel, and what came back: each answered turn's latency, the errors, the time it all took."""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

REQUEST_TIMEOUT = 10  # seconds; a turn that takes longer counts as an error
PHASE_LIMIT = 90  # seconds per measuring phase, whatever the request budget says
TURNS_PER_CONVERSATION = 5  # a resident's visit; then a new sender, as a new resident
ROUNDS = 5  # times two servers compared side by side take turns at the load

Question = Tuple[Optional[str], str]  # (language for the metadata, or None; text)


def percentile(values: List[float], p: float) -> float:
    """The p-th percentile by linear interpolation between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Load:
    """The outcome of one measuring phase."""

    concurrency: int
    latencies: Dict[str, List[float]] = field(default_factory=dict)  # kind of turn -> seconds
    errors: int = 0
    elapsed: float = 0.0

    def ok(self, kind: str = "answer") -> int:
        return len(self.latencies.get(kind, []))

    def per_second(self, kind: str = "answer") -> float:
        return self.ok(kind) / self.elapsed if self.elapsed else 0.0

    def p(self, percent: float, kind: str = "answer") -> float:
        """The latency percentile of this kind of turn, in ms."""
        return 1000 * percentile(self.latencies[kind], percent)

    @classmethod
    def pooled(cls, loads: List["Load"]) -> "Load":
        """Several phases at one concurrency as one: their turns, errors and time added up."""
        latencies: Dict[str, List[float]] = {}
        for load in loads:
            for kind, seconds in load.latencies.items():
                latencies.setdefault(kind, []).extend(seconds)
        return cls(
            loads[0].concurrency, latencies, sum(load.errors for load in loads), sum(load.elapsed for load in loads)
        )


class Progress:
    def __init__(self, phases: int):
        self.phases, self.phase, self.tty = phases, 0, sys.stdout.isatty()

    def start(self, title: str) -> None:
        self.phase += 1
        self.title = f"[{self.phase}/{self.phases}] {title}"
        print(self.title, end="" if self.tty else "\n", flush=True)

    def update(self, done: int, total: int) -> None:
        if self.tty:
            print(f"\r{self.title}: {done}/{total}", end="", flush=True)

    def finish(self, summary: str) -> None:
        print(f"\r{self.title}: {summary}" if self.tty else f"    {summary}", flush=True)


def message(sender: str, question: Question) -> dict:
    lang, text = question
    body = {"sender": sender, "message": text}
    if lang:
        body["metadata"] = {"language": lang}  # as the widget sends it once a language is chosen
    return body


async def drive(
    webhook: str, concurrency: int, turns: Iterator[Tuple[str, Question]], budget: int, progress: Progress
) -> Load:
    """`concurrency` conversations at once send `budget` turns (kind, question) in all to `webhook`;
    a turn counts as answered when a reply with text comes back."""
    import aiohttp

    load = Load(concurrency)
    sent = 0
    deadline = time.monotonic() + PHASE_LIMIT
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)

    async def conversation(session: aiohttp.ClientSession) -> None:
        nonlocal sent
        while sent < budget and time.monotonic() < deadline:
            sender = f"bench-{uuid.uuid4().hex}"
            for _ in range(TURNS_PER_CONVERSATION):
                if sent >= budget or time.monotonic() >= deadline:
                    return
                sent += 1
                kind, question = next(turns)
                began = time.monotonic()
                try:
                    async with session.post(webhook, json=message(sender, question)) as response:
                        replies = await response.json() if response.status == 200 else []
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    replies = []
                if any("text" in r for r in replies):
                    load.latencies.setdefault(kind, []).append(time.monotonic() - began)
                else:
                    load.errors += 1
                progress.update(sent, budget)

    began = time.monotonic()
    # Each turn on a new connection, as a resident's browser sends it: residents take longer than the
    # 5 s for which Sanic keeps an idle connection. Kept-alive connections would also pin each
    # conversation to the Sanic worker that accepted it, and the speed would vary with how they fell
    # (the figures are in the commit that chose this).
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=True)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(conversation(session) for _ in range(concurrency)))
    load.elapsed = time.monotonic() - began
    return load


def run(webhook: str, concurrency: int, turns: Iterator[Tuple[str, Question]], budget: int, progress: Progress) -> Load:
    return asyncio.run(drive(webhook, concurrency, turns, budget, progress))


# A burst: many conversations arriving at once (tests/e2e/test_overload.py, `make bench`)
BURST_SCRIPT = ["Mikä on ECHA?", "kuinka moni siellä työskentelee?", "kiitos"]
BURST_TIMEOUT = 120  # seconds for one turn: one let in waits for at most the bound's turns before it
BURST_LIMIT = 600  # seconds for the whole burst


@dataclass(frozen=True)
class Outcome:
    """One turn of a burst: its text, its HTTP status or the client's error, Retry-After, the body."""

    text: str
    status: Union[int, str]
    retry_after: Optional[str]
    body: Any
    seconds: float


@dataclass
class Burst:
    conversations: List[Tuple[str, List[Outcome]]]  # (sender, its turns)
    elapsed: float

    def turns(self, status: Union[int, str, None] = None) -> List[Outcome]:
        return [t for _, ts in self.conversations for t in ts if status is None or t.status == status]

    def failed(self) -> List[Outcome]:
        """Turns neither answered (200) nor refused (503): a reset, a refused connection, a time-out."""
        return [t for t in self.turns() if t.status not in (200, 503)]


async def _burst(webhook: str, conversations: int, script: List[str], lang: str) -> Burst:
    import aiohttp

    async def conversation(session: aiohttp.ClientSession) -> Tuple[str, List[Outcome]]:
        sender = f"burst-{uuid.uuid4().hex}"
        outcomes = []
        for text in script:
            began = time.monotonic()
            body = {"sender": sender, "message": text, "metadata": {"page_language": lang}}
            try:
                async with session.post(webhook, json=body) as response:
                    content = await response.text()
                    try:
                        content = json.loads(content)
                    except ValueError:  # a proxy's error page, say: kept as text
                        pass
                    outcomes.append(
                        Outcome(
                            text,
                            response.status,
                            response.headers.get("Retry-After"),
                            content,
                            time.monotonic() - began,
                        )
                    )
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                outcomes.append(Outcome(text, type(error).__name__, None, repr(error), time.monotonic() - began))
        return sender, outcomes

    began = time.monotonic()
    connector = aiohttp.TCPConnector(limit=0, force_close=True)  # every conversation connects at once
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=BURST_TIMEOUT), connector=connector
    ) as session:
        done = await asyncio.wait_for(
            asyncio.gather(*(conversation(session) for _ in range(conversations))), BURST_LIMIT
        )
    return Burst(list(done), time.monotonic() - began)


def burst(webhook: str, conversations: int = 1000, script: List[str] = BURST_SCRIPT, lang: str = "fi") -> Burst:
    """`conversations` conversations at once, each sending the script's turns one after another, with
    the page's language; a refused turn is not sent again."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # a socket each, at once
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4 * conversations)), hard))
    return asyncio.run(_burst(webhook, conversations, script, lang))
