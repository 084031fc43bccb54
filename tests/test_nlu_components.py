"""The NLU components on messages as DIET leaves them."""
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu_components import FactEntityExtractor, LanguageDetector


def diet(entity, text, value):
    start = TEXT.index(value)
    return {"entity": entity, "value": value, "start": start, "end": start + len(value), "extractor": "DIETClassifier"}


TEXT = "Why does Helsinki have an EU Office, and is Oslo a partner like Tallinnan?"


def test_fact_base_names_win_and_unknown_cities_stay():
    message = Message(data={"text": TEXT, "entities": [diet("organisation", TEXT, "an"), diet("city", TEXT, "Oslo"), diet("city", TEXT, "Tallinnan")]})
    FactEntityExtractor().process([message])
    entities = [(e["entity"], e["value"], e["extractor"]) for e in message.get("entities")]
    assert entities == [
        ("organisation", "eu_office", "FactEntityExtractor"),
        ("city", "Oslo", "DIETClassifier"),
        ("city", "tallinn", "FactEntityExtractor"),
    ]


def test_language_leaves_names_out():
    texts = ["is tallinn a helsinki partner", "ECHA?", "Onko Tallinna kumppani?", "is Copenhagen Helsinki's partner"]
    messages = [Message(data={"text": t}) for t in texts]
    copenhagen = {"entity": "city", "value": "Copenhagen", "start": 3, "end": 13}
    messages[3].set("entities", [copenhagen])
    LanguageDetector().process(messages)
    assert [m.get("language") for m in messages] == ["en", None, "fi", "en"]
