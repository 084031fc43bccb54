"""Rasa custom actions: thin wrappers that read the turn from the tracker and reply via assistant.replies."""

from __future__ import annotations

import logging
import uuid
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant import factbase, unanswered
from assistant.factbase import FactBaseError
from assistant.language import reply_language
from assistant.replies import Context, Mention, Replies, unavailable

logger = logging.getLogger(__name__)

# Intents that never answer a question, so they are not offered as "did you mean" candidates.
NOT_CANDIDATES = {"nlu_fallback", "out_of_scope", "deny", "ask_about"}


def _reply(tracker: Tracker, dispatcher: CollectingDispatcher, compose) -> List[Dict[Text, Any]]:
    """Choose the language, compose the reply with `compose(replies)`, send it, and keep the context.
    A question the assistant could not answer is kept for the editors' report (assistant.unanswered)."""
    message = tracker.latest_message or {}
    metadata = message.get("metadata") or {}
    lang = reply_language(
        requested=metadata.get("language"),
        detected=message.get("language"),  # set by assistant.nlu_components.LanguageDetector
        current=tracker.get_slot("language"),
        page=metadata.get("page_language"),
    )
    try:
        replies = Replies(factbase.current(), lang)
    except FactBaseError as error:
        logger.error("cannot answer: %s", error)
        replies = None
    if replies is None:
        reply = unavailable(lang)
    else:
        reply = replies.by_words(message.get("text") or "") or compose(replies)
    if reply.unanswered:
        _keep_unanswered(tracker, reply.unanswered, lang)
    # The reply's language, and the sources and the age note, go in the message's custom field: the REST
    # channel returns it as a message of its own ({"custom": {...}}), by which the widget marks the
    # reply's language (WCAG 3.1.2) and shows the sources as a caption under it.
    custom = {"language": lang, **(reply.caption or {})}
    if custom.get("facts"):  # an answer, which the resident may rate (POST /webhooks/rest/feedback)
        custom["answer"] = uuid.uuid4().hex
    dispatcher.utter_message(
        text=reply.text, buttons=[{"title": t, "payload": p} for t, p in reply.buttons], json_message=custom
    )
    events = [SlotSet("language", lang)]
    if reply.context is not None:
        events += [SlotSet("topic", reply.context.topic), SlotSet("subject", reply.context.subject)]
    return events


def _keep_unanswered(tracker: Tracker, kind: str, lang: str) -> None:
    question = _question_text(tracker)
    if not question:
        return
    try:
        unanswered.record(kind, question, lang, tracker.latest_message.get("intent_ranking", []),
                          sender=tracker.sender_id)
    except OSError as error:  # the resident's reply matters more than the report
        logger.warning("unanswered question not kept: %s", error)


def _question_text(tracker: Tracker) -> Optional[str]:
    """The resident's own words: after a button ("None of these"), the question before it."""
    for event in reversed(tracker.events):
        if event.get("event") == "user" and event.get("text") and not event["text"].startswith("/"):
            return event["text"]
    return None


class ActionAnswer(Action):
    """Answers a question about the city's international work from the fact base."""

    def name(self) -> Text:
        return "action_answer"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        intent = tracker.get_intent_of_latest_message()
        mentions = [Mention(e["entity"], str(e["value"])) for e in tracker.latest_message.get("entities", [])]
        context = Context(tracker.get_slot("topic"), tracker.get_slot("subject"))
        question = tracker.latest_message.get("text") or ""
        return _reply(tracker, dispatcher, lambda replies: replies.answer(intent, mentions, context, question))


class ActionSmalltalk(Action):
    """Greetings, thanks, goodbyes, "are you a bot?" and "what can you do?"."""

    def name(self) -> Text:
        return "action_smalltalk"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        intent = tracker.get_intent_of_latest_message()
        return _reply(tracker, dispatcher, lambda replies: replies.smalltalk(intent))


class ActionOutOfScope(Action):
    def name(self) -> Text:
        return "action_out_of_scope"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        gap = message.get("gap")  # set by assistant.nlu_components.NotInSources
        mentions = [Mention(e["entity"], str(e["value"])) for e in message.get("entities", [])]
        question = message.get("text") or ""
        context = Context(tracker.get_slot("topic"), tracker.get_slot("subject"))
        return _reply(tracker, dispatcher, lambda replies: replies.out_of_scope(gap, mentions, question, context))


class ActionClarify(Action):
    """Low confidence: Replies.unsure; the second time, or after "none of these", an honest fallback."""

    def name(self) -> Text:
        return "action_clarify"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        # The intent itself: get_intent_of_latest_message() skips nlu_fallback for the runner-up, which
        # for an unsure "is that thing still open" can be deny.
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "deny" or _asked_already(tracker):
            return _reply(tracker, dispatcher, lambda replies: replies.fallback())
        context = Context(tracker.get_slot("topic"), tracker.get_slot("subject"))
        mentions = [Mention(e["entity"], str(e["value"])) for e in tracker.latest_message.get("entities", [])]
        question = tracker.latest_message.get("text") or ""
        ranking = [
            i["name"]
            for i in tracker.latest_message.get("intent_ranking", [])
            if i["name"] not in NOT_CANDIDATES
        ]
        return _reply(tracker, dispatcher, lambda replies: replies.unsure(ranking, mentions, context, question))


def _asked_already(tracker: Tracker) -> bool:
    """Whether the bot's last reply before this message was a "did you mean" (the one reply that offers
    "None of these"): the clarifying action may also have answered."""
    seen_this_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_this_message:
                return False
            seen_this_message = True
        elif seen_this_message and event.get("event") == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            return any(button.get("payload") == "/deny" for button in buttons)
    return False
