"""The NLU components on messages."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from assistant.understanding.nlu_components import FactEntityExtractor, LanguageDetector


def entities(text):
    message = Message(data={"text": text})
    FactEntityExtractor().process([message])
    return [(e["entity"], e["value"], text[e["start"] : e["end"]]) for e in message.get("entities")]


def test_fact_base_names_and_other_cities():
    assert entities("Why does Helsinki have an EU Office, and is Oslo a partner like Tallinnan?") == [
        ("organisation", "eu_office", "EU Office"),
        ("city", "Oslo", "Oslo"),
        ("city", "tallinn", "Tallinnan"),
    ]


@pytest.mark.parametrize(
    "text, value",
    [
        ("Onko Pariisissa", "Pariisi"),
        ("Är Köpenhamn en partner?", "Köpenhamn"),
        ("entä Lontooseen", "Lontoo"),
        ("New Yorkin kanssa", "New York"),
        ("and Lisbon?", "Lisbon"),
        ("onko oslo kumppani", "Oslo"),
        ("entä lissabonissa", "Lissabon"),
        ("tokioon?", "Tokio"),
        ("pariisin kanssa", "Pariisi"),
        ("är oslo med", "Oslo"),
        ("och lissabon", "Lissabon"),
        ("tokyo då", "Tokyo"),
        ("paris?", "Paris"),
        ("is tokyo a partner", "Tokyo"),
    ],
)
def test_cities_of_the_world_in_their_base_form(text, value):
    assert [(t, v) for t, v, _ in entities(text)] == [("city", value)]


def test_a_case_ending_after_a_colon_is_part_of_a_citys_name_of_three_words():
    assert entities("onko kukaan käynyt Rio de Janeiro:ssa") == [("city", "Rio de Janeiro", "Rio de Janeiro:ssa")]


@pytest.mark.parametrize(
    "text",
    [
        "Vilka är stadens partner?",
        "Berätta om ECHA, tack",
        "ask me",
        "the Baltic Sea region",
        "sol",
        "Helsingin kumppanit",
        # common words that a case ending on a city's code or short name made cities (issue 14)
        "lista helsingfors partnerstäder",
        "helsingin kaupunki työssä",
        "onko helsinki jäsen",
        "voiko hakea rahaa",
        "selitä lisää",
        "kaupunkien välillä",
        "sata kaupunkia",
        "nästa fråga",
        "någon annan stad",
        "does helsinki work with China",
        "since the war began",
        # first names
        "Sofia kysyy",
        "Douglas here",
        "Victoria undrar",
        "Leon",
    ],
)
def test_no_city_in_ordinary_words(text):
    assert [e for e in entities(text) if e[0] == "city"] == []


def test_language_leaves_names_out():
    texts = [
        "is tallinn a helsinki partner",
        "ECHA?",
        "Onko Tallinna kumppani?",
        "is Copenhagen Helsinki's partner",
        # names that tell the language are kept (issue 14): inflected, or in one language's spelling
        "onks helsingillä joku office brysselissä",
        "Helsingfors vänorter",
        "WHAT IS ECHA",  # capitals: shouting, not acronyms
        # the words around the names decide before the names' own spellings (issue 14)
        "whats this helsinki-keskus",
        "vad e egentligen helsinki centre",
        "the helsinki eu office?",
        # short mixed messages go by the words clearly of one language, not by one long foreign word
        "is there a toimisto of helsinki in brussels",
        "ucue vad e de",
        # with no other words, a name in one language's spelling
        "Tukholma?",
    ]
    messages = [Message(data={"text": t}) for t in texts]
    FactEntityExtractor().process(messages)
    LanguageDetector().process(messages)
    assert [m.get("language") for m in messages] == [
        "en",
        None,
        "fi",
        "en",
        "fi",
        "sv",
        "en",
        "en",
        "sv",
        "en",
        "en",
        "sv",
        "fi",
    ]


def test_the_fact_base_names_are_matched_once_a_message(monkeypatch):
    """LanguageDetector takes FactEntityExtractor's matches; alone, it matches them itself."""
    import assistant.understanding.mentions as mentions

    matched = []
    real = mentions.matcher_of
    monkeypatch.setattr(mentions, "matcher_of", lambda kb: matched.append(True) or real(kb))
    message = Message(data={"text": "onks helsingillä joku office brysselissä"})
    FactEntityExtractor().process([message])
    LanguageDetector().process([message])
    assert len(matched) == 1 and message.get("language") == "fi"
    alone = Message(data={"text": "onks helsingillä joku office brysselissä"})
    LanguageDetector().process([alone])
    assert len(matched) == 2 and alone.get("language") == "fi"


def test_a_broken_fact_base_leaves_messages_understood(monkeypatch):
    import assistant.understanding.nlu_components as components
    from assistant.knowledge.factbase import FactBaseError

    def broken():
        raise FactBaseError(["facts.yml:3: fact 'x': text: broken"])

    monkeypatch.setattr(components.factbase, "current", broken)
    message = Message(data={"text": "Is Oslo a partner like Tallinn?"})
    FactEntityExtractor().process([message])
    LanguageDetector().process([message])
    assert [e["value"] for e in message.get("entities")] == ["Oslo", "Tallinn"]
    assert message.get("language") == "en"


def test_no_word_of_the_projects_own_data_is_taken_for_a_city():
    """Every world city found in the training data, the facts and the messages is a proper name,
    written with a capital: no lower-case word ("lista", "työssä", "jäsen") is one."""
    import re
    from pathlib import Path

    import yaml

    from assistant.answering.render import messages
    from assistant.knowledge import factbase

    root = Path(__file__).resolve().parents[2]
    texts = []
    for path in (root / "data" / "nlu").rglob("*.yml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in (item.get("examples") or "").splitlines():
                texts.append(re.sub(r"\[([^\]]+)\][({][^)}]*[)}]", r"\1", line.lstrip("- ")))
    kb = factbase.current()
    for fact in kb.facts.values():
        texts += [*fact.text.values(), *(fact.ended.history.values() if fact.ended else ())]
    texts += [text for by_language in messages().values() for text in by_language.values()]
    cities = [e for text in texts for e in entities(text) if e[0] == "city" and e[1] not in kb.entities]
    assert len(texts) > 1000 and cities  # Oslo, Riga, Lontoon ... are there
    assert [c for c in cities if not c[2][0].isupper()] == []


def test_every_text_the_assistant_says_is_detected_as_its_own_language():
    """The facts, their histories, the topics' questions and messages.yml (placeholders left out), as
    LanguageDetector reads a message: a text too short to tell may give no language, never another."""
    import re

    from assistant.answering.render import messages
    from assistant.knowledge import factbase

    kb = factbase.current()
    texts = [(lang, text) for fact in kb.facts.values() for lang, text in fact.text.items()]
    texts += [(lang, text) for fact in kb.facts.values() if fact.ended for lang, text in fact.ended.history.items()]
    texts += [(lang, text) for topic in kb.topics.values() for lang, text in topic.question.items()]
    texts += [
        (lang, re.sub(r"\{\w+\}", " ", text))
        for by_language in messages().values()
        for lang, text in by_language.items()
    ]
    found = [Message(data={"text": text}) for _, text in texts]
    FactEntityExtractor().process(found)
    LanguageDetector().process(found)
    wrong = [
        (lang, m.get("language"), text)
        for (lang, text), m in zip(texts, found)
        if m.get("language") not in (lang, None)
    ]
    assert len(texts) > 250 and wrong == []
    # one-word texts ("Kyllä.", "undated") may well give none
    assert sum(m.get("language") is None for (_, text), m in zip(texts, found) if len(text.split()) > 2) <= 5


@pytest.mark.parametrize(
    "text, language, sure",
    [
        ("mikä on echa ja missä se sijaitsee", "fi", True),  # words clearly Finnish
        ("Helsingfors?", "sv", True),  # a name in one language's spelling
        ("ECHA?", None, False),  # nothing to tell by: the conversation's language holds
        ("Mikä on ECHA?", "fi", True),  # one word clearly Finnish ("on" is English too), as Lingua reads it
        ("Wie viele Leute arbeiten bei der ECHA?", "other", True),
        ("tere, kas te räägite eesti keelt?", "other", True),
    ],
)
def test_the_language_and_whether_it_is_sure(text, language, sure):
    message = Message(data={"text": text})
    FactEntityExtractor().process([message])
    LanguageDetector().process([message])
    assert (message.get("language"), message.get("language_sure")) == (language, sure)
