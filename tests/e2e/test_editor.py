"""The fact base editor under `make run`, in Chromium: an editor ends Tallinn's cooperation agreement
with a source of its own, on the test's copy of the facts (its own database, seeded from facts/); a
publisher publishes it; and the widget answers "is Tallinn still a partner?" with the history (the
time it took is printed: issue 24 asks for 2 s). Before it is published, the editor's preview answers
so from the draft, beside the reply residents get then. axe-core finds no WCAG 2.1 A or AA violation on the editor's pages."""

import os
import time

import pytest

from assistant.answering.render import say
from editor_browser import make_account
from pages import ask, bot_text, wcag_violations

PASSWORD = "kaksitoista merkkiä ainakin"
ENDING_WORDS = "The cooperation agreement between Helsinki and Tallinn has ended."
HISTORY = {"fi": "Helsingin ja Tallinnan yhteistyösopimus päättyi marraskuussa 2026.",
           "sv": "Samarbetsavtalet mellan Helsingfors och Tallinn upphörde i november 2026.",
           "en": "The cooperation agreement between Helsinki and Tallinn ended in November 2026."}


@pytest.fixture(scope="module")
def accounts(make_run):
    url, process, output, tracker_db, front = make_run
    env = {**os.environ, "TRACKER_STORE_URL": f"sqlite:///{tracker_db}"}
    make_account("eeva", PASSWORD, "editor", env)
    make_account("pekka", PASSWORD, "publisher", env)
    return front


def logged_in(browser, front, name, locale="en-GB"):
    page = browser.new_context(locale=locale).new_page()
    page.goto(f"{front}/editor/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{front}/editor/")
    return page


def saved(page):
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for(timeout=30_000)


def test_an_ended_fact_published_by_another_is_what_the_widget_answers_within_2_seconds(browser, accounts):
    front = accounts
    editor = logged_in(browser, front, "eeva")
    editor.goto(f"{front}/editor/editor/source/add/")
    editor.fill("#id_record_id", "tallinn_ending_2026")
    for lang, publisher in (("fi", "Testi"), ("sv", "Test"), ("en", "Test")):
        editor.fill(f"#id_publisher_{lang}", publisher)
    editor.fill("#id_url", "https://example.org/tallinn")
    editor.fill("#id_date", "2026-11-02")
    editor.fill("#id_text", ENDING_WORDS)  # its words, which the ending's quote is checked against
    editor.fill("#id_note", "the source that says the agreement ended")
    saved(editor)
    editor.goto(f"{front}/editor/editor/fact/?q=tallinn_agreement")
    editor.get_by_role("link", name="tallinn_agreement", exact=True).click()
    editor.fill("#id_ended_date", "2026-11-02")
    editor.select_option("#id_ended_source", "tallinn_ending_2026")
    editor.fill("#id_ended_quote", ENDING_WORDS)
    for lang, text in HISTORY.items():
        editor.fill(f"#id_history_{lang}", text)
    editor.fill("#id_note", "the agreement ended")
    saved(editor)
    # Before it is published: the draft's reply beside the one residents get now.
    draft, residents = previewed(editor, front, "is tallinn still a partner?", "en")
    assert draft.startswith(say("lead_no_longer", "en")) and HISTORY["en"].rstrip(".") in draft, draft
    assert residents.startswith(say("lead_yes", "en")) and HISTORY["en"].rstrip(".") not in residents  # not yet
    draft, _ = previewed(editor, front, "onko tallinna viel kumppani", "fi")  # in Finnish, with a typo
    assert draft.startswith(say("lead_no_longer", "fi")) and HISTORY["fi"].rstrip(".") in draft, draft

    publisher = logged_in(browser, front, "pekka")
    publisher.goto(f"{front}/editor/editor/publication/")
    publisher.fill("#publish-note", "checked against the source")
    widget = browser.new_context(locale="en-GB").new_page()  # a resident on the page meanwhile
    widget.goto(front + "/")
    publisher.get_by_role("button", name="Publish").click()
    publisher.locator(".messagelist .success").wait_for(timeout=30_000)
    published_at = time.monotonic()

    # The 2 s target is a speed, measured here and printed, not asserted (machines differ): the answer
    # must be the history, from a question asked at once after publishing, or soon after.
    while True:
        asked = time.monotonic() - published_at
        captions = widget.locator(".message--bot .message__caption")
        before = captions.count()
        ask(widget, "is tallinn still a partner?")
        captions.nth(before).wait_for(timeout=30_000)  # the answer's sources: it is all there
        reply = bot_text(widget)[-1]
        if HISTORY["en"].rstrip(".") in reply:  # the source is cited before its full stop
            break
        assert asked < 10, f"the widget still answers without the history: {reply}"
    answered = time.monotonic() - published_at
    assert reply.startswith(say("lead_no_longer", "en")), reply
    print(f"the widget showed the history {answered:.2f} s after the publication, "
          f"for a question sent {asked:.2f} s after it")


def previewed(page, front, question, lang):
    """The preview's replies to the question, from the draft and as residents get it now."""
    page.goto(f"{front}/editor/editor/publication/preview/")
    page.fill("#id_question", question)
    page.select_option("#id_language", lang)
    page.get_by_role("button", name="Ask", exact=True).click()
    row = page.locator(".preview-replies tbody tr").last
    row.wait_for(timeout=30_000)
    draft, residents = (row.locator("td").nth(n).inner_text() for n in (0, 1))
    return draft, residents


@pytest.mark.parametrize("locale", ["fi-FI", "sv-SE", "en-GB"])
def test_no_wcag_a_or_aa_violation_on_the_editors_pages(browser, accounts, locale):
    front = accounts
    anonymous = browser.new_context(locale=locale).new_page()
    anonymous.goto(f"{front}/editor/login/")
    found = {"login": wcag_violations(anonymous)}
    page = logged_in(browser, front, "pekka", locale)
    for name, path in (("index", "/editor/"), ("facts", "/editor/editor/fact/"),
                       ("a new source", "/editor/editor/source/add/"), ("a new entity", "/editor/editor/entity/add/"),
                       ("publications", "/editor/editor/publication/"), ("sources", "/editor/editor/source/"),
                       ("preview", "/editor/editor/publication/preview/"), ("residents' signals", "/editor/signals/")):
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


def test_a_fact_is_changed_and_published_by_keyboard_alone(browser, accounts):
    """No mouse: the editor reaches each field and the save button with Tab, the publisher likewise."""
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
