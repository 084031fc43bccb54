"""assistant/publications.py and factbase.published(): with FACT_BASE=published the assistant serves the
editor's newest publication from the database, looks for a newer one at most once a second, keeps
what it serves while the database is away, and serves the file until anything is published."""

import pytest

from assistant import factbase, publications
from helpers import published_row


@pytest.fixture
def database(tmp_path, monkeypatch):
    """An empty SQLite database as the tracker store's, served from with FACT_BASE=published."""
    path = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{path}")
    monkeypatch.setenv(factbase.FACT_BASE_ENV, factbase.PUBLISHED)
    monkeypatch.setattr(factbase, "_published", None)
    monkeypatch.setattr(factbase, "_current", None)
    return path


def waited(monkeypatch, seconds):
    """As if `seconds` had passed since the last look."""
    state = factbase._published
    monkeypatch.setattr(state, "looked", state.looked - seconds)


def test_the_file_is_served_until_something_is_published(database):
    assert factbase.current().facts["echa"].text == factbase.load(factbase.DEFAULT_PATH).facts["echa"].text
    assert factbase._published.number is None


def test_the_newest_publication_is_served_and_a_newer_one_within_a_second(database, monkeypatch):
    document, texts = publications.read(factbase.DEFAULT_PATH)
    published_row(database, document, texts)
    echa = next(f for f in document["facts"] if f["id"] == "echa")
    echa["text"]["en"] = "ECHA is the European Chemicals Agency, in Helsinki since 2007, as published."
    published_row(database, document, texts)
    assert factbase.current().facts["echa"].text["en"].endswith("as published.")
    echa["text"]["en"] = "ECHA is the European Chemicals Agency, in Helsinki since 2007, published again."
    published_row(database, document, texts)
    assert factbase.current().facts["echa"].text["en"].endswith("as published.")  # looked less than 1 s ago
    waited(monkeypatch, factbase.PUBLISHED_EVERY)
    assert factbase.current().facts["echa"].text["en"].endswith("published again.")


def test_while_the_database_is_away_what_is_served_keeps_serving(database, monkeypatch, caplog):
    document, texts = publications.read(factbase.DEFAULT_PATH)
    echa = next(f for f in document["facts"] if f["id"] == "echa")
    echa["text"]["en"] = "ECHA is the European Chemicals Agency, in Helsinki since 2007, as published."
    published_row(database, document, texts)
    assert factbase.current().facts["echa"].text["en"].endswith("as published.")
    database.write_bytes(b"not a database any more")
    waited(monkeypatch, factbase.PUBLISHED_EVERY)
    assert factbase.current().facts["echa"].text["en"].endswith("as published.")
    assert "cannot be read" in caplog.text


def test_a_named_file_is_served_whatever_is_published(database, monkeypatch, tmp_path):
    document, texts = publications.read(factbase.DEFAULT_PATH)
    next(f for f in document["facts"] if f["id"] == "echa")["text"]["en"] = "Published, not in the file."
    published_row(database, document, texts)
    monkeypatch.setenv(factbase.FACT_BASE_ENV, str(factbase.DEFAULT_PATH))
    assert "not in the file" not in factbase.current().facts["echa"].text["en"]
