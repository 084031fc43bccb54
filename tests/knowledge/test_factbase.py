"""The fact base: complete against its source page, and refused with a located message when broken."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from assistant.knowledge import factbase
from assistant.knowledge.factbase import FactBaseError
from assistant.knowledge.facts import LANGUAGES
from tests.helpers import record, rewrite


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
        assert kb.sources[fact.source].file is not None
        if fact.ended:
            assert set(fact.ended.history) == set(LANGUAGES)
            assert kb.sources[fact.ended.source].when.latest >= kb.sources[fact.source].when.earliest


def test_every_source_has_a_publisher_an_address_and_a_date(kb):
    assert len(kb.sources) >= 5
    for source in kb.sources.values():
        assert set(source.publisher) == set(LANGUAGES)
        assert source.url and source.kind in ("news", "page")
        assert all(url.startswith(("https://", "http://")) for url in source.url.values())
        assert source.when.sureness in ("sure", "month", "likely", "year", "undated")


def test_no_title_is_made_up_from_an_address(kb):
    """The notes give no title for these: the words of their addresses are no title (issue 23)."""
    for source_id in ("tallinn_agreement_2022", "arcada_joins_eu_office_2020", "echa_page_2020"):
        assert kb.sources[source_id].title == {}


def test_dates_are_as_sure_as_the_notes_say(kb):
    assert kb.sources["eu_office_members_2020"].when.sureness == "undated"
    assert kb.sources["echa_page_2020"].when.sureness == "undated"
    assert kb.sources["eurocities_ukraine_visit_2022"].when.numbers == (2022, 8)
    assert kb.sources["war_in_ukraine_2022"].when.sureness == "likely"


def test_the_network_is_named_as_the_page_spells_it_and_found_as_residents_spell_it(kb):
    network = kb.entities["baltic_metropoles"]
    assert set(network.names.values()) == {"Baltic Metropole"}
    assert kb.find_entity("Baltic Metropoles") is network


def test_the_notes_on_later_sources_leave_out_the_claims_not_to_be_used(kb):
    notes = (factbase.DEFAULT_PATH.parent / "sources" / "since-2019.md").read_text(encoding="utf-8")
    assert "## S1." in notes and "## S14." in notes
    assert "## Claims found but not to be used" not in notes
    assert "sister city" not in notes


def test_the_suspended_partners_and_the_helsinki_centre_are_history(kb):
    ended = {f.id for f in kb.facts.values() if not f.holds}
    assert {"st_petersburg_partner", "moscow_partnership", "helsinki_centre", "helsinki_centre_work"} <= ended
    assert kb.facts["beijing_partnership"].holds and kb.facts["main_partners"].holds
    assert "st_petersburg" not in kb.facts["main_partners"].about


def test_numbers_are_the_pages_own(kb):
    assert "2007" in kb.facts["echa_since"].text["en"]
    assert "600" in kb.facts["echa_staff"].text["fi"]


@pytest.fixture
def broken(tmp_path):
    """Writes a changed copy of the fact base (with its source page) and loads it."""

    def load_changed(change):
        path = tmp_path / "international_work.yml"
        rewrite(path, change, source=factbase.DEFAULT_PATH)
        shutil.copytree(factbase.DEFAULT_PATH.parent / "sources", tmp_path / "sources")
        with pytest.raises(FactBaseError) as error:
            factbase.load(path)
        return str(error.value)

    return load_changed


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
        ["fact 'echa_staff'", "text.en", "the number 700 is neither in the quote nor in the source's date"],
    ),
    "an end before the fact's own source": (
        lambda d: record(d, "facts", "moscow_partnership")["ended"].update(date="2018-05-01"),
        ["fact 'moscow_partnership'", "ended.date", "ends before its own source 'international_work_2019'"],
    ),
    "an ending source that does not exist": (
        lambda d: record(d, "facts", "moscow_partnership")["ended"].update(source="rumour"),
        ["fact 'moscow_partnership'", "ended.source", "unknown source 'rumour'"],
    ),
    "an ending source older than the fact": (
        lambda d: record(d, "facts", "moscow_partnership")["ended"].update(
            source="kotka_leaves_centre_2018", quote="Tampere left the Helsinki Centre at the start of 2018."
        ),
        [
            "fact 'moscow_partnership'",
            "ended.source",
            "'kotka_leaves_centre_2018' is older than the fact's source 'international_work_2019'",
        ],
    ),
    "an ended fact without its history in a language": (
        lambda d: record(d, "facts", "st_petersburg_partner")["ended"]["history"].pop("sv"),
        ["fact 'st_petersburg_partner'", "ended.history.sv", "language is missing"],
    ),
    "an ending without its source's words": (
        lambda d: record(d, "facts", "st_petersburg_partner")["ended"].update(quote="Helsinki ended it all."),
        ["fact 'st_petersburg_partner'", "ended.quote", "not found verbatim in since-2019.md"],
    ),
    "an invented year in a history": (
        lambda d: record(d, "facts", "moscow_partnership")["ended"]["history"].update(
            en="Helsinki suspended its cooperation with Moscow in March 2021."
        ),
        ["fact 'moscow_partnership'", "ended.history.en", "the number 2021 is neither in the quote"],
    ),
    "an ending with no source": (
        lambda d: record(d, "facts", "moscow_partnership")["ended"].pop("source"),
        ["fact 'moscow_partnership'", "ended.source", "required field is missing"],
    ),
    "a day where only the year is known": (
        lambda d: record(d, "sources", "helsinki_centre_closure_2022").update(date="2022-06-01"),
        ["source 'helsinki_centre_closure_2022'", "date", "must be a year like 2022"],
    ),
    "an unknown sureness": (
        lambda d: record(d, "sources", "war_in_ukraine_2022").update(sureness="probably"),
        ["source 'war_in_ukraine_2022'", "sureness", "must be one of sure, month, likely, year, undated"],
    ),
    "a day where only the month is known": (
        lambda d: record(d, "sources", "eurocities_ukraine_visit_2022").update(date="2022-08-19"),
        ["source 'eurocities_ukraine_visit_2022'", "date", "must be a month like 2022-08"],
    ),
    "a likely date told as sure": (
        lambda d: record(d, "facts", "helsinki_centre_closing_began")["text"].update(
            en="Helsinki began preparing to end the Helsinki Centre's operations in March 2022."
        ),
        ["fact 'helsinki_centre_closing_began'", "text.en", "the number 2022 comes from a likely date: say 'probably'"],
    ),
    "a likely date told as sure in a history": (
        lambda d: record(d, "facts", "moscow_partnership")["ended"]["history"].update(
            sv="Helsingfors avbröt sitt samarbete med Moskva i mars 2022."
        ),
        ["fact 'moscow_partnership'", "ended.history.sv", "the number 2022 comes from a likely date: say 'troligen'"],
    ),
    "a question given to two facts": (
        lambda d: record(d, "facts", "echa")["questions"]["en"].append(
            record(d, "facts", "echa_since")["questions"]["en"][0].upper()
        ),
        ["fact", "questions", "is also a question of fact"],
    ),
    "questions missing a language": (
        lambda d: record(d, "facts", "echa")["questions"].pop("sv"),
        ["fact 'echa'", "questions.sv", "language is missing"],
    ),
    "an empty question": (
        lambda d: record(d, "facts", "echa")["questions"]["fi"].append(" "),
        ["fact 'echa'", "questions.fi", "must be a list of non-empty texts"],
    ),
    "an unknown kind of source": (
        lambda d: record(d, "sources", "echa_page_2020").update(kind="rumour"),
        ["source 'echa_page_2020'", "kind", "must be one of news, page"],
    ),
    "a source address that is no web address": (
        lambda d: record(d, "sources", "war_in_ukraine_2022")["url"].update(fi="hel.fi/uutiset"),
        ["source 'war_in_ukraine_2022'", "url", "must be a web address"],
    ),
    "one alias for two entities": (
        lambda d: record(d, "entities", "tallinn")["aliases"]["en"].append("Berlin"),
        ["entity", "aliases", "'Berlin' is also a name of entity"],
    ),
    "bad date": (
        lambda d: record(d, "sources", "international_work_2019").update(date="6.12.2019"),
        ["source 'international_work_2019'", "date", "must be a date"],
    ),
    "an entity no fact is about": (
        lambda d: [f.update(about=[a for a in f["about"] if a != "kotka"]) for f in d["facts"]],
        ["entity 'kotka'", "id", "no fact is about this entity"],
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


def test_a_fact_base_given_as_data_loads_as_its_file_does_and_is_checked_alike():
    """factbase.load_data, which serves the editor's publications without writing them out as YAML."""
    import copy

    from assistant.knowledge import publications

    document, texts = publications.read(factbase.DEFAULT_PATH)
    from_data, from_file = factbase.load_data(document, texts), factbase.load(factbase.DEFAULT_PATH)
    assert from_data.facts == from_file.facts and from_data.entities == from_file.entities
    assert from_data.topics == from_file.topics
    assert {k: s.when for k, s in from_data.sources.items()} == {k: s.when for k, s in from_file.sources.items()}
    broken = copy.deepcopy(document)
    broken["facts"][0]["quote"] = "words the page never had"
    with pytest.raises(factbase.FactBaseError) as error:
        factbase.load_data(broken, texts)
    assert [p.split(": ", 1)[1] for p in error.value.problems] == [
        f"fact '{broken['facts'][0]['id']}': quote: not found verbatim in internationell-verksamhet_2019-12-06.txt"
    ]


def test_what_is_built_from_the_fact_base_served_stays_while_previews_and_publications_come_and_go():
    built = []
    cache = factbase.BuiltFrom(lambda kb: built.append(kb) or object())
    served, *others = (object() for _ in range(4))
    index = cache(served)
    for other in others:  # an editor's previews, new publications
        cache(other)
        assert cache(served) is index  # a resident's question meanwhile
    assert built == [served, *others]
