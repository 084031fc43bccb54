"""Fixtures for testing the actions without Rasa running: a fresh Tracker, CollectingDispatcher and
domain for each test, parametrized over the three languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from assistant import factbase
from assistant.factbase import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=LANGUAGES)
def lang(request) -> str:
    return request.param


@pytest.fixture(autouse=True)
def unanswered_log(tmp_path, monkeypatch) -> Path:
    """Where the actions keep unanswered questions during a test: never the project's own log."""
    log = tmp_path / "unanswered.jsonl"
    monkeypatch.setenv("UNANSWERED_LOG", str(log))
    return log


@pytest.fixture
def kb() -> factbase.FactBase:
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
    ) -> Tracker:
        message = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "entities": entities or [],
            "metadata": metadata or {},
            "language": detected,  # what assistant.nlu_components.LanguageDetector found
            "intent_ranking": [{"name": name, "confidence": 0.1} for name in (ranking or [intent])],
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
