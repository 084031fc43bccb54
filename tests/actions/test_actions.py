"""The custom action, in each language, with a fresh tracker, dispatcher and domain per test: what it
reads of the turn and the conversation, what it sends, and what it keeps. What it answers is
assistant.answering's (tests/answering/)."""

from __future__ import annotations

import asyncio
import json
import re

import pytest

from actions.actions import ActionAnswer
from assistant.answering.render import messages
from assistant.answering.state import State
from assistant.knowledge import factbase
from assistant.knowledge.factbase import FactBaseError
from tests.helpers import fact

QUESTIONS = {"fi": "mikä on ECHA", "sv": "vad är ECHA", "en": "what is ECHA"}
ECHA = [{"entity": "organisation", "value": "echa", "start": 8, "end": 12}]  # where each QUESTIONS names it


def run(dispatcher, tracker, domain):
    events = asyncio.run(ActionAnswer().run(dispatcher, tracker, domain))
    assert len(dispatcher.messages) == 1
    return dispatcher.messages[0], {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def ask_about_echa(tracker, lang, **kwargs):
    entities = [dict(e, start=QUESTIONS[lang].index("ECHA"), end=QUESTIONS[lang].index("ECHA") + 4) for e in ECHA]
    return tracker(QUESTIONS[lang], "ask_echa", entities, detected=lang, **kwargs)


def test_an_answer_comes_with_its_sources_language_and_id_and_the_conversations_state(
    kb, lang, tracker, dispatcher, domain
):
    message, slots = run(dispatcher, ask_about_echa(tracker, lang), domain)
    assert message["text"].startswith(fact("echa", lang))
    caption = message["custom"]
    assert caption["language"] == lang and caption["facts"][0] == "echa"
    assert caption["sources"][0]["url"] == kb.sources["international_work_2019"].url[lang]
    assert re.fullmatch(r"[0-9a-f]{32}", caption["answer"])  # what a rating of it names
    assert messages()["source"][lang].split("{")[0] not in message["text"]  # the sources are the caption's
    assert 1 <= len(message["buttons"]) <= 3
    assert set(slots) == set(State.SLOTS) <= set(domain["slots"])
    assert (slots["language"], slots["subject"], slots["topic"]) == (lang, "echa", "echa")
    assert slots["facts"] == caption["facts"]


def test_the_conversation_is_read_from_the_slots(kb, lang, tracker, dispatcher, domain):
    where = {"fi": "missä se on?", "sv": "var ligger den?", "en": "where is it?"}[lang]
    state = State(lang, "echa", "echa", ("echa",)).to_slots()
    message, slots = run(dispatcher, tracker(where, "nlu_fallback", detected=lang, slots=state), domain)
    assert message["text"].startswith(fact("echa_move", lang))
    assert slots["kind"] == "where"


def test_a_button_is_answered_by_its_payload_alone(kb, lang, tracker, dispatcher, domain):
    turn = tracker(
        '/ask_about{"organisation": "echa"}',
        "ask_about",
        [{"entity": "organisation", "value": "echa"}],
        metadata={"language": lang},
    )
    message, _ = run(dispatcher, turn, domain)
    assert message["text"].startswith(fact("echa", lang))


def test_the_citys_own_name_is_no_word_of_the_question(kb, lang, tracker, dispatcher, domain):
    text = {
        "fi": "onko helsingillä ystävyyskaupunkeja",
        "sv": "har helsingfors vänskapsstäder",
        "en": "does helsinki have twin cities",
    }[lang]
    message, slots = run(dispatcher, tracker(text, "ask_twin_cities", detected=lang), domain)
    assert message["text"].startswith(f"{messages()['lead_no'][lang]} {fact('no_twin_cities', lang)}")


def test_the_metadata_language_wins_over_the_message(kb, lang, tracker, dispatcher, domain):
    other = "en" if lang != "en" else "fi"
    message, _ = run(dispatcher, ask_about_echa(tracker, other, metadata={"language": lang}), domain)
    assert message["text"].startswith(fact("echa", lang))


def test_a_sure_message_language_wins_over_the_conversations(kb, lang, tracker, dispatcher, domain):
    other = "fi" if lang != "fi" else "sv"
    message, slots = run(dispatcher, ask_about_echa(tracker, lang, slots={"language": other}), domain)
    assert message["text"].startswith(fact("echa", lang)) and slots["language"] == lang


def test_the_conversations_language_holds_for_a_message_too_short_to_tell(kb, lang, tracker, dispatcher, domain):
    """ "ECHA?" in a Finnish conversation was answered in English (issue 23)."""
    other = "en" if lang != "en" else "sv"
    turn = tracker(
        "ECHA?",
        "ask_echa",
        [dict(ECHA[0], start=0, end=4)],
        detected=other,
        slots={"language": lang},
        parsed={"language_sure": False},
    )
    message, slots = run(dispatcher, turn, domain)
    assert message["text"].startswith(fact("echa", lang)) and slots["language"] == lang


def test_another_language_gets_the_languages_spoken_in_english_and_the_conversation_keeps_its_own(
    lang, tracker, dispatcher, domain
):
    turn = tracker("Wie viele Leute arbeiten bei der ECHA?", "ask_staff", detected="other", slots={"language": lang})
    message, slots = run(dispatcher, turn, domain)
    assert message["text"].startswith(messages()["languages"]["en"])
    assert message["custom"]["language"] == "en" and slots["language"] == lang


def test_a_gap_is_kept_for_the_editors_masked(lang, tracker, dispatcher, domain, unanswered_log):
    text = {
        "fi": "mikä on EU-toimiston puhelinnumero 040 1234567 ja budjetti",
        "sv": "vad är EU-byråns budget, ring 040 1234567",
        "en": "what is the eu office budget, call 040 1234567",
    }
    turn = tracker(
        text[lang],
        "ask_eu_office",
        [{"entity": "organisation", "value": "eu_office", "start": 0, "end": 0}],
        detected=lang,
    )
    message, _ = run(dispatcher, turn, domain)
    assert factbase.current().freshness.feedback in message["text"]
    (entry,) = [json.loads(line) for line in unanswered_log.read_text(encoding="utf-8").splitlines()]
    assert entry["kind"] == "gap" and entry["language"] == lang and "1234567" not in entry["text"]


@pytest.mark.parametrize(
    "intent, key", [("greet", "greet"), ("bot_challenge", "bot_challenge"), ("ask_capabilities", "capabilities")]
)
def test_small_talk(lang, tracker, dispatcher, domain, intent, key):
    text = {"greet": "hei", "bot_challenge": "are you a bot", "ask_capabilities": "what can you do"}[intent]
    message, _ = run(dispatcher, tracker(text, intent, detected=lang), domain)
    assert message["text"] == messages()[key][lang]
    assert message["buttons"] and all(b["payload"].startswith("/ask_") for b in message["buttons"])
    assert "answer" not in message["custom"]  # nothing to rate


def test_without_facts_it_says_so_and_keeps_running(lang, tracker, dispatcher, domain, monkeypatch):
    def broken():
        raise FactBaseError(["facts.yml:3: fact 'x': text: broken"])

    monkeypatch.setattr(factbase, "current", broken)
    message, slots = run(dispatcher, ask_about_echa(tracker, lang), domain)
    assert message["text"] == messages()["facts_unavailable"][lang] and slots["language"] == lang
