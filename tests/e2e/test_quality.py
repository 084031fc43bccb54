"""The judged development sets, asked of the running servers as residents type, without metadata, each
conversation new, and judged good, wrong or unhelpful (judging.judge):

- tests/heldout/: questions never trained on, a few with a message before them;
- tests/residents/: messages as residents write them, with typos, follow-ups and questions the
  sources do not answer;
- tests/dialogues/: conversations of two to five turns, written from the facts and the sources alone
  by someone who had read neither the assistant nor its tests;
- tests/blind/: conversations written the same way, sealed until issue 23's work was done, measured
  once then, and a development set since;
- tests/sealed/: likewise, half of them about whether something still holds, sealed until the "still?"
  of a named subject was mended, measured once then (5 December 2026), and a development set since.

`make test` prints the counts and every turn that was not good. Each set fails below its floor: the
figure measured when the weights were last fitted, less one turn, and above the wrong answers measured.
"""

import pytest

from assistant.knowledge import factbase
from assistant.knowledge.facts import LANGUAGES
from tests.e2e.judging import conversations, converse

# Measured on 4 December 2026 with the weights fitted that day: good turns less one, as a model
# trained on another processor may read a sentence otherwise (docs/evaluation.md); and the wrong ones.
# Issue 23 asks for none wrong: the Finnish and Swedish development conversations still have one
# each, which no mechanism answered right without making others wrong (the cost of receiving refugees
# is answered with the aid to Ukraine; "how many work there?" of the EU Office with its 16 member
# organisations).
FLOORS = {
    "heldout": {"fi": 38, "sv": 37, "en": 37},
    "residents": {"fi": 112, "sv": 106, "en": 113},
    "dialogues": {"fi": 52, "sv": 51, "en": 57},
    "blind": {"fi": 35, "sv": 35, "en": 30},
    "sealed": {"fi": 34, "sv": 33, "en": 38},
}
# The wrong answers measured; issue 23 asks for none. The blind set's were measured once, on unseen
# conversations, and are not yet worked on; so were the sealed set's, on 5 December 2026, when "is
# Tallinn still a partner?" stopped being told St Petersburg's end (the next selection change gets a
# new sealed set).
MAX_WRONG = {
    ("dialogues", "fi"): 1,
    ("dialogues", "sv"): 1,
    ("blind", "fi"): 3,
    ("blind", "sv"): 2,
    ("blind", "en"): 2,
    ("sealed", "fi"): 3,
    ("sealed", "sv"): 4,
    ("sealed", "en"): 4,
}


@pytest.mark.parametrize("folder, lang", [(folder, lang) for folder in FLOORS for lang in LANGUAGES])
def test_a_judged_set(servers, quality, folder, lang):
    kb = factbase.current()
    verdicts = [
        (turn["text"], verdict, follows)
        for name, turns in conversations(folder, lang)
        for turn, _, verdict, follows in converse(servers, kb, f"{folder}-{name}", turns, lang)
    ]
    quality[folder, lang] = verdicts
    good = sum(v == "good" for _, v, _ in verdicts)
    wrong = sum(v == "wrong" for _, v, _ in verdicts)
    assert good >= FLOORS[folder][lang] and wrong <= MAX_WRONG.get((folder, lang), 0), (folder, lang, good, wrong)
