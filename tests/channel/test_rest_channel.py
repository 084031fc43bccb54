"""The REST channel's settings reach Rasa: without Rasa's server, with its action call's HTTP request
replaced. Its routes' refusals, called without a server (tests/e2e/ sends them to one)."""

import asyncio
import json
from types import SimpleNamespace

import pytest
import rasa.core.actions.action
from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.core.channels import CollectingOutputChannel
from rasa.core.lock_store import InMemoryLockStore, LockError
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from assistant.answering.render import say
from assistant.channel import action_result
from assistant.channel.rest_channel import DEFAULT_RETRY_AFTER, ResidentRestInput
from assistant.storage import erasure
from assistant.storage.tracker_store import TrackerStoreUnavailable


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


def routes(monkeypatch, on_new_message=None, **settings):
    """The channel's routes by path, each called as Sanic calls it: with the request alone (Sanic 21.12 keeps a
    blueprint's routes in _future_routes until an app registers it)."""
    monkeypatch.setattr(rasa.core.actions.action, "DEFAULT_REQUEST_TIMEOUT", 300)  # the channel sets it: restored
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)  # likewise

    async def nothing_said(message):
        pass

    blueprint = ResidentRestInput(**settings).blueprint(on_new_message or nothing_said)
    return {route.uri: route.handler for route in blueprint._future_routes}


def post(handler, body, agent=None):
    request = SimpleNamespace(
        body=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
        app=SimpleNamespace(ctx=SimpleNamespace(agent=agent)),
    )
    response = asyncio.run(handler(request))
    return response.status, json.loads(response.body), response.headers


def an_agent():
    """What the forget and feedback routes use of Rasa's agent: an empty tracker store and a lock store."""
    return SimpleNamespace(tracker_store=InMemoryTrackerStore(Domain.empty()), lock_store=InMemoryLockStore())


@pytest.mark.parametrize("path", ["/webhook", "/forget", "/feedback"])
def test_a_body_that_is_no_object_is_refused_with_a_code_and_what_to_fix(monkeypatch, path):
    status, body, _ = post(routes(monkeypatch)[path], ["sender", "message"])
    assert (status, body["error"]) == (400, "not_an_object") and set(body) == {"error", "message"}


def test_a_rating_of_an_answer_the_conversation_was_not_given_is_refused(monkeypatch):
    rating = {"sender": "resident-1", "answer": "0" * 32, "helpful": True}
    status, body, _ = post(routes(monkeypatch)["/feedback"], rating, an_agent())
    assert (status, body["error"]) == (404, "unknown_answer") and set(body) == {"error", "message"}


def test_forgetting_a_conversation_with_nothing_stored_is_refused(monkeypatch):
    status, body, _ = post(routes(monkeypatch)["/forget"], {"sender": "resident-2"}, an_agent())
    assert (status, body["error"]) == (404, "unknown_conversation") and "nothing was erased" in body["message"]


def test_a_turn_whose_conversation_cannot_be_locked_is_to_be_sent_again(monkeypatch, lang):
    async def lock_not_had(message):
        raise LockError("the conversation's lock was not had in time")

    question = {"sender": "resident-3", "message": "Is the agency still in Kalasatama?", "metadata": {"language": lang}}
    status, body, headers = post(routes(monkeypatch, lock_not_had, retry_after=7)["/webhook"], question)
    assert status == 503 and body == {"error": "unavailable", "message": say("no_answer", lang)}
    assert headers["Retry-After"] == "7" and headers["Access-Control-Expose-Headers"] == "Retry-After"


def test_forgetting_while_the_tracker_store_fails_is_to_be_sent_again(monkeypatch):
    def failing(*args):
        raise TrackerStoreUnavailable("the database is down")

    monkeypatch.setattr(erasure, "erase", failing)
    status, body, headers = post(routes(monkeypatch)["/forget"], {"sender": "resident-4"}, an_agent())
    assert (status, body) == (503, {"error": "unavailable", "message": say("no_answer", "en")})
    assert headers["Retry-After"] == str(DEFAULT_RETRY_AFTER)
