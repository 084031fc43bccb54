"""docs/benchmarks.md and its plot, from one run's figures: what was measured, the targets, and for a
missed target the measured parts it is made of. No figure here comes from anywhere but the run."""

from __future__ import annotations

import datetime
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from assistant import ROOT
from scripts.measure.bench.load import BURST_SCRIPT, ROUNDS, TURNS_PER_CONVERSATION, Burst, Load, percentile
from scripts.measure.bench.memory import SAMPLE_EVERY
from scripts.measure.bench.profile import ACTION_CALL, PARTS, RESULT_CHECK, TRACKER_LOAD, TRACKER_SAVE, WHOLE_TURN
from scripts.measure.markdown import table

# name: (limit, "max" or "min"); the first two from issue 16, the others from issue 4
TARGETS = {
    "answers/s at 10 conversations, this assistant / the starter bot": (2.0, "min"),
    "answer p50 at 10 conversations, this assistant / the starter bot": (0.6, "max"),
    "errors at 10 conversations": (0, "max"),
    "answer p50 / greeting p50, one conversation": (1.2, "max"),
    "cold training (s)": (120.0, "max"),
    "make run to first answer (s)": (30.0, "max"),
    "Rasa server peak memory (MB)": (1536.0, "max"),
    "turns neither answered nor refused in a burst": (0, "max"),  # issue 26: no reset, 200 or 503
    # issue 24: an editor's publication is what residents get within 2 s, on one server and in the cluster
    "publication to answer, make run, slowest of 5 (s)": (2.0, "max"),
    "publication to answer, cluster, slowest of 5 (s)": (2.0, "max"),
}


def met(name: str, measured: float) -> bool:
    limit, kind = TARGETS[name]
    return measured <= limit if kind == "max" else measured >= limit


@dataclass
class Run:
    """Everything one `make bench` measured."""

    results: Dict[str, float]  # the targets' measures, and a few more
    latency: Load  # this assistant, one conversation, answers and greetings interleaved
    loads: List[Load]  # this assistant by concurrency
    alongside: Load  # this assistant at 10 conversations, taking turns with the starter bot
    starter: Load  # the starter bot at 10 conversations
    cluster: Load  # the cluster at 10 conversations, through nginx
    profile: Dict[str, float]  # ms per answer turn by part
    training: List[Tuple[str, float]]  # seconds per component
    answer_turns: int  # how many answer turns the profile ran
    rasa_processes: List[float]  # the Rasa server's processes' peak resident sets (MB): Sanic's main, its workers
    burst: Burst  # many conversations at once


def _load_row(name: str, load: Load) -> List[str]:
    if not load.latencies.get("answer"):
        return [name, str(load.concurrency), "0", str(load.errors), "–", "–", "–", "–"]
    return [
        name,
        str(load.concurrency),
        str(load.ok()),
        str(load.errors),
        f"{load.per_second():.1f}",
        f"{load.p(50):.0f}",
        f"{load.p(95):.0f}",
        f"{load.p(99):.0f}",
    ]


def targets(run: Run) -> Dict:
    """The targets as measured, for `make docs` to write into the README: each measure with its limit."""
    return {
        "date": datetime.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "targets": {
            name: {
                "measured": round(run.results[name], 3),
                "limit": limit,
                "kind": kind,
                "met": met(name, run.results[name]),
            }
            for name, (limit, kind) in TARGETS.items()
        },
    }


def markdown(run: Run) -> str:
    r = run.results
    targets = table(
        ["measure", "measured", "target", ""],
        [
            [
                name,
                f"{r[name]:.2f}",
                f"{'≤' if kind == 'max' else '≥'} {limit:g}",
                "met" if met(name, r[name]) else "**missed**",
            ]
            for name, (limit, kind) in TARGETS.items()
        ],
    )
    side_by_side = table(
        ["server", "conversations", "answers", "errors", "answers/s", "p50", "p95", "p99"],
        [
            _load_row("this assistant (make run)", run.alongside),
            _load_row("Rasa's starter bot (rasa init)", run.starter),
            _load_row("this assistant, cluster of 2 behind nginx", run.cluster),
        ],
    )
    turns = table(
        ["turn", "turns", "p50", "p95", "p99"],
        [
            [
                kind,
                str(run.latency.ok(kind)),
                f"{run.latency.p(50, kind):.0f}",
                f"{run.latency.p(95, kind):.0f}",
                f"{run.latency.p(99, kind):.0f}",
            ]
            for kind in ("answer", "greeting")
            if run.latency.latencies.get(kind)
        ],
    )
    loads = table(
        ["conversations", "answers", "errors", "answers/s", "p50", "p95", "p99"],
        [_load_row("", load)[1:] for load in run.loads],
    )
    parts = [n for n in PARTS if n in run.profile]
    nodes = sorted((n for n in run.profile if n not in PARTS), key=lambda n: -run.profile[n])
    profile = table(["part", "ms per turn"], [[name, f"{run.profile[name]:.1f}"] for name in parts + nodes])
    training = table(["component", "s"], [[name, f"{seconds:.0f}"] for name, seconds in run.training])
    return f"""# Benchmarks

Written by `make bench` on {time.strftime("%Y-%m-%d")} on this machine ({os.cpu_count()} cores), over loopback,
every figure from this one run. This assistant runs as `make run` starts it (a throw-away SQLite tracker
store, two Sanic workers sharing a Redis lock store); Rasa's starter bot as `rasa init --no-prompt` makes it
(its own config, in-memory tracker store, no action server), on the same machine, both running, taking turns
at the load {ROUNDS} times (figures added up over the {ROUNDS}). Each turn goes on a new connection, as a
resident's browser sends it. Each conversation sends {TURNS_PER_CONVERSATION} turns, then a new one starts.
This assistant's answer turns are the held-out questions (tests/heldout/), its greetings the test split's
(tests/nlu/); the starter bot's turns are its own training examples. Speeds differ from machine to machine
and day to day: compare the ratios.

## Targets

{targets}
## Side by side, 10 concurrent conversations (latency in ms)

The cluster was measured after the two, on its own.

{side_by_side}
## This assistant: one conversation at a time, answers and greetings interleaved (ms)

{turns}
## This assistant: answer turns by concurrent conversations (latency in ms)

{loads}
![Latency against concurrency](benchmark-latency.png)

## Where a turn's time goes (ms per turn, {run.answer_turns} answer turns in one process)

Each node of the model's graph, timed around its call; the nodes run one after another, and the whole
turn includes the tracker store and Rasa's own work between them.

{profile}
## A burst of {len(run.burst.conversations)} conversations at once

{_burst(run)}
## Memory

{_memory(run)}
## Cold training, seconds per component (`rasa train --force`, empty cache)

{training}{_missed(run)}"""


def _burst(run: Run) -> str:
    channel = yaml.safe_load((ROOT / "credentials.yml").read_text())["assistant.channel.rest_channel.ResidentRestInput"]
    workers = max(len(run.rasa_processes) - 1, 1)
    turns, answered, refused = run.burst.turns(), run.burst.turns(200), run.burst.turns(503)
    seconds = sorted(t.seconds for t in answered)
    counts = table(
        ["turns", "answered", "refused (503)", "neither", "answered p50", "p99", "refused p99"],
        [
            [
                str(len(turns)),
                str(len(answered)),
                f"{len(refused)} ({len(refused) / len(turns):.0%})",
                str(len(run.burst.failed())),
                f"{1000 * percentile(seconds, 50):.0f}" if seconds else "–",
                f"{1000 * percentile(seconds, 99):.0f}" if seconds else "–",
                f"{1000 * percentile([t.seconds for t in refused], 99):.0f}" if refused else "–",
            ]
        ],
    )
    return (
        f"Each conversation sends {len(BURST_SCRIPT)} turns one after another, all starting at once, and "
        f"sends a refused turn no more. The bound (credentials.yml): each of the {workers} Sanic workers "
        f"takes {channel['turns_at_once']} turns into the dialogue at once and lets "
        f"{channel['turns_waiting']} wait; past that, 503 with Retry-After {channel['retry_after']} s. "
        f"Latency in ms; the burst took {run.burst.elapsed:.0f} s.\n\n{counts}"
    )


def _memory(run: Run) -> str:
    r = run.results
    peaks = ", ".join(f"{mb:.0f}" for mb in run.rasa_processes)
    return f"""The Rasa server runs in {len(run.rasa_processes)} processes: Sanic's main process and its workers, forked
from it, each of which loads its own copy of the model. What none of them has written since the fork
(the code and modules imported before it, and the NLU components' data, which the main process
loads for them) is one copy in RAM, which each process's resident set counts
again. The target's measure is therefore the peak of the sum of the processes' proportional set sizes
(Pss: a shared page divided among the processes sharing it), sampled every
{SAMPLE_EVERY:g} s from the first latency turn to the end of the 50-conversation load:
**{r["Rasa server peak memory (MB)"]:.0f} MB**. Each process's own peak resident set (VmHWM) is
{peaks} MB, {sum(run.rasa_processes):.0f} MB together, which counts the shared pages in every process.
The action server's peak Pss: {r["action server peak memory (MB)"]:.0f} MB.
"""


def _missed(run: Run) -> str:
    """For each missed target, the measured parts it is made of."""
    r, p = run.results, run.profile
    notes = []
    if not met(
        "answers/s at 10 conversations, this assistant / the starter bot",
        r["answers/s at 10 conversations, this assistant / the starter bot"],
    ):
        store = p.get(TRACKER_LOAD, 0.0) + p.get(TRACKER_SAVE, 0.0)
        workers = max(len(run.rasa_processes) - 1, 1)  # Sanic's main process answers nothing itself
        notes.append(
            f"**Throughput.** A turn costs {p[WHOLE_TURN]:.1f} ms in process: the tracker store {store:.1f} ms, the "
            f"action call {p.get(ACTION_CALL, 0.0):.1f} ms (of which Rasa's check of the result "
            f"{p.get(RESULT_CHECK, 0.0):.1f} ms), the graph's nodes as listed above. Each of the {workers} Sanic "
            f"workers runs one turn at a time, so together they top out near {workers * 1000 / p[WHOLE_TURN]:.0f} "
            f"answers/s, less what the action server, Redis and the load itself take of the machine's "
            f"{os.cpu_count()} cores; the starter bot gave {run.starter.per_second():.1f}. Twice that needs at "
            f"most {workers * 500 / run.starter.per_second():.0f} ms of a worker's time per answer.\n"
        )
    memory = "Rasa server peak memory (MB)"
    if not met(memory, r[memory]):
        notes.append(
            f"**Memory.** {r[memory]:.0f} MB (see Memory above): each worker holds its own copy of the "
            "model; SANIC_WORKERS sets how many there are.\n"
        )
    for name in TARGETS:
        if name.startswith("answers/s at 10") or name == memory or met(name, r[name]):
            continue
        notes.append(f"**{name}**: {r[name]:.2f}, target {TARGETS[name][0]:g}; the tables above show its parts.\n")
    return "\n## Missed targets, and what they are made of\n\n" + "\n".join(notes) if notes else ""


def plot(loads: List[Load], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    loads = [load for load in loads if load.latencies.get("answer")]
    levels = [load.concurrency for load in loads]
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for percent, style in ((50, "o-"), (95, "s--"), (99, "^:")):
        axes.plot(levels, [load.p(percent) for load in loads], style, label=f"p{percent}")
    axes.set_xscale("log")
    axes.set_xticks(levels, [str(c) for c in levels])
    axes.set_xlabel("concurrent conversations")
    axes.set_ylabel("answer turn latency (ms)")
    axes.set_title("Answer latency against concurrency (make bench)")
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
