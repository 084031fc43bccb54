"""What the sources do not say (facts/gaps.yml): find it in a resident's message.

A message is about a gap when one of its words begins with a listed word ("budjetista" with "budjet")
or it holds a listed phrase ("more important"); the words of all three languages are looked for, as
residents mix them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

from assistant.facts import LANGUAGES

PATH = Path(__file__).resolve().parent.parent / "facts" / "gaps.yml"
_WORD = re.compile(r"[^\W\d_][\w-]*")
_MASKED = re.compile(r"\[[^\]]*\]")  # "[phone]", "[e-mail]": what masking put in, not the resident's words


@dataclass(frozen=True)
class Gap:
    id: str
    what: Dict[str, str]  # "budgets or costs", for "my sources say nothing about …"
    words: Tuple[str, ...]  # of all languages, in lower case


@dataclass(frozen=True)
class Gaps:
    feedback: str
    gaps: Tuple[Gap, ...]

    def find(self, text: str) -> Optional[Gap]:
        words = _WORD.findall(_MASKED.sub(" ", text.casefold()))
        spaced = " ".join(words)
        for gap in self.gaps:
            for listed in gap.words:
                if (" " in listed and listed in spaced) or any(w.startswith(listed) for w in words):
                    return gap
        return None


@lru_cache(maxsize=1)
def load() -> Gaps:
    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    for gap in data["gaps"]:
        if set(gap["what"]) != set(LANGUAGES) or set(gap["words"]) != set(LANGUAGES):
            raise ValueError(f"{PATH}: gap '{gap['id']}': what and words need fi, sv and en")
    gaps = tuple(
        Gap(g["id"], g["what"], tuple(w.casefold() for ws in g["words"].values() for w in ws)) for g in data["gaps"]
    )
    return Gaps(data["feedback"], gaps)
