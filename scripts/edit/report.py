"""`make report`: the questions residents asked that the assistant could not answer, most asked first;
and how helpful residents found the answers, per topic and per fact, the least helpful first.

Reads var/unanswered.jsonl ($UNANSWERED_LOG), which the action server writes; groups alike questions
(other wordings, other case endings); prints the most asked and writes them all to a CSV
(var/unanswered-report.csv) with their count, languages, kinds, best intent and confidence, and first
and last time asked. Editors can turn a row into training examples (data/nlu/) or a new fact (facts/).
Reads var/feedback.jsonl ($FEEDBACK_LOG), the residents' "was this helpful?" (assistant/storage/feedback.py);
prints the least helpful topics and facts and writes every row to var/feedback-report.csv.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.storage import feedback, records, unanswered

DEFAULT_CSV = unanswered.DEFAULT_PATH.parent / "unanswered-report.csv"
DEFAULT_FEEDBACK_CSV = feedback.DEFAULT_PATH.parent / "feedback-report.csv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help=f"where to write the CSV ({DEFAULT_CSV})")
    parser.add_argument(
        "--feedback-csv",
        type=Path,
        default=DEFAULT_FEEDBACK_CSV,
        help=f"where to write the helpfulness CSV ({DEFAULT_FEEDBACK_CSV})",
    )
    parser.add_argument("--top", type=int, default=20, help="how many groups (and rows) to print (20)")
    args = parser.parse_args()
    report_unanswered(args.csv, args.top)
    report_helpfulness(args.feedback_csv, args.top)
    return 0


def report_unanswered(csv_file: Path, top: int) -> None:
    entries = unanswered.read()
    if not entries:
        print(f"No unanswered questions in {unanswered.path()}.")
        return
    groups = unanswered.group(entries)
    rows = [group.row() for group in groups]
    records.write_csv(csv_file, unanswered.COLUMNS, rows)
    print(f"{len(entries)} unanswered questions in {len(groups)} groups ({unanswered.path()}); the most asked:")
    for row in rows[:top]:
        print(
            f"{row['count']:>5}  {row['question']}  [{row['languages']}; {row['kinds']}; best intent "
            f"{row['best_intent']} {row['mean_confidence']}]"
        )
    print(f"All {len(groups)} groups: {csv_file}")


def report_helpfulness(csv_file: Path, top: int) -> None:
    ratings = feedback.read()
    if not ratings:
        print(f"No ratings of answers in {feedback.path()}.")
        return
    rows = feedback.helpfulness(ratings)
    records.write_csv(csv_file, feedback.COLUMNS, rows)
    print(f"{len(ratings)} ratings of answers ({feedback.path()}); the least helpful topics and facts:")
    for row in rows[:top]:
        print(
            f"{row['share_helpful']:>5.0%}  {row['kind']} {row['id']}  ({row['helpful']} helpful, "
            f"{row['not_helpful']} not)"
        )
    print(f"All {len(rows)} rows: {csv_file}")


if __name__ == "__main__":
    sys.exit(main())
