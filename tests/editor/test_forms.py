"""The source's, the entity's and the topic's forms (editor/forms.py): each field of the record a field
of its own, every record as seeded shown and saved back unchanged, and each problem beside its field."""

import pytest

from editor.forms import EntityForm, FactForm, SourceForm, TopicForm
from editor.models import Entity, Fact, Source, SourceText, Topic
from tests.editor.conftest import browser


def posted(form_class, record, **changes):
    """What the record's form posts when only `changes` are made to it."""
    form = form_class(instance=record)
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update({"record_id": record.record_id, "note": "test", **changes})
    return {k: ("" if v is None else v) for k, v in data.items()}


@pytest.mark.parametrize(
    "form_class, model", [(SourceForm, Source), (EntityForm, Entity), (TopicForm, Topic), (FactForm, Fact)]
)
def test_every_record_is_shown_and_saved_back_unchanged(seeded, form_class, model):
    for record in model.objects.all():
        form = form_class(posted(form_class, record), instance=model.objects.get(pk=record.pk))
        assert form.is_valid(), (record.record_id, form.errors)
        assert form.record() == record.data, record.record_id


@pytest.mark.parametrize(
    "form_class, model, name",
    [
        (SourceForm, Source, "publisher"),
        (EntityForm, Entity, "names"),
        (TopicForm, Topic, "question"),
        (FactForm, Fact, "text"),
    ],
)
def test_a_value_the_form_is_given_wins_over_the_records_and_the_rest_are_the_records(seeded, form_class, model, name):
    record = model.objects.first()
    form = form_class(instance=record, initial={f"{name}_sv": "given"})
    assert form.initial[f"{name}_sv"] == "given" and form.initial[f"{name}_fi"] == record.data[name]["fi"]


def test_a_source_with_one_address_for_each_language(editor):
    source = Source.objects.get(record_id="war_in_ukraine_2022")
    changes = {"url_sv": "https://example.org/sv", "date": "2022-03", "sureness": "month"}
    response = browser(editor).post(f"/editor/editor/source/{source.pk}/change/", posted(SourceForm, source, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Source.objects.get(pk=source.pk).data
    assert saved["url"]["sv"] == "https://example.org/sv" and saved["url"]["fi"] == source.data["url"]["fi"]
    assert (saved["date"], saved["sureness"]) == ("2022-03", "month")


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"date": "2022-03-01", "sureness": "year"}, "date"),  # a year alone when only the year is known
        ({"url": "www.hel.fi"}, "url"),
        ({"publisher_sv": ""}, "publisher_sv"),
        ({"url_fi": "https://example.org/fi"}, "url"),  # one address for all, and one for Finnish
        ({"file": "sources/since-2019.md", "text": "Helsinki's own words."}, "text"),
    ],
)
def test_a_sources_problem_is_shown_beside_its_field_and_nothing_is_saved(editor, changes, field):
    source = Source.objects.get(record_id="international_work_2019")
    response = browser(editor).post(f"/editor/editor/source/{source.pk}/change/", posted(SourceForm, source, **changes))
    errors = response.context["adminform"].form.errors
    assert field in errors, errors
    assert Source.objects.get(pk=source.pk).data == source.data


def test_a_new_text_whose_words_lack_a_quote_is_refused(editor):
    source = Source.objects.get(record_id="tallinn_agreement_2022")
    response = browser(editor).post(
        f"/editor/editor/source/{source.pk}/change/",
        posted(SourceForm, source, file="", text="nothing about tallinn here"),
    )
    assert "tallinn_agreement" in str(response.context["adminform"].form.errors)
    assert not SourceText.objects.filter(name="sources/tallinn_agreement_2022.txt")


def test_a_new_partner_city_then_a_fact_about_it_make_a_draft_that_can_be_published(editor, publisher):
    from django.contrib.messages import get_messages

    from editor import content, drafts
    from tests.editor.test_admin import form_data

    client = browser(editor)
    city = {
        "record_id": "lisbon",
        "type": "city",
        "names_fi": "Lissabon",
        "names_sv": "Lissabon",
        "names_en": "Lisbon",
        "aliases_fi": "Lisboa",
        "aliases_sv": "Lisboa",
        "aliases_en": "Lisboa",
        "note": "a new partner",
    }
    wrong = client.post("/editor/editor/entity/add/", {**city, "aliases_sv": "Lisboa\nTallinn"})
    assert set(wrong.context["adminform"].form.errors) == {"aliases_sv"}  # Tallinn's name is another entity's
    # Saved without a fact about it yet, which no form could add first; said, and not publishable so.
    saved = client.post("/editor/editor/entity/add/", city)
    assert saved.status_code == 302 and Entity.objects.get(record_id="lisbon").data["names"]["en"] == "Lisbon"
    assert any("no fact is about this entity" in str(m) for m in get_messages(saved.wsgi_request))
    assert [p.record_id for p in content.problems(*drafts.draft())] == ["lisbon"]
    with pytest.raises(drafts.NotPublished):
        drafts.publish(publisher, "too early")

    fact = Fact.objects.get(record_id="main_partners")
    about = ", ".join([*fact.data["about"], "lisbon"])
    changed = browser(editor).post(f"/editor/editor/fact/{fact.pk}/change/", form_data(fact, about=about))
    assert changed.status_code == 302
    assert content.problems(*drafts.draft()) == []
    assert drafts.publish(publisher, "a new partner").document["entities"][-1]["id"] == "lisbon"


def test_a_problem_is_said_in_the_editors_language_beside_its_field(editor):
    from tests.editor.test_admin import form_data

    fact = Fact.objects.get(record_id="main_partners")
    response = browser(editor).post(
        f"/editor/editor/fact/{fact.pk}/change/",
        form_data(fact, about="tallinn, stockholm, berlin, oslo"),
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.context["adminform"].form.errors == {"about": ["tuntematon kohde 'oslo'"]}


def test_a_topic_offers_only_topics_there_are(editor):
    topic = Topic.objects.get(record_id="echa")
    response = browser(editor).post(
        f"/editor/editor/topic/{topic.pk}/change/", posted(TopicForm, topic, related="eu_office, chemicals_law")
    )
    assert response.context["adminform"].form.errors == {"related": ["unknown topic 'chemicals_law'"]}
    changed = browser(editor).post(
        f"/editor/editor/topic/{topic.pk}/change/",
        posted(TopicForm, topic, question_en="What is ECHA, the chemicals agency?"),
    )
    assert changed.status_code == 302 and Topic.objects.get(pk=topic.pk).data["question"]["en"].endswith("agency?")
