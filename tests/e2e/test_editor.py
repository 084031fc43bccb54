"""The fact base editor under `make run`, in Chromium: an editor ends Tallinn's cooperation agreement
with a source of its own, on the test's copy of the facts (its own database, seeded from facts/); a
publisher publishes it; and the widget answers "is Tallinn still a partner?" with the history (the
time it took is printed: issue 24 asks for 2 s). Before it is published, the editor's preview answers
so from the draft, beside the reply residents get then. axe-core finds no WCAG 2.1 A or AA violation
on the editor's pages."""

import os

import pytest

from assistant.answering.render import say
from tests.editor_browser import make_account
from tests.helpers import LOOPBACK, listening_sockets, socket_inodes
from tests.pages import (
    HISTORY,
    PASSWORD,
    end_tallinn_agreement,
    logged_in,
    previewed,
    publish,
    tells_the_history,
    wcag_violations,
    widget_tells_the_history,
)


@pytest.fixture(scope="module")
def accounts(make_run):
    url, process, output, tracker_db, front = make_run
    env = {**os.environ, "TRACKER_STORE_URL": f"sqlite:///{tracker_db}"}
    make_account("eeva", PASSWORD, "editor", env)
    make_account("pekka", PASSWORD, "publisher", env)
    return front


def test_the_editor_and_everything_else_make_run_starts_listen_on_loopback_only(make_run):
    url, process, *_ = make_run
    mine = socket_inodes(process.pid)
    listening = {(address, port) for address, port, inode in listening_sockets() if inode in mine}
    # Redis, the action server, the Rasa server, the page's origin and the editor, at least
    assert len({port for _, port in listening}) >= 5, listening
    assert {address for address, _ in listening} == {LOOPBACK}, listening


def test_an_ended_fact_published_by_another_is_what_the_widget_answers_within_2_seconds(browser, accounts):
    front = accounts
    editor = logged_in(browser, front, "eeva")
    end_tallinn_agreement(editor, front)
    # Before it is published: the draft's reply beside the one residents get now.
    draft, residents = previewed(editor, front, "is tallinn still a partner?", "en")
    assert tells_the_history(draft), draft
    assert residents.startswith(say("lead_yes", "en")) and HISTORY["en"].rstrip(".") not in residents  # not yet
    draft, _ = previewed(editor, front, "onko tallinna viel kumppani", "fi")  # in Finnish, with a typo
    assert tells_the_history(draft, "fi"), draft

    publisher = logged_in(browser, front, "pekka")
    widget = browser.new_context(locale="en-GB").new_page()  # a resident on the page meanwhile
    widget.goto(front + "/")
    published_at = publish(publisher, front, "checked against the source")
    asked, answered = widget_tells_the_history(widget, published_at)
    print(
        f"the widget showed the history {answered:.2f} s after the publication, "
        f"for a question sent {asked:.2f} s after it"
    )


@pytest.mark.parametrize("locale", ["fi-FI", "sv-SE", "en-GB"])
def test_no_wcag_a_or_aa_violation_on_the_editors_pages(browser, accounts, locale):
    front = accounts
    anonymous = browser.new_context(locale=locale).new_page()
    anonymous.goto(f"{front}/editor/login/")
    found = {"login": wcag_violations(anonymous)}
    page = logged_in(browser, front, "pekka", locale)
    for name, path in (
        ("index", "/editor/"),
        ("facts", "/editor/editor/fact/"),
        ("a new source", "/editor/editor/source/add/"),
        ("a new entity", "/editor/editor/entity/add/"),
        ("a new topic", "/editor/editor/topic/add/"),
        ("publications", "/editor/editor/publication/"),
        ("sources", "/editor/editor/source/"),
        ("preview", "/editor/editor/publication/preview/"),
        ("residents' signals", "/editor/signals/"),
    ):
        page.goto(front + path)
        found[name] = wcag_violations(page)
    page.goto(f"{front}/editor/editor/fact/?q=echa_staff")
    page.get_by_role("link", name="echa_staff", exact=True).click()
    found["fact"] = wcag_violations(page)
    page.click("input[name=_save]")  # without a note: the problem beside its field
    page.locator(".errorlist").first.wait_for()
    found["fact with a problem"] = wcag_violations(page)
    page.goto(page.url.replace("/change/", "/history/"))
    found["history"] = wcag_violations(page)
    page.goto(f"{front}/editor/editor/publication/preview/")
    page.fill("#id_question", "mikä on echa")
    page.press("#id_question", "Enter")
    page.locator(".preview-replies tbody tr").first.wait_for(timeout=30_000)
    found["preview with replies"] = wcag_violations(page)
    assert {state: v for state, v in found.items() if v} == {}


def test_a_fact_is_changed_previewed_and_published_by_keyboard_alone(browser, accounts):
    """No mouse: the editor reaches each field and the save button with Tab, and asks the preview; the
    publisher publishes likewise."""
    front = accounts
    editor = logged_in(browser, front, "eeva")  # typed, and sent with Enter
    editor.goto(f"{front}/editor/editor/fact/?q=echa_since")
    editor.get_by_role("link", name="echa_since", exact=True).focus()
    editor.keyboard.press("Enter")
    editor.locator("#id_questions_en").focus()
    editor.keyboard.press("End")
    editor.keyboard.type("\nsince when has echa been here")
    tab_to(editor, "#id_note")
    editor.keyboard.type("a question residents ask")
    tab_to(editor, "input[name=_save]")
    editor.keyboard.press("Enter")
    editor.locator(".messagelist .success").wait_for(timeout=30_000)
    editor.goto(f"{front}/editor/editor/publication/")  # the preview, reached from the publications
    tab_to(editor, ".preview-link a")
    editor.keyboard.press("Enter")
    editor.wait_for_url("**/preview/")
    tab_to(editor, "#id_question")
    editor.keyboard.type("since when has echa been here")
    tab_to(editor, ".preview-ask button.default")
    editor.keyboard.press("Enter")
    editor.locator(".preview-replies tbody tr").first.wait_for(timeout=30_000)

    publisher = logged_in(browser, front, "pekka")
    publisher.goto(f"{front}/editor/editor/publication/")
    tab_to(publisher, "#publish-note")
    publisher.keyboard.type("keyboard only")
    tab_to(publisher, ".publish button")
    publisher.keyboard.press("Enter")
    publisher.locator(".messagelist .success").wait_for(timeout=30_000)


def tab_to(page, selector, most=60):
    """Press Tab until the element is focused (fails if it never is: it cannot be reached by keyboard)."""
    for _ in range(most):
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reached with Tab")
