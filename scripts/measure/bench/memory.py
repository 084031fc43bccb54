"""A server's memory, over the processes it runs in.

The Rasa server's Sanic workers are forked from its main process, so the pages they have not written
since (Python's and TensorFlow's code and modules, imported before the fork) are one copy in RAM that
each process's resident set counts again. Two measures, then:
- the peak of the proportional set sizes' sum (Pss, each shared page divided among the processes that
  share it), sampled while the server works: the RAM the server takes;
- each process's own peak resident set (VmHWM), whose sum counts shared pages once per process: an
  upper bound.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import List

from scripts.run.supervisor import descendants

SAMPLE_EVERY = 0.5  # seconds: the servers' memory changes over seconds, not milliseconds


def _kb(pid: int, file: str, field: str) -> int:
    try:
        found = re.search(rf"^{field}:\s+(\d+) kB", Path(f"/proc/{pid}/{file}").read_text(), re.MULTILINE)
    except OSError:  # the process ended between the listing and the read
        return 0
    return int(found.group(1)) if found else 0


def processes(pid: int) -> List[int]:
    return [pid] + descendants(pid)


def peak_resident_mb(pid: int) -> List[float]:
    """The peak resident set (VmHWM) of the process and of each process under it, in MB."""
    return [_kb(p, "status", "VmHWM") / 1024 for p in processes(pid)]


def proportional_mb(pid: int) -> float:
    """The sum of Pss over the process and the processes under it, now, in MB."""
    return sum(_kb(p, "smaps_rollup", "Pss") for p in processes(pid)) / 1024


class PeakSampler:
    """Samples proportional_mb of a process tree in a thread, from `with` to its end; `peak` in MB."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, proportional_mb(self.pid))
            if self._stop.wait(SAMPLE_EVERY):
                return

    def __enter__(self) -> "PeakSampler":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, proportional_mb(self.pid))
