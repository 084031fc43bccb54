"""The front of `make run` (http://localhost:8000/): the widget's page and files from web/, and the REST
channel on the same origin, passed on to the Rasa server (POST /webhooks/rest/...), as nginx is the
front of the cluster (deploy/nginx.conf).

When the Rasa server cannot answer (a Sanic worker killed in mid-turn resets its connections; a server
starting again refuses them for some seconds), the resident's browser gets 503 with Retry-After and
"technical problem, please try again", which the widget waits out and sends again, instead of a
network error. Nothing of such a turn was stored, or all of it: Rasa stores a turn when it is done.

    python -m assistant.channel.front   (WEB_PORT, default 8000; RASA_PORT, default 5005; scripts/run/run-servers web)
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Optional

from assistant import ROOT

WEB = ROOT / "web"
UPSTREAM_TIMEOUT = 120  # seconds, as nginx's proxy_read_timeout in the cluster
RETRY_AFTER = 2  # seconds
# The page names the Rasa server it talks to; served from here, it talks to this origin.
RASA_URL_META = '<meta name="rasa-url" content="http://localhost:5005">'
SAME_ORIGIN_META = '<meta name="rasa-url" content="">'


def page_language(body: bytes) -> Optional[str]:
    """The language the widget's request names, if it is JSON that names one."""
    try:
        metadata = json.loads(body).get("metadata") or {}
        return metadata.get("language") or metadata.get("page_language")
    except (ValueError, AttributeError):
        return None


# What the widget's page may load and talk to: its own files and its own origin, which passes the REST
# channel on (no inline script, no other host), and no page may frame it. nginx sends the same in the
# cluster (scripts/run/cluster.py fills it into deploy/nginx.conf).
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": PAGE_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

# Not passed on between the resident's connection and the editor's: each hop has its own.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "content-length",
    "proxy-authorization",
    "proxy-authenticate",
}


def app(upstream: str, web: Path = WEB, editor: Optional[str] = None):
    import aiohttp
    from aiohttp import web as aioweb

    from assistant.answering.render import say
    from assistant.understanding.language import reply_language

    index = (web / "index.html").read_text(encoding="utf-8").replace(RASA_URL_META, SAME_ORIGIN_META)
    session_key = aioweb.AppKey("session", aiohttp.ClientSession)

    async def page(_request):
        return aioweb.Response(text=index, content_type="text/html", charset="utf-8")

    async def proxy(request):
        body = await request.read()
        headers = {"Content-Type": request.headers.get("Content-Type", "application/json")}
        try:
            async with request.app[session_key].post(upstream + request.path_qs, data=body, headers=headers) as answer:
                passed = {k: answer.headers[k] for k in ("Content-Type", "Retry-After") if k in answer.headers}
                return aioweb.Response(status=answer.status, body=await answer.read(), headers=passed)
        except (aiohttp.ClientConnectionError, asyncio.TimeoutError):
            lang = reply_language(requested=page_language(body))
            return aioweb.json_response(
                {"error": "unavailable", "message": say("no_answer", lang)},
                status=503,
                headers={"Retry-After": str(RETRY_AFTER)},
            )

    async def to_editor(request):
        """The fact base editor (editor/, Django) under /editor/, on this origin: its cookies, CSRF
        token and security headers pass as they are, and its redirects are the browser's to follow."""
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        try:
            async with request.app[session_key].request(
                request.method,
                editor + request.path_qs,
                headers=headers,
                data=await request.read(),
                allow_redirects=False,
            ) as answer:
                passed = [
                    (k, v)
                    for k, v in answer.headers.items()
                    if k.lower() not in HOP_BY_HOP and k.lower() != "content-encoding"
                ]
                response = aioweb.Response(status=answer.status, body=await answer.read())
                for key, value in passed:
                    response.headers.add(key, value)
                return response
        except (aiohttp.ClientConnectionError, asyncio.TimeoutError):
            return aioweb.Response(
                status=503,
                text="The editor is starting or stopped: try again in a moment.",
                headers={"Retry-After": str(RETRY_AFTER)},
            )

    async def open_session(application):
        timeout = aiohttp.ClientTimeout(total=UPSTREAM_TIMEOUT)
        # A connection per turn: one kept alive may be one a restarted server no longer has.
        application[session_key] = aiohttp.ClientSession(
            timeout=timeout, connector=aiohttp.TCPConnector(force_close=True)
        )
        yield
        await application[session_key].close()

    @aioweb.middleware
    async def page_headers(request, handler):
        response = await handler(request)
        if not request.path.startswith("/editor/"):  # the editor sends its own (editor/settings.py)
            response.headers.update(PAGE_HEADERS)
        return response

    application = aioweb.Application(
        client_max_size=300 * 1024,  # the REST channel refuses more itself
        middlewares=[page_headers],
    )
    application.cleanup_ctx.append(open_session)
    application.router.add_get("/", page)
    application.router.add_get("/index.html", page)
    application.router.add_post("/webhooks/rest/{path:.*}", proxy)
    if editor:
        application.router.add_route("*", "/editor/{path:.*}", to_editor)
    application.router.add_static("/", web)
    return application


def main() -> None:
    from aiohttp import web as aioweb

    upstream = f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"
    editor = f"http://127.0.0.1:{os.environ.get('EDITOR_PORT', '8001')}"
    aioweb.run_app(
        app(upstream, editor=editor),
        host="127.0.0.1",
        port=int(os.environ.get("WEB_PORT", "8000")),
        print=None,
        access_log=None,
    )


if __name__ == "__main__":
    main()
