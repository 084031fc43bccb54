"""The fact base as a search index: each fact's text, history and alternate questions, in each
language, ranked against a question's words by BM25 (bm25s). A word counts once, in the language where
it scores best, so that residents may mix languages ("does helsinki have some toimisto in brussels").

Each fact also knows what kinds of question it answers: those its alternate questions ask, a date
("when") and a number ("how many") it states; and whether it says no ("has no official twin cities").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from assistant.answering import question_words, words
from assistant.knowledge import factbase
from assistant.knowledge.facts import LANGUAGES, Fact, FactBase
from assistant.understanding import finnish

# A word no fact has, within this rapidfuzz ratio of one a fact has, is taken for it ("memebers").
NEAR_MISS_SCORE = 86
NEAR_MISS_MIN_LENGTH = 5
KIND_QUESTIONS = 3  # alternate questions of a kind that make a fact sure to answer it
_NUMBER = re.compile(r"\d")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAY = re.compile(rf"\b\d{{1,2}} (?:{_MONTHS})\b")  # "28 November": a date, not a count
_MONEY = re.compile(r"\bEUR\b|€|\beuros?\b")  # a sum of money, in the English text


@dataclass(frozen=True)
class Match:
    """How one of a question's words matches the facts: a BM25 score for each fact (in the order of
    FactIndex.ids), or None for a word no fact has in any language."""

    word: str
    scores: Optional[np.ndarray]
    whole: bool = True  # some fact has the word itself, not only a part of it ("lupa" of "oleskelulupa")


class FactIndex:
    def __init__(self, kb: FactBase):
        import bm25s

        self.kb = kb
        self.ids: List[str] = list(kb.facts)
        self.position = {fid: n for n, fid in enumerate(self.ids)}
        self._bm25 = {}
        self._vocabulary: Dict[str, Dict[str, int]] = {}
        self._spelt: Dict[str, Tuple[str, str]] = {}  # a word as facts write it -> (its language, itself)
        for lang in LANGUAGES:
            documents = [self._document(fact, lang) for fact in kb.facts.values()]
            model = bm25s.BM25()
            model.index([d or [""] for d in documents], show_progress=False)
            self._bm25[lang] = model
            self._vocabulary[lang] = model.vocab_dict
            for fact in kb.facts.values():
                for word in words.tokens(" ".join(_texts(fact, lang))):
                    if len(word) >= NEAR_MISS_MIN_LENGTH and not words.is_common(word):
                        self._spelt.setdefault(word, (lang, word))
        # the most one term scores for a fact: what a word's scores are scaled by
        self.max_idf = max(float(np.max(model.scores["data"], initial=0.0)) for model in self._bm25.values()) or 1.0
        self.kinds: Dict[str, Dict[str, float]] = {f.id: _kinds(f) for f in kb.facts.values()}
        self.says_no: Dict[str, bool] = {f.id: _says_no(f) for f in kb.facts.values()}
        # each entity's first fact, the editors' order: what it is ("The Helsinki Centre is ...")
        self.defining_of: Dict[str, Tuple[str, ...]] = {}
        for fact in kb.facts.values():
            self.defining_of.setdefault(fact.about[0], (fact.id,))
        self.defining = frozenset(f for ids in self.defining_of.values() for f in ids)

    @staticmethod
    def _document(fact: Fact, lang: str) -> List[str]:
        return [t for text in _texts(fact, lang) for t in words.terms(text, lang)]

    def _scores(self, terms: Sequence[str], lang: str) -> Optional[np.ndarray]:
        known = [t for t in dict.fromkeys(terms) if t in self._vocabulary[lang]]
        if not known and lang == "sv":  # a Swedish compound is found by its head ("tallinnavtal": avtal)
            known = [self._head(t) for t in terms if self._head(t)][:1]
        if not known:
            return None
        return np.asarray(self._bm25[lang].get_scores(known), dtype=float)

    def _head(self, term: str) -> Optional[str]:
        """The longest term the facts have that this Swedish term ends in, of MIN_HEAD letters or more."""
        heads = [
            t for t in self._vocabulary["sv"] if len(t) >= words.MIN_HEAD and len(t) < len(term) and term.endswith(t)
        ]
        return max(heads, key=len, default=None)

    def match(self, word: str) -> Match:
        """A word's score for each fact: the best of its languages; a near miss of a word the facts
        have counts as that word."""
        best = self._best(word, LANGUAGES)
        if best is None and len(word) >= NEAR_MISS_MIN_LENGTH:
            from rapidfuzz import fuzz, process

            hit = process.extractOne(word, self._spelt.keys(), scorer=fuzz.ratio, score_cutoff=NEAR_MISS_SCORE)
            if hit:
                lang, spelt = self._spelt[hit[0]]
                return Match(word, self._best(spelt, (lang,)))
        return Match(word, best, best is not None and self._whole(word))

    def _whole(self, word: str) -> bool:
        """Whether facts have the word itself, or every part of it: "ukraina-apu", "tallinnavtalet"
        (Tallinn, avtal), "kesäleiri" (kesä, leiri); not "oleskelulupa", of which they have "lupa"."""
        parts = [p for p in word.split("-") if p]
        if len(parts) > 1:
            return all(self._whole(p) for p in parts)
        if any(t in self._vocabulary[lang] for lang in LANGUAGES for t in words.base_terms(word, lang)):
            return True
        compound = finnish.compound_parts(word)
        if len(compound) > 1:
            return all(any(p in self._vocabulary[lang] for lang in LANGUAGES) for p in compound)
        stem = words.base_terms(word, "sv")[0]
        head = self._head(stem)
        rest = stem[: len(stem) - len(head)].rstrip("s") if head else ""
        return bool(rest) and any(
            rest in self._vocabulary[lang] or words.base_terms(rest, lang)[0] in self._vocabulary[lang]
            for lang in LANGUAGES
        )

    def _best(self, word: str, languages: Sequence[str]) -> Optional[np.ndarray]:
        found = [s for lang in languages if (s := self._scores(words.word_terms(word, lang), lang)) is not None]
        return np.max(np.vstack(found), axis=0) if found else None


def _texts(fact: Fact, lang: str) -> List[str]:
    history = [fact.ended.history[lang]] if fact.ended else []
    return [fact.text[lang], *history, *fact.questions.get(lang, ())]


def _kinds(fact: Fact) -> Dict[str, float]:
    """The kinds of question the fact answers, and how surely: those its alternate questions ask (a
    third for each that asks it), "when" if it gives a year, "how_many" if it gives another number,
    "how_much" if that is a sum of money."""
    asked = Counter(
        k
        for lang in LANGUAGES
        for q in fact.questions.get(lang, ())
        for k in question_words.read(words.tokens(q)).kinds
    )
    asked.pop("how_much", None)  # a question of money; only a sum of money answers it
    kinds = {kind: min(1.0, count / KIND_QUESTIONS) for kind, count in asked.items()}
    told = " ".join(_texts(fact, "en")[:2])
    if words.YEAR.search(told):
        kinds["when"] = 1.0
    if _NUMBER.search(_DAY.sub(" ", words.YEAR.sub(" ", fact.text["en"]))):
        kinds["how_much" if _MONEY.search(fact.text["en"]) else "how_many"] = 1.0
    return kinds


def answers(kinds: Dict[str, float], kind: str) -> float:
    """How well a fact of these kinds answers a question of this kind: its own, or half a related
    kind's ("since when?" of a date)."""
    return max(kinds.get(kind, 0.0), 0.5 * kinds.get(question_words.RELATED.get(kind, ""), 0.0))


def _says_no(fact: Fact) -> bool:
    """Whether the fact's statement is a negation ("Helsinki has no official twin cities")."""
    return question_words.read(words.tokens(fact.text["en"])).negated


_indexes = factbase.BuiltFrom(FactIndex)


def of(kb: FactBase) -> FactIndex:
    """The index of this fact base, built at its first question, or before a new publication is served
    (factbase.prepare_with); an edited base gets its own."""
    return _indexes(kb)


factbase.prepare_with(of)
