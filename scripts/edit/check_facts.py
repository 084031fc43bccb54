"""`make check-facts`: validate the fact base (default: $FACT_BASE or facts/international_work.yml;
`published`: the editor's newest publication, `make check-facts FACTS=published`).

Prints every problem as file:line: record: field: problem, and exits 1 if there is any: a missing
language, an unknown reference, one alias on two entities, a fact without a source, a source without a
date, a quote not in its source's file, a number that is neither in the quote nor in the source's date;
for an ended fact, an end before its source, an unknown or older ending source, a missing history; an
entity no fact is about; a number only a likely date gives, told without "probably"; an alternate
question given to two facts. The assistant applies the same checks when it reads an edited file, and
keeps its previous facts if they fail.
"""

import sys
import tempfile
from pathlib import Path

from assistant.knowledge import factbase, publications
from assistant.knowledge.factbase import FactBaseError


def main(argv) -> int:
    if len(argv) > 1 and argv[1] == factbase.PUBLISHED:
        return check_published()
    return check(Path(argv[1]) if len(argv) > 1 else factbase.path())


def check_published() -> int:
    """The editor's newest publication, in the database the assistant uses (assistant/knowledge/publications.py)."""
    store = publications.Publications(publications.database_url())
    try:
        number = store.newest()
        if number is None:
            print("nothing is published in the editor yet", file=sys.stderr)
            return 1
        document, texts = store.fetch(number)
    except publications.Unavailable as error:
        print(f"the editor's publications cannot be read: {error}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        return check(publications.write(document, texts, Path(folder)), f"publication {number}")


def check(path: Path, name: str = "") -> int:
    try:
        facts = factbase.load(path)
    except FactBaseError as error:
        for problem in error.problems:
            print(problem)
        print(f"{len(error.problems)} problem(s): the assistant would keep its previous facts.", file=sys.stderr)
        return 1
    print(
        f"{name or path}: OK: {len(facts.sources)} sources, {len(facts.entities)} entities, "
        f"{len(facts.topics)} topics, {len(facts.facts)} facts"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
