"""Residents' signals in the editor: the questions the assistant could not answer, grouped as `make report`
groups them (assistant/storage/unanswered.py), and the answers residents did not find helpful
(assistant/storage/feedback.py), each with a link to the form that acts on it. Read from the logs on each
visit: the page changes nothing, and a question is added to the fact base only through a fact's form,
with its note."""

from __future__ import annotations

from collections import Counter
from typing import Dict, List, Optional
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assistant.storage import feedback, records, unanswered
from editor.forms import LANGUAGES, added_question
from editor.models import Fact, Topic

SHOWN = 50  # groups, and rated topics and facts, on the page: `make report`'s CSVs have them all
RATED = {"fact": Fact, "topic": Topic}  # the kinds feedback.helpfulness rows have


def _check_role(request) -> None:
    """The editors' and publishers' page: residents' words are for those who keep the facts."""
    if not request.user.has_perm("editor.view_fact"):
        raise PermissionDenied


def question_language(group: unanswered.Group) -> Optional[str]:
    """The language the group's question (its most asked wording) was asked in, most often: its
    alternate question goes in that language's field. None when that is none of the fact base's."""
    question = group.text
    asked_in = Counter(entry.get("language") for entry in group.entries if entry["text"] == question)
    return next((language for language, times in asked_in.most_common() if language in LANGUAGES), None)


def prefill(language: str, question: str) -> str:
    """The query that opens a fact's form with the question added (editor.forms.added_question)."""
    return urlencode({"add_question": question, "language": language})


def _unanswered_rows(groups: List[unanswered.Group]) -> List[Dict]:
    rows = []
    for number, group in enumerate(groups[:SHOWN], 1):
        row = group.row()
        language = question_language(group)
        rows.append(
            {
                "number": number,
                "count": row["count"],
                "question": row["question"],
                "other_wordings": group.variants,
                "languages": row["languages"],
                "language": language,
                "last_asked": records.time_of({"time": row["last_asked"]}),
                "prefill": prefill(language, row["question"]) if language else None,
            }
        )
    return rows


def _unhelpful_rows(rows: List[Dict]) -> List[Dict]:
    """The rows with their record's kind in words and the link to its form (none for a record the fact
    base no longer has)."""
    pks = {
        kind: dict(
            model.objects.filter(record_id__in=[r["id"] for r in rows if r["kind"] == kind]).values_list(
                "record_id", "pk"
            )
        )
        for kind, model in RATED.items()
    }
    shown = []
    for row in rows:
        pk = pks[row["kind"]].get(row["id"])
        shown.append(
            {
                **row,
                "kind_name": RATED[row["kind"]]._meta.verbose_name,
                "url": reverse(f"admin:editor_{row['kind']}_change", args=[pk]) if pk else None,
                "percent_helpful": round(100 * row["share_helpful"]),
            }
        )
    return shown


def _facts_by_topic() -> List[tuple]:
    """[(topic id, [fact ids])], in the fact base's order: the choices of a question's fact."""
    by_topic: Dict[str, List[str]] = {}
    for fact in Fact.objects.all():
        by_topic.setdefault(fact.data.get("topic") or "", []).append(fact.record_id)
    return list(by_topic.items())


def page(request):
    _check_role(request)
    entries = unanswered.read()
    groups = unanswered.group(entries)
    ratings = feedback.read()
    unhelpful = [row for row in feedback.helpfulness(ratings) if row["not_helpful"]]
    context = {
        **admin.site.each_context(request),
        "title": _("Residents' questions and ratings"),
        "shown": SHOWN,
        "asked_count": len(entries),
        "group_count": len(groups),
        "unanswered": _unanswered_rows(groups),
        "facts_by_topic": _facts_by_topic(),
        "rating_count": len(ratings),
        "unhelpful_count": len(unhelpful),
        "unhelpful": _unhelpful_rows(unhelpful[:SHOWN]),
    }
    return TemplateResponse(request, "admin/editor/signals.html", context)


def to_fact(request):
    """Where the signals page's form sends its choice: the chosen fact's form, with the question added.
    A redirect, since a form cannot choose its own address without a script."""
    _check_role(request)
    fact = Fact.objects.filter(record_id=request.GET.get("fact", "")).first()
    if fact is None:
        raise Http404
    url = reverse("admin:editor_fact_change", args=[fact.pk])
    question = added_question(request.GET)
    return redirect(f"{url}?{prefill(*question)}" if question else url)
