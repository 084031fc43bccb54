"""`rasa shell`'s print of the bot's messages (assistant/channel/shell.py), in each language: the action's
reply with a fresh tracker and dispatcher, split into messages as Rasa's channels split it, and printed
through Rasa's console with the shell's hook. The shell itself is run in tests/e2e/test_make_shell.py."""

from __future__ import annotations

import asyncio
import re
from typing import Any, Dict, List

from rasa.core.channels import console
from rasa.core.channels.channel import CollectingOutputChannel

from actions.actions import ActionAnswer
from assistant.answering.render import messages, show_date
from assistant.channel.shell import print_bot_output
from tests.actions.test_actions import ask_about_echa
from tests.helpers import fact

ANSI = re.compile(r"\033\[[0-9;]*m")


def channel_messages(dispatcher, tracker, domain) -> List[Dict[str, Any]]:
    """The action's reply as the shell receives it: the text with its buttons, then the custom field."""
    asyncio.run(ActionAnswer().run(dispatcher, tracker, domain))
    channel = CollectingOutputChannel()
    for message in dispatcher.messages:
        asyncio.run(channel.send_response("shell", {k: v for k, v in message.items() if v}))
    return channel.messages


def printed(replies: List[Dict[str, Any]], capsys) -> List[str]:
    """What the shell prints of the replies, the last as the latest (before the next prompt)."""
    for n, reply in enumerate(replies):
        print_bot_output(console._print_bot_output, reply, is_latest_message=n == len(replies) - 1)
    return ANSI.sub("", capsys.readouterr().out).splitlines()


def test_an_answer_is_followed_by_its_sources_as_plain_text(kb, lang, tracker, dispatcher, domain, capsys):
    replies = channel_messages(dispatcher, ask_about_echa(tracker, lang), domain)
    assert [set(r) - {"recipient_id"} for r in replies] == [{"text", "buttons"}, {"custom"}]
    lines = printed(replies, capsys)

    answer = next(n for n, line in enumerate(lines) if line.startswith(fact("echa", lang)))
    source = kb.sources[kb.facts["echa"].source]
    cited = f"{messages()['source'][lang].split('{')[0]}{source.publisher[lang]}: "
    caption = lines[answer + 1]
    assert caption.startswith(cited) and show_date(source.when, lang) in caption
    assert caption == replies[1]["custom"]["text"].splitlines()[0]
    shown = "\n".join(lines)
    assert not any(f'"{key}"' in shown for key in ("language", "answer", "facts", "sources"))
    assert replies[1]["custom"]["answer"] not in shown


def test_a_reply_with_no_sources_prints_nothing_of_its_custom_field(lang, tracker, dispatcher, domain, capsys):
    replies = channel_messages(dispatcher, tracker("hei", "greet", detected=lang), domain)
    assert replies[-1]["custom"] == {"language": lang}
    lines = printed(replies, capsys)
    assert lines[-1] == messages()["greet"][lang]
    assert not any(line.startswith(("Custom json", "{", '  "language"')) for line in lines)


def test_rasas_print_gets_the_rest_of_the_message_and_its_question_is_returned(capsys):
    """Rasa's print returns the question of the latest message's buttons, which its console asks next."""
    asked = []

    def rasa_print(message, is_latest_message=False):
        asked.append((message, is_latest_message))
        return "question"

    message = {"recipient_id": "shell", "text": "answer", "custom": {"language": "fi", "text": "caption"}}
    assert print_bot_output(rasa_print, message, is_latest_message=True) == "question"
    assert asked == [({"recipient_id": "shell", "text": "answer"}, True)]
    assert ANSI.sub("", capsys.readouterr().out) == "caption\n"
