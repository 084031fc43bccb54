"""The Rasa custom action: a thin wrapper that reads the turn and the conversation's state from the
tracker, and replies with what assistant.answering plans and renders."""

from __future__ import annotations

import logging
import uuid
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.answering import turn
from assistant.answering.render import Reply, unavailable
from assistant.answering.state import State
from assistant.knowledge import factbase, previews, publications
from assistant.knowledge.factbase import FactBaseError
from assistant.storage import unanswered

logger = logging.getLogger(__name__)


class ActionAnswer(Action):
    """Every message: an answer from the fact base, or what the sources do not say, or small talk."""

    def name(self) -> Text:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        state = State.from_slots(tracker.current_slot_values())
        token = previews.token_of(message)
        try:
            preview = previews.of(token) if token else None
            kb = preview.facts if preview and preview.facts else factbase.current()
        except (FactBaseError, publications.Unavailable) as error:
            logger.error("cannot answer: %s", error)
            lang = turn.reply_lang(message, state)
            return _send(dispatcher, unavailable(lang), lang, [SlotSet("language", lang)])
        if preview and preview.facts:  # the draft's names, new ones too
            message = previews.understood_with(message, kb)
        answered = turn.answer(kb, message, state)
        if answered.reply.unanswered and preview is None:  # an editor's preview is no resident's question
            _keep_unanswered(message, tracker.sender_id, answered.reply.unanswered, answered.lang)
        slots = answered.state.to_slots()
        return _send(dispatcher, answered.reply, answered.lang, [SlotSet(name, value) for name, value in slots.items()])


def _send(dispatcher: CollectingDispatcher, reply: Reply, lang: str, events: List[Dict]) -> List[Dict]:
    # The reply's language, and the sources and the age note, go in the message's custom field: the REST
    # channel returns it as a message of its own ({"custom": {...}}), by which the widget marks the
    # reply's language (WCAG 3.1.2) and shows the sources as a caption under it.
    custom = {"language": lang, **(reply.caption or {})}
    if custom.get("facts"):  # an answer, which the resident may rate (POST /webhooks/rest/feedback)
        custom["answer"] = uuid.uuid4().hex
    dispatcher.utter_message(
        text=reply.text, buttons=[{"title": t, "payload": p} for t, p in reply.buttons], json_message=custom
    )
    return events


def _keep_unanswered(message: Dict, sender: str, kind: str, lang: str) -> None:
    text = turn.own_words(message)
    if not text:
        return
    try:
        unanswered.record(kind, text, lang, message.get("intent_ranking", []), sender=sender)
    except OSError as error:  # the resident's reply matters more than the report
        logger.warning("unanswered question not kept: %s", error)
