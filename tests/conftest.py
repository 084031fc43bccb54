"""Fixtures for testing the actions without Rasa running: a fresh Tracker, CollectingDispatcher and
domain for each test, parametrized over the three languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from assistant import ROOT
from assistant.knowledge import factbase
from assistant.knowledge.facts import LANGUAGES, FactBase
from tests.helpers import record

# The browser the widget's and the editor's tests drive (tests/e2e/, tests/cluster/): Debian's Chromium.
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(params=LANGUAGES)
def lang(request) -> str:
    return request.param


@pytest.fixture(autouse=True)
def unanswered_log(tmp_path, monkeypatch) -> Path:
    """Where the actions keep unanswered questions (and ratings) during a test: never the project's
    own logs."""
    log = tmp_path / "unanswered.jsonl"
    monkeypatch.setenv("UNANSWERED_LOG", str(log))
    monkeypatch.setenv("FEEDBACK_LOG", str(tmp_path / "feedback.jsonl"))
    return log


@pytest.fixture
def kb() -> FactBase:
    return factbase.current()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
def tracker():
    """Builds the tracker of a turn: the message as NLU understood it, and the slots before it."""

    def build(
        text: str,
        intent: str,
        entities: Optional[List[Dict[str, Any]]] = None,
        slots: Optional[Dict[str, Any]] = None,
        metadata: Optional[Dict[str, Any]] = None,
        detected: Optional[str] = None,
        ranking: Optional[List[str]] = None,
        events: Optional[List[Dict[str, Any]]] = None,
        parsed: Optional[Dict[str, Any]] = None,
    ) -> Tracker:
        message = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "entities": entities or [],
            "metadata": metadata or {},
            "language": detected,  # what assistant.understanding.nlu_components.LanguageDetector found
            "intent_ranking": [
                {"name": name, "confidence": 0.9 if n == 0 else 0.05} for n, name in enumerate(ranking or [intent])
            ],
            **(parsed or {}),  # what other NLU components add, e.g. "gap"
        }
        user_event = {"event": "user", "text": text, "parse_data": message}
        return Tracker(
            sender_id="test",
            slots={"language": None, "topic": None, "subject": None, **(slots or {})},
            latest_message=message,
            events=[*(events or []), user_event],
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )

    return build


class FactEdits:
    """Changes an editor makes to the fact base, as functions of its parsed YAML."""

    NEW_SOURCE = "city_2026"

    record = staticmethod(record)

    def add_source(self, data) -> str:
        """A newer page of the city's, cited without a copy of it."""
        data["sources"].append(
            {
                "id": self.NEW_SOURCE,
                "publisher": data["sources"][0]["publisher"],
                "title": {
                    "fi": "Kansainvälinen toiminta",
                    "sv": "Internationell verksamhet",
                    "en": "International activities",
                },
                "date": "2026-01-15",
            }
        )
        return self.NEW_SOURCE

    def new_headcount(self, data) -> None:
        """ECHA's headcount from the newer page: 700 instead of 600."""
        fact = self.record(data, "facts", "echa_staff")
        fact.update(source=self.add_source(data), quote="ECHA sysselsätter cirka 700 sakkunniga.")
        fact["text"].update(
            fi="ECHA työllistää noin 700 asiantuntijaa.",
            sv="ECHA sysselsätter cirka 700 sakkunniga.",
            en="ECHA employs about 700 experts.",
        )

    def new_partner(self, data) -> None:
        """Lisbon, a partner city the 2019 page does not name."""
        data["entities"].append(
            {
                "id": "lisbon",
                "type": "city",
                "names": {"fi": "Lissabon", "sv": "Lissabon", "en": "Lisbon"},
                "aliases": {"fi": ["Lisboa"], "sv": ["Lisboa"], "en": ["Lisboa"]},
            }
        )
        data["facts"].append(
            {
                "id": "lisbon_partner",
                "topic": "partners",
                "about": ["lisbon"],
                "source": self.add_source(data),
                "quote": "Lissabon är en ny samarbetspartner.",
                "text": {
                    "fi": "Lissabon on uusi kumppani.",
                    "sv": "Lissabon är en ny samarbetspartner.",
                    "en": "Lisbon is a new partner.",
                },
            }
        )

    def missing_language(self, data) -> None:
        self.record(data, "facts", "echa_staff")["text"].pop("sv")

    @staticmethod
    def rename_topic(data) -> None:
        """ECHA's topic renamed "chemicals" everywhere in the fact base; the trained intent stays ask_echa."""
        for topic in data["topics"]:
            topic["id"] = "chemicals" if topic["id"] == "echa" else topic["id"]
            topic["related"] = ["chemicals" if r == "echa" else r for r in topic["related"]]
        for fact in data["facts"]:
            fact["topic"] = "chemicals" if fact["topic"] == "echa" else fact["topic"]

    @staticmethod
    def remove_kotka(data) -> None:
        """Kotka taken out of the fact base, while a conversation may still be about it."""
        data["entities"] = [e for e in data["entities"] if e["id"] != "kotka"]
        for fact in data["facts"]:
            fact["about"] = [a for a in fact["about"] if a != "kotka"]

    @staticmethod
    def kotka_without_facts(data) -> None:
        """Kotka kept as an entity, but no fact about it any more: refused."""
        for fact in data["facts"]:
            fact["about"] = [a for a in fact["about"] if a != "kotka"]


@pytest.fixture
def fact_edits() -> FactEdits:
    return FactEdits()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"no browser at {CHROMIUM}: install Debian's chromium (apt-get install chromium, as .ci/run does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
