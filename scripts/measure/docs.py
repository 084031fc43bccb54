"""`make docs`: the measured figures into docs/ and the README, so each is written by what measured it.

- From results/ (what the last `make test` measured): the understanding report of `make eval`
  (evaluation.md, evaluation.json and the confusion matrices), the judged sets' counts (quality.json,
  written by tests/e2e/) and the steps' durations (durations.json, scripts/measure/timed.py) are copied
  into docs/; docs/quality.md is written from the counts.
- docs/benchmarks.json is `make bench`'s own.
- The README's generated blocks, between `<!-- make docs: NAME -->` and `<!-- end -->`, are written
  from those files; tests/test_readme.py fails when a block differs from what they give.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Callable, Dict, List, Optional

from assistant import ROOT
from assistant.knowledge.facts import LANGUAGES
from scripts.measure.evaluate import TARGET
from scripts.measure.markdown import table

DOCS = ROOT / "docs"
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- make docs: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- end -->)", re.S)

# The judged sets in the order docs/testing.md tells them.
JUDGED_SETS = ("heldout", "residents", "dialogues", "blind", "sealed")
# The steps timed by scripts/measure/timed.py: what the first `make run` or `make test` does, and the
# targets a developer runs.
FIRST_RUN = {
    "setup": ("`make setup`", "the virtualenv: Python 3.10 and the pinned packages, from PyPI"),
    "train": ("`make train`", "the model, again whenever its data, config or components change"),
    "make-test": ("`make test`", "every check on a fresh clone, its installs included (.ci/run)"),
}
TARGETS = {
    "test-unit": ("`make test-unit`", "the fast tests, which start no server"),
    "test-conversations": ("`make test-conversations`", "Rasa's conversation tests"),
    "test-e2e": ("`make test-e2e`", "the servers, the judged sets, the widget and the editor in Chromium"),
    "test-cluster": ("`make test-cluster`", "the cluster, with its faults"),
    "eval": ("`make eval`", "understanding against the two baselines"),
    "bench": ("`make bench`", "speed and cost beside Rasa's starter bot"),
}
# What takes the most room on disk, measured when `make docs` runs.
SPACE = (".venv", "models")


def _read(name: str) -> Optional[Dict]:
    path = DOCS / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _figure(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.2f}"


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


def _durations(steps: Dict[str, tuple]) -> str:
    durations = _read("durations.json") or {}
    rows = [
        [
            command,
            does,
            _minutes(durations[name]["seconds"]),
            f"{durations[name]['date']}, {durations[name]['cpus']} CPUs",
        ]
        for name, (command, does) in steps.items()
        if name in durations
    ]
    if not rows:
        return "Not measured yet: `make test`, then `make docs`.\n"
    return table(["command", "what it does", "took", "measured"], rows)


def first_run_block() -> str:
    space = _read("space.json") or {}
    room = ", ".join(f"`{name}/` {space[name]['megabytes'] / 1024:.1f} GB" for name in SPACE if name in space)
    return _durations(FIRST_RUN) + (f"\nOn disk: {room}, besides Debian's packages.\n" if room else "")


def targets_block() -> str:
    return _durations(TARGETS)


# make bench's targets the README shows; the rest are in docs/benchmarks.md.
BENCH_AT_A_GLANCE = {
    "answers/s at 10 conversations, this assistant / the starter bot": "answers a second, times Rasa's starter bot's",
    "Rasa server peak memory (MB)": "the Rasa server's peak memory (MB)",
    "publication to answer, cluster, slowest of 5 (s)": "from an editor's publication to its answer (s)",
}


def quality_block() -> str:
    """One table: understanding, the judged answers and speed, each linking the page that has the rest."""
    rows = []
    evaluation = _read("evaluation.json")
    if evaluation:
        by_lang = evaluation["languages"]
        f1 = " / ".join(f"{by_lang[g]['systems']['project']['macro_f1']:.3f}" for g in LANGUAGES)
        rows.append(["[intent macro-F1](docs/evaluation.md), " + " / ".join(LANGUAGES), f1, f"≥ {TARGET} each"])
        verdicts = " / ".join(by_lang[g]["comparisons"]["rasa default"]["verdict"] for g in LANGUAGES)
        rows.append(["against Rasa's default pipeline", verdicts, "not worse"])
    quality = _read("quality.json")
    if quality:
        counts = [c for name in JUDGED_SETS for c in quality.get(name, {}).values()]
        good, turns = sum(c["good"] for c in counts), sum(c["turns"] for c in counts)
        wrong = sum(c["wrong"] for c in counts)
        rows.append(
            ["[answers judged good](docs/quality.md), all judged sets", f"{good / turns:.0%} of {turns:,} turns", "–"]
        )
        rows.append(["answers judged wrong", str(wrong), "none"])
    bench = _read("benchmarks.json")
    if bench:
        for name, label in BENCH_AT_A_GLANCE.items():
            t = bench["targets"][name]
            rows.append(
                [
                    f"[{label}](docs/benchmarks.md)",
                    _figure(t["measured"]),
                    f"{'≤' if t['kind'] == 'max' else '≥'} {_figure(t['limit'])}",
                ]
            )
    if not rows:
        return "Not measured yet: `make test`, `make bench`, then `make docs`.\n"
    return table(["measure", "measured", "target"], rows)


BLOCKS: Dict[str, Callable[[], str]] = {
    "first-run": first_run_block,
    "targets": targets_block,
    "quality": quality_block,
}


def quality_page(quality: Dict) -> str:
    rows = [
        [name, g, str(c["turns"]), str(c["good"]), str(c["unhelpful"]), str(c["wrong"]), c["date"]]
        for name in JUDGED_SETS
        for g, c in sorted(quality.get(name, {}).items(), key=lambda item: LANGUAGES.index(item[0]))
    ]
    return (
        "# Answer quality\n\nWritten by `make docs` from the judged sets' counts of the last `make test`\n"
        "(tests/e2e/test_quality.py; what each set is and how a turn is judged: [testing.md](testing.md)).\n\n"
        + table(["set", "language", "turns", "good", "unhelpful", "wrong", "measured"], rows)
    )


def render(readme: str) -> str:
    """The README with each generated block written anew from docs/."""

    def block(match: re.Match) -> str:
        write = BLOCKS.get(match["name"])
        if write is None:
            raise SystemExit(f"README.md: no block named {match['name']!r} (known: {', '.join(BLOCKS)})")
        return match.group(1) + write() + match.group(4)

    return BLOCK.sub(block, readme)


def _megabytes(folder: Path) -> float:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def collect(results: Path) -> List[str]:
    """Copies what the last `make test` measured into docs/; says what it copied."""
    copied = []
    evaluation = results / "evaluation"
    for path in sorted(evaluation.glob("evaluation.*")) + sorted(evaluation.glob("confusion-*.png")):
        shutil.copy(path, DOCS / path.name)
        copied.append(path.name)
    for name in ("quality.json", "durations.json"):
        if (results / name).exists():
            merged = {**(_read(name) or {}), **json.loads((results / name).read_text(encoding="utf-8"))}
            (DOCS / name).write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            copied.append(name)
    space = {name: {"megabytes": round(_megabytes(ROOT / name))} for name in SPACE if (ROOT / name).exists()}
    if space:
        (DOCS / "space.json").write_text(json.dumps(space, indent=1) + "\n", encoding="utf-8")
        copied.append("space.json")
    quality = _read("quality.json")
    if quality:
        (DOCS / "quality.md").write_text(quality_page(quality), encoding="utf-8")
    return copied


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=ROOT / "results", help="what make test wrote")
    args = parser.parse_args(argv)
    copied = collect(args.results)
    print(f"Copied into docs/: {', '.join(copied) or 'nothing (run make test first)'}")
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
    print("Written: README.md's generated blocks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
