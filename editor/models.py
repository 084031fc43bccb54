"""The fact base as editors keep it: each record of facts/international_work.yml a row, as the YAML has
it (`data`), with every change recorded (django-simple-history: who, when, the note, the values
before); the texts quotes are checked against; and each published version, whole, which is what
the assistant serves (assistant/knowledge/publications.py); and editors' previews of the draft."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Record(models.Model):
    record_id = models.CharField("id", max_length=80, unique=True)
    position = models.PositiveIntegerField(default=0)  # its place in its section, as in the YAML
    data = models.JSONField(_("data"), default=dict)  # the record's fields but its id, as the YAML has them

    class Meta:
        abstract = True
        ordering = ["position", "record_id"]

    def __str__(self) -> str:
        return self.record_id

    def save(self, *args, **kwargs):
        if self._state.adding and not self.position:  # a new record goes last in its section, as in the file
            last = type(self).objects.aggregate(last=models.Max("position"))["last"]
            self.position = 0 if last is None else last + 1
        super().save(*args, **kwargs)

    def as_yaml_record(self) -> dict:
        return {"id": self.record_id, **self.data}


class Source(Record):
    section = "sources"
    history = HistoricalRecords()

    class Meta(Record.Meta):
        verbose_name, verbose_name_plural = _("source"), _("sources")


class Entity(Record):
    section = "entities"
    history = HistoricalRecords()

    class Meta(Record.Meta):
        verbose_name, verbose_name_plural = _("entity"), _("entities")


class Topic(Record):
    section = "topics"
    history = HistoricalRecords()

    class Meta(Record.Meta):
        verbose_name, verbose_name_plural = _("topic"), _("topics")


class Fact(Record):
    section = "facts"
    history = HistoricalRecords()

    class Meta(Record.Meta):
        verbose_name, verbose_name_plural = _("fact"), _("facts")


MODELS = {model.section: model for model in (Source, Entity, Topic, Fact)}


class SourceText(models.Model):
    """A source's words, as a source's `file` names them (sources/since-2019.md): quotes must be in them."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    text = models.TextField(_("text"))
    history = HistoricalRecords()

    class Meta:
        verbose_name, verbose_name_plural = _("source text"), _("source texts")

    def __str__(self) -> str:
        return self.name


class Setting(models.Model):
    """The fact base's own fields: `city` and `freshness`."""

    key = models.CharField(max_length=40, unique=True)
    value = models.JSONField()
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.key


class Publication(models.Model):
    """A version residents get: the whole fact base and its source texts, valid when published."""

    document = models.JSONField()
    texts = models.JSONField()  # name -> text
    note = models.TextField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        permissions = [("publish", "Can publish the draft")]
        verbose_name, verbose_name_plural = _("publication"), _("publications")

    def __str__(self) -> str:
        return f"#{self.pk} {self.published_at:%Y-%m-%d %H:%M}"


class Preview(models.Model):
    """The draft as an editor last asked the assistant about it (editor/preview.py), under a token that
    the question carries, or, with no document, what residents get, to compare with. The assistant
    reads it (assistant/knowledge/previews.py)."""

    token = models.CharField(max_length=43, unique=True)
    document = models.JSONField(null=True)
    texts = models.JSONField(null=True)
    digest = models.CharField(max_length=64, null=True)  # of document and texts: loaded again when it changes
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    asked_at = models.DateTimeField(auto_now=True)
