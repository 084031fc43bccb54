"""A Markdown table, as the measuring scripts write them into docs/ and the README."""

from __future__ import annotations

from typing import List


def table(header: List[str], rows: List[List[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows]) + "\n"
