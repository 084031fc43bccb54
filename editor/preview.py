"""Preview: an editor's question asked of the running assistant against the draft, and beside it the
reply residents get now. The draft as it is when asked is kept under an unguessable token
(models.Preview), which the question carries to the REST channel as metadata; the action answers
from it (assistant/knowledge/previews.py). Each side is a conversation of its own, so a follow-up is read in
it, as a resident's is."""

from __future__ import annotations

import hashlib
import json
import secrets
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from typing import Dict, List, Optional

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from assistant.knowledge import publications
from editor import content, drafts
from editor.content import Problem
from editor.models import Preview

SIDES = ("draft", "residents")  # the draft previewed; what residents get now
KEPT_TURNS = 10  # the conversation shown
TIMEOUT = 10  # seconds for one reply: make run answers in a fraction of one


@dataclass(frozen=True)
class Reply:
    text: str
    sources: str = ""  # the caption under the reply, as plain text
    failed: bool = False  # the assistant did not answer: `text` says why


@dataclass(frozen=True)
class Turn:
    question: str
    language: str
    draft: Reply
    residents: Reply

    @property
    def replies(self) -> tuple:
        return self.draft, self.residents


class Conversation:
    """An editor's preview conversation, kept in their session: a token and a sender for each side,
    and the turns so far."""

    KEY = "editor_preview"

    def __init__(self, session):
        self.session = session
        kept = session.get(self.KEY)
        if kept is None:
            kept = {
                "tokens": {side: secrets.token_urlsafe(32) for side in SIDES},
                "senders": {side: f"preview-{secrets.token_hex(16)}" for side in SIDES},
                "turns": [],
            }
        self.kept = kept

    @property
    def turns(self) -> List[Turn]:
        return [
            Turn(t["question"], t["language"], Reply(**t["draft"]), Reply(**t["residents"])) for t in self.kept["turns"]
        ]

    def ask(self, user, question: str, lang: str) -> List[Problem]:
        """Ask both sides; the draft's problems instead, where it has any (it cannot be served)."""
        document, texts = drafts.draft()
        found = content.problems(document, texts)
        if found:
            return found
        tokens = self.kept["tokens"]
        keep(user, tokens["draft"], document, texts)
        keep(user, tokens["residents"])
        replies = {side: ask(self.kept["senders"][side], question, lang, tokens[side]) for side in SIDES}
        turn = {"question": question, "language": lang, **{side: asdict(reply) for side, reply in replies.items()}}
        self.kept["turns"] = [*self.kept["turns"], turn][-KEPT_TURNS:]
        self.session[self.KEY] = self.kept
        return []

    def end(self) -> None:
        """A new conversation: the old one's previews are void."""
        Preview.objects.filter(token__in=self.kept["tokens"].values()).delete()
        self.session.pop(self.KEY, None)


def keep(user, token: str, document: Optional[Dict] = None, texts: Optional[Dict] = None) -> None:
    """The preview under this token: of this draft, or of what residents get (no document). Previews
    older than an editor's login go."""
    digest = hashlib.sha256(json.dumps([document, texts], sort_keys=True).encode()).hexdigest() if document else None
    Preview.objects.filter(asked_at__lt=timezone.now() - publications.EDITOR_SESSION).delete()
    Preview.objects.update_or_create(
        token=token, defaults={"document": document, "texts": texts, "digest": digest, "asked_by": user}
    )


def ask(sender: str, question: str, lang: str, token: str) -> Reply:
    """The assistant's reply through its REST channel, as the widget gets it."""
    body = json.dumps({"sender": sender, "message": question, "metadata": {"language": lang, "preview": token}})
    request = urllib.request.Request(
        f"{settings.ASSISTANT_URL}/webhooks/rest/webhook",
        data=body.encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            messages = json.load(response)
    except urllib.error.HTTPError as error:  # the channel's own refusals say what is wrong
        return Reply(_("The assistant did not answer: %(reason)s") % {"reason": _said(error)}, failed=True)
    except (OSError, ValueError) as error:
        return Reply(_("The assistant did not answer: %(reason)s") % {"reason": error}, failed=True)
    text = "\n\n".join(m["text"] for m in messages if m.get("text"))
    sources = " ".join(m["custom"].get("text") or "" for m in messages if isinstance(m.get("custom"), dict))
    return Reply(text, sources.strip())


def _said(error: urllib.error.HTTPError) -> str:
    try:
        return json.load(error).get("message") or str(error)
    except (ValueError, AttributeError):
        return str(error)
