"""The REST channel's settings reach Rasa: without Rasa's server, with its action call's HTTP request
replaced."""

import asyncio

import pytest
import rasa.core.actions.action
from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from assistant.channel import action_result
from assistant.channel.rest_channel import ResidentRestInput


def test_rasas_action_call_waits_only_the_channels_timeout(monkeypatch):
    """rest_channel.py sets rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT (Rasa 3.6 has no setting
    for it); this fails if a Rasa upgrade stops reading it on each action call."""
    monkeypatch.setattr(rasa.core.actions.action, "DEFAULT_REQUEST_TIMEOUT", 300)  # restored afterwards
    asked = {}

    async def request(self, method="post", subpath=None, content_type="application/json", **kwargs):
        asked.update(kwargs)
        return {"events": [], "responses": []}

    monkeypatch.setattr(EndpointConfig, "request", request)
    ResidentRestInput.from_credentials({"action_timeout": 1.5})
    action = RemoteAction("action_answer", EndpointConfig("http://127.0.0.1:5055/webhook"))
    tracker = DialogueStateTracker("resident", [])
    asyncio.run(action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker, Domain.empty()))
    assert asked["timeout"] == 1.5


def run_action_returning(reply, monkeypatch):
    """Rasa's RemoteAction, as the server runs it, with this reply from the action server."""

    async def request(self, method="post", subpath=None, content_type="application/json", **kwargs):
        return reply

    monkeypatch.setattr(EndpointConfig, "request", request)
    action = RemoteAction("action_answer", EndpointConfig("http://127.0.0.1:5055/webhook"))
    return asyncio.run(
        action.run(
            CollectingOutputChannel(),
            TemplatedNaturalLanguageGenerator({}),
            DialogueStateTracker("r", []),
            Domain.empty(),
        )
    )


def test_rasas_check_of_the_action_servers_reply_builds_its_validator_once(monkeypatch):
    """The channel makes Rasa check the action server's reply with a validator built once
    (assistant/channel/action_result.py); this fails if a Rasa upgrade stops calling the method it replaces."""
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)  # restored after
    action_result.validator.cache_clear()
    ResidentRestInput.from_credentials({})
    checked = []
    monkeypatch.setattr(action_result, "best_match", lambda errors: checked.append(True) or best_match(errors))
    reply = {
        "events": [{"event": "slot", "name": "language", "value": "sv", "timestamp": None}],
        "responses": [{"text": "Hej!", "custom": {"language": "sv"}}],
    }
    for _ in range(3):
        events = run_action_returning(reply, monkeypatch)
        assert [(e.as_dict()["event"], e.as_dict().get("text")) for e in events] == [("bot", "Hej!"), ("slot", None)]
    assert len(checked) == 3 and action_result.validator.cache_info().misses == 1


def test_an_invalid_reply_from_the_action_server_is_refused_as_rasa_words_it(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    ResidentRestInput.from_credentials({})
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        run_action_returning({"events": "not a list", "responses": []}, monkeypatch)
