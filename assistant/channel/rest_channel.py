"""The REST channel the widget talks to (POST /webhooks/rest/webhook), hardened for residents and
careless clients. Registered in credentials.yml in place of Rasa's own RestInput. POST
/webhooks/rest/forget erases a conversation when its resident asks (assistant/storage/erasure.py); POST
/webhooks/rest/feedback keeps a resident's "was this helpful?" (assistant/storage/feedback.py).

Stock Rasa 3.6 answers an empty body or a JSON array with HTTP 500, runs the model on a 100 KB message
for over 30 s, sends nothing when the action server is down or slow (after waiting 5 minutes for it),
and writes the message text, personal data included, to its logs. Here every request is first read by
assistant.channel.inbound: it is refused with a 4xx status saying what to fix, or passed on with personal data
masked, so that neither the tracker store nor any log sees it. A resident always gets a reply in
their language: "please shorten" for a message that is too long (the model never runs on it), and
"technical problem, try again" when the dialogue produced nothing.
"""

from __future__ import annotations

import gc
import logging
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import rasa.core.actions.action
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.lock_store import LockError
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.answering.render import say
from assistant.channel import action_result, inbound
from assistant.channel.admission import Admission
from assistant.channel.inbound import Inbound, Rejected
from assistant.knowledge import factbase
from assistant.storage import erasure, feedback, tracker_store, unanswered
from assistant.storage.tracker_store import TrackerStoreUnavailable
from assistant.understanding import nlu_components
from assistant.understanding.language import detect, reply_language

logger = logging.getLogger(__name__)

# A turn that failed so is not stored, nor any part of it: it is answered with 503 and Retry-After, to
# be sent again. The tracker store down (assistant/storage/tracker_store.py); the lock store down, or the
# conversation's lock not had in time (Redis, assistant/storage/lock_store.py).
NOT_TAKEN = (TrackerStoreUnavailable, LockError)

# Seconds to wait for the action server. Rasa 3.6 waits 5 minutes (DEFAULT_REQUEST_TIMEOUT, with no
# setting); the resident should hear "technical problem" within 5 s instead.
DEFAULT_ACTION_TIMEOUT = 3.0
# Messages in the dialogue at once, in each Sanic worker; the others wait their turn before it. The
# model runs on the event loop, so with 200 conversations inside at once every step of each (the action
# call included) waits for the 199 others, and the action call times out; in a short queue the work is
# the same.
DEFAULT_TURNS_AT_ONCE = 4
# Messages that may wait for those, in each worker; past them a message gets 503 with Retry-After
# (assistant/channel/admission.py). The default takes 200 conversations at once without refusing one
# (tests/e2e/test_load.py) and keeps the waits well inside the widget's 15 s; `make bench` measures a
# burst against it (docs/benchmarks.md).
DEFAULT_TURNS_WAITING = 150
DEFAULT_RETRY_AFTER = 2  # seconds a refused client waits before it sends its message again
# Parsed by each Sanic worker as it starts, one per language: a worker's first parse builds the
# model's TensorFlow functions (and then also loaded the components' data), which a resident's first
# question would otherwise wait for, many times as long as any later parse.
WARM_UP_MESSAGES = ("mikä on ECHA?", "vad gör EU-byrån?", "which cities are partners?")


class ResidentRestInput(RestInput):
    """Rasa's REST channel, same path and reply format, behind assistant.channel.inbound's checks."""

    @classmethod
    def name(cls) -> Text:
        return "rest"  # keeps the path /webhooks/rest/webhook

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "ResidentRestInput":
        credentials = credentials or {}
        return cls(
            action_timeout=float(credentials.get("action_timeout", DEFAULT_ACTION_TIMEOUT)),
            turns_at_once=int(credentials.get("turns_at_once", DEFAULT_TURNS_AT_ONCE)),
            turns_waiting=int(credentials.get("turns_waiting", DEFAULT_TURNS_WAITING)),
            retry_after=int(credentials.get("retry_after", DEFAULT_RETRY_AFTER)),
        )

    def __init__(
        self,
        action_timeout: float = DEFAULT_ACTION_TIMEOUT,
        turns_at_once: int = DEFAULT_TURNS_AT_ONCE,
        turns_waiting: int = DEFAULT_TURNS_WAITING,
        retry_after: int = DEFAULT_RETRY_AFTER,
    ) -> None:
        self.turns_at_once, self.turns_waiting, self.retry_after = turns_at_once, turns_waiting, retry_after
        # Read by RemoteAction.run on every call; set once, when the server creates its channels.
        rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT = action_timeout
        action_result.install()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("resident_rest_webhook", __name__)
        admission = Admission(self.turns_at_once, self.turns_waiting)

        @webhook.listener("main_process_start")
        async def share_component_data(_app, _loop) -> None:
            """Load the NLU components' data in Sanic's main process, before it forks its workers, which
            then share one copy instead of loading one each. Frozen out of the garbage collector's
            passes, which would write to those objects and so copy their pages into each worker."""
            started = time.monotonic()
            try:
                nlu_components.load_data()
            except Exception:  # noqa: BLE001 - a broken fact base, say: each worker meets it and reports it
                logger.exception("loading the components' data failed: each worker will load its own")
                return
            gc.freeze()
            logger.info("the components' data loaded for the workers to share, in %.2f s", time.monotonic() - started)

        @webhook.listener("after_server_start")
        async def no_conversation_from_memory(app, _loop) -> None:
            """While the tracker store fails, a turn gets 503 instead of an answer from an empty
            conversation kept in memory (assistant/storage/tracker_store.py)."""
            tracker_store.install_without_fallback(app.ctx.agent)

        @webhook.listener("after_server_start")
        async def warm_up(app, _loop) -> None:
            """Parse a message per language, storing nothing: a parse saves no tracker. A failure here
            is only logged, since the worker can still answer, slower at first."""
            started = time.monotonic()
            try:
                for text in WARM_UP_MESSAGES:
                    await app.ctx.agent.parse_message(text)
            except Exception:  # noqa: BLE001 - whatever it is, the first question will meet it and report it
                logger.exception("warm-up failed")
                return
            logger.info("worker warmed up in %.2f s", time.monotonic() - started)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/forget", methods=["POST"])
        async def forget(request: Request) -> HTTPResponse:
            """Erase one conversation: {"sender": its id}. 200 with what was erased; 404 for an id with
            nothing stored, which erases nothing."""
            try:
                sender = inbound.read_sender(request.body or b"", request.headers.get("content-type", ""))
            except Rejected as rejected:
                return _error(rejected.status, rejected.code, rejected.message)
            agent = request.app.ctx.agent
            async with agent.lock_store.lock(sender):  # the conversation's own lock: not in mid-turn
                try:
                    erased = erasure.erase(agent.tracker_store, sender, unanswered.path(), feedback.path())
                except TrackerStoreUnavailable:
                    logger.exception("the tracker store failed: nothing erased")
                    return self._try_again("unavailable", "no_answer", "en")
            logger.info(
                "conversation erased on request: %d events, %d unanswered entries, %d ratings",
                erased.events,
                erased.unanswered,
                erased.ratings,
            )
            if not erased.anything:
                return _error(
                    404, "unknown_conversation", "No conversation with this id is stored: nothing was erased."
                )
            return response.json(
                {"erased": True, "events": erased.events, "unanswered": erased.unanswered, "ratings": erased.ratings}
            )

        @webhook.route("/feedback", methods=["POST"])
        async def rate(request: Request) -> HTTPResponse:
            """Was an answer helpful? {"sender", "answer": its id, "helpful": true or false}; an answer of
            this conversation, once (assistant/storage/feedback.py)."""
            try:
                sender, answer_id, helpful = inbound.read_rating(
                    request.body or b"", request.headers.get("content-type", "")
                )
            except Rejected as rejected:
                return _error(rejected.status, rejected.code, rejected.message)
            agent = request.app.ctx.agent
            async with agent.lock_store.lock(sender):  # one rating of an answer, however fast the clicks
                try:
                    tracker = await agent.tracker_store.retrieve_full_tracker(sender)
                except TrackerStoreUnavailable:
                    logger.exception("the tracker store failed: nothing rated")
                    return self._try_again("unavailable", "no_answer", "en")
                said = [e.data for e in (tracker.events if tracker else []) if isinstance(e, BotUttered)]
                try:
                    feedback.record(factbase.current(), sender, answer_id, feedback.answer_of(said, answer_id), helpful)
                except feedback.NotRateable as refused:
                    return _error(refused.status, refused.code, refused.message)
            return response.json({"rated": True})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                turn = inbound.read(request.body or b"", request.headers.get("content-type", ""))
            except Rejected as rejected:  # the request's content is not logged: it may hold personal data
                logger.info("request refused: %s (HTTP %s)", rejected.code, rejected.status)
                return _error(rejected.status, rejected.code, rejected.message)
            if turn.too_long:
                return response.json([_text(turn, say("too_long", _language(turn), limit=inbound.MAX_MESSAGE_CHARS))])
            if admission.full:
                return self._try_again("busy", "busy", _language(turn))
            async with admission.turn():
                try:
                    if turn.message_id:  # sent again after a 503 that came too late: not handled twice
                        earlier = await _replies_to(request.app.ctx.agent.tracker_store, turn)
                        if earlier is not None:
                            return response.json(earlier)
                    return response.json(await _converse(on_new_message, turn))
                except NOT_TAKEN:
                    logger.exception("the conversation's store or lock failed: the turn is not taken")
                    return self._try_again("unavailable", "no_answer", _language(turn))

        return webhook

    def _try_again(self, code: str, message: str, lang: str) -> HTTPResponse:
        """503: nothing of the request was done, and it may be sent again as it is after Retry-After.
        A page on another origin than this server's may read that header only if told so."""
        return _error(
            503,
            code,
            say(message, lang),
            headers={"Retry-After": str(self.retry_after), "Access-Control-Expose-Headers": "Retry-After"},
        )


async def _replies_to(store: Any, turn: Inbound) -> Optional[List[Dict]]:
    """The replies the message with this id got, if the conversation has it: a client that met a 503 sends
    a message again, and the Rasa worker that had it may have stored its turn and died before replying."""
    tracker = await store.retrieve(turn.sender)
    events = list(tracker.events) if tracker else []
    asked = next(
        (n for n, e in enumerate(events) if isinstance(e, UserUttered) and e.message_id == turn.message_id), None
    )
    if asked is None:
        return None
    collector = CollectingOutputChannel()
    for event in events[asked + 1 :]:
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):  # sent again as Rasa's processor sent it
            await collector.send_response(turn.sender, event.message())
    return collector.messages


async def _converse(on_new_message: Callable[[UserMessage], Awaitable[Any]], turn: Inbound) -> List[Dict]:
    collector = CollectingOutputChannel()
    message = UserMessage(
        turn.text, collector, turn.sender, input_channel="rest", message_id=turn.message_id, metadata=turn.metadata
    )
    try:
        await on_new_message(message)
    except NOT_TAKEN:
        raise
    except Exception:  # the text is masked, so the traceback can't hold personal data
        logger.exception("message from %s not handled", turn.sender)
    # Every action of this assistant sends a reply: none means the action server failed or timed out.
    return collector.messages or [_text(turn, say("no_answer", _language(turn)))]


def _error(status: int, code: str, message: str, headers: Optional[Dict[str, str]] = None) -> HTTPResponse:
    """A request not done, as every route says it: a code a client can act on, and words for a person."""
    return response.json({"error": code, "message": message}, status=status, headers=headers)


def _language(turn: Inbound) -> str:
    return reply_language(requested=turn.language, detected=detect(turn.text), page=turn.page_language)


def _text(turn: Inbound, text: str) -> Dict[str, str]:
    return {"recipient_id": turn.sender, "text": text}
