"""What the page tests in Chromium share (tests/e2e/, tests/cluster/): asking the widget, reading its
answers, axe-core's WCAG 2.1 A and AA rules over a page; and the editor's pages, as an editor uses
them to end Tallinn's cooperation agreement, preview it and have it published."""

import time

from assistant.answering.render import say

PASSWORD = "kaksitoista merkkiä ainakin"
ENDING_WORDS = "The cooperation agreement between Helsinki and Tallinn has ended."
HISTORY = {
    "fi": "Helsingin ja Tallinnan yhteistyösopimus päättyi marraskuussa 2026.",
    "sv": "Samarbetsavtalet mellan Helsingfors och Tallinn upphörde i november 2026.",
    "en": "The cooperation agreement between Helsinki and Tallinn ended in November 2026.",
}

WCAG_A_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def ask(page, text):
    page.get_by_role("textbox").fill(text)
    page.locator("#send").click()


def bot_text(page):
    return page.locator(".message--bot").all_inner_texts()


def wcag_violations(page):
    """axe-core's WCAG 2.1 A and AA rules over the page as it is (axe-playwright-python bundles axe)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_A_AA)
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]


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


def end_tallinn_agreement(editor, front):
    """The editor adds the source that says the agreement ended, with its words, and ends the fact."""
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


def publish(publisher, front, note):
    """Publishes the draft; returns when the page says so (time.monotonic())."""
    publisher.goto(f"{front}/editor/editor/publication/")
    publisher.fill("#publish-note", note)
    publisher.get_by_role("button", name="Publish").click()
    publisher.locator(".messagelist .success").wait_for(timeout=30_000)
    return time.monotonic()


def widget_tells_the_history(widget, published_at, within=10):
    """Asks the widget "is tallinn still a partner?" until it tells the history; fails if a question
    sent `within` seconds after publishing does not. The 2 s target is a speed, printed by the caller,
    not asserted (machines differ). Returns when the last question was sent, and when it was answered,
    in seconds after publishing."""
    while True:
        asked = time.monotonic() - published_at
        captions = widget.locator(".message--bot .message__caption")
        before = captions.count()
        ask(widget, "is tallinn still a partner?")
        captions.nth(before).wait_for(timeout=30_000)  # the answer's sources: it is all there
        reply = bot_text(widget)[-1]
        if tells_the_history(reply):
            return asked, time.monotonic() - published_at
        assert asked < within, f"the widget still answers without the history: {reply}"


def tells_the_history(reply, lang="en"):
    """Whether a reply to "is Tallinn still a partner?" is "No longer." and the history (the source is
    cited before the history's full stop)."""
    return reply.startswith(say("lead_no_longer", lang)) and HISTORY[lang].rstrip(".") in reply
