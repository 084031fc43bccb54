"""The chat widget in a real browser: Debian's Chromium driven by Playwright, against the real servers.

Every request the page makes to a host other than its own (which passes the REST channel on to the
Rasa server, assistant/channel/front.py) is recorded and blocked, and fails the test.
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from assistant.knowledge import factbase
from tests.helpers import fact
from tests.pages import ask, bot_text, wcag_violations

# Screenshots go here, not into docs/: `make test` leaves tracked files as they are.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "results" / "screenshots"
ANSWER_TIMEOUT = 30_000  # ms


@pytest.fixture
def page(browser, servers):
    """A fresh browser profile on the widget's page; fails the test on any request to another host."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    allowed = {
        urlsplit(servers.page_url).netloc
    }  # the REST channel is on the page's origin (assistant/channel/front.py)
    foreign = []

    def guard(route):
        if urlsplit(route.request.url).netloc in allowed:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(servers.page_url)
    yield page
    context.close()
    assert foreign == [], f"requests to other hosts: {foreign}"
    assert dialogs == [], f"the page ran script from a message: {dialogs}"


@pytest.mark.parametrize(
    "lang, question, fact_id",
    [("fi", "Mikä on ECHA?", "echa"), ("sv", "Vad är ECHA?", "echa"), ("en", "What is ECHA?", "echa")],
)
def test_ask_in_each_language(page, lang, question, fact_id):
    page.select_option("#language", lang)
    assert page.locator("html").get_attribute("lang") == lang
    ask(page, question)
    page.get_by_text(fact(fact_id, lang), exact=False).wait_for(timeout=ANSWER_TIMEOUT)


def test_the_browser_language_is_the_default(browser, servers):
    context = browser.new_context(locale="sv-FI")
    page = context.new_page()
    page.goto(servers.page_url)
    assert page.locator("#language").input_value() == "sv"
    assert page.locator("#send").inner_text() == "Skicka"
    context.close()


def test_the_language_is_sent_as_the_residents_only_once_chosen(page):
    """Until the resident picks a language, the browser's is only the page's (a hint, after the
    language of the resident's own words); the widget used to send it as a choice (issue 14)."""
    import json

    sent = []
    page.on("request", lambda r: sent.append(json.loads(r.post_data)) if r.url.endswith("/webhook") else None)
    ask(page, "mikä on echa")
    page.get_by_text(fact("echa", "fi")).wait_for(timeout=ANSWER_TIMEOUT)  # the words' language, not en-GB
    page.select_option("#language", "sv")
    ask(page, "och sedan när")
    page.get_by_text(fact("echa_since", "sv")).wait_for(timeout=ANSWER_TIMEOUT)
    assert [r["metadata"] for r in sent] == [{"page_language": "en"}, {"language": "sv", "page_language": "sv"}]


def test_a_quick_reply_sends_its_payload(page):
    page.select_option("#language", "en")
    ask(page, "Does Helsinki have twin cities?")
    page.get_by_text(fact("no_twin_cities", "en")).wait_for(timeout=ANSWER_TIMEOUT)
    page.locator(".replies button", has_text="Which are Helsinki's main partner cities?").click()
    page.get_by_text(fact("main_partners", "en")).wait_for(timeout=ANSWER_TIMEOUT)
    assert page.locator(".message--user").last.inner_text() == "Which are Helsinki's main partner cities?"


def test_the_conversation_survives_a_reload(page):
    page.select_option("#language", "fi")
    ask(page, "Mikä on ECHA?")
    page.get_by_text(fact("echa_staff", "fi"), exact=False).wait_for(timeout=ANSWER_TIMEOUT)
    page.reload()
    assert "Mikä on ECHA?" in page.locator(".message--user").all_inner_texts()
    assert any(fact("echa_staff", "fi") in text for text in bot_text(page))
    # The same conversation goes on at the server too: a follow-up still knows the subject.
    ask(page, "kuinka moni siellä työskentelee?")
    page.locator(".message--bot", has_text=fact("echa_staff", "fi")).nth(1).wait_for(timeout=ANSWER_TIMEOUT)


def test_markup_is_shown_literally_and_runs_nothing(page):
    markup = "<img src=x onerror=alert(1)>"
    ask(page, markup)
    page.locator(".message--bot").nth(1).wait_for(timeout=ANSWER_TIMEOUT)
    assert page.locator(".message--user").last.inner_text() == markup
    assert page.locator("#log img").count() == 0


def test_server_down_shows_an_error_and_retry_needs_no_retyping(page, servers):
    page.select_option("#language", "sv")
    webhook = servers.front_webhook
    page.route(webhook, lambda route: route.abort())
    ask(page, "Vad är ECHA?")
    error = page.get_by_role("alert")
    error.wait_for(timeout=ANSWER_TIMEOUT)
    assert "Det gick inte att nå servern" in error.inner_text()
    page.unroute(webhook)
    page.get_by_role("button", name="Försök igen").click()
    page.get_by_text(fact("echa", "sv"), exact=False).wait_for(timeout=ANSWER_TIMEOUT)
    assert page.locator(".message--user").all_inner_texts().count("Vad är ECHA?") == 1
    assert error.is_hidden()


def test_a_busy_server_is_waited_for_as_it_says_and_asked_once_more(page, servers):
    """A 503 with Retry-After (assistant/channel/admission.py): the resident is told, and the message goes again
    after that wait, without retyping; the second answer is shown as any other."""
    page.select_option("#language", "fi")
    webhook = servers.front_webhook
    sent = []

    def first_busy(route):
        sent.append(route.request.post_data)
        if len(sent) > 1:
            return route.continue_()
        route.fulfill(
            status=503,
            content_type="application/json",
            body=json.dumps({"error": "busy"}),
            headers={"Retry-After": "2"},
        )

    page.route(webhook, first_busy)
    ask(page, "Mikä on ECHA?")
    page.locator("#status", has_text="Juuri nyt kysyjiä on enemmän").wait_for(timeout=ANSWER_TIMEOUT)
    assert len(sent) == 1  # not before the wait the server asked for
    page.get_by_text(fact("echa", "fi"), exact=False).wait_for(timeout=ANSWER_TIMEOUT)
    assert len(sent) == 2 and sent[0] == sent[1]
    assert page.locator(".message--user").all_inner_texts().count("Mikä on ECHA?") == 1
    assert page.get_by_role("alert").is_hidden() and page.locator("#status").inner_text() == ""


def test_keyboard_only(page):
    page.select_option("#language", "en")
    page.locator("#input").focus()
    page.keyboard.type("Which city networks is Helsinki part of?")
    page.keyboard.press("Enter")
    page.get_by_text(fact("ucue", "en"), exact=False).wait_for(timeout=ANSWER_TIMEOUT)
    page.locator(".replies button").first.focus()
    page.keyboard.press("Enter")
    page.locator(".message--user").nth(1).wait_for(timeout=ANSWER_TIMEOUT)


def test_accessible_structure(page):
    log = page.locator("#log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    assert page.get_by_role("textbox", name="Type your question").count() == 1
    assert page.get_by_role("combobox", name="Language").count() == 1


DISCLOSED = {
    "fi": (
        "automaattinen avustaja, ei ihminen",
        "Älä kirjoita henkilötietoja",
        "Tietosuojaseloste",
        "Saavutettavuusseloste",
    ),
    "sv": (
        "automatisk assistent, inte en människa",
        "Skriv inga personuppgifter",
        "Dataskyddsbeskrivning",
        "Tillgänglighetsutlåtande",
    ),
    "en": (
        "automated assistant, not a person",
        "Please do not type personal data",
        "Privacy notice",
        "Accessibility statement",
    ),
}


@pytest.mark.parametrize("lang", DISCLOSED)
def test_the_resident_is_told_it_is_a_machine_before_typing_anything(browser, servers, lang):
    """EU AI Act, Art. 50: at the latest at the first interaction; with the privacy notice and the
    accessibility statement a link away, each in the page's language."""
    context = browser.new_context(locale={"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}[lang])
    page = context.new_page()
    page.goto(servers.page_url)
    machine, no_personal_data, privacy, accessibility = DISCLOSED[lang]
    disclosure = page.locator("#disclosure")
    assert (
        disclosure.is_visible() and machine in disclosure.inner_text() and no_personal_data in disclosure.inner_text()
    )
    assert page.locator(".message--user").count() == 0 and page.locator("#input").input_value() == ""
    for name, page_name in ((privacy, "privacy"), (accessibility, "accessibility")):
        link = page.get_by_role("link", name=name)
        assert link.get_attribute("href") == f"{page_name}.{lang}.html"
        opened = context.new_page()
        response = opened.goto(f"{servers.page_url}{page_name}.{lang}.html")
        assert response.ok and opened.locator("html").get_attribute("lang") == lang
        assert opened.get_by_role("heading", level=1, name=name).count() == 1
        assert "https://palautteet.hel.fi" in opened.content()
        opened.close()
    context.close()


@pytest.mark.parametrize("name, width, height", [("phone", 360, 740), ("desktop", 1280, 800)])
def test_screenshots(browser, servers, name, width, height):
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(servers.page_url)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"widget-{name}-first.png"))  # what a resident sees first
    ask(page, "Is Tallinn a partner?")
    page.get_by_text(fact("main_partners", "en"), exact=False).wait_for(timeout=ANSWER_TIMEOUT)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing sticks out
    page.screenshot(path=str(SCREENSHOTS / f"widget-{name}.png"))
    context.close()


def test_bot_markup_is_text_and_web_links_are_links(page, servers):
    reply = [{"text": "<img src=x onerror=alert(1)> See https://www.hel.fi/en for more.", "buttons": []}]
    page.route(
        servers.front_webhook,
        lambda route: route.fulfill(json=reply, headers={"Access-Control-Allow-Origin": "*"}),
    )
    ask(page, "anything")
    bubble = page.locator(".message--bot").last
    bubble.wait_for(timeout=ANSWER_TIMEOUT)
    assert bubble.inner_text() == reply[0]["text"]
    assert page.locator("#log img").count() == 0
    assert bubble.locator("a").get_attribute("href") == "https://www.hel.fi/en"


def test_the_sources_are_a_caption_under_the_answer_with_links(page):
    page.select_option("#language", "en")
    ask(page, "Is St Petersburg still a partner?")
    kb = factbase.current()
    page.get_by_text(kb.facts["st_petersburg_partner"].ended.history["en"][:40], exact=False).wait_for(
        timeout=ANSWER_TIMEOUT
    )
    bubble = page.locator(".message--bot").last
    caption = bubble.locator(".message__caption")
    caption.wait_for(timeout=ANSWER_TIMEOUT)
    source = kb.sources["war_in_ukraine_2022"]
    link = caption.get_by_role("link", name=source.title["en"])
    assert link.get_attribute("href") == source.url["en"]
    assert "probably March 2022" in caption.inner_text() and "may be out of date" in caption.inner_text()
    answer_size = float(bubble.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    caption_size = float(caption.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert caption_size < answer_size
    assert "Source:" not in bubble.inner_text()
    page.reload()  # the caption is kept with the answer
    page.locator(".message--bot .message__caption a", has_text=source.title["en"]).wait_for(timeout=ANSWER_TIMEOUT)


def test_delete_conversation_erases_it_on_the_server_and_in_the_browser(page, servers):
    page.select_option("#language", "en")
    ask(page, "What is ECHA?")
    page.get_by_text(fact("echa", "en"), exact=False).wait_for(timeout=ANSWER_TIMEOUT)
    old_sender = page.evaluate("localStorage.getItem('hia.sender')")
    assert servers.stored_events(old_sender)
    page.get_by_role("button", name="Delete conversation").click()
    dialog = page.get_by_role("dialog")
    assert dialog.is_visible() and "cannot be restored" in dialog.inner_text()
    page.keyboard.press("Escape")  # a second thought: nothing happens
    assert servers.stored_events(old_sender) and page.locator(".message--user").count() == 1
    page.get_by_role("button", name="Delete conversation").click()
    page.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_role("status").get_by_text("The conversation was deleted.").wait_for(timeout=ANSWER_TIMEOUT)
    assert servers.stored_events(old_sender) == []
    assert page.locator(".message--user").count() == 0
    assert page.evaluate("localStorage.getItem('hia.history')") is None
    ask(page, "What is UCUE?")
    page.get_by_text(fact("ucue", "en"), exact=False).wait_for(timeout=ANSWER_TIMEOUT)
    new_sender = page.evaluate("localStorage.getItem('hia.sender')")
    assert new_sender != old_sender and servers.stored_events(old_sender) == []


def test_an_answer_can_be_rated_by_keyboard_once(page, servers):
    """Under an answer, "Was this answer helpful?" with yes and no, in the answer's language; a rating is
    sent once, thanked for in a status message, and stays rated after a reload."""
    page.select_option("#language", "sv")
    ask(page, "vad gör echa")
    page.get_by_text(fact("echa", "sv"), exact=False).wait_for(timeout=ANSWER_TIMEOUT)
    answer = page.locator(".message--bot").last
    rating = answer.get_by_role("group", name="Var svaret till hjälp?")
    rating.wait_for(timeout=ANSWER_TIMEOUT)
    assert page.locator(".message--bot").first.get_by_role("group").count() == 0  # the welcome is no answer
    sent = []
    page.on("request", lambda r: sent.append(json.loads(r.post_data)) if r.url.endswith("/feedback") else None)
    rating.get_by_role("button", name="Nej").focus()
    page.keyboard.press("Enter")
    page.get_by_role("status").get_by_text("Tack för din respons.").wait_for(timeout=ANSWER_TIMEOUT)
    assert [(s["helpful"], len(s["answer"])) for s in sent] == [(False, 32)]
    assert answer.get_by_role("button").count() == 0 and "Tack för din respons." in answer.inner_text()
    assert page.evaluate("document.activeElement.id") == "input"
    (record,) = [r for r in servers.ratings() if r["answer"] == sent[0]["answer"]]
    assert record["helpful"] is False and record["topic"] == "echa" and record["language"] == "sv"
    page.reload()
    page.get_by_text(fact("echa", "sv"), exact=False).wait_for(timeout=ANSWER_TIMEOUT)
    answer = page.locator(".message--bot").last
    assert answer.get_by_role("button").count() == 0 and "Tack för din respons." in answer.inner_text()


def test_each_reply_carries_its_own_language(browser, servers):
    """WCAG 3.1.2: a Swedish reply on a page in Finnish is marked Swedish, and stays so after a reload."""
    context = browser.new_context(locale="fi-FI")
    page = context.new_page()
    page.goto(servers.page_url)
    assert page.locator("html").get_attribute("lang") == "fi"
    ask(page, "Vad gör ECHA i Helsingfors?")
    page.get_by_text(fact("echa", "sv"), exact=False).wait_for(timeout=ANSWER_TIMEOUT)
    answer = page.locator(".message--bot").last
    assert answer.get_attribute("lang") == "sv" and page.locator("html").get_attribute("lang") == "fi"
    assert page.locator(".message--bot").first.get_attribute("lang") == "fi"  # the welcome, in the page's
    page.reload()
    page.get_by_text(fact("echa", "sv"), exact=False).wait_for(timeout=ANSWER_TIMEOUT)
    assert page.locator(".message--bot").last.get_attribute("lang") == "sv"
    context.close()


QUESTION = {"fi": "Mikä on ECHA?", "sv": "Vad är ECHA?", "en": "What is ECHA?"}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_no_wcag_a_or_aa_violation_in_any_state(page, servers, lang):
    """Empty, answered, rated, the error with "try again", and the delete confirmation open; also the privacy
    notice and the accessibility statement."""
    page.select_option("#language", lang)
    found = {"empty": wcag_violations(page)}
    ask(page, QUESTION[lang])
    page.get_by_text(fact("echa", lang), exact=False).wait_for(timeout=ANSWER_TIMEOUT)
    page.locator(".message__caption").first.wait_for(timeout=ANSWER_TIMEOUT)
    page.locator(".message__rating").first.wait_for(timeout=ANSWER_TIMEOUT)
    found["answered"] = wcag_violations(page)
    page.locator(".message__rating button").first.click()
    page.locator(".message__rating:not([role])").first.wait_for(timeout=ANSWER_TIMEOUT)
    found["rated"] = wcag_violations(page)
    webhook = servers.front_webhook
    page.route(webhook, lambda route: route.abort())
    ask(page, QUESTION[lang])
    page.get_by_role("alert").wait_for(timeout=ANSWER_TIMEOUT)
    found["error"] = wcag_violations(page)
    page.unroute(webhook)
    page.locator("#delete").click()
    page.get_by_role("dialog").wait_for()
    found["confirm delete"] = wcag_violations(page)
    for name in ("privacy", "accessibility"):
        page.goto(f"{servers.page_url}{name}.{lang}.html")
        found[name] = wcag_violations(page)
    assert {state: v for state, v in found.items() if v} == {}
