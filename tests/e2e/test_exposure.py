"""What the servers expose: the management API, the listening addresses, CORS."""

import uuid

import pytest
import requests

from tests.helpers import LOOPBACK, listening_sockets

API_ROUTES = ["/status", "/version", "/domain", "/conversations/someone/tracker"]


@pytest.mark.parametrize("route", API_ROUTES)
def test_the_management_api_is_off_by_default(servers, route):
    assert requests.get(servers.rasa_url + route, timeout=10).status_code == 404


@pytest.fixture(scope="module")
def rasa_with_api(servers):
    """A second Rasa server started as make run would with RASA_API_TOKEN set."""
    token = uuid.uuid4().hex
    process, url = servers.another_rasa(RASA_API_TOKEN=token)
    yield url, token
    process.terminate()
    process.wait(timeout=60)


@pytest.mark.parametrize("route", ["/status", "/domain", "/conversations/someone/tracker"])
def test_the_management_api_when_enabled_needs_the_token(rasa_with_api, route):
    url, token = rasa_with_api

    def status(**params):
        return requests.get(url + route, params=params, headers={"Accept": "application/json"}, timeout=10).status_code

    assert status() == 401
    assert status(token="wrong") == 401
    assert status(token=token) == 200


def test_every_server_listens_on_loopback_only(servers):
    for name, port in [
        ("actions", servers.action_port),
        ("rasa", servers.rasa_port),
        ("web", servers.web_port),
        ("redis", servers.redis_port),
    ]:
        assert [address for address, listening, _ in listening_sockets() if listening == port] == [LOOPBACK], name


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost:9999", "null"])
def test_only_the_page_may_call_from_a_browser(servers, origin):
    url = servers.rasa_url + "/webhooks/rest/webhook"
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    page = f"http://127.0.0.1:{servers.web_port}"
    allowed = requests.options(url, headers={"Origin": page, **preflight}, timeout=10)
    assert allowed.headers.get("Access-Control-Allow-Origin") == page
    refused = requests.options(url, headers={"Origin": origin, **preflight}, timeout=10)
    assert "Access-Control-Allow-Origin" not in refused.headers
