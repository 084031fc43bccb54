"""Whether a message the model was unsure of points back to what the conversation is about ("onks se
viel auki", "is that thing still open", "vem jobbar där?").

Pronouns and adverbs that point back are closed classes, so they are listed rather than learnt.
"""

from __future__ import annotations

import re

POINTING_BACK = {
    "fi": {"se", "sen", "sitä", "siitä", "siinä", "sillä", "siellä", "sinne", "sieltä", "ne", "niitä", "niiden",
           "siel", "sil"},
    "sv": {"den", "det", "dess", "där", "dit", "därifrån", "de", "dem", "dom"},
    "en": {"it", "its", "there", "they", "them", "their", "that"},
}
MAX_WORDS = 8  # a follow-up is short; a longer message says what it is about
_WORD = re.compile(r"[^\W\d_]+")
_ALL = set().union(*POINTING_BACK.values())


def points_back(text: str) -> bool:
    words = _WORD.findall(text.casefold())
    return 0 < len(words) <= MAX_WORDS and any(word in _ALL for word in words)
