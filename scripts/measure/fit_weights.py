#!/usr/bin/env python3
"""`make fit-weights`: fit the answer selection's weights (assistant/answering/weights.yml) on the
development sets, tests/dialogues/, tests/residents/ and tests/heldout/, never on tests/blind/.

Each message is parsed once by the trained model, as the server would (DIET's intents, the names, the
language); then every conversation is answered as the action answers it (assistant.answering.turn) and
judged (tests/e2e/judging.py). A coordinate search changes one weight at a time and keeps a change
that raises good answers less three times the wrong ones. It prints each step, and writes the weights
only with --write.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from dataclasses import fields, replace
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from assistant import ROOT
from assistant.answering import selection, turn
from assistant.answering.state import State
from assistant.knowledge import factbase
from assistant.knowledge.facts import LANGUAGES
from tests.e2e.judging import conversations, judge

SETS = ("dialogues", "residents", "heldout")
WRONG_COST = 3  # a wrong answer costs as much as three good ones gain
STEPS = (0.5, 0.7, 0.85, 1.2, 1.4, 2.0)


def parse_all(model: Path, texts: List[str]) -> Dict[str, Dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def parse() -> Dict[str, Dict]:
        return {text: await agent.parse_message(text) for text in texts}

    return asyncio.run(parse())


def score(kb, sets: List[Tuple[str, str, List[Dict]]], parsed: Dict[str, Dict]) -> Tuple[int, int]:
    good = wrong = 0
    for lang, _, turns in sets:
        state = State()
        for item in turns:
            answered = turn.answer(kb, parsed[item["text"]], state)
            state = answered.state
            if item.get("expect"):
                verdict = judge(kb, item, answered.reply.text, lang)
                good += verdict == "good"
                wrong += verdict == "wrong"
    return good, wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "assistant.tar.gz")
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", action="store_true", help="write the best weights to weights.yml")
    args = parser.parse_args()
    kb = factbase.current()
    sets = [(lang, name, turns) for folder in SETS for lang in LANGUAGES for name, turns in conversations(folder, lang)]
    parsed = parse_all(args.model, sorted({t["text"] for _, _, turns in sets for t in turns}))

    def objective(weights: selection.Weights) -> Tuple[float, int, int]:
        selection.weights = lambda: weights  # the one place the selection reads them from
        good, wrong = score(kb, sets, parsed)
        return good - WRONG_COST * wrong, good, wrong

    best = selection.weights()
    best_score = objective(best)
    print(f"start: good {best_score[1]}, wrong {best_score[2]}", flush=True)
    rng = random.Random(args.seed)
    names = [f.name for f in fields(best)]
    for step in range(args.steps):
        name = rng.choice(names)
        value = round(getattr(best, name) * rng.choice(STEPS), 3)
        candidate = replace(best, **{name: value})
        result = objective(candidate)
        if result[0] > best_score[0]:
            best, best_score = candidate, result
            print(f"{step}: {name} = {value}: good {result[1]}, wrong {result[2]}", flush=True)
    print(f"best: good {best_score[1]}, wrong {best_score[2]}")
    if args.write:
        header = [
            line for line in selection.WEIGHTS_PATH.read_text(encoding="utf-8").splitlines() if line.startswith("#")
        ]
        values = yaml.safe_dump({f.name: getattr(best, f.name) for f in fields(best)}, sort_keys=False)
        selection.WEIGHTS_PATH.write_text("\n".join(header) + "\n" + values, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
