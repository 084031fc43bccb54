"""What the page tests in Chromium share: asking the widget, reading its answers, and axe-core's WCAG
2.1 A and AA rules over a page."""

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
