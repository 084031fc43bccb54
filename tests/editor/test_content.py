"""editor/content.py without Django: the fact base file read as plain records and written back, and the
problems `make check-facts` finds placed on their record and field."""

import copy

from assistant.knowledge import factbase, publications
from editor import content


def test_a_fact_base_written_from_its_records_loads_as_the_file_does(tmp_path):
    document, texts = publications.read(factbase.DEFAULT_PATH)
    assert "sources/since-2019.md" in texts and len(document["facts"]) > 50
    written = factbase.load(publications.write(document, texts, tmp_path))
    original = factbase.load(factbase.DEFAULT_PATH)
    assert written.facts.keys() == original.facts.keys()
    assert {k: f.text for k, f in written.facts.items()} == {k: f.text for k, f in original.facts.items()}
    assert {k: f.ended for k, f in written.facts.items()} == {k: f.ended for k, f in original.facts.items()}


def test_problems_are_placed_on_their_record_and_field():
    document, texts = publications.read(factbase.DEFAULT_PATH)
    assert content.problems(document, texts) == []
    broken = copy.deepcopy(document)
    fact = broken["facts"][3]
    fact["quote"] = "words the source never said"
    del fact["text"]["sv"]
    found = content.problems(broken, texts)
    assert content.Problem("facts", fact["id"], "quote", found[0].message) in found
    assert any(p.record_id == fact["id"] and p.field == "text.sv" for p in found)
    assert all(p.section == "facts" and p.record_id == fact["id"] for p in found)


def test_a_source_text_outside_the_folder_is_refused(tmp_path):
    document, _ = publications.read(factbase.DEFAULT_PATH)
    try:
        publications.write(document, {"../../elsewhere.txt": "x"}, tmp_path / "facts")
    except ValueError as error:
        assert "outside" in str(error)
    else:
        raise AssertionError("written outside its folder")


def test_every_problem_of_every_kind_of_broken_fact_base_has_its_words_in_fi_and_sv():
    """The validator's messages, each of the kinds tests/knowledge/test_factbase.py breaks the fact base in, are
    shown in the editor's language: none is left in English."""
    from django.utils import translation

    from tests.knowledge.test_factbase import BROKEN

    messages = set()
    for change, _expected in BROKEN.values():
        document, texts = publications.read(factbase.DEFAULT_PATH)
        try:
            change(document)
        except (KeyError, TypeError, AttributeError):  # a change made for the YAML's dates, not plain data's
            continue
        messages |= {p.message for p in content.problems(document, texts)}
    assert len(messages) >= 20
    assert [m for m in messages if not any(pattern.match(m) for pattern, _ in content.MESSAGES)] == []
    with translation.override("fi"):
        assert content.said("unknown entity 'oslo'") == "tuntematon kohde 'oslo'"
    with translation.override("sv"):
        assert (
            content.said("the number 700 is neither in the quote nor in the source's date")
            == "talet 700 finns varken i citatet eller i källans datum"
        )
