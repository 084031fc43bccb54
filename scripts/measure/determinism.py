"""`make eval-determinism`: do other thread counts, or oneDNN, change the evaluation's numbers?

Trains the project's model and the Rasa-default baseline from scratch under each setting below, each
in its own folder under --work, scores them with `make eval`, and adds the figures to the report in
--report (evaluation.md beside that folder's evaluation.json, which is the reference run).
The settings not named in a run are the Makefile's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from assistant import ROOT
from scripts.measure import evaluate

ONE_THREAD = {"TF_INTRA_OP_PARALLELISM_THREADS": "1", "TF_INTER_OP_PARALLELISM_THREADS": "1"}
ONEDNN = {"TF_ENABLE_ONEDNN_OPTS": "1"}
RUNS = (
    ("the Makefile's", {}),
    ("one thread", ONE_THREAD),
    ("oneDNN on", ONEDNN),
    ("oneDNN on, one thread", {**ONEDNN, **ONE_THREAD}),
)


def run(name: str, overrides: dict, work: Path) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    finished = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "eval",
            f"MODEL={work}/assistant.tar.gz",
            f"BASELINE_MODEL={work}/baseline-default.tar.gz",
            "BASELINE_CACHE=",
            f"EVAL_OUT={work}",
            *(f"{k}={v}" for k, v in overrides.items()),
        ],
        cwd=ROOT,
    )
    result = json.loads((work / "evaluation.json").read_text(encoding="utf-8"))
    print(
        f"determinism: {name}: make eval exited {finished.returncode} after {time.monotonic() - started:.0f} s",
        flush=True,
    )
    return {"name": name, "result": result}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="a folder per run, models kept there")
    parser.add_argument("--report", type=Path, required=True, help="folder of the reference evaluation.json")
    args = parser.parse_args()
    work = args.work.resolve()
    runs = [run(name, overrides, work / f"run-{n}") for n, (name, overrides) in enumerate(RUNS, 1)]
    (args.report / "determinism.json").write_text(json.dumps(runs, indent=1) + "\n", encoding="utf-8")
    reference = args.report / "evaluation.json"
    if reference.exists():
        evaluate.report(args.report)
    print(
        evaluate.determinism_section(
            runs, json.loads(reference.read_text(encoding="utf-8")) if reference.exists() else None
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
