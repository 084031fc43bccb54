"""editor/export.py and `make export-facts`: the published fact base written back into the file, which
changes only where editors changed it, and always loads as what was published."""

import difflib
import re
import shutil

import pytest
from django.core.management import call_command

from assistant.knowledge import factbase, publications
from editor import drafts
from editor.export import export
from editor.models import Fact
from tests.helpers import record


@pytest.fixture
def copy(tmp_path):
    shutil.copytree(factbase.DEFAULT_PATH.parent, tmp_path / "facts")
    return tmp_path / "facts" / factbase.DEFAULT_PATH.name


def changed_lines(before: str, after: str):
    """The lines a diff takes away ("-...") and adds ("+..."), each without its indentation and key."""
    return [
        line[0] + re.sub(r"^(fi|sv|en): ", "", line[1:].strip())
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]


def test_an_unchanged_publication_leaves_the_file_as_it_is(copy):
    document, texts = publications.read(copy)
    assert export(document, texts, copy) == []
    assert copy.read_text(encoding="utf-8") == factbase.DEFAULT_PATH.read_text(encoding="utf-8")


def test_a_changed_fact_changes_its_own_lines_only(copy):
    document, texts = publications.read(copy)
    staff = record(document, "facts", "echa_staff")["text"]
    history = record(document, "facts", "st_petersburg_partner")["ended"]["history"]  # an anchor's
    old = staff["en"] + " " + history["sv"]
    staff["en"], history["sv"] = "ECHA employs about 600 experts, edited.", "Ändrad historia."
    assert export(document, texts, copy) == ["facts: st_petersburg_partner", "facts: echa_staff"]
    lines = changed_lines(factbase.DEFAULT_PATH.read_text(encoding="utf-8"), copy.read_text(encoding="utf-8"))
    assert sorted(line[1:] for line in lines if line[0] == "+") == [staff["en"], history["sv"]]
    assert all(line[1:] in old for line in lines if line[0] == "-")  # the old texts' lines, no other
    assert publications.read(copy) == (document, texts)


def test_a_new_source_and_its_text_are_written(copy):
    document, texts = publications.read(copy)
    document["sources"].append(
        {
            "id": "test_source_2026",
            "publisher": {"fi": "T", "sv": "T", "en": "T"},
            "url": "https://example.org/",
            "date": "2026-11-01",
            "file": "sources/test.txt",
        }
    )
    texts["sources/test.txt"] = "Words."
    written = export(document, texts, copy)
    assert "sources: test_source_2026" in written and "sources/test.txt" in written
    assert (copy.parent / "sources" / "test.txt").read_text() == "Words."
    assert publications.read(copy) == (document, texts)


def test_make_export_facts_writes_the_newest_publication(editor, publisher, copy):
    fact = Fact.objects.get(record_id="echa_staff")
    fact.data["text"]["en"] = "ECHA employs about 600 experts, published."
    fact._history_user = editor
    fact.save()
    drafts.publish(publisher, "wording")
    call_command("export_facts", file=copy)
    assert factbase.load(copy).facts["echa_staff"].text["en"] == "ECHA employs about 600 experts, published."
