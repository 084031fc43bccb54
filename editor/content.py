"""The fact base between its YAML file, the editor's database rows and the validation the assistant
applies (assistant/factbase.py): the same checks as `make check-facts`, each problem placed on its
record and field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional

from assistant import factbase
from assistant.factbase import FactBaseError
from assistant.publications import Document, Texts

SETTINGS = ("city", "freshness")
SECTIONS = ("sources", "entities", "topics", "facts")
KINDS = {"source": "sources", "entity": "entities", "topic": "topics", "fact": "facts"}

# "<path>:<line>: <kind> '<id>': <field>: <message>", as FactBaseError's problems read.
_PROBLEM = re.compile(r"^.*?:\d+: (?:(?P<kind>\w+) '(?P<id>[^']*)'|(?P<other>[^:]+)): (?P<field>[^:]+): (?P<message>.*)$")


@dataclass(frozen=True)
class Problem:
    section: Optional[str]  # where the record is: "facts", ...; None for the file itself
    record_id: Optional[str]
    field: str  # "text.fi", "ended.quote", ...
    message: str

    def __str__(self) -> str:
        kind = {section: kind for kind, section in KINDS.items()}.get(self.section)
        where = f"{kind} '{self.record_id}'" if kind else "fact base"
        return f"{where}: {self.field}: {self.message}"


# What a draft may lack for a while, because no one form can add both halves: a new entity before the
# fact about it (whose form needs the entity first), a new topic before its first fact. A save may leave
# these; publishing refuses them as it refuses any problem.
PENDING = ("no fact is about this entity", "no fact has this topic")


def pending(problem: Problem) -> bool:
    return problem.field == "id" and problem.message in PENDING


def problems(document: Document, texts: Texts) -> List[Problem]:
    """Every problem `make check-facts` would find in this version; none if the assistant can serve it."""
    try:
        factbase.load_data(document, texts, "draft")
    except (FactBaseError, ValueError) as error:
        return [_problem(line) for line in getattr(error, "problems", [str(error)])]
    return []


def _problem(line: str) -> Problem:
    match = _PROBLEM.match(line)
    if not match:
        return Problem(None, None, "-", line.split(": ", 1)[-1])
    if match["kind"] in KINDS:
        return Problem(KINDS[match["kind"]], match["id"], match["field"], match["message"])
    # "facts[3]" for a record that is not a mapping, "file" for the file's own fields
    return Problem(None, None, match["field"] if match["other"] == "file" else match["other"], match["message"])
