"""`make eval`: understanding quality on the test split (tests/nlu/), against two baselines.

Scores, per language, the project's model and (a) Rasa's default pipeline (the config `rasa init`
writes) trained on the same data, (b) a TF-IDF nearest-neighbour FAQ matcher (scikit-learn) on the
same data. Writes docs/evaluation.md with a confusion matrix per language, prints the table, and
exits 1 when the project's macro-F1 is below 0.95 in a language or below either baseline.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import Dict, List, Set, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LANGUAGES = ("fi", "sv", "en")
TARGET = 0.95
Span = Tuple[str, int, int]  # entity type, start, end


def load_split(lang: str):
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(ROOT / "tests" / "nlu" / f"test_split_{lang}.yml"))
    return [(m.get("text"), m.get("intent"), {(e["entity"], e["start"], e["end"]) for e in m.get("entities", [])})
            for m in data.intent_examples]


def rasa_predictions(model: Path, texts: List[str]) -> List[Tuple[str, Set[Span]]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def parse_all():
        return [await agent.parse_message(text) for text in texts]

    parsed = asyncio.run(parse_all())
    return [(p["intent"]["name"], {(e["entity"], e["start"], e["end"]) for e in p.get("entities", [])})
            for p in parsed]


def tfidf_predictions(texts: List[str]) -> List[Tuple[str, Set[Span]]]:
    """Baseline (b): the intent of the most similar training example, by character n-gram TF-IDF."""
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.neighbors import NearestNeighbors

    train = load_data(str(ROOT / "data" / "nlu")).intent_examples
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    matrix = vectorizer.fit_transform([m.get("text") for m in train])
    index = NearestNeighbors(n_neighbors=1, metric="cosine").fit(matrix)
    _, nearest = index.kneighbors(vectorizer.transform(texts))
    return [(train[i[0]].get("intent"), set()) for i in nearest]


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


def confusion_picture(lang: str, gold, predicted, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    labels = sorted({g[1] for g in gold} | {p[0] for p in predicted})
    figure, axes = plt.subplots(figsize=(11, 10))
    ConfusionMatrixDisplay.from_predictions(
        [g[1] for g in gold], [p[0] for p in predicted], labels=labels, ax=axes, xticks_rotation=90,
        colorbar=False,
    )
    axes.set_title(f"Intent confusion, {lang} test split (project model)")
    figure.tight_layout()
    figure.savefig(path, dpi=80)
    plt.close(figure)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "assistant.tar.gz")
    parser.add_argument("--baseline-model", type=Path, required=True, help="Rasa default pipeline, trained")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    import structlog  # Rasa logs every parse through structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    systems = {"project": args.model, "rasa default": args.baseline_model, "tf-idf 1-nn": None}
    rows, failures = [], []
    for lang in LANGUAGES:
        gold = load_split(lang)
        texts = [g[0] for g in gold]
        results = {}
        for name, model in systems.items():
            predicted = rasa_predictions(model, texts) if model else tfidf_predictions(texts)
            results[name] = scores(gold, predicted)
            if name == "project":
                confusion_picture(lang, gold, predicted, docs / f"confusion-{lang}.png")
        for name, s in results.items():
            rows.append((lang, name, len(gold), s))
        project = results["project"]["macro_f1"]
        best_baseline = max(results["rasa default"]["macro_f1"], results["tf-idf 1-nn"]["macro_f1"])
        if project < TARGET:
            failures.append(f"{lang}: macro-F1 {project:.3f} is below {TARGET}")
        if project < best_baseline:
            failures.append(f"{lang}: macro-F1 {project:.3f} is below a baseline's {best_baseline:.3f}")

    header = "| language | system | examples | intent accuracy | macro-F1 | entity F1 |\n|---|---|---|---|---|---|\n"
    table = header + "".join(
        f"| {lang} | {name} | {n} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} | "
        f"{'–' if name == 'tf-idf 1-nn' else format(s['entity_f1'], '.3f')} |\n"
        for lang, name, n, s in rows
    )
    print(table)
    pictures = "\n".join(f"![Confusion matrix, {lang}](confusion-{lang}.png)" for lang in LANGUAGES)
    (docs / "evaluation.md").write_text(
        "# Understanding quality\n\n"
        "Written by `make eval` on the test split in `tests/nlu/` (never used for training). Entity F1\n"
        "counts exact spans with their type; the TF-IDF matcher finds no entities. The gate: the\n"
        f"project's macro-F1 must be at least {TARGET} in each language and at least each baseline's.\n\n"
        + table + "\n" + ("Gate: passed.\n" if not failures else "Gate: FAILED\n\n" + "\n".join(f"- {f}" for f in failures) + "\n")
        + "\n" + pictures + "\n",
        encoding="utf-8",
    )
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
