"""assistant/knowledge/publications.py and factbase.published(): with FACT_BASE=published the assistant serves the
editor's newest publication from the database; a newer one within 2 s, prepared before it is served;
what it serves while the database is away; and the file until anything is published."""

import time

import pytest

from assistant.knowledge import factbase, publications
from tests.helpers import published_row


@pytest.fixture
def database(tmp_path, monkeypatch):
    """An empty SQLite database as the tracker store's, served from with FACT_BASE=published."""
    path = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{path}")
    monkeypatch.setenv(factbase.FACT_BASE_ENV, factbase.PUBLISHED)
    monkeypatch.setattr(factbase, "_published", None)
    monkeypatch.setattr(factbase, "_current", None)
    yield path
    if factbase._published is not None:
        factbase._published.stopped.set()


def served_within(seconds, ending):
    """Seconds until the fact base served has ECHA's English text ending so (fails after `seconds`)."""
    started = time.monotonic()
    while not factbase.current().facts["echa"].text["en"].endswith(ending):
        assert time.monotonic() - started < seconds, f"not served within {seconds} s"
        time.sleep(0.05)
    return time.monotonic() - started


def test_the_file_is_served_until_something_is_published(database):
    assert factbase.current().facts["echa"].text == factbase.load(factbase.DEFAULT_PATH).facts["echa"].text
    assert factbase._published.number is None


def test_the_newest_publication_is_served_and_a_newer_one_prepared_and_served_within_2_seconds(database, monkeypatch):
    prepared = []
    monkeypatch.setattr(factbase, "_prepare", [prepared.append])
    document, texts = publications.read(factbase.DEFAULT_PATH)
    published_row(database, document, texts)
    echa = next(f for f in document["facts"] if f["id"] == "echa")
    echa["text"]["en"] = "ECHA is the European Chemicals Agency, in Helsinki since 2007, as published."
    published_row(database, document, texts)
    served = factbase.current()
    assert served.facts["echa"].text["en"].endswith("as published.") and prepared == [served]
    echa["text"]["en"] = "ECHA is the European Chemicals Agency, in Helsinki since 2007, published again."
    published_row(database, document, texts)
    served_within(2, "published again.")
    assert prepared[-1] is factbase.current() and len(prepared) == 2  # prepared before it was served


def test_while_the_database_is_away_what_is_served_keeps_serving(database, monkeypatch, caplog):
    document, texts = publications.read(factbase.DEFAULT_PATH)
    echa = next(f for f in document["facts"] if f["id"] == "echa")
    echa["text"]["en"] = "ECHA is the European Chemicals Agency, in Helsinki since 2007, as published."
    published_row(database, document, texts)
    assert factbase.current().facts["echa"].text["en"].endswith("as published.")
    database.write_bytes(b"not a database any more")
    time.sleep(2 * factbase.PUBLISHED_EVERY)
    assert factbase.current().facts["echa"].text["en"].endswith("as published.")
    assert caplog.text.count("cannot be read") == 1  # said once, not every second


def test_a_named_file_is_served_whatever_is_published(database, monkeypatch, tmp_path):
    document, texts = publications.read(factbase.DEFAULT_PATH)
    next(f for f in document["facts"] if f["id"] == "echa")["text"]["en"] = "Published, not in the file."
    published_row(database, document, texts)
    monkeypatch.setenv(factbase.FACT_BASE_ENV, str(factbase.DEFAULT_PATH))
    assert "not in the file" not in factbase.current().facts["echa"].text["en"]
