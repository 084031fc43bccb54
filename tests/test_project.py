"""The parts agree: domain, rules, fact base, training data and held-out questions."""

import re
from pathlib import Path

import yaml

from assistant.factbase import ATTRIBUTES

ROOT = Path(__file__).resolve().parent.parent


def training_examples():
    examples = set()
    for path in (ROOT / "data" / "nlu").rglob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block["examples"].splitlines():
                examples.add(normalise(line.lstrip("- ")))
    return examples


def normalise(text):
    text = re.sub(r"\[([^\]]+)\]\([a-z_]+\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\{[^}]+\}", r"\1", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def test_every_topic_and_attribute_has_an_intent(kb, domain):
    asked = {f"ask_{t}" for t in kb.topics} | {f"ask_{a}" for a in ATTRIBUTES}
    assert asked <= set(domain["intents"])


def test_every_intent_has_a_rule(domain):
    rules = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    ruled = set()
    for rule in rules:
        for step in rule["steps"]:
            ruled |= {s["intent"] for s in step.get("or", [])} | (
                {step["intent"]} if "intent" in step else set()
            )
    assert set(domain["intents"]) <= ruled


def test_held_out_questions_are_not_in_the_training_data():
    trained = training_examples()
    assert len(trained) > 1000
    for path in (ROOT / "tests" / "heldout").glob("*.yml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            assert normalise(item["text"]) not in trained, (path.name, item["text"])


def test_the_nlu_test_split_is_not_in_the_training_data():
    trained = training_examples()
    paths = sorted((ROOT / "tests" / "nlu").glob("test_split_*.yml"))
    assert len(paths) == 3
    for path in paths:
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block["examples"].splitlines():
                assert normalise(line.lstrip("- ")) not in trained, (path.name, line)


def test_the_eval_baseline_is_rasas_default_pipeline_with_fixed_seeds():
    import rasa.engine.recipes

    default = yaml.safe_load(
        (Path(rasa.engine.recipes.__file__).parent / "config_files" / "default_config.yml").read_text()
    )
    baseline = yaml.safe_load((ROOT / "tests" / "nlu" / "rasa-default-config.yml").read_text())
    unseeded = [{k: v for k, v in c.items() if k != "random_seed"} for c in baseline["pipeline"]]
    assert unseeded == default["pipeline"]
    assert baseline["language"] == default["language"]
