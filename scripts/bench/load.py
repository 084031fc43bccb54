"""The load: conversations of a few turns each, sent at a given concurrency over HTTP to a REST
channel, and what came back: each answered turn's latency, the errors, the time it all took."""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Tuple

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
        return cls(loads[0].concurrency, latencies, sum(l.errors for l in loads), sum(l.elapsed for l in loads))


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


async def drive(webhook: str, concurrency: int, turns: Iterator[Tuple[str, Question]], budget: int,
                progress: Progress) -> Load:
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
    # conversation to the Sanic worker that accepted it: in one run, three loads of 10 kept-alive
    # conversations gave 28, 37 and 63 answers/s, and three with a connection per turn 42, 49 and 54.
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=True)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(conversation(session) for _ in range(concurrency)))
    load.elapsed = time.monotonic() - began
    return load


def run(webhook: str, concurrency: int, turns: Iterator[Tuple[str, Question]], budget: int,
        progress: Progress) -> Load:
    return asyncio.run(drive(webhook, concurrency, turns, budget, progress))
