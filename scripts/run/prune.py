"""Delete the conversations, unanswered questions and ratings older than $RETENTION_DAYS (default 30),
from the tracker store at $TRACKER_STORE_URL (default: var/tracker.db), $UNANSWERED_LOG and
$FEEDBACK_LOG; see
assistant/storage/retention.py. `make prune` runs it once; make run and make run-cluster at start and then hourly.

  scripts/run/prune.py            one sweep
  scripts/run/prune.py --every S  a sweep every S seconds, until stopped
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from assistant.storage import retention


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--every", type=float, help="seconds between sweeps")
    every = parser.parse_args().every
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s - %(message)s")
    while True:
        try:
            retention.sweep()
        except Exception as error:  # a store down for a moment must not stop the next sweep
            if every is None:
                raise
            logging.getLogger("prune").error("retention sweep failed: %s", type(error).__name__)
        if every is None:
            return 0
        time.sleep(every)


if __name__ == "__main__":
    sys.exit(main())
