"""The preview (editor/preview.py) through Django's test client, against a REST channel on a local port
that answers as the assistant's does and keeps what it was sent: each question goes to both sides
with its own token, sender and the language chosen; the draft as it is when asked is kept under the
draft's token; a draft with problems is not asked about; replies and questions show as text. That
the assistant answers from the kept draft is tests/knowledge/test_previews.py's; the two together in Chromium
under make run, tests/e2e/test_editor.py's."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from assistant.knowledge import previews
from editor import preview
from editor.models import Fact, Preview
from tests.editor.conftest import browser
from tests.editor.test_admin import FACT_URL, form_data

URL = "/editor/editor/publication/preview/"


class Channel(ThreadingHTTPServer):
    """The REST channel's part the preview uses: a reply of its own to each message, and the
    requests it got."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received = []
        self.reply = lambda request: [
            {"recipient_id": request["sender"], "text": f"reply to {request['message']}"},
            {"recipient_id": request["sender"], "custom": {"text": "Source: the city, 2019"}},
        ]
        self.status = 200


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.received.append((self.path, request))
        body = json.dumps(self.server.reply(request)).encode()
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def channel(settings):
    server = Channel()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.ASSISTANT_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()


def test_a_question_goes_to_the_draft_and_to_what_residents_get_and_both_replies_show(editor, channel):
    client = browser(editor)
    fact = Fact.objects.get(record_id="echa_staff")
    drafted = "ECHA sysselsätter cirka 600 sakkunniga, i utkastet."
    client.post(FACT_URL.format(fact.pk), form_data(fact, text_sv=drafted))
    response = client.post(URL, {"question": "hur många jobbar på echa", "language": "sv"})
    assert response.status_code == 302
    (path, draft), (_, residents) = channel.received
    assert path == "/webhooks/rest/webhook"
    assert draft["message"] == residents["message"] == "hur många jobbar på echa"
    assert draft["metadata"]["language"] == residents["metadata"]["language"] == "sv"
    assert draft["sender"] != residents["sender"] and draft["metadata"]["preview"] != residents["metadata"]["preview"]
    for request in (draft, residents):
        assert previews.TOKEN.fullmatch(request["metadata"]["preview"])
    kept = Preview.objects.get(token=draft["metadata"]["preview"])
    assert next(f for f in kept.document["facts"] if f["id"] == "echa_staff")["text"]["sv"].endswith("i utkastet.")
    assert kept.digest and Preview.objects.get(token=residents["metadata"]["preview"]).document is None

    page = client.get(URL).content.decode()
    assert page.count("reply to hur många jobbar på echa") == 2 and page.count("Source: the city, 2019") == 2


def test_a_follow_up_continues_both_conversations_and_a_new_one_starts_afresh(editor, channel):
    client = browser(editor)
    client.post(URL, {"question": "mikä on echa", "language": "fi"})
    client.post(URL, {"question": "entä missä se on", "language": "fi"})
    first, second = channel.received[:2], channel.received[2:]
    assert [r["sender"] for _, r in first] == [r["sender"] for _, r in second]
    assert [r["metadata"]["preview"] for _, r in first] == [r["metadata"]["preview"] for _, r in second]
    assert Preview.objects.count() == 2
    client.post(URL, {"new": ""})
    assert Preview.objects.count() == 0  # the old conversation's previews are void
    client.post(URL, {"question": "mikä on echa", "language": "fi"})
    assert {r["sender"] for _, r in channel.received[4:]}.isdisjoint({r["sender"] for _, r in first})
    assert "entä missä se on" not in client.get(URL).content.decode()


def test_a_draft_with_problems_is_not_asked_about_and_its_problems_are_shown(editor, channel):
    fact = Fact.objects.get(record_id="echa_staff")
    Fact.objects.filter(pk=fact.pk).update(data={**fact.data, "source": "no_such_source"})
    client = browser(editor)
    page = client.post(URL, {"question": "how many work at echa", "language": "en"}, follow=True).content.decode()
    assert channel.received == [] and Preview.objects.count() == 0
    assert "echa_staff" in page and "no_such_source" in page


def test_when_the_assistant_does_not_answer_the_page_says_why(editor, channel):
    channel.status = 503
    channel.reply = lambda request: {"error": "busy", "message": "Too many questions at once."}
    page = browser(editor).post(URL, {"question": "echa?", "language": "en"}, follow=True).content.decode()
    assert page.count("Too many questions at once.") == 2


def test_markup_in_a_question_or_a_reply_shows_as_text(editor, channel):
    channel.reply = lambda request: [{"text": "<img src=x onerror=alert(1)>"}]
    page = (
        browser(editor)
        .post(URL, {"question": "<script>alert(1)</script> echa", "language": "en"}, follow=True)
        .content.decode()
    )
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; echa" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_no_preview_without_login_nor_without_its_csrf_token(editor, channel):
    assert Client().get(URL)["Location"].startswith("/editor/login/")
    assert Client().post(URL, {"question": "echa", "language": "en"}).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(URL, {"question": "echa", "language": "en"}).status_code == 403
    assert channel.received == []


def test_previews_older_than_a_login_go(editor):
    from django.utils import timezone

    from assistant.knowledge import publications

    preview.keep(editor, "o" * 43)
    Preview.objects.update(asked_at=timezone.now() - publications.EDITOR_SESSION)
    preview.keep(editor, "n" * 43)
    assert list(Preview.objects.values_list("token", flat=True)) == ["n" * 43]


def test_the_preview_speaks_the_browsers_language_and_asks_in_it_first(editor):
    page = browser(editor).get(URL, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Förhandsgranska utkastet" in page and '<option value="sv" selected>' in page
