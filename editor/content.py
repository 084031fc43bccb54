"""The fact base between its YAML file, the editor's database rows and the validation the assistant
applies (assistant/knowledge/factbase.py): the same checks as `make check-facts`, each problem placed on its
record and field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional

from django.utils.translation import gettext_lazy as _

from assistant.knowledge import factbase
from assistant.knowledge.factbase import FactBaseError
from assistant.knowledge.publications import Document, Texts

SETTINGS = ("city", "freshness")
SECTIONS = ("sources", "entities", "topics", "facts")
KINDS = {"source": "sources", "entity": "entities", "topic": "topics", "fact": "facts"}

# "<path>:<line>: <kind> '<id>': <field>: <message>", as FactBaseError's problems read.
_PROBLEM = re.compile(
    r"^.*?:\d+: (?:(?P<kind>\w+) '(?P<id>[^']*)'|(?P<other>[^:]+)): (?P<field>[^:]+): (?P<message>.*)$"
)


@dataclass(frozen=True)
class Problem:
    section: Optional[str]  # where the record is: "facts", ...; None for the file itself
    record_id: Optional[str]
    field: str  # "text.fi", "ended.quote", ...
    message: str

    def __str__(self) -> str:
        kind = {section: kind for kind, section in KINDS.items()}.get(self.section)
        where = f"{kind} '{self.record_id}'" if kind else "fact base"
        return f"{where}: {self.field}: {said(self.message)}"


# The validator's messages (assistant/knowledge/factbase.py, in English, as make check-facts prints them) in the
# editor's language: the English message's pattern, and its words to translate (editor/locale/). A
# message the list lacks is shown in English (tests/editor/test_content.py checks that none does).
_ID = r"'(?P<id>[^']*)'"
MESSAGES = [
    (re.compile(f"^{pattern}$"), words)
    for pattern, words in (
        (r"required field is missing", _("required field is missing")),
        (r"unknown field", _("unknown field")),
        (r"unknown section", _("unknown section")),
        (r"a record must be a mapping", _("a record must be a mapping")),
        (r"missing or empty: a list of records is required", _("missing or empty: a list of records is required")),
        (r"language is missing", _("language is missing")),
        (r"must be a non-empty text", _("must be a non-empty text")),
        (r"must be a list of non-empty texts", _("must be a list of non-empty texts")),
        (r"must be a mapping with fi, sv and en", _("must be a mapping with fi, sv and en")),
        (r"must be a mapping with any of fi, sv and en", _("must be a mapping with any of fi, sv and en")),
        (r"unknown language \(use fi, sv, en\)", _("unknown language (use fi, sv, en)")),
        (r"must be a date like 2019-12-06", _("must be a date like 2019-12-06")),
        (
            r"must be a month like 2022-08 when only the month is known",
            _("must be a month like 2022-08 when only the month is known"),
        ),
        (
            r"must be a year like 2022 when only the year is known",
            _("must be a year like 2022 when only the year is known"),
        ),
        (r"must be a year like 2022 when undated", _("must be a year like 2022 when undated")),
        (r"must be one of (?P<choices>.+)", _("must be one of %(choices)s")),
        (r"must be a web address", _("must be a web address")),
        (
            r"must be a web address, or a mapping of fi, sv and en to web addresses",
            _("must be a web address, or a mapping of fi, sv and en to web addresses"),
        ),
        (r"must be lower_case letters, digits and _", _("must be lower_case letters, digits and _")),
        (r"duplicate id in (?P<section>\w+)", _("duplicate id in %(section)s")),
        (rf"unknown entity {_ID}", _("unknown entity '%(id)s'")),
        (rf"unknown source {_ID}", _("unknown source '%(id)s'")),
        (rf"unknown topic {_ID}", _("unknown topic '%(id)s'")),
        (r"no such file: (?P<file>.+)", _("no such file: %(file)s")),
        (r"not found verbatim in (?P<file>.+)", _("not found verbatim in %(file)s")),
        (r"must be the source's words, verbatim", _("must be the source's words, verbatim")),
        (
            r"the number (?P<number>\S+) is neither in the quote nor in the source's date",
            _("the number %(number)s is neither in the quote nor in the source's date"),
        ),
        (
            r"the number (?P<number>\S+) comes from a likely date: say '(?P<word>[^']*)'",
            _("the number %(number)s comes from a likely date: say '%(word)s'"),
        ),
        (
            r"'(?P<question>.+)' is also a question of fact '(?P<other>[^']*)'",
            _("'%(question)s' is also a question of fact '%(other)s'"),
        ),
        (
            r"'(?P<spelling>.+)' is also a name of entity '(?P<other>[^']*)'",
            _("'%(spelling)s' is also a name of entity '%(other)s'"),
        ),
        (
            rf"{_ID} is older than the fact's source '(?P<source>[^']*)'",
            _("'%(id)s' is older than the fact's source '%(source)s'"),
        ),
        (
            r"ends before its own source '(?P<source>[^']*)' \((?P<day>[^)]*)\)",
            _("ends before its own source '%(source)s' (%(day)s)"),
        ),
        (rf"must name an entity, not {_ID}", _("must name an entity, not '%(id)s'")),
        (r"must be a list of topic ids", _("must be a list of topic ids")),
        (r"must be a non-empty list of entity ids", _("must be a non-empty list of entity ids")),
        (r"must be true, with a subject, or false", _("must be true, with a subject, or false")),
        (
            r"must be a mapping of date, sureness, source, quote and history",
            _("must be a mapping of date, sureness, source, quote and history"),
        ),
        (
            r"must be a mapping of max_age_years, website and feedback",
            _("must be a mapping of max_age_years, website and feedback"),
        ),
        (r"must be a number of years above 0", _("must be a number of years above 0")),
        (r"no fact is about this entity", _("no fact is about this entity")),
        (r"no fact has this topic", _("no fact has this topic")),
    )
]


def said(message: str) -> str:
    """The validator's message in the language of the request (English where it has no translation)."""
    for pattern, words in MESSAGES:
        match = pattern.match(message)
        if match:
            return str(words) % match.groupdict() if match.groupdict() else str(words)
    return message


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
