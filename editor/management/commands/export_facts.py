"""`make export-facts`: the newest publication written to the fact base file (default:
facts/international_work.yml) and its source texts beside it, for git (editor/export.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assistant.knowledge import factbase
from editor.export import export
from editor.models import Publication


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=factbase.DEFAULT_PATH)

    def handle(self, file, **options):
        latest = Publication.objects.first()
        if latest is None:
            raise CommandError("nothing is published yet")
        written = export(latest.document, latest.texts, file)
        self.stdout.write(f"{file}: publication {latest}: " + ("; ".join(written) if written else "no change"))
