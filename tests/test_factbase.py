"""The fact base: complete against its source page, and refused with a located message when broken."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from assistant import factbase
from assistant.factbase import FactBaseError
from assistant.facts import LANGUAGES


def page_sentences(path: Path):
    """The sentences of the source page's body: no headings, no skip link, no time stamp."""
    text = re.sub(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}", "\n", path.read_text(encoding="utf-8"))
    paragraphs = [" ".join(p.split()) for p in text.split("\n") if p.strip().endswith(".")]
    return [s for p in paragraphs for s in re.split(r"(?<=\.)\s+(?=[A-ZÅÄÖ])", p)]


def test_every_sentence_of_the_page_is_in_the_fact_base(kb):
    source = kb.sources["international_work_2019"]
    sentences = page_sentences(source.file)
    assert len(sentences) == 13
    quoted = {fact.quote for fact in kb.facts.values()}
    assert [s for s in sentences if s not in quoted] == []


def test_every_fact_is_in_three_languages_with_its_source(kb):
    for fact in kb.facts.values():
        assert set(fact.text) == set(LANGUAGES)
        assert kb.sources[fact.source].date.isoformat() == "2019-12-06"


def test_numbers_are_the_pages_own(kb):
    assert "2007" in kb.facts["echa_since"].text["en"]
    assert "600" in kb.facts["echa_staff"].text["fi"]


@pytest.fixture
def broken(tmp_path):
    """Writes a changed copy of the fact base (with its source page) and loads it."""

    def load_changed(change):
        data = yaml.safe_load(factbase.DEFAULT_PATH.read_text(encoding="utf-8"))
        change(data)
        path = tmp_path / "international_work.yml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        shutil.copytree(factbase.DEFAULT_PATH.parent / "sources", tmp_path / "sources")
        with pytest.raises(FactBaseError) as error:
            factbase.load(path)
        return str(error.value)

    return load_changed


def record(data, section, record_id):
    return next(r for r in data[section] if r["id"] == record_id)


BROKEN = {
    "missing language": (
        lambda d: record(d, "facts", "echa_staff")["text"].pop("sv"),
        ["fact 'echa_staff'", "text.sv", "language is missing"],
    ),
    "empty text": (
        lambda d: record(d, "facts", "eu_office")["text"].update(fi="  "),
        ["fact 'eu_office'", "text.fi", "non-empty"],
    ),
    "unknown entity": (
        lambda d: record(d, "facts", "main_partners")["about"].append("oslo"),
        ["fact 'main_partners'", "about", "unknown entity 'oslo'"],
    ),
    "unknown topic": (
        lambda d: record(d, "facts", "ucue").update(topic="weather"),
        ["fact 'ucue'", "topic", "unknown topic 'weather'"],
    ),
    "unknown source": (
        lambda d: record(d, "facts", "ucue").update(source="wikipedia"),
        ["fact 'ucue'", "source", "unknown source 'wikipedia'"],
    ),
    "unknown related topic": (
        lambda d: record(d, "topics", "echa")["related"].append("parking"),
        ["topic 'echa'", "related", "unknown topic 'parking'"],
    ),
    "duplicate id": (
        lambda d: d["facts"].append(dict(record(d, "facts", "echa"))),
        ["fact 'echa'", "id", "duplicate id"],
    ),
    "missing field": (
        lambda d: record(d, "facts", "eurocities").pop("quote"),
        ["fact 'eurocities'", "quote", "required field is missing"],
    ),
    "misspelt field": (
        lambda d: record(d, "facts", "eurocities").update(txt={}),
        ["fact 'eurocities'", "txt", "unknown field"],
    ),
    "quote not on the page": (
        lambda d: record(d, "facts", "echa_staff").update(quote="ECHA sysselsätter cirka 700 sakkunniga."),
        ["fact 'echa_staff'", "quote", "not found verbatim"],
    ),
    "invented number": (
        lambda d: record(d, "facts", "echa_staff")["text"].update(en="ECHA employs about 700 experts."),
        ["fact 'echa_staff'", "text.en", "the number 700 is not in the quote"],
    ),
    "one alias for two entities": (
        lambda d: record(d, "entities", "tallinn")["aliases"]["en"].append("Berlin"),
        ["entity", "aliases", "'Berlin' is also a name of entity"],
    ),
    "bad date": (
        lambda d: record(d, "sources", "international_work_2019").update(date="6.12.2019"),
        ["source 'international_work_2019'", "date", "must be a date"],
    ),
    "unknown entity type": (
        lambda d: record(d, "entities", "ucue").update(type="club"),
        ["entity 'ucue'", "type", "must be one of"],
    ),
}


@pytest.mark.parametrize("change, expected", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_fact_base_is_refused_with_a_located_message(broken, change, expected):
    message = broken(change)
    assert re.search(r"international_work\.yml:\d+: ", message), message
    for fragment in expected:
        assert fragment in message


def test_invalid_yaml_names_file_and_line(tmp_path):
    path = tmp_path / "facts.yml"
    path.write_text("city: helsinki\nfacts: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(FactBaseError, match=r"facts\.yml:\d+: not valid YAML"):
        factbase.load(path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(FactBaseError, match="cannot be read"):
        factbase.load(tmp_path / "nothing.yml")
