"""The editor's pages (editor/admin.py, editor/forms.py) through Django's test client: nothing without
login, nothing posted without its CSRF token, a fact ended through its form with each problem beside
its field, markup shown as text, the change's author and note in its history, an editor who cannot
publish, passwords only hashed, and logins throttled."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from editor.forms import FactForm
from editor.models import Fact, Publication, Source, SourceText
from tests.editor.conftest import PASSWORD, account, browser

FACT_URL = "/editor/editor/fact/{}/change/"
PAGES = [
    "/editor/",
    "/editor/editor/fact/",
    "/editor/editor/source/",
    "/editor/editor/publication/",
    "/editor/editor/fact/add/",
    "/editor/auth/user/",
]


def form_data(fact: Fact, **changes) -> dict:
    """What the fact's form posts when nothing is changed in it, with `changes`."""
    form = FactForm(instance=fact)
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update({"record_id": fact.record_id, "note": "test", **changes})
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_no_page_without_login(seeded):
    fact = Fact.objects.get(record_id="tallinn_agreement")
    anonymous = Client()
    for url in PAGES + [FACT_URL.format(fact.pk), f"{FACT_URL.format(fact.pk)}../history/"]:
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/editor/login/"), url
    response = anonymous.post(FACT_URL.format(fact.pk), form_data(fact, text_en="changed"))
    assert response.status_code == 302 and "changed" not in str(Fact.objects.get(pk=fact.pk).data)
    assert anonymous.post("/editor/editor/publication/publish/", {"note": "x"}).status_code == 302


def test_a_post_without_its_csrf_token_is_refused(editor):
    fact = Fact.objects.get(record_id="tallinn_agreement")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    response = strict.post(FACT_URL.format(fact.pk), form_data(fact, text_en="Tallinn, changed."))
    assert response.status_code == 403
    assert "changed" not in Fact.objects.get(pk=fact.pk).data["text"]["en"]


def test_an_editor_ends_a_fact_with_its_source_and_sees_each_problem_beside_its_field(editor):
    """Tallinn's partnership ended, on the test database: the ending source and its text added through
    their forms, then the fact's form."""
    client = browser(editor)
    words = "The cooperation agreement with Tallinn ended."
    source = {
        "record_id": "test_ending_2026",
        "kind": "",
        "publisher_fi": "Testi",
        "publisher_sv": "Test",
        "publisher_en": "Test",
        "url": "https://example.org/ending",
        "date": "2026-11-01",
        "sureness": "sure",
        "text": words,
        "note": "new source, with its words",
    }
    refused = client.post("/editor/editor/source/add/", {**source, "date": "1 Nov"})
    assert set(refused.context["adminform"].form.errors) == {"date"}  # beside its field
    assert not Source.objects.filter(record_id="test_ending_2026")
    assert not SourceText.objects.filter(name__contains="test")
    assert client.post("/editor/editor/source/add/", source).status_code == 302
    kept = SourceText.objects.get(name="sources/test_ending_2026.txt")
    assert kept.text == words and kept.history.first().history_change_reason == "new source, with its words"
    assert Source.objects.get(record_id="test_ending_2026").data["file"] == kept.name
    fact = Fact.objects.get(record_id="tallinn_agreement")
    client = browser(editor)
    ending = dict(
        ended_date="2026-11-01",
        ended_sureness="sure",
        ended_source="test_ending_2026",
        history_fi="Helsingin ja Tallinnan sopimus päättyi marraskuussa 2026.",
        history_sv="Avtalet mellan Helsingfors och Tallinn upphörde i november 2026.",
        history_en="The agreement between Helsinki and Tallinn ended in November 2026.",
    )
    wrong = client.post(FACT_URL.format(fact.pk), form_data(fact, ended_quote="Tallinn left.", **ending))
    errors = wrong.context["adminform"].form.errors
    assert set(errors) == {"ended_quote"}, errors  # beside its field, and only there
    assert "not found verbatim" in errors["ended_quote"][0]
    assert "ended" not in Fact.objects.get(pk=fact.pk).data

    right = client.post(
        FACT_URL.format(fact.pk),
        form_data(
            fact, ended_quote="The cooperation agreement with Tallinn ended.", note="the agreement ended", **ending
        ),
    )
    assert right.status_code == 302, right.context["adminform"].form.errors
    ended = Fact.objects.get(pk=fact.pk).data["ended"]
    assert ended["source"] == "test_ending_2026" and ended["date"] == "2026-11-01"
    latest = Fact.history.filter(record_id="tallinn_agreement").first()
    assert latest.history_user == editor and latest.history_change_reason == "the agreement ended"
    history = client.get(f"/editor/editor/fact/{fact.pk}/history/").content.decode()
    assert "the agreement ended" in history and editor.username in history
    assert "ended.source: — → test_ending_2026" in history  # the diff, field by field


def test_a_source_text_change_that_breaks_a_quote_is_refused(editor):
    text = SourceText.objects.get(name="sources/since-2019.md")
    response = browser(editor).post(
        f"/editor/editor/sourcetext/{text.pk}/change/",
        {"name": text.name, "text": text.text.replace("Tallinn", "Tartu"), "note": "typo"},
    )
    errors = response.context["adminform"].form.errors
    assert "tallinn_agreement" in " ".join(errors["text"]) and "Tartu" not in SourceText.objects.get(pk=text.pk).text


def test_a_save_without_a_note_is_refused(editor):
    fact = Fact.objects.get(record_id="tallinn_agreement")
    response = browser(editor).post(FACT_URL.format(fact.pk), form_data(fact, note=""))
    assert "note" in response.context["adminform"].form.errors


def test_markup_typed_into_a_fact_shows_as_text(editor):
    fact = Fact.objects.get(record_id="tallinn_agreement")
    client = browser(editor)
    markup = '<script>alert("x")</script>'
    # A question is free text to the validation: the markup is saved as typed.
    questions = form_data(fact)["questions_en"] + "\n" + markup
    assert client.post(FACT_URL.format(fact.pk), form_data(fact, questions_en=questions)).status_code == 302
    assert markup in Fact.objects.get(pk=fact.pk).data["questions"]["en"]
    page = client.get(FACT_URL.format(fact.pk)).content.decode()
    assert markup not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_an_editor_cannot_publish_through_the_page(editor, publisher):
    """A change by a publisher, which the editor did not make (so four eyes would let them) and another
    publisher can publish: only the editor's role refuses it."""
    fact = Fact.objects.get(record_id="tallinn_agreement")
    questions = form_data(fact)["questions_en"] + "\nis tallinn a friend city"
    assert browser(publisher).post(FACT_URL.format(fact.pk), form_data(fact, questions_en=questions)).status_code == 302
    browser(editor).post("/editor/editor/publication/publish/", {"note": "please"})
    assert Publication.objects.count() == 1
    browser(account("paula", "publisher")).post("/editor/editor/publication/publish/", {"note": "checked"})
    assert Publication.objects.count() == 2


def test_a_publisher_publishes_through_the_page(editor, publisher):
    fact = Fact.objects.get(record_id="tallinn_agreement")
    questions = form_data(fact)["questions_en"] + "\nis tallinn a friend city"
    assert browser(editor).post(FACT_URL.format(fact.pk), form_data(fact, questions_en=questions)).status_code == 302
    browser(publisher).post("/editor/editor/publication/publish/", {"note": "a question residents ask"})
    latest = Publication.objects.first()
    assert latest.published_by == publisher and latest.note == "a question residents ask"


def test_passwords_are_stored_hashed_and_never_logged(seeded, caplog):
    caplog.set_level(logging.DEBUG)
    user = get_user_model().objects.create_user("anna", password=PASSWORD, is_staff=True)
    Client().post("/editor/login/", {"username": "anna", "password": PASSWORD})
    Client().post("/editor/login/", {"username": "anna", "password": PASSWORD + "x"})
    stored = get_user_model().objects.get(pk=user.pk).password
    assert stored.startswith("pbkdf2_sha256$") and PASSWORD not in stored
    assert caplog.records and PASSWORD not in caplog.text


def test_logins_are_throttled(seeded):
    get_user_model().objects.create_user("anna", password=PASSWORD, is_staff=True)
    client = Client()
    for _ in range(5):
        client.post("/editor/login/", {"username": "anna", "password": "wrong password"})
    response = client.post("/editor/login/", {"username": "anna", "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert Client().post("/editor/login/", {"username": "anna", "password": PASSWORD}).status_code == 429


@pytest.mark.parametrize("url", ["/editor/login/", "/editor/"])
def test_the_editors_pages_send_a_content_security_policy_without_inline_script(editor, url):
    response = browser(editor).get(url)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_earlier_version_is_restored_as_a_new_version_with_its_note(editor):
    fact = Fact.objects.get(record_id="tallinn_agreement")
    original = fact.data["text"]["en"]
    client = browser(editor)
    edited = (
        "Helsinki and Tallinn signed an updated cooperation agreement on 8 April 2022; "
        "it updates the one of 29 May 2018."
    )
    assert client.post(FACT_URL.format(fact.pk), form_data(fact, text_en=edited)).status_code == 302
    assert Fact.objects.get(pk=fact.pk).data["text"]["en"] == edited
    first = Fact.history.filter(id=fact.pk).order_by("history_date").first()  # as seeded
    restore_url = f"/editor/editor/fact/{fact.pk}/history/{first.history_id}/"
    page = client.get(restore_url)
    assert page.status_code == 200 and page.context["adminform"].form.initial["text_en"] == original
    restored = client.post(restore_url, form_data(first.instance, note="back to the source's wording"))
    assert restored.status_code == 302, restored.context["adminform"].form.errors
    assert Fact.objects.get(pk=fact.pk).data["text"]["en"] == original
    notes = list(Fact.history.filter(id=fact.pk).values_list("history_change_reason", flat=True))
    assert notes[0] == "back to the source's wording" and len(notes) == 3  # seeded, edited, restored


def test_the_publish_form_is_shown_to_publishers_only(editor, publisher):
    assert b'name="note"' not in browser(editor).get("/editor/editor/publication/").content
    page = browser(publisher).get("/editor/editor/publication/").content.decode()
    assert 'action="/editor/editor/publication/publish/"' in page and "csrfmiddlewaretoken" in page


def test_djangos_system_checks_pass_and_the_migrations_match_the_models(seeded):
    from django.core.management import call_command

    call_command("check", fail_level="WARNING")
    call_command("makemigrations", "editor", check=True, dry_run=True)  # SystemExit if a migration is missing


@pytest.mark.parametrize(
    "lang, note, publish",
    [
        ("fi", "Huomautus: mikä muuttui ja miksi", "Julkaise luonnos"),
        ("sv", "Anteckning: vad som ändrades och varför", "Publicera utkastet"),
        ("en", "Note: what changed and why", "Publish the draft"),
    ],
)
def test_the_editor_speaks_the_browsers_language(publisher, lang, note, publish):
    client = browser(publisher)
    fact = Fact.objects.get(record_id="echa_staff")
    page = client.get(FACT_URL.format(fact.pk), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert note in page and f'lang="{lang}"' in page
    assert publish in client.get("/editor/editor/publication/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
