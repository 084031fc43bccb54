"""assistant/channel/front.py on free ports, with a stand-in for the Rasa server: the page served to talk to its
own origin, the REST channel passed on as it answers, and 503 with Retry-After in the resident's
language when the server refuses or drops the connection."""

import asyncio
import json

import aiohttp
import pytest
from aiohttp import web

from assistant.answering.render import say
from assistant.channel import front
from tests.helpers import free_port


async def serve(application, port):
    runner = web.AppRunner(application)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


def stand_in_rasa(behaviour):
    async def webhook(request):
        return await behaviour(request)

    application = web.Application()
    application.router.add_post("/webhooks/rest/{path:.*}", webhook)
    return application


def through_front(behaviour, method, path, body=None):
    """(status, headers, text) of one request to the front, with the stand-in behaving so (None: no
    server at all)."""

    async def scenario():
        rasa_port, front_port = free_port(), free_port()
        runners = [await serve(stand_in_rasa(behaviour), rasa_port)] if behaviour else []
        runners.append(await serve(front.app(f"http://127.0.0.1:{rasa_port}"), front_port))
        try:
            async with aiohttp.ClientSession() as session:
                async with session.request(method, f"http://127.0.0.1:{front_port}{path}", json=body) as response:
                    return response.status, dict(response.headers), await response.text()
        finally:
            for runner in runners:
                await runner.cleanup()

    return asyncio.run(scenario())


def test_the_page_talks_to_its_own_origin():
    status, headers, text = through_front(None, "GET", "/")
    assert status == 200 and front.SAME_ORIGIN_META in text and front.RASA_URL_META not in text
    status, _, text = through_front(None, "GET", "/widget.js")
    assert status == 200 and "RASA_URL" in text


def test_the_rest_channels_answer_is_passed_on_as_it_is():
    async def busy(request):
        assert json.loads(await request.read())["message"] == "hei"
        return web.json_response({"error": "busy"}, status=503, headers={"Retry-After": "2"})

    status, headers, text = through_front(busy, "POST", "/webhooks/rest/webhook", {"sender": "s", "message": "hei"})
    assert (status, headers["Retry-After"], json.loads(text)) == (503, "2", {"error": "busy"})


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_server_that_refuses_gets_503_with_retry_after_in_the_residents_language(lang):
    body = {"sender": "s", "message": "hei", "metadata": {"page_language": lang}}
    status, headers, text = through_front(None, "POST", "/webhooks/rest/webhook", body)
    assert status == 503 and headers["Retry-After"].isdigit()
    assert json.loads(text) == {"error": "unavailable", "message": say("no_answer", lang)}


def test_a_connection_dropped_in_mid_turn_gets_503():
    async def dies(request):
        request.transport.abort()  # as a Sanic worker killed in mid-turn
        await asyncio.sleep(1)

    status, headers, _ = through_front(dies, "POST", "/webhooks/rest/webhook", {"sender": "s", "message": "hei"})
    assert status == 503 and headers["Retry-After"].isdigit()


def through_front_to_editor(behaviour, method, path, **request):
    """(status, headers as a list, text, the front's port) of one request to the front's /editor/,
    with a stand-in editor (None: no editor running)."""

    async def scenario():
        editor_port, front_port = free_port(), free_port()
        runners = []
        if behaviour:
            editor = web.Application()
            editor.router.add_route("*", "/editor/{path:.*}", behaviour)
            runners.append(await serve(editor, editor_port))
        runners.append(
            await serve(front.app("http://127.0.0.1:1", editor=f"http://127.0.0.1:{editor_port}"), front_port)
        )
        try:
            async with aiohttp.ClientSession() as session:
                async with session.request(
                    method, f"http://127.0.0.1:{front_port}{path}", allow_redirects=False, **request
                ) as response:
                    return response.status, list(response.headers.items()), await response.text(), front_port
        finally:
            for runner in runners:
                await runner.cleanup()

    return asyncio.run(scenario())


def test_the_editor_is_passed_on_with_its_cookies_headers_and_redirects():
    async def editor(request):
        seen = {
            "method": request.method,
            "path": request.path_qs,
            "host": request.host,
            "cookie": request.headers.get("Cookie"),
            "csrf": request.headers.get("X-CSRFToken"),
            "body": (await request.read()).decode(),
        }
        response = web.json_response(
            seen, status=302, headers={"Location": "/editor/login/", "Content-Security-Policy": "script-src 'self'"}
        )
        response.set_cookie("sessionid", "s1")
        response.set_cookie("csrftoken", "c1")
        return response

    status, headers, text, front_port = through_front_to_editor(
        editor,
        "POST",
        "/editor/editor/fact/1/change/?x=1",
        data="note=why",
        headers={"Cookie": "csrftoken=c0", "X-CSRFToken": "c0", "Content-Type": "application/x-www-form-urlencoded"},
    )
    seen = json.loads(text)
    assert status == 302 and ("Location", "/editor/login/") in headers
    assert (
        seen["method"] == "POST" and seen["path"] == "/editor/editor/fact/1/change/?x=1" and seen["body"] == "note=why"
    )
    assert seen["cookie"] == "csrftoken=c0" and seen["csrf"] == "c0"
    assert seen["host"] == f"127.0.0.1:{front_port}"  # the resident's Host: Django checks the Origin against it
    cookies = [value for key, value in headers if key == "Set-Cookie"]
    assert len(cookies) == 2 and ("Content-Security-Policy", "script-src 'self'") in headers


def test_an_editor_not_running_gets_503_with_retry_after():
    status, headers, _, _ = through_front_to_editor(None, "GET", "/editor/")
    assert status == 503 and dict(headers)["Retry-After"].isdigit()


@pytest.mark.parametrize("path", ["/", "/widget.js", "/privacy.fi.html"])
def test_the_page_and_its_files_allow_no_inline_script_no_other_origin_and_no_framing(path):
    status, headers, _ = through_front(None, "GET", path)
    policy = dict(item.split(" ", 1) for item in headers["Content-Security-Policy"].split("; "))
    assert status == 200 and headers["X-Content-Type-Options"] == "nosniff"
    assert policy["script-src"] == "'self'" and policy["connect-src"] == "'self'" and policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and "unsafe" not in headers["Content-Security-Policy"]
