"""The draft, which editors change record by record, and its publication (needs Django's settings)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Set, Tuple

from django.conf import settings as django_settings
from django.db import transaction
from django.utils.translation import gettext as _

from assistant.knowledge import publications
from assistant.knowledge.publications import Document, Texts
from editor import content
from editor.content import Problem
from editor.models import MODELS, Publication, Setting, SourceText


class NotPublished(Exception):
    """Why a draft could not be published: its problems, or four eyes."""

    def __init__(self, reason: str, problems: Optional[List[Problem]] = None):
        super().__init__(reason)
        self.problems = problems or []


def seed(path: Path) -> bool:
    """Fill an empty database with a fact base file, as its first published version; False if it
    already holds one."""
    if Setting.objects.exists():
        return False
    document, texts = publications.read(path)
    with transaction.atomic():
        for key in content.SETTINGS:
            if key in document:
                Setting.objects.create(key=key, value=document[key])
        for section, model in MODELS.items():
            for position, record in enumerate(document.get(section, [])):
                record = dict(record)
                model.objects.create(record_id=record.pop("id"), position=position, data=record)
        for name, text in texts.items():
            SourceText.objects.create(name=name, text=text)
        Publication.objects.create(document=document, texts=texts, note=f"seeded from {path.name}")
    return True


def draft() -> Tuple[Document, Texts]:
    """The fact base as editors have left it."""
    document: Document = {s.key: s.value for s in Setting.objects.all()}
    for section, model in MODELS.items():
        document[section] = [record.as_yaml_record() for record in model.objects.all()]
    return document, {t.name: t.text for t in SourceText.objects.all()}


def with_record(document: Document, section: str, record: dict, replacing: Optional[str] = None) -> Document:
    """The document with one record put in (in place of `replacing`, or of the record with its id)."""
    old = replacing or record["id"]
    records = list(document[section])
    at = next((n for n, r in enumerate(records) if r.get("id") == old), None)
    if at is None:
        records.append(record)
    else:
        records[at] = record
    return {**document, section: records}


def authors_since_publication() -> Set[int]:
    """Who changed the draft since the version residents get."""
    latest = Publication.objects.first()
    since = latest.published_at if latest else None
    authors: Set[int] = set()
    for model in (*MODELS.values(), SourceText, Setting):
        changes = model.history.all()
        if since:
            changes = changes.filter(history_date__gt=since)
        authors.update(changes.exclude(history_user=None).values_list("history_user_id", flat=True))
    return authors


def publish(user, note: str) -> Publication:
    """Make the draft what residents get. Refused if it has a problem, if nothing changed, or if the
    publisher changed it themselves (four eyes) and EDITOR_SELF_PUBLISH is not set."""
    if not user.has_perm("editor.publish"):
        raise NotPublished(_("only a publisher can publish"))
    if not note.strip():
        raise NotPublished(_("a note is required: what changed and why"))
    with transaction.atomic():
        document, texts = draft()
        latest = Publication.objects.select_for_update().first()
        if latest and latest.document == document and latest.texts == texts:
            raise NotPublished(_("nothing has changed since the last publication"))
        if user.pk in authors_since_publication() and not django_settings.EDITOR_SELF_PUBLISH:
            raise NotPublished(_("four eyes: another publisher must publish your own changes"))
        found = content.problems(document, texts)
        if found:
            raise NotPublished(_("the draft has problems"), found)
        return Publication.objects.create(document=document, texts=texts, note=note.strip(), published_by=user)
