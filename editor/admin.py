"""The editor's pages: Django's admin, with each change's note and history (django-simple-history),
and publishing for publishers."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from assistant.knowledge.facts import LANGUAGES
from editor import content, drafts, preview
from editor.forms import EntityForm, FactForm, PreviewForm, SourceForm, SourceTextForm, TopicForm, added_question
from editor.models import Entity, Fact, Publication, Setting, Source, SourceText, Topic


def _flat(value, path=""):
    """A record's data as {"text.en": "...", "questions.fi": [...]}: what a change is shown by."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in _flat(item, f"{path}.{key}" if path else key).items()}
    return {path: value}


class RecordAdmin(SimpleHistoryAdmin):
    """A record's pages: its form's fieldsets (the subclasses'), its history with what each version changed."""

    list_display = ["record_id"]
    search_fields = ["record_id"]
    history_list_display = ["history_change_reason", "changes"]

    def save_model(self, request, obj, form, change):
        """Saved; and what it still lacks before it can be published (content.PENDING), said."""
        super().save_model(request, obj, form, change)
        for problem in content.problems(*drafts.draft()):
            if (problem.section, problem.record_id) == (obj.section, obj.record_id):
                messages.warning(
                    request,
                    gettext("Saved, but the draft cannot be published until this is mended: %(problem)s")
                    % {"problem": problem},
                )

    @admin.display(description=_("what changed"))
    def changes(self, version):
        """Each field this version changed, with its value before and after."""
        before = _flat(version.prev_record.data) if version.prev_record else {}
        after = _flat(version.data)
        lines = [
            f"{key}: {before.get(key, '—')!s} → {after.get(key, '—')!s}"
            for key in sorted(before.keys() | after.keys())
            if before.get(key) != after.get(key)
        ]
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) if lines else "—"


@admin.register(Fact)
class FactAdmin(RecordAdmin):
    form = FactForm
    list_display = ["record_id", "topic", "ended"]
    fieldsets = [
        (None, {"fields": ["record_id", "topic", "about", "source", "quote"]}),
        (_("Text"), {"fields": ["text_fi", "text_sv", "text_en"]}),
        (_("Alternate questions"), {"fields": ["questions_fi", "questions_sv", "questions_en"]}),
        (
            _("Ended: if it no longer holds"),
            {
                "fields": [
                    "ended_date",
                    "ended_sureness",
                    "ended_source",
                    "ended_quote",
                    "history_fi",
                    "history_sv",
                    "history_en",
                ]
            },
        ),
        (_("Why"), {"fields": ["note"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        """The fact's form, starting with the question a link from residents' signals adds (editor/signals.py).
        Only on GET: a POST's own data is what is saved, and what it changed is told against the record."""
        form = super().get_form(request, obj, **kwargs)
        question = added_question(request.GET) if request.method == "GET" else None
        return type(form.__name__, (form,), {"added_question": question}) if question else form

    @admin.display(description=_("topic"))
    def topic(self, fact):
        return fact.data.get("topic")

    @admin.display(description=_("ended"), boolean=True)
    def ended(self, fact):
        return "ended" in fact.data


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    form = SourceForm
    list_display = ["record_id", "date"]
    fieldsets = [
        (None, {"fields": ["record_id", "kind"]}),
        (_("Publisher"), {"fields": [f"publisher_{lang}" for lang in LANGUAGES]}),
        (_("Title"), {"fields": [f"title_{lang}" for lang in LANGUAGES]}),
        (_("Web address"), {"fields": ["url", *(f"url_{lang}" for lang in LANGUAGES)]}),
        (_("Date"), {"fields": ["date", "sureness"]}),
        (_("Text"), {"fields": ["file", "text"]}),
        (_("Why"), {"fields": ["note"]}),
    ]

    @admin.display(description=_("date"))
    def date(self, source):
        return source.data.get("date")


@admin.register(Entity)
class EntityAdmin(RecordAdmin):
    form = EntityForm
    list_display = ["record_id", "type", "name"]
    fieldsets = [
        (None, {"fields": ["record_id", "type"]}),
        (_("Names"), {"fields": [f"names_{lang}" for lang in LANGUAGES]}),
        (_("Other names"), {"fields": [f"aliases_{lang}" for lang in LANGUAGES]}),
        (_("Why"), {"fields": ["note"]}),
    ]

    @admin.display(description=_("type"))
    def type(self, entity):
        return entity.data.get("type")

    @admin.display(description=_("name"))
    def name(self, entity):
        return (entity.data.get("names") or {}).get(get_language() if get_language() in LANGUAGES else "en")


@admin.register(Topic)
class TopicAdmin(RecordAdmin):
    form = TopicForm
    fieldsets = [
        (None, {"fields": ["record_id", "subject", "by_subject"]}),
        (_("Suggested question"), {"fields": [f"question_{lang}" for lang in LANGUAGES]}),
        (None, {"fields": ["related"]}),
        (_("Why"), {"fields": ["note"]}),
    ]


@admin.register(SourceText)
class SourceTextAdmin(SimpleHistoryAdmin):
    form = SourceTextForm
    fields = ["name", "text", "note"]
    history_list_display = ["history_change_reason"]


admin.site.register(Setting, SimpleHistoryAdmin)


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    change_list_template = "admin/editor/publication/change_list.html"
    list_display = ["__str__", "published_by", "note"]
    readonly_fields = ["published_by", "published_at", "note"]
    exclude = ["document", "texts"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("publish/", self.admin_site.admin_view(self.publish), name="editor_publish"),
            path("preview/", self.admin_site.admin_view(self.preview), name="editor_preview"),
            *super().get_urls(),
        ]

    def preview(self, request):
        """Ask the assistant against the draft, beside what residents get (editor/preview.py): for any
        editor. A question is a POST with its CSRF token, then the page again (so reloading it asks
        nothing twice)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        conversation = preview.Conversation(request.session)
        form = PreviewForm(request.POST or None, initial={"language": _language_of(request)})
        if request.method == "POST":
            if "new" in request.POST:
                conversation.end()
                return redirect(reverse("admin:editor_preview"))
            if form.is_valid():
                found = conversation.ask(request.user, form.cleaned_data["question"], form.cleaned_data["language"])
                for problem in found:
                    messages.error(request, str(problem))
                if found:
                    messages.error(request, gettext("The draft has problems: fix them, then ask again."))
                return redirect(reverse("admin:editor_preview"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Preview the draft"),
            "form": form,
            "turns": conversation.turns,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/editor/publication/preview.html", context)

    def publish(self, request):
        """POST only, with its CSRF token (the admin's own protection), by a publisher."""
        if request.method != "POST":
            return redirect(reverse("admin:editor_publication_changelist"))
        try:
            publication = drafts.publish(request.user, request.POST.get("note", ""))
        except drafts.NotPublished as refused:
            for problem in refused.problems:
                messages.error(request, str(problem))
            messages.error(request, str(refused))
        else:
            messages.success(
                request, gettext("Published %(publication)s: residents get it now.") % {"publication": publication}
            )
        return redirect(reverse("admin:editor_publication_changelist"))


def _language_of(request) -> str:
    """The editor's own language, as the page is shown in, for the first question."""
    lang = (request.LANGUAGE_CODE or "fi").split("-")[0]
    return lang if lang in LANGUAGES else "fi"
