"""`make bench`: this assistant's speed and cost on this machine, beside Rasa's own starter bot,
measured over loopback in one run (the parts are in scripts/measure/bench/).

1. `make run` with a throw-away tracker store: the time to its first answer; latency of answers and
   greetings, interleaved, one conversation at a time; answer throughput at 1, 10 and 50 concurrent
   conversations; the servers' peak memory; a burst of 1,000 conversations at once, answered or
   refused with 503 past the REST channel's bound; where an answer turn's time goes, in this process;
   how long after an editor's publication residents get it (scripts/measure/bench/publishing.py).
2. Rasa's starter bot (`rasa init --no-prompt`, trained once and kept in var/bench/starter/), started
   beside it: answer throughput at 10 concurrent conversations, the two taking turns.
3. The cluster of `make run-cluster` (two Rasa servers behind nginx): the same, through nginx, and
   how long after a publication both servers' residents get it.
4. A cold training (empty cache).

Every phase is bounded in requests and in time. Prints the targets and writes docs/benchmarks.md with a
plot of latency against concurrency.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from assistant import ROOT
from assistant.knowledge.facts import LANGUAGES
from scripts.measure.bench import load, memory, profile, publishing, report, servers
from scripts.measure.bench.load import ROUNDS, Load, Progress, Question

DOCS = ROOT / "docs"
LATENCY_TURNS = 150  # of each kind, at one conversation at a time
CONCURRENCY = {1: 100, 10: 500, 50: 1000}  # concurrent conversations: answer turns sent
SIDE_BY_SIDE = 500  # answer turns at 10 conversations, for the starter bot and the cluster
BURST = 1000  # conversations at once


def answer_questions() -> List[Question]:
    """The held-out questions that open a conversation and get a fact as answer."""
    questions = []
    for lang in LANGUAGES:
        for item in yaml.safe_load((ROOT / "tests" / "heldout" / f"{lang}.yml").read_text(encoding="utf-8")):
            if item.get("facts") and not item.get("before"):
                questions.append((lang, item["text"]))
    return questions


def greetings() -> List[Question]:
    """The greetings in the NLU test split."""
    found = []
    for lang in LANGUAGES:
        data = yaml.safe_load((ROOT / "tests" / "nlu" / f"test_split_{lang}.yml").read_text(encoding="utf-8"))
        for block in data["nlu"]:
            if block["intent"] == "greet":
                found += [(lang, line.lstrip("- ").strip()) for line in block["examples"].splitlines() if line.strip()]
    return found


def answers_only(questions: List[Question]):
    return (("answer", q) for q in itertools.cycle(questions))


def side_by_side(
    assistant: servers.Running, starter: servers.Running, answers: List[Question], progress: Progress
) -> Tuple[Load, Load]:
    """This assistant and the starter bot at 10 conversations, taking turns ROUNDS times, so that a
    machine that speeds up or slows down during the run does so for both: measured one after the
    other, the same code ran much faster in one run than in the next."""
    ours, theirs = [], []
    assistant_turns, starter_turns = answers_only(answers), answers_only(servers.starter_questions())
    for _ in range(ROUNDS):
        ours.append(load.run(assistant.webhook, 10, assistant_turns, SIDE_BY_SIDE // ROUNDS, progress))
        theirs.append(load.run(starter.webhook, 10, starter_turns, SIDE_BY_SIDE // ROUNDS, progress))
    return Load.pooled(ours), Load.pooled(theirs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "assistant.tar.gz")
    args = parser.parse_args()
    answers, hellos = answer_questions(), greetings()
    progress = Progress(phases=9 + len(CONCURRENCY))
    results: Dict[str, float] = {}

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        progress.start("make run, until the first answer")
        assistant = servers.assistant(workdir, answers[0])
        try:
            results["make run to first answer (s)"] = assistant.started_in
            progress.finish(f"{assistant.started_in:.1f} s")

            rasa_pid, action_pid = servers.rasa_pid(assistant), servers.action_server_pid(assistant)
            with memory.PeakSampler(rasa_pid) as rasa_memory, memory.PeakSampler(action_pid) as action_memory:
                progress.start("latency, answers and greetings interleaved")
                mixed = itertools.chain.from_iterable(
                    zip(answers_only(answers), (("greeting", g) for g in itertools.cycle(hellos)))
                )
                latency = load.run(assistant.webhook, 1, mixed, 2 * LATENCY_TURNS, progress)
                results["answer p50 / greeting p50, one conversation"] = latency.p(50) / latency.p(50, "greeting")
                progress.finish(
                    f"answer p50 / greeting p50 = {results['answer p50 / greeting p50, one conversation']:.2f}"
                )

                loads = []
                for concurrency, budget in CONCURRENCY.items():
                    progress.start(f"throughput, {concurrency} concurrent conversations")
                    loads.append(load.run(assistant.webhook, concurrency, answers_only(answers), budget, progress))
                    progress.finish(f"{loads[-1].per_second():.1f} answers/s, {loads[-1].errors} errors")
            progress.start(f"a burst of {BURST} conversations at once")
            burst = load.burst(assistant.webhook, BURST)
            results["turns neither answered nor refused in a burst"] = len(burst.failed())
            progress.finish(
                f"{len(burst.turns(200))} turns answered, {len(burst.turns(503))} refused, "
                f"{len(burst.failed())} neither"
            )
            results["Rasa server peak memory (MB)"] = rasa_memory.peak
            results["action server peak memory (MB)"] = action_memory.peak
            rasa_peaks = memory.peak_resident_mb(rasa_pid)

            progress.start("Rasa's starter bot and this assistant, taking turns at 10 conversations")
            starter = servers.starter(workdir)
            try:
                alongside, starter_load = side_by_side(assistant, starter, answers, progress)
            finally:
                starter.stop()
            progress.finish(
                f"{alongside.per_second():.1f} against {starter_load.per_second():.1f} answers/s, "
                f"{alongside.errors} and {starter_load.errors} errors"
            )

            progress.start("where a turn's time goes")
            costs = profile.component_profile(answers, args.model, assistant.action_url, workdir)
            progress.finish(f"{costs[profile.WHOLE_TURN]:.1f} ms per answer turn in process")

            progress.start("from an editor's publication to a resident's answer")
            published = publishing.seconds_to_answer(assistant.webhook, assistant.database_url)
            results["publication to answer, make run, slowest of 5 (s)"] = max(published)
            progress.finish(", ".join(f"{s:.2f}" for s in published) + " s")
        finally:
            assistant.stop()

        progress.start("the cluster through nginx, 10 concurrent conversations")
        cluster = servers.cluster(workdir, answers[0])
        try:
            cluster_load = load.run(cluster.webhook, 10, answers_only(answers), SIDE_BY_SIDE, progress)
            progress.finish(f"{cluster_load.per_second():.1f} answers/s, {cluster_load.errors} errors")
            progress.start("the cluster, from an editor's publication to a resident's answer")
            published = publishing.seconds_to_answer(cluster.webhook, cluster.database_url)
            results["publication to answer, cluster, slowest of 5 (s)"] = max(published)
            progress.finish(", ".join(f"{s:.2f}" for s in published) + " s")
        finally:
            cluster.stop()

        progress.start("cold training")
        results["cold training (s)"], training = profile.cold_training(workdir)
        progress.finish(f"{results['cold training (s)']:.0f} s")

    at_ten = next(run for run in loads if run.concurrency == 10)
    results["errors at 10 conversations"] = at_ten.errors + alongside.errors
    results["answers/s at 10 conversations, this assistant / the starter bot"] = (
        alongside.per_second() / starter_load.per_second() if starter_load.per_second() else 0.0
    )
    results["answer p50 at 10 conversations, this assistant / the starter bot"] = (
        alongside.p(50) / starter_load.p(50) if starter_load.ok() and alongside.ok() else float("inf")
    )
    run = report.Run(
        results, latency, loads, alongside, starter_load, cluster_load, costs, training, len(answers), rasa_peaks, burst
    )
    DOCS.mkdir(exist_ok=True)
    report.plot(loads, DOCS / "benchmark-latency.png")
    text = report.markdown(run)
    (DOCS / "benchmarks.md").write_text(text, encoding="utf-8")
    (DOCS / "benchmarks.json").write_text(json.dumps(report.targets(run), indent=1) + "\n", encoding="utf-8")
    print()
    print(text.split("## Targets")[1].split("## This assistant: one")[0].strip())
    missed = [name for name in report.TARGETS if not report.met(name, results[name])]
    print(f"\nTargets missed: {', '.join(missed)}" if missed else "\nAll targets met.")
    print("Written: docs/benchmarks.md, docs/benchmarks.json, docs/benchmark-latency.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
