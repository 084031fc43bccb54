"""editor/drafts.py: a database seeded from the fact base holds it as the file does; publishing takes a
publisher other than the draft's authors, a note, a change, and a draft without problems."""

import pytest

from assistant.knowledge import factbase, publications
from editor import drafts
from editor.models import Fact, Publication
from tests.editor.conftest import account


def changed(fact_id: str, user, **fields) -> None:
    """A change to a fact's record as an editor's save makes it, recorded as theirs."""
    fact = Fact.objects.get(record_id=fact_id)
    fact.data = {**fact.data, **fields}
    fact._history_user = user
    fact._change_reason = "test"
    fact.save()


def asked(fact_id: str, user, question: str) -> None:
    """An alternate question added, a change that keeps the fact base valid."""
    questions = Fact.objects.get(record_id=fact_id).data["questions"]
    changed(fact_id, user, questions={**questions, "en": [*questions["en"], question]})


def test_the_seeded_draft_is_the_fact_base_file_and_its_first_publication(seeded):
    document, texts = drafts.draft()
    assert (document, texts) == publications.read(factbase.DEFAULT_PATH)
    assert Publication.objects.get().document == document
    assert drafts.seed(factbase.DEFAULT_PATH) is False  # seeds only an empty database


def test_an_editor_cannot_publish(editor):
    asked("tallinn_agreement", editor, "is the tallinn deal new")
    with pytest.raises(drafts.NotPublished, match="only a publisher"):
        drafts.publish(editor, "updated")
    assert Publication.objects.count() == 1


def test_four_eyes_a_publisher_cannot_publish_their_own_change_unless_allowed(publisher, settings):
    asked("tallinn_agreement", publisher, "is the tallinn deal new")
    with pytest.raises(drafts.NotPublished, match="four eyes"):
        drafts.publish(publisher, "updated")
    other = account("paula", "publisher")
    assert drafts.publish(other, "checked").published_by == other
    asked("tallinn_agreement", publisher, "when was the tallinn deal renewed")
    settings.EDITOR_SELF_PUBLISH = True
    assert drafts.publish(publisher, "a city with one editor").published_by == publisher


def test_a_draft_with_a_problem_can_never_be_published(editor, publisher):
    changed("tallinn_agreement", editor, quote="Tallinn is no longer a partner.")  # not in the source's text
    with pytest.raises(drafts.NotPublished) as refused:
        drafts.publish(publisher, "updated")
    found = refused.value.problems
    assert ("tallinn_agreement", "quote") in [(p.record_id, p.field) for p in found]
    assert {p.record_id for p in found} == {"tallinn_agreement"}
    assert Publication.objects.count() == 1


def test_publishing_takes_a_note_and_a_change(editor, publisher):
    with pytest.raises(drafts.NotPublished, match="nothing has changed"):
        drafts.publish(publisher, "nothing")
    asked("tallinn_agreement", editor, "is the tallinn deal new")
    with pytest.raises(drafts.NotPublished, match="note"):
        drafts.publish(publisher, "  ")
    published = drafts.publish(publisher, "a question residents ask")
    assert published.document["facts"] == drafts.draft()[0]["facts"]
