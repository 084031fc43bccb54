"""Unanswered questions kept for the editors (assistant/storage/unanswered.py), and `make report`."""

from __future__ import annotations

import asyncio
import csv
import datetime

from actions.actions import ActionAnswer
from assistant.storage import unanswered
from tests.helpers import make_report

QUESTION = {
    "fi": "Mikä on sää huomenna? Soita 040 123 4567",
    "sv": "Hur blir vädret i morgon? Ring 040 123 4567",
    "en": "What's the weather tomorrow? Call 040 123 4567",
}


def turn(tracker, lang, intent, ranking, **kwargs):
    return tracker(QUESTION[lang], intent, metadata={"language": lang}, ranking=ranking, **kwargs)


def kept():
    return unanswered.read()


def test_a_question_the_sources_do_not_answer_is_kept_masked_with_language_time_and_intents(
    lang, tracker, dispatcher, domain
):
    asyncio.run(ActionAnswer().run(dispatcher, turn(tracker, lang, "out_of_scope", ["out_of_scope", "greet"]), domain))
    (entry,) = kept()
    assert entry["kind"] == "gap" and entry["language"] == lang
    assert "040 123 4567" not in entry["text"] and "[phone]" in entry["text"]
    assert entry["text"] == QUESTION[lang].replace("040 123 4567", "[phone]")
    assert [i["name"] for i in entry["intents"]] == ["out_of_scope", "greet"]
    assert datetime.datetime.fromisoformat(entry["time"]).tzinfo is not None


def test_a_buttons_payload_is_no_question_to_keep(lang, tracker, dispatcher, domain):
    asyncio.run(
        ActionAnswer().run(
            dispatcher,
            tracker(
                '/ask_about{"city": "Oslo"}',
                "ask_about",
                [{"entity": "city", "value": "Oslo"}],
                metadata={"language": lang},
            ),
            domain,
        )
    )
    assert kept() == []


def test_an_answered_question_is_not_kept(lang, tracker, dispatcher, domain):
    asyncio.run(
        ActionAnswer().run(dispatcher, tracker("Mikä on ECHA?", "ask_echa", metadata={"language": lang}), domain)
    )
    assert kept() == []


def test_a_log_that_cannot_be_written_does_not_stop_the_reply(lang, tracker, dispatcher, domain, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(unanswered.LOG_ENV, str(blocker / "unanswered.jsonl"))  # its folder is a file
    asyncio.run(ActionAnswer().run(dispatcher, turn(tracker, lang, "out_of_scope", ["out_of_scope"]), domain))
    assert len(dispatcher.messages) == 1


def entry(
    text, lang="fi", kind="out_of_scope", intent="out_of_scope", confidence=0.8, time="2026-11-01T10:00:00+00:00"
):
    return {
        "time": time,
        "kind": kind,
        "language": lang,
        "text": text,
        "intents": [{"name": intent, "confidence": confidence}],
    }


def test_alike_questions_are_grouped_and_the_most_asked_come_first():
    entries = [
        entry("Mikä on sää huomenna?"),
        entry("What is the weather tomorrow?", "en"),
        entry("mikä on sää huomenna"),
        entry("Millainen sää on huomenna?"),
        entry("whats the weather like tomorrow", "en"),
        entry("Milloin kirjasto aukeaa?"),
    ]
    groups = unanswered.group(entries)
    assert [len(g.entries) for g in groups] == [3, 2, 1]
    assert groups[0].text == "Mikä on sää huomenna?"
    assert set(groups[0].variants) == {"mikä on sää huomenna", "Millainen sää on huomenna?"}
    assert {e["language"] for e in groups[1].entries} == {"en"}


def test_a_questions_numbers_are_words_of_it_too():
    groups = unanswered.group([entry("entä 1994?"), entry("entä 2019?"), entry("entä 1994")])
    assert [len(g.entries) for g in groups] == [2, 1]


def test_a_torn_line_is_skipped(unanswered_log):
    unanswered_log.write_text('{"time": "t", "kind": "fallback", "language": "fi", "text": "a"}\n{"time": "t", "te\n')
    assert [e["text"] for e in unanswered.read()] == ["a"]


def test_make_report_prints_the_groups_and_writes_a_csv(unanswered_log, tmp_path):
    for text in ["Mikä on sää huomenna?", "mikä on sää huomenna", "Vad kostar bussbiljetten?"]:
        unanswered.record("out_of_scope", text, "fi", [{"name": "out_of_scope", "confidence": 0.7}])
    out = tmp_path / "report.csv"
    run = make_report("--csv", str(out))
    assert run.returncode == 0, run.stderr
    assert "2  Mikä on sää huomenna?" in run.stdout and "1  Vad kostar bussbiljetten?" in run.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["count"], r["question"]) for r in rows] == [
        ("2", "Mikä on sää huomenna?"),
        ("1", "Vad kostar bussbiljetten?"),
    ]
    assert rows[0]["other_wordings"] == "mikä on sää huomenna" and rows[0]["best_intent"] == "out_of_scope"


def test_make_report_with_nothing_kept_says_so(tmp_path):
    run = make_report("--csv", str(tmp_path / "r.csv"))
    assert run.returncode == 0 and "No unanswered questions" in run.stdout
