"""Make the editor's tables, and fill them from the fact base file if they are empty ($FACT_BASE or
facts/international_work.yml): what `make run` does before it starts the editor."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from assistant.knowledge import factbase
from editor import drafts
from editor.roles import ensure_roles


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=None)

    def handle(self, file, **options):
        call_command("migrate", verbosity=0, interactive=False)
        ensure_roles()
        path = file or factbase.path()
        if drafts.seed(path):
            self.stdout.write(f"the editor's fact base seeded from {path}")
