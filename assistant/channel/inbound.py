"""What a client sends to the REST channel, checked before Rasa sees it (assistant/channel/rest_channel.py).

A request is either refused with a 4xx status and a message saying what to fix, or turned into an
`Inbound`: a sender id, the text with control characters removed and personal data masked
(assistant/channel/masking.py), and the metadata the assistant uses (the chosen language, an editor's
preview). Nothing else of the request goes further, so nothing else can reach the tracker store or
the logs. Plain Python: tested without Rasa.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, FrozenSet, Optional, Tuple

import yaml

from assistant import ROOT
from assistant.channel.masking import mask_personal_data
from assistant.knowledge import factbase, previews
from assistant.knowledge.factbase import FactBaseError
from assistant.knowledge.facts import LANGUAGES

DOMAIN_PATH = ROOT / "domain.yml"

MAX_BODY_BYTES = 256 * 1024  # a pasted document still gets a polite "please shorten"; 2 MB does not
MAX_MESSAGE_CHARS = 1000  # what the widget's input allows; longer is not a question, and slow to parse
SENDER = re.compile(r"[A-Za-z0-9_.:-]{1,128}")  # a random id; no "@" or spaces, so no e-mail address
MAX_PAYLOAD_ENTITIES = 3

# Control characters (NUL included; not tabs or line breaks) and unpaired surrogates: no meaning to
# the assistant, and databases and log files refuse or mangle them.
_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

# A button payload as the assistant's own buttons send it (assistant.answering.render.payload).
_PAYLOAD = re.compile(r"/(?P<intent>\w+)(?P<entities>\{.*\})?", re.DOTALL)


class Rejected(Exception):
    """A request the channel refuses, with the HTTP status and what the client should fix."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Inbound:
    sender: str
    text: str  # cleaned and masked; when too long, only its beginning (to tell the language)
    language: Optional[str]  # metadata.language, the resident's choice, when it is one the assistant speaks
    too_long: bool = False
    page_language: Optional[str] = None  # metadata.page_language: the page's, a hint
    message_id: Optional[str] = None  # the client's id for this message, the same when it sends it again
    preview: Optional[str] = (
        None  # metadata.preview: an editor's preview of the draft (assistant/knowledge/previews.py)
    )

    @property
    def metadata(self) -> Dict[str, str]:
        given = {"language": self.language, "page_language": self.page_language, "preview": self.preview}
        return {key: value for key, value in given.items() if value}


def read(body: bytes, content_type: str) -> Inbound:
    """The request's sender, text and language, or Rejected saying what is wrong."""
    request = _json_object(body, content_type)
    sender = _sender(request)
    message = request.get("message")
    if not isinstance(message, str):
        raise Rejected(400, "message", '"message" must be a string.')
    metadata = request.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise Rejected(400, "metadata", '"metadata" must be a JSON object when it is sent.')
    language, page_language = ((metadata or {}).get(key) for key in ("language", "page_language"))
    language = language if language in LANGUAGES else None
    page_language = page_language if page_language in LANGUAGES else None

    message_id = request.get("message_id")
    if message_id is not None and not (isinstance(message_id, str) and SENDER.fullmatch(message_id)):
        raise Rejected(
            400,
            "message_id",
            '"message_id", when it is sent, must be a string of 1 to 128 letters, digits, "_", ".", ":" or "-".',
        )

    preview = previews.token_of({"metadata": metadata}) if metadata else None

    text = allowed_payload_or_words(clean(message))
    if not text:
        raise Rejected(400, "empty", '"message" is empty.')
    too_long = len(text) > MAX_MESSAGE_CHARS
    return Inbound(
        sender, mask_personal_data(text[:MAX_MESSAGE_CHARS]), language, too_long, page_language, message_id, preview
    )


def read_sender(body: bytes, content_type: str) -> str:
    """The sender id of a request to erase a conversation ({"sender": ...}), or Rejected."""
    return _sender(_json_object(body, content_type))


_ANSWER_ID = re.compile(r"[0-9a-f]{32}")  # as the actions make them (uuid4().hex)


def read_rating(body: bytes, content_type: str) -> Tuple[str, str, bool]:
    """The sender, answer id and yes/no of a rating ({"sender", "answer", "helpful"}), or Rejected."""
    request = _json_object(body, content_type)
    sender = _sender(request)
    answer, helpful = request.get("answer"), request.get("helpful")
    if not isinstance(answer, str) or not _ANSWER_ID.fullmatch(answer):
        raise Rejected(400, "answer", '"answer" must be the id of an answer, as the reply gave it.')
    if not isinstance(helpful, bool):
        raise Rejected(400, "helpful", '"helpful" must be true or false.')
    return sender, answer, helpful


def _json_object(body: bytes, content_type: str) -> Dict:
    if content_type.split(";")[0].strip().lower() != "application/json":
        # Also what makes CORS hold: a page elsewhere can't send JSON without the browser asking first.
        raise Rejected(415, "content_type", "Send the request as JSON, with Content-Type: application/json.")
    if len(body) > MAX_BODY_BYTES:
        raise Rejected(413, "too_large", f"The request is larger than {MAX_BODY_BYTES // 1024} KB.")
    try:
        request = json.loads(body)
    except RecursionError:
        raise Rejected(400, "too_deep", "The JSON is nested too deeply.") from None
    except ValueError:  # invalid JSON, or bytes that are not UTF-8
        raise Rejected(400, "invalid_json", "The body is not valid UTF-8 JSON.") from None
    if not isinstance(request, dict):
        raise Rejected(400, "not_an_object", 'The body must be a JSON object: {"sender": ..., "message": ...}.')
    return request


def _sender(request: Dict) -> str:
    sender = request.get("sender")
    if not isinstance(sender, str) or not SENDER.fullmatch(sender):
        raise Rejected(
            400,
            "sender",
            '"sender" must be a string of 1 to 128 letters, digits, "_", ".", ":" or "-": '
            "a random id for the conversation.",
        )
    return sender


def clean(message: str) -> str:
    """The message without control characters or broken surrogates, composed (NFC), trimmed."""
    return unicodedata.normalize("NFC", _UNWANTED.sub("", message)).strip()


def allowed_payload_or_words(text: str) -> str:
    """A typed payload ("/ask_partners{...}") passes only as the assistant's buttons could send it:
    one of the domain's intents, with fact base entities of the right type. Anything else that starts
    with "/" is read as words, through NLU, like any question; Rasa's internal intents (/restart,
    /session_start) and made-up entity values never reach the dialogue."""
    if not text.startswith("/"):
        return text
    match = _PAYLOAD.fullmatch(text)
    if match and match["intent"] in domain_intents() and _allowed_entities(match["entities"]):
        return text
    return text.lstrip("/ ")


def _allowed_entities(entities_json: Optional[str]) -> bool:
    if entities_json is None:
        return True
    try:
        entities = json.loads(entities_json)
        known = factbase.current().entities
    except (ValueError, RecursionError, FactBaseError):
        return False
    return (
        isinstance(entities, dict)
        and len(entities) <= MAX_PAYLOAD_ENTITIES
        and all(isinstance(v, str) and v in known and known[v].type == k for k, v in entities.items())
    )


@lru_cache(maxsize=1)
def domain_intents() -> FrozenSet[str]:
    domain: Dict[str, Any] = yaml.safe_load(DOMAIN_PATH.read_text(encoding="utf-8"))
    return frozenset(domain["intents"])
