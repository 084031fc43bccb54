"""The editor's forms: a record's fields in fi, sv and en, checked as `make check-facts` checks the
whole fact base, each problem beside its field, and a note saying what changed and why."""

from __future__ import annotations

import re
from typing import Dict, List, Mapping, Optional, Tuple

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assistant.knowledge.facts import ENTITY_TYPES, LANGUAGES
from editor import content, drafts
from editor.models import Entity, Fact, Source, SourceText, Topic

SURENESS = [
    ("sure", _("sure: the day is known")),
    ("month", _("the month is known")),
    ("likely", _("likely")),
    ("year", _("the year is known")),
    ("undated", _("undated")),
]


def in_language(label, lang: str):
    """A field's label with the language its text is in: "Text (fi)"."""
    return format_lazy("{} ({})", label, lang)


def _lines(text: str) -> List[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def added_question(params: Mapping[str, str]) -> Optional[Tuple[str, str]]:
    """The (language, question) a link from residents' signals asks to add to a fact's alternate
    questions (`add_question` and `language`): None without a question or with another language."""
    question = " ".join(str(params.get("add_question", "")).split())  # one line: the field is one a line
    language = params.get("language")
    return (language, question) if question and language in LANGUAGES else None


def _date(value) -> object:
    """A year alone is a number in the YAML, as the fact base writes it."""
    text = str(value).strip()
    return int(text) if text.isdigit() else text


class RecordForm(forms.ModelForm):
    """A record's form: `initial_values()` gives the form's fields from the record, `record()` the record
    from the form's fields, `PLACES` maps the validator's field names to the form's."""

    note = forms.CharField(label=_("Note: what changed and why"), widget=forms.Textarea(attrs={"rows": 2}))
    PLACES: Dict[str, str] = {}

    class Meta:
        fields = ["record_id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, value in self.initial_values(self.instance.data or {}).items():
            self.initial.setdefault(name, value)  # a value the form is given (from a link, in the admin) wins

    def initial_values(self, data: dict) -> Dict[str, object]:
        """The form's fields as the record `data` (without its id) has them."""
        raise NotImplementedError

    def record(self) -> dict:
        """The record's fields but its id, as the YAML has them, from the form's."""
        raise NotImplementedError

    def place(self, problem: content.Problem) -> Optional[str]:
        """The field a problem goes beside. One of a list in each language ("'Tallinn' is also a name
        of entity 'tallinn'") goes beside the language's field that holds the words it quotes."""
        place = self.PLACES.get(problem.field) or self.PLACES.get(problem.field.split(".")[0])
        quoted = re.match(r"'(.+?)' is also", problem.message)
        if place and place[-3:] in ("_fi", "_sv", "_en") and quoted:
            holding = [
                f"{place[:-3]}_{lang}"
                for lang in LANGUAGES
                if quoted[1].casefold() in str(self.data.get(f"{place[:-3]}_{lang}", "")).casefold()
            ]
            return holding[0] if holding else place
        return place

    def changed_draft(self):
        """The draft with this form's change, its source texts, and the record it is about (section, id)."""
        record = {"id": self.cleaned_data["record_id"], **self.record()}
        document, texts = drafts.draft()
        section = self._meta.model.section
        replacing = self.instance.record_id if self.instance.pk else None
        self.instance.data = {k: v for k, v in record.items() if k != "id"}
        return drafts.with_record(document, section, record, replacing), texts, (section, record["id"])

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        document, texts, mine = self.changed_draft()
        before = set(content.problems(*drafts.draft()))
        for problem in content.problems(document, texts):
            if problem in before or content.pending(problem):  # not this change's, or for a later one
                continue
            place = self.place(problem)
            if (problem.section, problem.record_id) == mine and place in self.fields:
                self.add_error(place, content.said(problem.message))
            else:
                self.add_error(None, str(problem))
        return cleaned

    def save(self, commit=True):
        self.instance._change_reason = self.cleaned_data["note"]
        return super().save(commit)


class SourceTextForm(forms.ModelForm):
    """A source's words: a change is checked against every quote taken from them."""

    note = RecordForm.base_fields["note"]

    class Meta:
        model = SourceText
        fields = ["name", "text"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        document, texts = drafts.draft()
        before = set(content.problems(document, texts))
        texts = {k: v for k, v in texts.items() if k != self.instance.name}
        texts[cleaned["name"]] = cleaned["text"]
        for problem in content.problems(document, texts):
            if problem not in before:
                self.add_error("text" if problem.field.endswith("quote") else None, str(problem))
        return cleaned

    def save(self, commit=True):
        self.instance._change_reason = self.cleaned_data["note"]
        return super().save(commit)


def _per_language(form_class, name: str, label, required: bool = True, lines: bool = False, **field) -> None:
    """Fields `name`_fi, _sv and _en on the form class, each labelled with its language (declared, so
    that the admin's subclasses of the form have them too)."""
    for lang in LANGUAGES:
        widget = forms.Textarea(attrs={"rows": 3}) if lines else forms.TextInput(attrs={"size": 80})
        form_class.declared_fields[f"{name}_{lang}"] = form_class.base_fields[f"{name}_{lang}"] = forms.CharField(
            label=in_language(label, lang), required=required, widget=widget, **(field if lang == "fi" else {})
        )


def _texts(cleaned: dict, name: str) -> Dict[str, str]:
    """The languages' texts the form has, each on one line."""
    return {
        lang: " ".join(cleaned[f"{name}_{lang}"].split()) for lang in LANGUAGES if cleaned[f"{name}_{lang}"].strip()
    }


class SourceForm(RecordForm):
    """A source: who published it, its title and address in the languages it has them, its date and
    how sure that is, and its text, which its facts' quotes are checked against."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("news item (unless said otherwise)")), ("news", _("news item")), ("page", _("web page"))],
        help_text=_("what answers call it when it has no title"),
    )
    url = forms.CharField(
        label=_("Web address"),
        required=False,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text=_("one address for all languages, or one for each below"),
    )
    date = forms.CharField(
        label=_("Date"), help_text=_("2022-03-01; 2022-03 when only the month is known; 2022 when only the year is")
    )
    sureness = forms.ChoiceField(label=_("How sure the date is"), choices=SURENESS)
    file = forms.ModelChoiceField(
        SourceText.objects.all(),
        to_field_name="name",
        required=False,
        label=_("Its text"),
        help_text=_("the words its facts quote"),
    )
    text = forms.CharField(
        label=_("Or its text, new"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("the source's words, kept as sources/<id>.txt: its facts' quotes must be in them"),
    )

    PLACES = {
        "publisher": "publisher_fi",
        "title": "title_fi",
        "url": "url",
        "date": "date",
        "sureness": "sureness",
        "kind": "kind",
        "file": "file",
        **{f"publisher.{lang}": f"publisher_{lang}" for lang in LANGUAGES},
        **{f"title.{lang}": f"title_{lang}" for lang in LANGUAGES},
    }

    class Meta(RecordForm.Meta):
        model = Source

    def initial_values(self, data: dict) -> Dict[str, object]:
        urls = data.get("url", "")
        initial: Dict[str, object] = {
            "kind": data.get("kind", ""),
            "url": urls if isinstance(urls, str) else "",
            "date": str(data.get("date", "")),
            "sureness": data.get("sureness", "sure"),
            "file": data.get("file"),
        }
        for lang in LANGUAGES:
            initial[f"publisher_{lang}"] = (data.get("publisher") or {}).get(lang, "")
            initial[f"title_{lang}"] = (data.get("title") or {}).get(lang, "")
            initial[f"url_{lang}"] = urls.get(lang, "") if isinstance(urls, dict) else ""
        return initial

    def new_text_name(self) -> Optional[str]:
        return f"sources/{self.cleaned_data['record_id']}.txt" if self.cleaned_data.get("text", "").strip() else None

    def record(self) -> dict:
        c = self.cleaned_data
        record: dict = {"kind": c["kind"]} if c["kind"] else {}
        record["publisher"] = {lang: " ".join(c[f"publisher_{lang}"].split()) for lang in LANGUAGES}
        if _texts(c, "title"):
            record["title"] = _texts(c, "title")
        urls = {lang: c[f"url_{lang}"].strip() for lang in LANGUAGES if c[f"url_{lang}"].strip()}
        if urls or c["url"].strip():
            record["url"] = urls or c["url"].strip()
        record["date"] = _date(c["date"])
        if c["sureness"] != "sure":
            record["sureness"] = c["sureness"]
        file = self.new_text_name() or (c["file"].name if c["file"] else None)
        if file:
            record["file"] = file
        return record

    def changed_draft(self):
        document, texts, mine = super().changed_draft()
        if self.new_text_name():
            texts = {**texts, self.new_text_name(): self.cleaned_data["text"]}
        return document, texts, mine

    def clean(self):
        c = self.cleaned_data
        if c.get("url", "").strip() and any(c.get(f"url_{lang}", "").strip() for lang in LANGUAGES):
            self.add_error("url", _("either one address for all languages, or one for each"))
        if c.get("file") and c.get("text", "").strip():
            self.add_error("text", _("either choose its text, or write a new one"))
        return super().clean()

    def save(self, commit=True):
        name = self.new_text_name()
        if name:  # the new text, recorded with the source's note
            text = SourceText.objects.filter(name=name).first() or SourceText(name=name)
            text.text = self.cleaned_data["text"]
            text._change_reason = self.cleaned_data["note"]
            text.save()
        return super().save(commit)


_per_language(SourceForm, "publisher", _("Publisher"))
_per_language(
    SourceForm,
    "title",
    _("Title"),
    required=False,
    help_text=_("its own title, in the languages it has one; none where it is not known"),
)
_per_language(SourceForm, "url", _("Web address"), required=False)


class EntityForm(RecordForm):
    """A city, country, network, organisation or region the facts are about: its names as answers show
    them, and the other names residents may type."""

    type = forms.ChoiceField(label=_("Type"), choices=[(t, t) for t in ENTITY_TYPES])
    PLACES = {
        "type": "type",
        "names": "names_fi",
        "aliases": "aliases_fi",
        **{f"names.{lang}": f"names_{lang}" for lang in LANGUAGES},
        **{f"aliases.{lang}": f"aliases_{lang}" for lang in LANGUAGES},
    }

    class Meta(RecordForm.Meta):
        model = Entity

    def initial_values(self, data: dict) -> Dict[str, object]:
        initial: Dict[str, object] = {"type": data.get("type")}
        for lang in LANGUAGES:
            initial[f"names_{lang}"] = (data.get("names") or {}).get(lang, "")
            initial[f"aliases_{lang}"] = "\n".join((data.get("aliases") or {}).get(lang, []))
        return initial

    def record(self) -> dict:
        c = self.cleaned_data
        return {
            "type": c["type"],
            "names": {lang: " ".join(c[f"names_{lang}"].split()) for lang in LANGUAGES},
            "aliases": {lang: _lines(c[f"aliases_{lang}"]) for lang in LANGUAGES},
        }


_per_language(EntityForm, "names", _("Name"), help_text=_("as answers show it"))
_per_language(
    EntityForm,
    "aliases",
    _("Other names"),
    required=False,
    lines=True,
    help_text=_("one a line: what residents may also type; Finnish case endings are matched anyway"),
)


def _ids(text: str) -> List[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class TopicForm(RecordForm):
    """A topic: the question its button suggests in each language, the topics offered after an answer,
    and the entity a follow-up ("how many work there?") is about. A topic asked by naming its subject
    alone needs no intent; any other new topic needs training sentences (data/nlu/), which developers add."""

    subject = forms.ModelChoiceField(
        Entity.objects.all(),
        to_field_name="record_id",
        required=False,
        label=_("Subject"),
        help_text=_("what a follow-up question is about"),
    )
    by_subject = forms.BooleanField(
        label=_("Asked by naming its subject"),
        required=False,
        help_text=_("any question that names the subject gets this topic"),
    )
    related = forms.CharField(
        label=_("Related topics"), help_text=_("the topics offered after an answer: their ids, comma between")
    )
    PLACES = {
        "question": "question_fi",
        "related": "related",
        "subject": "subject",
        "by_subject": "by_subject",
        **{f"question.{lang}": f"question_{lang}" for lang in LANGUAGES},
    }

    class Meta(RecordForm.Meta):
        model = Topic

    def initial_values(self, data: dict) -> Dict[str, object]:
        initial: Dict[str, object] = {
            "subject": data.get("subject"),
            "by_subject": data.get("by_subject", False),
            "related": ", ".join(data.get("related", [])),
        }
        for lang in LANGUAGES:
            initial[f"question_{lang}"] = (data.get("question") or {}).get(lang, "")
        return initial

    def record(self) -> dict:
        c = self.cleaned_data
        record: dict = {"subject": c["subject"].record_id} if c["subject"] else {}  # in the file's order
        if c["by_subject"]:
            record["by_subject"] = True
        record["question"] = {lang: " ".join(c[f"question_{lang}"].split()) for lang in LANGUAGES}
        record["related"] = _ids(c["related"])
        return record


_per_language(TopicForm, "question", _("Suggested question"), help_text=_("the button that suggests this topic"))


class FactForm(RecordForm):
    topic = forms.ModelChoiceField(Topic.objects.all(), to_field_name="record_id", label=_("Topic"))
    about = forms.CharField(label=_("About"), help_text=_("the entities the fact is about: their ids, comma between"))
    source = forms.ModelChoiceField(Source.objects.all(), to_field_name="record_id", label=_("Source"))
    quote = forms.CharField(
        label=_("Quote"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("the source's own words the fact rests on, as they are in its text"),
    )
    ended_date = forms.CharField(
        label=_("Ended on"),
        required=False,
        help_text=_("if it no longer holds: 2022-03-01, 2022-03 or 2022, as sure as the source is"),
    )
    ended_sureness = forms.ChoiceField(label=_("How sure the end's date is"), choices=SURENESS, required=False)
    ended_source = forms.ModelChoiceField(
        Source.objects.all(), to_field_name="record_id", required=False, label=_("The source that says it ended")
    )
    ended_quote = forms.CharField(label=_("Its words"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    PLACES = {
        "topic": "topic",
        "about": "about",
        "source": "source",
        "quote": "quote",
        "text": "text_fi",
        **{f"text.{lang}": f"text_{lang}" for lang in LANGUAGES},
        **{f"questions.{lang}": f"questions_{lang}" for lang in LANGUAGES},
        **{f"ended.history.{lang}": f"history_{lang}" for lang in LANGUAGES},
        "ended.date": "ended_date",
        "ended.sureness": "ended_sureness",
        "ended.source": "ended_source",
        "ended.quote": "ended_quote",
        "ended": "ended_date",
        "ended.history": "history_fi",
    }

    # (language, question) to add to the questions shown (FactAdmin.get_form): only what the form starts
    # with, saved with the rest when the editor writes the note and saves.
    added_question: Optional[Tuple[str, str]] = None

    class Meta(RecordForm.Meta):
        model = Fact

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.added_question:
            language, question = self.added_question
            questions = _lines(self.initial[f"questions_{language}"] or "")
            if question not in questions:
                questions.append(question)
            self.initial[f"questions_{language}"] = "\n".join(questions)

    def initial_values(self, data: dict) -> Dict[str, object]:
        ended = data.get("ended") or {}
        initial: Dict[str, object] = {
            "topic": data.get("topic"),
            "about": ", ".join(data.get("about", [])),
            "source": data.get("source"),
            "quote": data.get("quote", ""),
            "ended_date": ended.get("date", ""),
            "ended_sureness": ended.get("sureness", "sure"),
            "ended_source": ended.get("source"),
            "ended_quote": ended.get("quote", ""),
        }
        for lang in LANGUAGES:
            initial[f"text_{lang}"] = (data.get("text") or {}).get(lang, "")
            initial[f"questions_{lang}"] = "\n".join((data.get("questions") or {}).get(lang, []))
            initial[f"history_{lang}"] = (ended.get("history") or {}).get(lang, "")
        return initial

    def record(self) -> dict:
        c = self.cleaned_data
        record = {
            "topic": c["topic"].record_id,
            "about": _ids(c["about"]),
            "source": c["source"].record_id,
            "quote": " ".join(c["quote"].split()),
            "text": {lang: " ".join(c[f"text_{lang}"].split()) for lang in LANGUAGES},
        }
        questions = {lang: _lines(c[f"questions_{lang}"]) for lang in LANGUAGES if _lines(c[f"questions_{lang}"])}
        if questions:
            record["questions"] = questions
        ending = [c["ended_date"], c["ended_source"], c["ended_quote"], *(c[f"history_{lang}"] for lang in LANGUAGES)]
        if any(ending):
            ended = {
                "date": _date(c["ended_date"]),
                "sureness": c["ended_sureness"] or "sure",
                "source": c["ended_source"].record_id if c["ended_source"] else "",
                "quote": " ".join(c["ended_quote"].split()),
                "history": {lang: " ".join(c[f"history_{lang}"].split()) for lang in LANGUAGES},
            }
            if ended["sureness"] == "sure":
                del ended["sureness"]
            record["ended"] = ended
        return record


_per_language(FactForm, "text", _("Text"), lines=True)
_per_language(
    FactForm,
    "questions",
    _("Alternate questions"),
    required=False,
    lines=True,
    help_text=_("one a line: questions residents ask that this fact answers"),
)
_per_language(
    FactForm,
    "history",
    _("History"),
    required=False,
    lines=True,
    help_text=_("the fact retold in the past tense, with when it changed"),
)


class PreviewForm(forms.Form):
    """A question for the preview (editor/preview.py), and the language of the reply, as a resident
    chooses it in the widget."""

    question = forms.CharField(label=_("Question"), max_length=1000)  # the REST channel's limit
    language = forms.ChoiceField(
        label=_("Language of the reply"), choices=[("fi", "suomi"), ("sv", "svenska"), ("en", "English")]
    )  # each in its own language, as pickers show them
