"""`make report`: the questions residents asked that the assistant could not answer, most asked first.

Reads var/unanswered.jsonl ($UNANSWERED_LOG), which the action server writes; groups alike questions
(other wordings, other case endings); prints the most asked and writes them all to a CSV
(var/unanswered-report.csv) with their count, languages, kinds, best intent and confidence, and first
and last time asked. Editors can turn a row into training examples (data/nlu/) or a new fact (facts/).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant import unanswered  # noqa: E402

DEFAULT_CSV = unanswered.DEFAULT_PATH.parent / "unanswered-report.csv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help=f"where to write the CSV ({DEFAULT_CSV})")
    parser.add_argument("--top", type=int, default=20, help="how many groups to print (20)")
    args = parser.parse_args()
    entries = unanswered.read()
    if not entries:
        print(f"No unanswered questions in {unanswered.path()}.")
        return 0
    groups = unanswered.group(entries)
    unanswered.write_csv(groups, args.csv)
    print(f"{len(entries)} unanswered questions in {len(groups)} groups ({unanswered.path()}); the most asked:")
    for group in groups[: args.top]:
        row = group.row()
        print(f"{row['count']:>5}  {row['question']}  [{row['languages']}; {row['kinds']}; best intent "
              f"{row['best_intent']} {row['mean_confidence']}]")
    print(f"All {len(groups)} groups: {args.csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
