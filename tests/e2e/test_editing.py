"""A fact base edit reaches residents within 2 s, with no retraining or restart; a broken edit changes
nothing and is reported in the log."""

import time

import pytest
import yaml

from assistant import factbase

LIVE_WITHIN = 2  # seconds from the save to the answer that has the edit


def text_of(replies):
    return "\n".join(r.get("text", "") for r in replies)


@pytest.fixture
def editor(servers):
    """Saves changes to the servers' fact base, and puts the original back afterwards."""
    original = servers.fact_base.read_text(encoding="utf-8")
    servers.ask("warm-up", "Mikä on ECHA?")  # a server's first answer also loads its models: not timed here

    def save(change):
        data = yaml.safe_load(original)
        change(data)
        servers.fact_base.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return time.monotonic()

    yield save
    servers.fact_base.write_text(original, encoding="utf-8")


def test_a_new_headcount_is_answered_within_2_s(servers, sender, editor, fact_edits):
    saved = editor(fact_edits.new_headcount)
    replies = servers.ask(sender, "How many people work at ECHA?")
    assert time.monotonic() - saved < LIVE_WITHIN
    assert "ECHA employs about 700 experts." in text_of(replies)


def test_a_new_partner_city_is_recognised_and_answered(servers, sender, editor, fact_edits):
    before = text_of(servers.ask(sender, "Onko Lissabon Helsingin kumppanikaupunki?"))
    assert "Lissabon on uusi kumppani." not in before
    saved = editor(fact_edits.new_partner)
    replies = servers.ask(sender, "Onko Lissabon Helsingin kumppanikaupunki?")
    assert time.monotonic() - saved < LIVE_WITHIN
    assert "Lissabon on uusi kumppani." in text_of(replies)
    assert "Lisbon is a new partner." in text_of(servers.ask(sender, "Is Lisboa a partner city of Helsinki?"))


def test_a_broken_edit_keeps_the_facts_and_is_logged(servers, sender, editor, fact_edits):
    editor(fact_edits.missing_language)
    replies = servers.ask(sender, "Hur många arbetar på ECHA?")
    assert factbase.current().facts["echa_staff"].text["sv"] in text_of(replies)
    assert "fact 'echa_staff': text.sv: language is missing" in servers.logs()
