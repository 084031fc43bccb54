"""An editor's preview: a question answered against the draft, beside the reply residents get now
(editor/preview.py). The editor keeps the draft as it was when asked under an unguessable token, in the
database the assistant uses; the REST channel passes the token on as the message's metadata.preview
(assistant/channel/inbound.py), and the action answers from that draft, with the names in it, new ones too.
A preview's conversation is no resident's: its questions do not go to the unanswered report."""

from __future__ import annotations

import datetime
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Dict, Optional

from assistant.knowledge import publications
from assistant.knowledge.factbase import load_data
from assistant.knowledge.facts import FactBase
from assistant.understanding import mentions

TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32), as the editor makes them
LIFETIME = publications.EDITOR_SESSION  # a preview older than an editor's login is void
KEPT = 2  # drafts loaded in this process, by digest: a draft is loaded again only when it changed


@dataclass(frozen=True)
class Preview:
    facts: Optional[FactBase]  # the draft; None: the version residents get, to compare with


class _Previews:
    def __init__(self):
        self.store = publications.Publications(publications.database_url())
        self.drafts: "OrderedDict[str, FactBase]" = OrderedDict()

    def get(self, token: str, now: datetime.datetime) -> Optional[Preview]:
        found = self.store.preview(token)
        if found is None or now - found[1] > LIFETIME:
            return None
        digest = found[0]
        if digest is None:
            return Preview(None)
        if digest not in self.drafts:
            document, texts = self.store.preview_draft(token)
            self.drafts[digest] = load_data(document, texts, "the editor's draft")
            while len(self.drafts) > KEPT:
                self.drafts.popitem(last=False)
        self.drafts.move_to_end(digest)
        return Preview(self.drafts[digest])


_previews: Optional[_Previews] = None


def token_of(message: Dict) -> Optional[str]:
    """The preview's token the message carries, if it carries one."""
    token = (message.get("metadata") or {}).get("preview")
    return token if isinstance(token, str) and TOKEN.fullmatch(token) else None


def of(token: str, now: Optional[datetime.datetime] = None) -> Optional[Preview]:
    """The preview with this token; None for a token that is no preview's, or one's that is too old.
    Raises publications.Unavailable while the database cannot be read, FactBaseError for a draft
    with problems (the editor previews none)."""
    global _previews
    if _previews is None:
        _previews = _Previews()
    return _previews.get(token, now or datetime.datetime.now(datetime.timezone.utc))


def understood_with(message: Dict, kb: FactBase) -> Dict:
    """The message's parse data with its names taken from this fact base (a draft's) rather than from
    the one NLU served: a city the draft adds is named in the question."""
    text = message.get("text") or ""
    if not text or text.startswith("/"):  # a button's payload names its entities itself
        return message
    return {**message, "entities": mentions.entities_in(text, kb)[1]}
