"""`make eval`: understanding quality on the test split (tests/nlu/), against two baselines.

Scores, per language, the project's model and (a) Rasa's default pipeline (the config `rasa init`
writes) trained on the same data, (b) a TF-IDF nearest-neighbour FAQ matcher (scikit-learn) on the
same data. The project is compared with each baseline on the same sentences by McNemar's exact test.
Writes OUT/evaluation.json and OUT/evaluation.md (with confusion matrices), and exits 1 when the
project's macro-F1 is below 0.95 in a language or it is significantly worse than a baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import os
import sys
from math import comb
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

from assistant import ROOT
from assistant.knowledge.facts import LANGUAGES

TARGET = 0.95
SIGNIFICANCE = 0.05
BASELINES = ("rasa default", "tf-idf 1-nn")
# The environment that decides a trained model's numbers, set in the Makefile: oneDNN's kernels are
# picked by the processor and change float results; the thread counts fix how sums are split.
SETTINGS = (
    "TF_ENABLE_ONEDNN_OPTS",
    "TF_DETERMINISTIC_OPS",
    "TF_INTRA_OP_PARALLELISM_THREADS",
    "TF_INTER_OP_PARALLELISM_THREADS",
)
Span = Tuple[str, int, int]  # entity type, start, end
Prediction = Tuple[str, Set[Span], Optional[float]]  # intent, entities, confidence


def load_split(lang: str):
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(ROOT / "tests" / "nlu" / f"test_split_{lang}.yml"))
    return [
        (m.get("text"), m.get("intent"), {(e["entity"], e["start"], e["end"]) for e in m.get("entities", [])})
        for m in data.intent_examples
    ]


def rasa_predictions(model: Path, texts: List[str]) -> List[Prediction]:
    from rasa.core.agent import Agent
    from rasa.utils.tensorflow.environment import setup_tf_environment

    setup_tf_environment()  # the thread counts, as `rasa train` and `rasa run` apply them
    agent = Agent.load(str(model))

    async def parse_all():
        return [await agent.parse_message(text) for text in texts]

    parsed = asyncio.run(parse_all())
    return [
        (
            p["intent"]["name"],
            {(e["entity"], e["start"], e["end"]) for e in p.get("entities", [])},
            p["intent"]["confidence"],
        )
        for p in parsed
    ]


def tfidf_predictions(texts: List[str]) -> List[Prediction]:
    """Baseline (b): the intent of the most similar training example, by character n-gram TF-IDF."""
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.neighbors import NearestNeighbors

    train = load_data(str(ROOT / "data" / "nlu")).intent_examples
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    matrix = vectorizer.fit_transform([m.get("text") for m in train])
    index = NearestNeighbors(n_neighbors=1, metric="cosine").fit(matrix)
    _, nearest = index.kneighbors(vectorizer.transform(texts))
    return [(train[i[0]].get("intent"), set(), None) for i in nearest]


def scores(gold, predicted) -> Dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score

    intents = [g[1] for g in gold]
    guesses = [p[0] for p in predicted]
    true_spans = sum(len(g[2]) for g in gold)
    found = sum(len(p[1]) for p in predicted)
    right = sum(len(g[2] & p[1]) for g, p in zip(gold, predicted))
    precision = right / found if found else 0.0
    recall = right / true_spans if true_spans else 0.0
    return {
        "accuracy": accuracy_score(intents, guesses),
        "macro_f1": f1_score(intents, guesses, labels=sorted(set(intents)), average="macro", zero_division=0),
        "entity_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
    }


def digest(predicted: List[Prediction]) -> str:
    """A fingerprint of every prediction with its confidence to the last bit: equal fingerprints mean
    the two models computed the same numbers on every sentence."""
    exact = [
        (intent, sorted(spans), None if confidence is None else float(confidence).hex())
        for intent, spans, confidence in predicted
    ]
    return hashlib.sha256(json.dumps(exact).encode()).hexdigest()[:12]


def mcnemar_exact(only_first: int, only_second: int) -> float:
    """Two-sided p-value of McNemar's exact test from the discordant pairs: sentences only the first
    system got right, and sentences only the second got right (a binomial test with p = 1/2)."""
    n = only_first + only_second
    if n == 0:
        return 1.0
    tail = sum(comb(n, k) for k in range(min(only_first, only_second) + 1)) / 2**n
    return min(1.0, 2 * tail)


def compare(gold, project: List[Prediction], baseline: List[Prediction]) -> Dict:
    """The project against one baseline on the same sentences: "better", "on par" or "worse"."""
    project_only = sum(p[0] == g[1] != b[0] for g, p, b in zip(gold, project, baseline))
    baseline_only = sum(b[0] == g[1] != p[0] for g, p, b in zip(gold, project, baseline))
    p = mcnemar_exact(project_only, baseline_only)
    verdict = "on par"
    if p < SIGNIFICANCE:
        verdict = "better" if project_only > baseline_only else "worse"
    return {"project_only": project_only, "baseline_only": baseline_only, "p": p, "verdict": verdict}


def gate_failures(languages: Dict) -> List[str]:
    failures = []
    for lang, result in languages.items():
        f1 = result["systems"]["project"]["macro_f1"]
        if f1 < TARGET:
            failures.append(f"{lang}: macro-F1 {f1:.3f} is below {TARGET}")
        for baseline, c in result["comparisons"].items():
            if c["verdict"] == "worse":
                failures.append(f"{lang}: significantly worse than {baseline} (McNemar p = {c['p']:.3g})")
    return failures


def confusion_picture(lang: str, gold, predicted, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    labels = sorted({g[1] for g in gold} | {p[0] for p in predicted})
    figure, axes = plt.subplots(figsize=(11, 10))
    ConfusionMatrixDisplay.from_predictions(
        [g[1] for g in gold],
        [p[0] for p in predicted],
        labels=labels,
        ax=axes,
        xticks_rotation=90,
        colorbar=False,
    )
    axes.set_title(f"Intent confusion, {lang} test split (project model)")
    figure.tight_layout()
    figure.savefig(path, dpi=80, metadata={"Software": None})
    plt.close(figure)


def evaluate(model: Path, baseline_model: Path, out: Path) -> Dict:
    systems = {"project": model, "rasa default": baseline_model, "tf-idf 1-nn": None}
    golds = {lang: load_split(lang) for lang in LANGUAGES}
    texts = [g[0] for lang in LANGUAGES for g in golds[lang]]
    # Each model is loaded once and parses every language's sentences; then they are split again.
    every = {name: rasa_predictions(m, texts) if m else tfidf_predictions(texts) for name, m in systems.items()}
    languages = {}
    start = 0
    for lang in LANGUAGES:
        gold = golds[lang]
        predicted = {name: p[start : start + len(gold)] for name, p in every.items()}
        start += len(gold)
        confusion_picture(lang, gold, predicted["project"], out / f"confusion-{lang}.png")
        languages[lang] = {
            "examples": len(gold),
            "systems": {
                name: {**scores(gold, p), "digest": digest(p), "predictions": [[i, c] for i, _, c in p]}
                for name, p in predicted.items()
            },
            "comparisons": {b: compare(gold, predicted["project"], predicted[b]) for b in BASELINES},
        }
    return {
        "settings": {name: os.environ.get(name) for name in SETTINGS},
        "languages": languages,
        "failures": gate_failures(languages),
    }


def scores_table(result: Dict) -> str:
    rows = "".join(
        f"| {lang} | {name} | {r['examples']} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} | "
        f"{'–' if name == 'tf-idf 1-nn' else format(s['entity_f1'], '.3f')} |\n"
        for lang, r in result["languages"].items()
        for name, s in r["systems"].items()
    )
    return (
        "| language | system | examples | intent accuracy | macro-F1 | entity F1 |\n|---|---|---|---|---|---|\n" + rows
    )


def comparison_table(result: Dict) -> str:
    rows = "".join(
        f"| {lang} | {baseline} | {c['project_only']} | {c['baseline_only']} | {c['p']:.3g} | {c['verdict']} |\n"
        for lang, r in result["languages"].items()
        for baseline, c in r["comparisons"].items()
    )
    return (
        "| language | project against | only the project right | only the baseline right | "
        "McNemar exact p | verdict |\n|---|---|---|---|---|---|\n" + rows
    )


def drift(result: Dict, reference: Dict, name: str) -> str:
    """How far a system's predictions moved from the reference run's: "identical" to the last bit, or
    how many intents changed and the largest change of a confidence."""
    if all(
        result["languages"][lang]["systems"][name]["digest"] == reference["languages"][lang]["systems"][name]["digest"]
        for lang in LANGUAGES
    ):
        return "identical"
    pairs = [
        (mine, theirs)
        for lang in LANGUAGES
        for mine, theirs in zip(
            result["languages"][lang]["systems"][name].get("predictions", []),
            reference["languages"][lang]["systems"][name].get("predictions", []),
        )
    ]
    if not pairs:
        return "differ"
    changed = sum(mine[0] != theirs[0] for mine, theirs in pairs)
    largest = max(abs(mine[1] - theirs[1]) for mine, theirs in pairs)
    return f"{changed} of {len(pairs)} intents changed; confidences by up to {largest:.1g}"


def determinism_section(runs: List[Dict], reference: Optional[Dict]) -> str:
    """The models trained and scored again under other settings (scripts/measure/determinism.py), each set
    beside the reference run (make eval's, or else the first of these)."""
    reference = reference or runs[0]["result"]

    def f1(result, name):
        return " / ".join(f"{result['languages'][lang]['systems'][name]['macro_f1']:.3f}" for lang in LANGUAGES)

    def settings(s):
        return ", ".join(
            f"{k.replace('TF_', '').replace('_PARALLELISM_THREADS', '').lower()}={v}" for k, v in s.items()
        )

    lines = []
    for run in [{"name": "make eval (reference)", "result": reference}, *runs]:
        result = run["result"]
        verdicts = "; ".join(
            f"{lang}: " + ", ".join(c["verdict"] for c in result["languages"][lang]["comparisons"].values())
            for lang in LANGUAGES
        )
        lines.append(
            f"| {run['name']} | {settings(result['settings'])} | {f1(result, 'project')} | "
            f"{f1(result, 'rasa default')} | {drift(result, reference, 'project')} | "
            f"{drift(result, reference, 'rasa default')} | {verdicts} | "
            f"{'passed' if not result['failures'] else 'FAILED'} |\n"
        )
    return (
        "## The same verdict under other settings\n\n"
        "Written by `make eval-determinism`: both models trained from scratch and scored again under each\n"
        "setting, on this machine. The predictions columns compare every prediction and its confidence\n"
        "with the reference run's, to the last bit. Verdicts: against Rasa default, then against TF-IDF 1-NN.\n\n"
        "| run | settings | project macro-F1 fi / sv / en | Rasa default macro-F1 fi / sv / en | "
        "project's predictions | Rasa default's predictions | verdicts | gate |\n"
        "|---|---|---|---|---|---|---|---|\n" + "".join(lines) + "\n"
    )


def report(out: Path) -> str:
    """OUT/evaluation.md from OUT/evaluation.json and, when it has been run, OUT/determinism.json."""
    result = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))
    determinism = out / "determinism.json"
    failures = result["failures"]
    counts = sorted({r["examples"] for r in result["languages"].values()})
    text = (
        "# Understanding quality\n\n"
        f"Written by `make eval` on the test split in `tests/nlu/` ({' or '.join(map(str, counts))} sentences "
        "a language, never\nused for training), with the settings of the Makefile: "
        + ", ".join(f"`{k}={v}`" for k, v in result["settings"].items())
        + ".\n"
        "Entity F1 counts exact spans with their type; the TF-IDF matcher finds no entities.\n\n"
        f"The gate: the project's macro-F1 must be at least {TARGET} in each language, and the project must\n"
        'not be significantly worse than either baseline. "Better" or "worse" is McNemar\'s exact test on\n'
        f'the sentences that exactly one of the two systems got right, at p < {SIGNIFICANCE}; otherwise "on par".\n\n'
        + scores_table(result)
        + "\n"
        + comparison_table(result)
        + "\n"
        + ("Gate: passed.\n" if not failures else "Gate: FAILED\n\n" + "".join(f"- {f}\n" for f in failures))
        + "\n"
    )
    if determinism.exists():
        text += determinism_section(json.loads(determinism.read_text(encoding="utf-8")), result)
    text += "\n".join(f"![Confusion matrix, {lang}](confusion-{lang}.png)" for lang in LANGUAGES) + "\n"
    (out / "evaluation.md").write_text(text, encoding="utf-8")
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "assistant.tar.gz")
    parser.add_argument("--baseline-model", type=Path, required=True, help="Rasa default pipeline, trained")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "evaluation")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    import structlog  # Rasa logs every parse through structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    args.out.mkdir(parents=True, exist_ok=True)
    result = evaluate(args.model, args.baseline_model, args.out)
    (args.out / "evaluation.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    report(args.out)
    print(scores_table(result) + "\n" + comparison_table(result))
    print(f"Report: {args.out / 'evaluation.md'}")
    for failure in result["failures"]:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
