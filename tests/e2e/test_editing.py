"""A fact base edit reaches residents within 2 s, with no retraining or restart; a broken edit changes
nothing and is reported in the log."""

import time

import pytest
import yaml

from assistant.answering.render import messages
from assistant.knowledge import factbase
from tests.helpers import text_of

LIVE_WITHIN = 2  # seconds from the save to the answer that has the edit


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


# An editor's change must not break the replies (issue 14): each used to end in "technical problem".


def test_a_renamed_topic_is_still_answered_by_the_questions_words(servers, sender, editor, fact_edits):
    """The trained intent ask_echa names a topic the fact base no longer has."""
    editor(fact_edits.rename_topic)
    replies = text_of(servers.ask(sender, "so what is echa exactly", metadata={"language": "en"}))
    assert replies.startswith(factbase.current().facts["echa"].text["en"])


def test_a_conversation_about_a_removed_entity_goes_on(servers, sender, editor, fact_edits):
    servers.ask(sender, "and kotka then?", metadata={"language": "en"})
    editor(fact_edits.remove_kotka)
    replies = text_of(servers.ask(sender, "since when, then?", metadata={"language": "en"}))
    assert replies and messages()["no_answer"]["en"] not in replies and "Kotka:" not in replies


def test_an_entity_left_without_facts_is_refused_and_the_facts_keep_serving(servers, sender, editor, fact_edits):
    editor(fact_edits.kotka_without_facts)
    replies = text_of(servers.ask(sender, "and kotka then?", metadata={"language": "en"}))
    assert factbase.current().facts["helsinki_centre_partners_left"].text["en"] in replies
    assert "entity 'kotka': id: no fact is about this entity" in servers.logs()
