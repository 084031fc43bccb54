"""Residents' signals in the editor (editor/signals.py): the questions the assistant could not answer,
grouped as `make report` groups them, the least helpful answers with their records' forms, and links that
open a fact's form with a question added and save nothing. The logs are the test's own (tests/conftest.py
points $UNANSWERED_LOG and $FEEDBACK_LOG into its temporary folder), written as the assistant writes them."""

import html
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from assistant.storage import feedback, unanswered
from editor import signals
from editor.models import Fact, Topic
from tests.editor.conftest import PASSWORD, browser

PAGE = "/editor/signals/"
TO_FACT = "/editor/signals/to-fact/"
ESTONIA = "mikä on helsingin ystävyyskaupunki virossa"


def ask(text: str, language: str, times: int = 1) -> None:
    for _ in range(times):
        unanswered.record("gap", text, language, [{"name": "ask_partners", "confidence": 0.41}])


def rate(kb, fact_id: str, helpful: bool, times: int = 1) -> None:
    """Ratings of answers that gave this fact, each in a conversation of its own."""
    for _ in range(times):
        answer = uuid.uuid4().hex
        said = [{"custom": {"answer": answer, "facts": [fact_id], "language": "fi"}}]
        feedback.record(kb, f"resident-{answer}", answer, feedback.answer_of(said, answer), helpful)


def signals_page(user) -> str:
    """The page as an English-speaking browser gets it (the editor's own language is Finnish)."""
    return browser(user).get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def questions_shown(page: str) -> list:
    """(times asked, question) of each group, as the page's table lists them."""
    return [
        (int(count), html.unescape(question))
        for count, question in re.findall(r'<td>(\d+)</td>\s*<th scope="row" id="question-\d+"[^>]*>(.*?)</th>', page)
    ]


def textarea(page: str, name: str) -> str:
    """What a textarea of the page holds, as the browser shows it (Django starts it with a newline)."""
    match = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    return html.unescape(match.group(1))


def test_alike_questions_are_one_group_the_most_asked_first(editor):
    ask("does helsinki have a sister city in japan", "en")
    ask(ESTONIA, "fi", times=2)
    ask("mikä on helsingin ystävyyskaupunki virosa", "fi")
    ask("onks helsingil ystävyyskaupunki virossa", "fi")
    ask("har helsingfors en vänort i japan", "sv", times=2)
    page = signals_page(editor)
    assert questions_shown(page) == [
        (4, ESTONIA),
        (2, "har helsingfors en vänort i japan"),
        (1, "does helsinki have a sister city in japan"),
    ]
    assert "<li>mikä on helsingin ystävyyskaupunki virosa</li>" in page  # another wording of the first
    assert "Questions residents asked that the assistant could not answer: 7, in 3 groups" in page


def test_only_the_most_asked_groups_are_shown_and_the_total_said(editor, monkeypatch):
    monkeypatch.setattr(signals, "SHOWN", 2)
    ask("voiko helsingin kautta hakea eu rahaa yritykselle", "fi", times=3)
    ask("har helsingfors en vänort i japan", "sv", times=2)
    ask("who is the mayor of tallinn", "en")
    page = signals_page(editor)
    assert [count for count, _ in questions_shown(page)] == [3, 2]
    assert "in 3 groups" in page and "The first 2 groups are shown" in page


def test_the_least_helpful_answers_link_to_their_records_forms(editor, kb):
    rate(kb, "ucue", helpful=False, times=2)
    rate(kb, "echa_staff", helpful=False)
    rate(kb, "echa_staff", helpful=True)
    rate(kb, "focus_areas", helpful=True)  # never "not helpful": not listed
    page = signals_page(editor)

    def form_of(model, record_id):
        return f"/editor/editor/{model._meta.model_name}/{model.objects.get(record_id=record_id).pk}/change/"

    listed = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>', page)
    assert listed == [
        (form_of(Topic, kb.facts["ucue"].topic), kb.facts["ucue"].topic),
        (form_of(Fact, "ucue"), "ucue"),
        (form_of(Topic, kb.facts["echa_staff"].topic), kb.facts["echa_staff"].topic),
        (form_of(Fact, "echa_staff"), "echa_staff"),
    ]
    assert "Ratings of answers: 5." in page
    assert form_of(Fact, "focus_areas") not in page


def test_a_question_opens_a_new_facts_form_in_its_language_and_saves_nothing(editor):
    question = "kuuluuko helsinki eurocities verkostoon viel"
    ask(question, "fi", times=2)
    ask(question, "en")  # the language it was asked in most often wins, not the first of its languages
    client = browser(editor)
    versions, facts = Fact.history.count(), Fact.objects.count()
    page = client.get(PAGE).content.decode()
    link = html.unescape(re.search(r'<a href="(/editor/editor/fact/add/\?[^"]+)"', page).group(1))
    form = client.get(link).content.decode()
    assert textarea(form, "questions_fi") == question
    assert textarea(form, "questions_sv") == textarea(form, "questions_en") == ""
    assert (Fact.history.count(), Fact.objects.count()) == (versions, facts)


def test_a_question_is_added_to_a_chosen_facts_questions_and_nothing_is_saved(editor):
    question = "är tallin fortfarande helsingfors vänort"
    ask(question, "sv")
    fact = Fact.objects.get(record_id="tallinn_agreement")
    before = fact.data["questions"]
    client = browser(editor)
    versions = Fact.history.count()
    page = client.get(PAGE).content.decode()
    form = re.search(rf'<form method="get" action="{TO_FACT}".*?</form>', page, re.S).group(0)
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form))
    assert 'id="fact-1" name="fact"' in form and "<option>tallinn_agreement</option>" in form
    chosen = {**{k: html.unescape(v) for k, v in hidden.items()}, "fact": "tallinn_agreement"}
    response = client.get(TO_FACT, chosen, follow=True)
    assert response.redirect_chain[-1][0].startswith(f"/editor/editor/fact/{fact.pk}/change/?")
    shown = response.content.decode()
    assert textarea(shown, "questions_sv").splitlines() == before["sv"] + [question]
    assert textarea(shown, "questions_fi").splitlines() == before["fi"]
    assert Fact.history.count() == versions and Fact.objects.get(pk=fact.pk).data["questions"] == before


@pytest.mark.parametrize(
    "params",
    [
        {"add_question": "is tallinn still a partner", "language": "de"},
        {"add_question": "   ", "language": "en"},
        {"language": "en"},
    ],
)
def test_a_prefill_without_a_question_in_a_known_language_is_ignored(editor, params):
    fact = Fact.objects.get(record_id="tallinn_agreement")
    form = browser(editor).get(f"/editor/editor/fact/{fact.pk}/change/", params).content.decode()
    for lang in ("fi", "sv", "en"):
        assert textarea(form, f"questions_{lang}").splitlines() == fact.data["questions"][lang]


def test_the_page_needs_a_login_and_a_role(seeded):
    ask(ESTONIA, "fi")
    for url in (PAGE, f"{TO_FACT}?fact=tallinn_agreement&add_question=x&language=fi"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/editor/login/"), url
    staff = get_user_model().objects.create_user("ville", password=PASSWORD, is_staff=True)  # no role
    assert browser(staff).get(PAGE).status_code == 403


def test_the_index_links_to_the_page(editor):
    assert f'<a href="{PAGE}">' in browser(editor).get("/editor/").content.decode()


def test_markup_in_a_residents_question_shows_as_text(editor):
    markup = '<script>alert("hei")</script> onko helsingil ystävyyskaupunki'
    ask(markup, "fi")
    page = signals_page(editor)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;hei&quot;)&lt;/script&gt; onko helsingil ystävyyskaupunki" in page


def test_with_no_logs_the_page_says_there_is_nothing_yet(editor):
    assert not unanswered.path().exists() and not feedback.path().exists()
    page = signals_page(editor)
    assert "No resident has asked a question the assistant could not answer yet." in page
    assert "No resident has rated an answer yet." in page


@pytest.mark.parametrize(
    "lang, title, column",
    [
        ("fi", "Asukkaiden kysymykset ja arviot", "Kertaa kysytty"),
        ("sv", "Invånarnas frågor och betyg", "Antal gånger ställd"),
        ("en", "Residents' questions and ratings", "Times asked"),
    ],
)
def test_the_page_speaks_the_browsers_language(editor, lang, title, column):
    ask(ESTONIA, "fi")
    client = browser(editor)
    page = html.unescape(client.get(PAGE, HTTP_ACCEPT_LANGUAGE=lang).content.decode())
    assert f'lang="{lang}"' in page and f"<h1>{title}</h1>" in page and column in page
    assert f"<h2>{title}</h2>" in html.unescape(client.get("/editor/", HTTP_ACCEPT_LANGUAGE=lang).content.decode())
