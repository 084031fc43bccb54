"""The parts agree: domain, rules, fact base, training data and held-out questions; the pictures in docs/ and
the pages that show them."""

import re
from pathlib import Path

import pytest
import yaml

from assistant import ROOT
from assistant.answering.selection import KIND_INTENTS


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


def test_every_topic_and_kind_of_question_has_an_intent(kb, domain):
    asked = {f"ask_{t.id}" for t in kb.topics.values() if not t.by_subject} | set(KIND_INTENTS)
    assert asked <= set(domain["intents"])


def test_a_topic_asked_by_its_subject_has_no_intent_and_its_subjects_type_is_an_entity(kb, domain):
    by_subject = [t for t in kb.topics.values() if t.by_subject]
    assert by_subject
    for topic in by_subject:
        assert f"ask_{topic.id}" not in domain["intents"]
        assert kb.entities[topic.subject].type in domain["entities"]


def test_every_intent_has_a_rule(domain):
    rules = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    ruled = set()
    for rule in rules:
        for step in rule["steps"]:
            ruled |= {s["intent"] for s in step.get("or", [])} | ({step["intent"]} if "intent" in step else set())
    assert set(domain["intents"]) <= ruled


def test_held_out_and_resident_questions_are_not_in_the_training_data():
    trained = training_examples()
    assert len(trained) > 1000
    for folder in ("heldout", "residents"):
        paths = sorted((ROOT / "tests" / folder).glob("*.yml"))
        assert len(paths) == 3, folder
        for path in paths:
            for item in yaml.safe_load(path.read_text(encoding="utf-8")):
                assert normalise(item["text"]) not in trained, (folder, path.name, item["text"])


def test_the_resident_style_set_is_its_own_and_expects_facts_of_the_base(kb):
    elsewhere = heldout_and_conversation_sentences()
    seen = set()
    for path in sorted((ROOT / "tests" / "residents").glob("*.yml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert len(items) >= 100, path.name
        for item in items:
            sentence = normalise(item["text"])
            assert sentence not in elsewhere and sentence not in seen, (path.name, item["text"])
            seen.add(sentence)
            assert item["expect"] in ("facts", "gap"), (path.name, item["text"])
            assert bool(item.get("facts")) == (item["expect"] == "facts"), (path.name, item["text"])
            for fact_id in (*item.get("facts", []), *item.get("not", [])):
                assert fact_id in kb.facts, (path.name, item["text"], fact_id)


def test_the_conversation_tests_share_no_user_turn_with_training():
    trained = training_examples()
    assert len(trained) > 1000
    copied = []
    for path in sorted((ROOT / "tests" / "conversations").glob("*.yml")):
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            for step in story["steps"]:
                if "user" in step and normalise(step["user"]) in trained:
                    copied.append((path.name, story["story"], step["user"].strip()))
    assert not copied, f"{len(copied)} user turns copy a training sentence:\n" + "\n".join(
        f"{name}: {story}: {text!r}" for name, story, text in copied
    )


def split_examples(path):
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for line in block["examples"].splitlines():
            yield block["intent"], line.lstrip("- ")


def heldout_and_conversation_sentences():
    sentences = set()
    for path in (ROOT / "tests" / "heldout").glob("*.yml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            sentences |= {normalise(t) for t in [item["text"], *item.get("before", [])]}
    for path in (ROOT / "tests" / "conversations").glob("*.yml"):
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            sentences |= {normalise(step["user"]) for step in story["steps"] if "user" in step}
    assert len(sentences) > 250
    return sentences


SPLIT_PATHS = sorted((ROOT / "tests" / "nlu").glob("test_split_*.yml"))


def test_the_nlu_test_split_has_250_sentences_a_language_over_every_intent(domain):
    assert len(SPLIT_PATHS) == 3
    for path in SPLIT_PATHS:
        examples = list(split_examples(path))
        assert len(examples) >= 250, path.name
        assert {intent for intent, _ in examples} == set(domain["intents"]), path.name


def test_the_nlu_test_split_shares_no_sentence_with_training_or_other_tests():
    trained = training_examples()
    elsewhere = heldout_and_conversation_sentences()
    seen = set()
    for path in SPLIT_PATHS:
        for _, text in split_examples(path):
            sentence = normalise(text)
            assert sentence not in trained, (path.name, "in data/nlu", text)
            assert sentence not in elsewhere, (path.name, "in tests/heldout or tests/conversations", text)
            assert sentence not in seen, (path.name, "twice in the split", text)
            seen.add(sentence)


def test_the_nlu_test_split_marks_only_the_domains_entities(domain):
    for path in SPLIT_PATHS:
        for _, text in split_examples(path):
            for entity in re.findall(r"\]\(([^)]*)\)", text):
                assert entity in domain["entities"], (path.name, text)


def test_the_eval_baseline_is_rasas_default_pipeline_with_fixed_seeds():
    import rasa.engine.recipes

    default = yaml.safe_load(
        (Path(rasa.engine.recipes.__file__).parent / "config_files" / "default_config.yml").read_text()
    )
    baseline = yaml.safe_load((ROOT / "tests" / "nlu" / "rasa-default-config.yml").read_text())
    unseeded = [{k: v for k, v in c.items() if k != "random_seed"} for c in baseline["pipeline"]]
    assert unseeded == default["pipeline"]
    assert baseline["language"] == default["language"]


def conversation_turns(folder):
    """The turns of the conversation sets (tests/dialogues/, tests/blind/, tests/sealed/), by file."""
    for path in sorted((ROOT / "tests" / folder).glob("*.yml")):
        yield path, [t for c in yaml.safe_load(path.read_text(encoding="utf-8")) for t in c["turns"]]


def alternate_questions(kb):
    return {normalise(q) for f in kb.facts.values() for qs in f.questions.values() for q in qs}


# Turns of the blind set that equal a training sentence: it was written by another hand beside the
# training data, and these short ones coincided; they were counted when it was measured (issue 23).
BLIND_COINCIDENCES = {"hi", "since when?", "kiitti", "hur många jobbar där"}
# ... and of the sealed set, likewise (measured once, when the "still?" of a subject that holds was mended).
SEALED_COINCIDENCES = {
    "and stockholm",
    "since when",
    "moi",
    "kiitos",
    "kansainvälisen toiminnan painopisteet?",
    "echa mikä se on",
    "kiitti",
    "hej",
    "har helsingfors vänorter",
    "sedan när",
    "är tallinn helsingfors vänort",
    "tack!",
}


@pytest.mark.parametrize(
    "folder, coincidences", [("dialogues", set()), ("blind", BLIND_COINCIDENCES), ("sealed", SEALED_COINCIDENCES)]
)
def test_the_development_conversations_copy_no_training_sentence_and_expect_what_the_base_has(kb, folder, coincidences):
    learnt = training_examples() - {normalise(text) for text in coincidences}
    paths = list(conversation_turns(folder))
    assert len(paths) == 3
    for path, turns in paths:
        assert len(turns) >= 45, path.name
        assert [t["text"] for t in turns if normalise(t["text"]) in learnt] == [], path.name
        assert [
            f for t in turns for f in (*t.get("facts", []), *t.get("any", []), *t.get("not", [])) if f not in kb.facts
        ] == [], path.name
        assert [t["subject"] for t in turns if t.get("subject") not in (None, *kb.entities)] == [], path.name


def test_no_alternate_question_copies_a_test_sentence_of_the_development_sets(kb):
    tests = heldout_and_conversation_sentences()
    for folder in ("residents", "dialogues", "blind", "sealed"):
        for path in (ROOT / "tests" / folder).glob("*.yml"):
            for item in yaml.safe_load(path.read_text(encoding="utf-8")):
                turns = item.get("turns") or [{"text": t} for t in [item["text"], *item.get("before", [])]]
                tests |= {normalise(t["text"]) for t in turns}
    for path in SPLIT_PATHS:
        tests |= {normalise(text) for _, text in split_examples(path)}
    assert len(tests) > 1500
    assert sorted(alternate_questions(kb) & tests) == []


def shown_pictures():
    """The pictures in docs/ that the README and the docs/ pages show."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return {
        name
        for page in pages
        for name in re.findall(r"!\[[^\]]*\]\((?:docs/)?([\w.-]+\.png)\)", page.read_text("utf-8"))
    }


def test_every_picture_in_docs_is_shown_by_a_page_and_every_one_shown_is_there():
    assert sorted(p.name for p in (ROOT / "docs").glob("*.png")) == sorted(shown_pictures())


def test_make_docs_copies_into_docs_only_pictures_a_page_shows():
    copied = re.search(r"^DOCS_SCREENSHOTS = (.+)$", (ROOT / "Makefile").read_text("utf-8"), re.MULTILINE)
    assert copied and set(copied[1].split()) <= shown_pictures()
