"""The REST channel's settings reach Rasa: without Rasa's server, with its action call's HTTP request
replaced."""

import asyncio

import rasa.core.actions.action
from rasa.core.actions.action import RemoteAction
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from assistant.rest_channel import ResidentRestInput


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
