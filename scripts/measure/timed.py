"""Runs a command and keeps how long it took, by name, in results/durations.json, for `make docs` to
write into the README (the durations there are measured, not guessed).

    python3 -m scripts.measure.timed NAME command [args...]

Standard library only: it times the virtualenv's creation too, so it runs on the system's Python.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

DURATIONS = Path("results") / "durations.json"


def record(name: str, seconds: float, path: Optional[Path] = None) -> None:
    """Keeps the newest duration of `name`, with when it was measured and on how many processors."""
    path = path or DURATIONS
    durations = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    durations[name] = {
        "seconds": round(seconds, 1),
        "date": datetime.date.today().isoformat(),
        "cpus": os.cpu_count(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(durations, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    started = time.monotonic()
    status = subprocess.call(argv[2:])
    if status == 0:  # a failed run's time says nothing about how long the step takes
        record(argv[1], time.monotonic() - started)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
